import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { host, PASSWORD } from './support'
import { searchSite } from './search-support'

// Searching the families in Debian's Chromium, written as the steps a secretary takes, in French
// and in English; screenshots go to test-artifacts/staff/search-*.png (not committed).
const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'staff')
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

let storage: PostgresStorage
let browser: Browser
let site = 0
const servers: ServerType[] = []

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  storage = await createPostgresStorage({ pglite: {} })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
}, 180_000)
afterAll(async () => {
  await browser?.close()
  for (const s of servers) await new Promise<void>((ok) => s.close(() => ok()))
  await storage?.close()
})

async function open(lang: 'fr' | 'en'): Promise<{ page: Page; base: string }> {
  const siteId = `staff-search-browser-${++site}`
  await searchSite(storage, siteId)
  const { app } = await host(storage, siteId)
  const server = await new Promise<ServerType>((ok) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => ok(s))
  })
  servers.push(server)
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const context = await browser.newContext({ locale: lang, extraHTTPHeaders: { 'Accept-Language': lang }, viewport: { width: 1100, height: 800 } })
  return { page: await context.newPage(), base }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: true })
}

const TEXT = {
  fr: { households: 'Foyers', children: 'Enfants', search: 'Rechercher', name: 'Rechercher par nom', show: 'Afficher', none: 'Aucun résultat.', invalid: 'Recherche : au plus 5 mots et 100 caractères.' },
  en: { households: 'Households', children: 'Children', search: 'Search', name: 'Search by name', show: 'Show', none: 'Nothing found.', invalid: 'Search: at most 5 words and 100 characters.' },
}

describe('in Chromium: rechercher un foyer, un responsable, un enfant (seed 001)', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`[${lang}] the secretary finds a household and a guardian by name, then an archived child`, async () => {
      const { page, base } = await open(lang)
      const x = TEXT[lang]
      // 1. log in
      await page.goto(`${base}/staff/login`)
      await page.locator('#f-username').fill('secretariat@jaures.example')
      await page.locator('#f-password').fill(PASSWORD)
      await page.locator('form.card button[type=submit]').click()
      await page.waitForURL(`${base}/staff`)
      // 2. FOYERS; 3. type the beginning of the name, without its accent; 4. search
      await page.getByRole('navigation').getByRole('link', { name: x.households, exact: true }).click()
      await page.getByLabel(x.name).fill('lefe')
      await page.getByRole('button', { name: x.search }).click()
      await page.waitForURL(`${base}/staff/households?q=lefe`)
      expect(await page.locator('table tbody tr td a').allTextContents()).toEqual(['Famille Lefèvre'])
      expect(await page.locator('.guardian-matches li a').allTextContents()).toEqual(['Hélène Lefèvre'])
      await shot(page, `search-${lang}-1-households`)
      // 5. open the household: its guardians
      await page.getByRole('link', { name: 'Famille Lefèvre' }).click()
      expect(await page.getByRole('link', { name: 'Marc Dupuis' }).count()).toBe(1)
      // 6. ENFANTS; 7. the archived children named Lefèvre
      await page.getByRole('navigation').getByRole('link', { name: x.children, exact: true }).click()
      expect(await page.locator('table tbody tr td a').allTextContents()).toEqual(['Léo Martin', 'Éloïse Lefèvre'])
      await page.getByLabel(x.name).fill('LEFÈVRE')
      await page.getByLabel(x.show).selectOption('archived')
      await page.getByRole('button', { name: x.search }).click()
      expect(await page.locator('table tbody tr td a').allTextContents()).toEqual(['Hugo Lefèvre'])
      await shot(page, `search-${lang}-2-children-archived`)
      // 8. a search of too many words is shown beside the field
      await page.getByLabel(x.name).fill('a b c d e f')
      await page.getByRole('button', { name: x.search }).click()
      expect(await page.locator('#q-error').textContent()).toBe(x.invalid)
      await shot(page, `search-${lang}-3-invalid`)
    })
  }
})

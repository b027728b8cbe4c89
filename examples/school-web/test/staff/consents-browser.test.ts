/**
 * Consents in Debian's Chromium (seed 001, Administration > consentements, and the portal's
 * consents): the head teacher creates a consent for one class with its linked document, a parent
 * of that class sees the booking refused for the missing consent, reads and accepts it, then books.
 * In French and in English; screenshots under test-artifacts/staff/ (not committed).
 */
import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestHost, type TestHost } from '../support'
import { ARTIFACTS } from './browser-support'
import { saveScreenshot } from '../screenshots'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const PASSWORD = 'jaures-demo-2027'
let host: TestHost
let server: ServerType
let base: string
let browser: Browser

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  host = await startTestHost()
  server = serve({ fetch: host.app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((ok) => server.once('listening', ok))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
}, 180_000)
afterAll(async () => {
  await browser?.close()
  server?.close()
  await host?.close()
})

const shot = (page: Page, name: string) => saveScreenshot(page, resolve(ARTIFACTS, `${name}.png`))

const TEXT = {
  fr: {
    parent: 'resp-22', child: 'enfant-30', klass: 'ce1', scope: 'groups', day: '2027-03-11',
    nav: 'Consentements', save: 'Enregistrer', saved: 'Le consentement est enregistré.', label: 'Sortie à la piscine',
    text: "J'autorise mon enfant à participer aux sorties à la piscine du jeudi.",
    user: "Nom d'utilisateur", password: 'Mot de passe', login: 'Connexion', missing: 'Consentement requis : « Sortie à la piscine »', accept: 'Accepter', book: 'Réserver les jours cochés',
  },
  en: {
    parent: 'resp-21', child: 'enfant-29', klass: 'cp', scope: 'groups', day: '2027-03-12',
    nav: 'Consents', save: 'Save', saved: 'The consent is saved.', label: 'Photos at school',
    text: 'I allow the school to take photos of my child during activities.',
    user: 'Username', password: 'Password', login: 'Log in', missing: 'Photos at school', accept: 'Accept', book: 'Book the ticked days',
  },
} as const

describe('in Chromium: a consent created in the back office, accepted by a parent before booking (seed 001)', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`[${lang}] the head teacher creates a consent for one class; its parent is refused, reads and accepts it, then books`, async () => {
      const x = TEXT[lang]
      // 1. the head teacher logs in and opens Administration > consents
      const staffContext = await browser.newContext({ locale: lang, extraHTTPHeaders: { 'Accept-Language': lang }, viewport: { width: 1100, height: 900 } })
      const staff = await staffContext.newPage()
      await staff.goto(`${base}/staff/login`)
      await staff.locator('#f-username').fill('direction@jaures.example')
      await staff.locator('#f-password').fill(PASSWORD)
      await staff.locator('form.card button[type=submit]').click()
      await staff.waitForURL(`${base}/staff`)
      await staff.getByRole('link', { name: x.nav, exact: true }).click()
      await staff.waitForURL(`${base}/staff/admin/consents`)
      // 2. label, text, validity, one class, the linked document, active
      await staff.locator('#f-label').fill(x.label)
      await staff.locator(`#f-${lang}`).fill(x.text)
      await staff.locator('#f-from').fill('2026-09-01')
      await staff.locator(`input[name=scope][value=${x.scope}]`).check()
      await staff.locator(`input[name=groupIds][value=${x.klass}]`).check()
      await staff.locator('#f-documentId').selectOption('reglement-restauration-2026')
      await shot(staff, `consents-${lang}-1-form`)
      await staff.getByRole('button', { name: x.save, exact: true }).click()
      expect(await staff.locator('.notice.ok').textContent()).toBe(x.saved)
      await shot(staff, `consents-${lang}-2-saved`)
      await staffContext.close()

      // 3. the parent of that class: the booking is refused for the missing consent
      const context = await browser.newContext({ locale: lang, extraHTTPHeaders: { 'Accept-Language': lang }, viewport: { width: 1100, height: 900 } })
      const page = await context.newPage()
      await page.goto(`${base}/login`)
      await page.getByLabel(x.user).fill(`${x.parent}@familles.example`)
      await page.getByLabel(x.password).fill(PASSWORD)
      await page.getByRole('button', { name: x.login }).click()
      await page.waitForURL(`${base}/`)
      await page.goto(`${base}/bookings?child=${x.child}&service=cantine&month=2027-03`)
      expect(await page.locator(`[data-date="${x.day}"]`).getAttribute('data-state')).toBe('refused')
      expect(await page.locator(`[data-date="${x.day}"]`).textContent()).toContain(x.missing)
      await shot(page, `consents-${lang}-3-refused`)
      // 4. the consents page: the text in the parent's language and the document; read, accept every missing one
      await page.goto(`${base}/consents`)
      expect(await page.locator('body').textContent()).toContain(x.text)
      await shot(page, `consents-${lang}-4-to-accept`)
      while ((await page.locator('[data-state="missing"]').count()) > 0) {
        const section = page.locator('[data-state="missing"]').first()
        await section.locator('input[type=checkbox][name=read]').check()
        await section.getByRole('button', { name: x.accept, exact: true }).click()
        await page.waitForLoadState()
      }
      await shot(page, `consents-${lang}-5-accepted`)
      // 5. the day can be booked
      await page.goto(`${base}/bookings?child=${x.child}&service=cantine&month=2027-03`)
      await page.locator(`input[value="${x.day}"]`).check()
      await page.getByRole('button', { name: x.book }).click()
      await expect.poll(() => page.locator(`[data-date="${x.day}"][data-state="booked"]`).count()).toBe(1)
      await shot(page, `consents-${lang}-6-booked`)
      await context.close()
    }, 180_000)
  }
})

import { mkdirSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../src/compose'
import { pdfBytes, pngBytes } from './docs-support'
import { peopleSite } from './people-support'
import { host, PASSWORD } from './support'

// The documents of a family's file, its child's information sheet and the site's logo in Debian's
// Chromium, written as seed 001's steps (« Documents », « Fiche de renseignements ») and seed 000's
// (« Logo »), in French and in Dutch; screenshots go to test-artifacts/staff/docs-*.png (not committed).
const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'staff')
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

let storage: PostgresStorage
let browser: Browser
let site = 0
const servers: ServerType[] = []

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  writeFileSync(resolve(ARTIFACTS, 'docs-upload.pdf'), pdfBytes('Certificat medical'))
  writeFileSync(resolve(ARTIFACTS, 'docs-logo.png'), pngBytes(96, 80))
  storage = await createPostgresStorage({ pglite: {} })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
}, 180_000)
afterAll(async () => {
  await browser?.close()
  for (const s of servers) await new Promise<void>((ok) => s.close(() => ok()))
  await storage?.close()
})

async function open(lang: 'fr' | 'nl', login: string): Promise<{ page: Page; base: string; ctx: AppContext; siteId: string }> {
  const siteId = `staff-docs-browser-${++site}`
  await peopleSite(storage, siteId)
  const { ctx, app } = await host(storage, siteId)
  const server = await new Promise<ServerType>((ok) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => ok(s))
  })
  servers.push(server)
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const context = await browser.newContext({ locale: lang, extraHTTPHeaders: { 'Accept-Language': lang }, viewport: { width: 1100, height: 800 } })
  const page = await context.newPage()
  await page.goto(`${base}/staff/login`)
  await page.locator('#f-username').fill(login)
  await page.locator('#f-password').fill(PASSWORD)
  await page.locator('form.card button[type=submit]').click()
  await page.waitForURL(`${base}/staff`)
  return { page, base, ctx, siteId }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: true })
}

const TEXT = {
  fr: { nav: 'Documents', filter: 'Filtrer', add: 'Ajouter un document', name: 'Nom', submit: 'Enregistrer le document', saved: 'Le document est enregistré.', change: 'Modifier la période', saveWindow: 'Enregistrer la période', windowDone: 'La période de visibilité est modifiée.', del: 'Supprimer', confirm: 'Confirmer', deleted: 'Le document est supprimé.', sheet: 'Fiche de renseignements de Léo Martin', print: 'Télécharger la fiche (PDF)', images: 'Logo et tampon', upload: 'Envoyer l’image', imageSaved: 'L’image est enregistrée.', bigType: 'Fichier : seuls les fichiers' },
  nl: { nav: 'Documenten', filter: 'Filteren', add: 'Een document toevoegen', name: 'Naam', submit: 'Het document opslaan', saved: 'Het document is opgeslagen.', change: 'Periode wijzigen', saveWindow: 'De periode opslaan', windowDone: 'De periode is gewijzigd.', del: 'Verwijderen', confirm: 'Bevestigen', deleted: 'Het document is verwijderd.', sheet: 'Inlichtingenfiche van Léo Martin', print: 'De fiche downloaden (PDF)', images: 'Logo en stempel', upload: 'De afbeelding verzenden', imageSaved: 'De afbeelding is opgeslagen.', bigType: 'Bestand: alleen' },
}

for (const lang of ['fr', 'nl'] as const) {
  const x = TEXT[lang]
  describe(`documents, information sheet and logo in a browser (${lang})`, () => {
    it("adds a document to the Martin family's file with its portal dates, changes the dates, deletes it after confirming, and opens Léo's information sheet", async () => {
      const { page, ctx, siteId } = await open(lang, 'secretariat@jaures.example')
      // 1. Documents, the family looked up by name
      await page.getByRole('link', { name: x.nav, exact: true }).click()
      await page.locator('#f-q').fill('Martin')
      await page.getByRole('button', { name: x.filter }).click()
      await expect.poll(() => page.locator('h1').innerText()).toContain('Foyer Martin')
      // 2. Add a document: a file refused for its content first, then the PDF
      await page.getByRole('link', { name: x.add }).click()
      await page.locator('#f-file').setInputFiles({ name: 'certificat.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf</html>') })
      await page.locator('#f-name').fill('Certificat médical')
      await page.getByRole('button', { name: x.submit }).click()
      await expect.poll(() => page.locator('#f-file-error').innerText()).toContain(x.bigType)
      await shot(page, `docs-${lang}-1-refused`)
      await page.locator('#f-file').setInputFiles(resolve(ARTIFACTS, 'docs-upload.pdf'))
      await page.locator('#f-name').fill('Certificat médical')
      await page.locator('#f-from').fill('2027-01-20')
      await page.locator('#f-to').fill('2027-06-30')
      await shot(page, `docs-${lang}-2-form`)
      await page.getByRole('button', { name: x.submit }).click()
      await expect.poll(() => page.locator('.notice, [role=status], main').first().innerText()).toContain(x.saved)
      await expect.poll(() => page.locator('tr[data-document]').count()).toBe(1)
      await shot(page, `docs-${lang}-3-list`)
      const [doc] = (await ctx.storage.documents!.listDocuments(siteId)).items
      expect(doc).toMatchObject({ name: 'Certificat médical', mediaType: 'application/pdf', audience: { kind: 'guardian', guardianId: 'g1' }, available: { from: '2027-01-20', to: '2027-06-30' } })
      // 3. Change the dates it is shown on the portal
      await page.getByRole('link', { name: x.change }).click()
      await page.locator('#f-to').fill('2027-07-05')
      await page.getByRole('button', { name: x.saveWindow }).click()
      await expect.poll(() => page.locator('main').innerText()).toContain(x.windowDone)
      expect((await ctx.storage.documents!.getDocument(siteId, doc!.id))!.available.to).toBe('2027-07-05')
      // 4. Delete it: the confirmation says what goes
      await page.getByRole('link', { name: x.del, exact: true }).click()
      await expect.poll(() => page.locator('form.card p').innerText()).toContain('Certificat médical')
      await shot(page, `docs-${lang}-4-confirm`)
      await page.getByRole('button', { name: x.confirm }).click()
      await expect.poll(() => page.locator('main').innerText()).toContain(x.deleted)
      expect(await ctx.storage.documents!.getDocument(siteId, doc!.id)).toBeUndefined()
      // 5. Léo's information sheet from the family's file
      await page.locator('#f-q').fill('Martin')
      await page.getByRole('button', { name: x.filter }).click()
      await page.getByRole('link', { name: x.sheet }).click()
      await expect.poll(() => page.getByRole('link', { name: x.print }).count()).toBe(1)
      await shot(page, `docs-${lang}-5-info-sheet`)
    }, 120_000)

    it('uploads the site logo as an administrator and shows it', async () => {
      const { page, ctx, siteId } = await open(lang, 'bo-admin@jaures.example')
      await page.getByRole('link', { name: x.images, exact: true }).click()
      await page.locator('#f-siteLogo').setInputFiles(resolve(ARTIFACTS, 'docs-logo.png'))
      await page.locator('section[data-image=siteLogo]').getByRole('button', { name: x.upload }).click()
      await expect.poll(() => page.locator('main').innerText()).toContain(x.imageSaved)
      await expect.poll(() => page.locator('section[data-image=siteLogo] img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(96)
      await shot(page, `docs-${lang}-6-logo`)
      expect((await ctx.storage.directory!.getSite(siteId))!.logo).toMatchObject({ mediaType: 'image/png' })
    }, 120_000)
  })
}

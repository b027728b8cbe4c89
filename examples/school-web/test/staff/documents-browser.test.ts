import { describe, expect, it } from 'vitest'
import { staffBrowser } from './browser-support'
import { pdfBytes, pngBytes } from './docs-support'
import { peopleSite } from './people-support'

// The documents of a family's file, its child's information sheet and the site's logo in Debian's
// Chromium, written as seed 001's steps (« Documents », « Fiche de renseignements ») and seed 000's
// (« Logo »), in French and in Dutch; screenshots go to test-artifacts/staff/docs-*.png (not committed).
const { open: openSite, shot } = staffBrowser('staff-docs-browser', (storage, siteId) => peopleSite(storage, siteId))
const open = (lang: 'fr' | 'nl', username: string) => openSite(lang, { username })
/** The files the browser's file inputs receive: a one-page PDF and a PNG logo. */
const UPLOAD_PDF = { name: 'docs-upload.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdfBytes('Certificat medical')) }
const LOGO_PNG = { name: 'docs-logo.png', mimeType: 'image/png', buffer: Buffer.from(pngBytes(96, 80)) }

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
      await page.locator('#f-file').setInputFiles(UPLOAD_PDF)
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
      await page.locator('#f-siteLogo').setInputFiles(LOGO_PNG)
      await page.locator('section[data-image=siteLogo]').getByRole('button', { name: x.upload }).click()
      await expect.poll(() => page.locator('main').innerText()).toContain(x.imageSaved)
      await expect.poll(() => page.locator('section[data-image=siteLogo] img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(96)
      await shot(page, `docs-${lang}-6-logo`)
      expect((await ctx.storage.directory!.getSite(siteId))!.logo).toMatchObject({ mediaType: 'image/png' })
    }, 120_000)
  })
}

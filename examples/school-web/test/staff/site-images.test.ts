import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { CustomAttributeSchema, InsuranceSchema } from '@ecole/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../src/seed'
import { SITE } from '../../src/site-settings'
import { Client, startTestHost, visibleText, type TestHost } from '../support'
import { pngBytes, staffLogin, upload } from './docs-support'

// The site's logo and the school's logo and stamp (seeds 000 and 003), and the information sheet
// printed with that logo (seed 001 « Fiche de renseignements »), saved into the family's file.
// The rendered first page goes to test-artifacts/staff/info-sheet.png (not committed).
const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'staff')
let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
}, 180_000)
afterAll(async () => {
  await host?.close()
})

async function staff(username: string): Promise<Client> {
  const c = new Client(host.app)
  await staffLogin(c, username, DEMO_PASSWORD)
  return c
}

describe('logo and stamp (seed 003: logo et tampon; seed 000: logo du site)', () => {
  it('the direction uploads the site logo and the school stamp, stored as internal documents counted in the quota and never shown on the portal; deletes the stamp after a confirmation', async () => {
    const dir = await staff('direction@jaures.example')
    const page = await dir.get('/staff/admin/images')
    expect(page.status).toBe(200)
    expect(visibleText(page.text)).toContain('Tampon de École élémentaire Jean-Jaurès')
    const used = await host.ctx.storage.documents!.usedBytes(SITE.id)
    const logo = pngBytes(96, 80)
    const r = await upload(dir, '/staff/admin/images/siteLogo', { name: 'logo.png', bytes: logo, type: 'image/svg+xml' })
    expect(r.status).toBe(303)
    expect((await host.ctx.storage.directory!.getSite(SITE.id))!.logo).toEqual({ key: `${SITE.id}/images/image-site-logo`, mediaType: 'image/png', sizeBytes: logo.length })
    const stamp = pngBytes(120, 80, [150, 30, 40])
    await dir.get('/staff/admin/images')
    expect((await upload(dir, `/staff/admin/images/schoolStamp?schoolId=${SITE.schoolId}`, { name: 'tampon.png', bytes: stamp })).status).toBe(303)
    expect(await host.ctx.storage.documents!.usedBytes(SITE.id)).toBe(used + logo.length + stamp.length)
    const shown = await dir.get('/staff/admin/images?done=saved')
    expect(visibleText(shown.text)).toContain('L’image est enregistrée.')
    const img = await dir.get('/staff/admin/images/siteLogo/file')
    expect(img.headers.get('content-type')).toBe('image/png')
    // a family never sees them
    const family = new Client(host.app)
    await family.login(host.logins.withPassword.username, host.logins.withPassword.password)
    expect((await family.get('/documents/image-site-logo')).status).toBe(404)
    expect(visibleText((await family.get('/documents')).text)).not.toContain('logo.png')

    const confirm = await dir.get(`/staff/admin/images/schoolStamp/delete?schoolId=${SITE.schoolId}`)
    expect(visibleText(confirm.text)).toContain(`Supprimer tampon de École élémentaire Jean-Jaurès (${stamp.length} o) ? Les documents imprimés ensuite ne l’afficheront plus`)
    expect((await dir.post(`/staff/admin/images/schoolStamp/delete?schoolId=${SITE.schoolId}`)).status).toBe(303)
    expect((await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, 'school', SITE.schoolId))!.stamp).toBeNull()
    expect(await host.ctx.storage.documents!.usedBytes(SITE.id)).toBe(used + logo.length)
  })

  it('refuses a GIF stamp (PNG or JPEG only) and an SVG logo beside their fields, storing nothing', async () => {
    const dir = await staff('direction@jaures.example')
    await dir.get('/staff/admin/images')
    const used = await host.ctx.storage.documents!.usedBytes(SITE.id)
    const gif = await upload(dir, `/staff/admin/images/schoolStamp?schoolId=${SITE.schoolId}`, { name: 't.gif', bytes: new TextEncoder().encode('GIF89a......'), type: 'image/png' })
    expect(gif.status).toBe(400)
    expect(gif.text).toContain(`id="f-schoolStamp-${SITE.schoolId}-error" class="field-error">Fichier : seuls les fichiers PNG, JPEG sont acceptés`)
    const svg = await upload(dir, '/staff/admin/images/siteLogo', { name: 'l.svg', bytes: new TextEncoder().encode('<svg onload="alert(1)"/>'), type: 'image/png' })
    expect(svg.status).toBe(400)
    expect(await host.ctx.storage.documents!.usedBytes(SITE.id)).toBe(used)
  })

  it('refuses the secretary, who lacks settings.site and settings.establishment', async () => {
    const sec = await staff('secretariat@jaures.example')
    const r = await sec.get('/staff/admin/images')
    expect(r.status).toBe(403)
    expect(visibleText(r.text)).toContain('« settings.site »')
  })
})

describe('the information sheet (seed 001: imprimer la fiche de renseignements, enregistrer dans les fiches)', () => {
  it('prints a child’s sheet to PDF with the site logo, and saves it into the family’s file, visible on the portal from the day chosen', async () => {
    const dir = await staff('direction@jaures.example')
    await dir.get('/staff/admin/images')
    expect((await upload(dir, '/staff/admin/images/siteLogo', { name: 'logo.png', bytes: pngBytes(96, 80) })).status).toBe(303)
    const sec = await staff('secretariat@jaures.example')
    const file = await sec.get('/staff/documents?householdId=foyer-21')
    expect(file.text).toContain('href="/staff/children/enfant-29/info-sheet"')
    const page = await sec.get('/staff/children/enfant-29/info-sheet')
    expect(page.status).toBe(200)
    const pdf = await sec.get('/staff/children/enfant-29/info-sheet.pdf')
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    const bytes = new Uint8Array(await pdf.res.arrayBuffer())
    mkdirSync(ARTIFACTS, { recursive: true })
    writeFileSync(resolve(ARTIFACTS, 'info-sheet.pdf'), bytes)
    const text = execFileSync('pdftotext', ['-layout', resolve(ARTIFACTS, 'info-sheet.pdf'), '-'], { encoding: 'utf8' })
    expect(text).toContain('Fiche de renseignements')
    expect(text).toContain('École élémentaire Jean-Jaurès')
    // the logo is an image on the page
    expect(execFileSync('pdfimages', ['-list', resolve(ARTIFACTS, 'info-sheet.pdf')], { encoding: 'utf8' })).toMatch(/\s96\s+80\s/)
    execFileSync('pdftoppm', ['-r', '60', '-f', '1', '-l', '1', '-png', '-singlefile', resolve(ARTIFACTS, 'info-sheet.pdf'), resolve(ARTIFACTS, 'info-sheet')])

    await sec.get('/staff/children/enfant-29/info-sheet')
    const saved = await sec.post('/staff/children/enfant-29/info-sheet', { from: '2027-02-08', to: '' })
    expect(saved.status).toBe(303)
    const family = new Client(host.app)
    await family.login(host.logins.withPassword.username, host.logins.withPassword.password)
    const docs = visibleText((await family.get('/documents')).text)
    expect(docs).toContain('Fiche de renseignements de')
    const stored = await host.ctx.storage.documents!.getDocument(SITE.id, 'info-sheet-enfant-29-2027-02-08')
    expect(stored).toMatchObject({ mediaType: 'application/pdf', audience: { kind: 'child', childId: 'enfant-29' }, available: { from: '2027-02-08' } })
  })

  it("prints a household's sheet (a guardian's identity with their criteria and insurances, the household's address and members) and saves it into the guardian's file", async () => {
    const d = host.ctx.storage.directory!
    await d.putDirectoryRecord(SITE.id, 'customAttribute', CustomAttributeSchema.parse({ id: 'crit-csp', siteId: SITE.id, label: 'Catégorie professionnelle', appliesTo: 'guardian', allowedValues: ['cadre', 'employé'] }))
    await d.putDirectoryRecord(SITE.id, 'insurance', InsuranceSchema.parse({ id: 'ins-maif', siteId: SITE.id, label: 'MAIF Scolaire', visible: true }))
    const marc = (await d.getDirectoryRecord(SITE.id, 'guardian', 'resp-21'))!
    await d.putDirectoryRecord(SITE.id, 'guardian', { ...marc, attributes: { ...marc.attributes, 'crit-csp': 'employé' }, insurances: [{ insuranceId: 'ins-maif', policyNumber: 'P-7', validUntil: '2027-08-31' }] })
    const sec = await staff('secretariat@jaures.example')
    const file = await sec.get('/staff/documents?householdId=foyer-21')
    expect(file.text).toContain('href="/staff/guardians/resp-21/info-sheet"')
    const pdf = await sec.get('/staff/guardians/resp-21/info-sheet.pdf')
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    mkdirSync(ARTIFACTS, { recursive: true })
    writeFileSync(resolve(ARTIFACTS, 'household-sheet.pdf'), new Uint8Array(await pdf.res.arrayBuffer()))
    const text = execFileSync('pdftotext', ['-layout', resolve(ARTIFACTS, 'household-sheet.pdf'), '-'], { encoding: 'utf8' })
    expect(text).toContain('Foyer')
    expect(text).toContain('94000 Créteil')
    // the household's members: the guardian and the child
    expect(text).toMatch(/Marc Blanc[\s\S]*Arthur Blanc/)
    // the criteria and the insurances on the guardian's file, in the identity section
    expect(text).toMatch(/Catégorie professionnelle\s+employé/)
    expect(text).toMatch(/Assurance\s+MAIF Scolaire, Numéro de police P-7, Valable jusqu'au 31\/08\/2027/)
    execFileSync('pdftoppm', ['-r', '60', '-f', '1', '-l', '1', '-png', '-singlefile', resolve(ARTIFACTS, 'household-sheet.pdf'), resolve(ARTIFACTS, 'household-sheet')])
    await sec.get('/staff/guardians/resp-21/info-sheet')
    expect((await sec.post('/staff/guardians/resp-21/info-sheet', { from: '2027-02-08', to: '2027-08-31' })).status).toBe(303)
    expect(await host.ctx.storage.documents!.getDocument(SITE.id, 'info-sheet-resp-21-2027-02-08')).toMatchObject({ audience: { kind: 'guardian', guardianId: 'resp-21' }, available: { from: '2027-02-08', to: '2027-08-31' } })
  })

  it('refuses a window that ends before it starts, naming the field, and saves nothing', async () => {
    const sec = await staff('secretariat@jaures.example')
    await sec.get('/staff/children/enfant-30/info-sheet')
    const r = await sec.post('/staff/children/enfant-30/info-sheet', { from: '2027-03-01', to: '2027-02-01' })
    expect(r.status).toBe(400)
    expect(visibleText(r.text)).toContain('Jusqu’au (vide : sans fin) : ')
    expect(await host.ctx.storage.documents!.getDocument(SITE.id, 'info-sheet-enfant-30-2027-02-08')).toBeUndefined()
  })
})

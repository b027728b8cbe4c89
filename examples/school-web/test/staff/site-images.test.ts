import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { resolve } from 'node:path'
import { ChildSchema, CustomAttributeSchema, InsuranceSchema } from '@ecole/core'
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

describe('the information sheets of a set of children (seed 001: the children list filtered, « En pdf », « Enregistrer dans les fiches »)', () => {
  const today = '2027-02-08'
  async function childrenNamed(name: string) {
    return (await host.ctx.storage.directory!.searchDirectoryRecords(SITE.id, 'child', { name, archived: false }, { limit: 500 })).items
  }

  it('downloads one ZIP of the sheets of the children the list found, one PDF per child, each the child\'s own sheet', async () => {
    const children = await childrenNamed('B')
    expect(children.length).toBeGreaterThan(1)
    const sec = await staff('secretariat@jaures.example')
    const list = await sec.get('/staff/children?q=B&archived=active')
    expect(list.text).toContain('href="/staff/children/info-sheets?q=B&amp;archived=active"')
    const page = await sec.get('/staff/children/info-sheets?q=B&archived=active')
    expect(page.status).toBe(200)
    expect(visibleText(page.text)).toContain(`${children.length} enfant(s) :`)
    const zip = await sec.post('/staff/children/info-sheets', { q: 'B', archived: 'active', do: 'download' })
    expect(zip.headers.get('content-type')).toBe('application/zip')
    expect(zip.headers.get('content-disposition')).toBe(`attachment; filename="fiches-de-renseignements-${today}.zip"`)
    const dir = mkdtempSync(resolve(tmpdir(), 'sheets-'))
    const path = resolve(dir, 'fiches.zip')
    writeFileSync(path, new Uint8Array(await zip.res.arrayBuffer()))
    expect(execFileSync('unzip', ['-tq', path], { encoding: 'utf8' })).toContain('No errors detected')
    const names = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n')
    expect(names).toHaveLength(children.length)
    for (const child of children) {
      const name = names.find((n) => n.startsWith(`fiche-${child.lastName}-${child.firstName}-`.replace(/[^A-Za-z0-9._-]/g, '_')))!
      expect(name).toBeDefined()
      writeFileSync(resolve(dir, 'one.pdf'), execFileSync('unzip', ['-p', path, name]))
      const text = execFileSync('pdftotext', ['-layout', resolve(dir, 'one.pdf'), '-'], { encoding: 'utf8' })
      expect(text).toContain('Fiche de renseignements')
      expect(text).toContain(child.firstName)
    }
  })

  it('saves every sheet into its child\'s documents in one step, audited; refuses a window ending before it starts and a set beyond the storage licence, saving none', async () => {
    const children = await childrenNamed('B')
    const sec = await staff('secretariat@jaures.example')
    const stored = async () => (await Promise.all(children.map((ch) => host.ctx.storage.documents!.getDocument(SITE.id, `info-sheet-${ch.id}-${today}`)))).filter((d) => d !== undefined)
    // a child's sheet saved on its own earlier today (the test above) is replaced, not doubled
    const before = await stored()
    const added = async () => (await host.ctx.storage.audit!.listAuditEntries(SITE.id, { subjectKind: 'document' }, { limit: 1000 })).items.filter((e) => e.action === 'document.added' && children.some((ch) => e.subject.id === `info-sheet-${ch.id}-${today}`)).length
    const addedBefore = await added()
    // a window ending before it starts: named, nothing saved
    await sec.get('/staff/children/info-sheets?q=B')
    const reversed = await sec.post('/staff/children/info-sheets', { q: 'B', archived: 'active', do: 'save', from: '2027-03-01', to: '2027-02-01' })
    expect(reversed.status).toBe(400)
    expect(visibleText(reversed.text)).toMatch(/Jusqu/)
    expect(await stored()).toEqual(before)
    // a licence with no room for the set: none saved
    const site = (await host.ctx.storage.directory!.getSite(SITE.id))!
    const used = await host.ctx.storage.documents!.usedBytes(SITE.id)
    await host.ctx.storage.directory!.putSite(SITE.id, { ...site, licence: { ...site.licence, maxStorageGb: (used + 1000) / 1e9 } })
    try {
      await sec.get('/staff/children/info-sheets?q=B')
      const full = await sec.post('/staff/children/info-sheets', { q: 'B', archived: 'active', do: 'save', from: today })
      expect(full.status).toBe(400)
      expect(visibleText(full.text)).toContain('Quota de stockage du site dépassé')
      expect(await stored()).toEqual(before)
    } finally {
      await host.ctx.storage.directory!.putSite(SITE.id, site)
    }
    await sec.get('/staff/children/info-sheets?q=B')
    const saved = await sec.post('/staff/children/info-sheets', { q: 'B', archived: 'active', do: 'save', from: today, to: '2027-08-31' })
    expect(saved.status).toBe(303)
    const location = saved.headers.get('location')
    expect(location).toBe(`/staff/children/info-sheets?q=B&archived=active&done=saved&count=${children.length}`)
    expect(visibleText((await sec.get(location!)).text)).toContain(`${children.length} fiche(s) enregistrée(s) dans les documents des enfants.`)
    const docs = await stored()
    expect(docs.map((d) => d!.audience).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(children.map((ch) => ({ kind: 'child', childId: ch.id })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))))
    expect(docs.every((d) => d!.available.from === today && d!.available.to === '2027-08-31' && d!.mediaType === 'application/pdf')).toBe(true)
    expect(await added()).toBe(addedBefore + children.length)
  })

  it(`refuses a set of more than 200 children (narrow the search), the direction saving (documents.write) and the animateur printing (households.read)`, async () => {
    await host.ctx.storage.transaction(SITE.id, async (tx) => {
      for (let n = 0; n < 201; n++) await tx.directory!.putDirectoryRecord(SITE.id, 'child', ChildSchema.parse({ id: `nombreux-${n}`, siteId: SITE.id, firstName: `Enfant${n}`, lastName: 'Nombreux', birthDate: '2020-01-01', guardians: [{ guardianId: 'resp-21', relationship: 'father' }] }))
    })
    const sec = await staff('secretariat@jaures.example')
    const many = await sec.get('/staff/children/info-sheets?q=Nombreux')
    expect(many.status).toBe(400)
    expect(visibleText(many.text)).toContain('Plus de 200 enfants correspondent à cette recherche : affinez-la (nom, état).')
    expect((await sec.post('/staff/children/info-sheets', { q: 'Nombreux', archived: 'active', do: 'download' })).status).toBe(400)
    const direction = await staff('direction@jaures.example')
    expect((await direction.get('/staff/children/info-sheets?q=B')).status).toBe(200)
    const save = await direction.post('/staff/children/info-sheets', { q: 'B', archived: 'active', do: 'save', from: today })
    expect(save.status).toBe(403)
    expect(visibleText(save.text)).toContain('« documents.write »')
    const anim = await staff('animateur@jaures.example')
    await anim.get('/staff')
    const printed = await anim.post('/staff/children/info-sheets', { q: 'B', archived: 'active', do: 'download' })
    expect(printed.status).toBe(403)
    expect(visibleText(printed.text)).toContain('« households.read »')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { guardianEmail, DEMO_PASSWORD } from '../../src/seed'
import { SITE } from '../../src/site-settings'
import { Client, startTestHost, visibleText, type TestHost } from '../support'
import { documentIdOf, pdfBytes, staffLogin, upload } from './docs-support'

// Documents of the families and groups through the back office (seed 001 « Documents »), and what
// the families then see on the portal. The demo school on PGlite; today is 8 February 2027.
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
async function parent(guardianId: string): Promise<Client> {
  const c = new Client(host.app)
  const r = await c.login(guardianEmail(guardianId), DEMO_PASSWORD)
  if (r.status !== 303) throw new Error(`portal login of ${guardianId} answered ${r.status}`)
  return c
}

describe("a family's file (seed 001: ajouter un document au dossier d'une famille)", () => {
  it("a secretary uploads a PDF for Famille 21's guardian with a portal window and a notice; the family sees and downloads it, another family never does, not even by its id", async () => {
    const sec = await staff('secretariat@jaures.example')
    const form = await sec.get('/staff/documents/new?householdId=foyer-21')
    expect(form.status).toBe(200)
    expect(visibleText(form.text)).toContain('Dossier du foyer « Famille')
    const bytes = pdfBytes('Certificat medical de Lucie')
    const r = await upload(sec, '/staff/documents', { name: 'certificat.pdf', bytes, type: 'text/html' }, {
      householdId: 'foyer-21', name: 'Certificat médical', description: 'Année 2026-2027', for: 'guardian:resp-21', from: '2027-02-01', to: '2027-02-28', notify: '1',
    })
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/staff/documents?done=uploaded&householdId=foyer-21&notified=1')
    const list = await sec.get(r.headers.get('location')!)
    expect(visibleText(list.text)).toContain('Le document est enregistré ; 1 e-mail(s) de notification partiront le jour où il devient visible.')
    const id = documentIdOf(list.text, 'Certificat médical')
    expect(id).toMatch(/^d-/)
    expect(visibleText(list.text)).toContain('Responsable : Marc')
    expect(visibleText(list.text)).toContain('du 01/02/2027 au 28/02/2027')
    // the type comes from the bytes, not from what the browser said (text/html)
    const stored = await host.ctx.storage.documents!.getDocument(SITE.id, id)
    expect(stored).toMatchObject({ mediaType: 'application/pdf', sizeBytes: bytes.length, audience: { kind: 'guardian', guardianId: 'resp-21' } })
    // the notice waits in the outbox, in French, for the guardian
    const notices = (await host.ctx.storage.outbox!.list(SITE.id, {}, { limit: 1000 })).items.filter((m) => m.id === `notice:document:${id}:resp-21`)
    expect(notices).toHaveLength(1)
    expect(JSON.stringify(notices[0]!.payload)).toContain('Le document « Certificat médical » est disponible')
    // the audit trail has who did it
    const audit = (await host.ctx.storage.audit!.listAuditEntries(SITE.id, { subjectKind: 'document', subjectId: id })).items
    expect(audit.map((e) => [e.action, e.actor.id])).toEqual([['document.added', 'u-bo-secretariat']])

    const family = await parent('resp-21')
    expect(visibleText((await family.get('/documents')).text)).toContain('Certificat médical – Année 2026-2027')
    const download = await family.get(`/documents/${id}`)
    expect(download.status).toBe(200)
    expect(new Uint8Array(await download.res.arrayBuffer())).toEqual(bytes)

    const other = await parent('resp-22')
    expect(visibleText((await other.get('/documents')).text)).not.toContain('Certificat médical')
    expect((await other.get(`/documents/${id}`)).status).toBe(404)
  })

  it('refuses an HTML page named .pdf, saying so beside the file field in French, and stores nothing', async () => {
    const sec = await staff('secretariat@jaures.example')
    await sec.get('/staff/documents/new?householdId=foyer-21')
    const before = await host.ctx.storage.documents!.usedBytes(SITE.id)
    const r = await upload(sec, '/staff/documents', { name: 'facture.pdf', bytes: new TextEncoder().encode('<html><script>alert(1)</script></html>') }, {
      householdId: 'foyer-21', name: 'Faux PDF', for: 'guardian:resp-21', from: '2027-02-01',
    })
    expect(r.status).toBe(400)
    expect(r.text).toContain('<strong id="f-file-error" class="field-error">Fichier : seuls les fichiers PDF, PNG, JPEG, GIF, WebP sont acceptés')
    expect(await host.ctx.storage.documents!.usedBytes(SITE.id)).toBe(before)
  })

  it('refuses a window that ends before it starts, naming the field, and a group document without a group', async () => {
    const sec = await staff('secretariat@jaures.example')
    await sec.get('/staff/documents/new')
    const backwards = await upload(sec, '/staff/documents', { name: 'menu.pdf', bytes: pdfBytes('Menus') }, { name: 'Menus', for: 'site', from: '2027-03-01', to: '2027-02-01' })
    expect(backwards.status).toBe(400)
    expect(visibleText(backwards.text)).toContain('Jusqu’au (vide : sans fin) : ')
    const noGroup = await upload(sec, '/staff/documents', { name: 'menu.pdf', bytes: pdfBytes('Menus') }, { name: 'Menus', for: 'groups', from: '2027-02-01' })
    expect(noGroup.status).toBe(400)
    expect(visibleText(noGroup.text)).toContain('Groupes : cochez au moins une école ou une classe.')
  })
})

describe('group documents, windows and deletion (seed 001: documents de groupe)', () => {
  it("shows a CE1 document to a family with a child in CE1 and not to a family whose child is in CP; a changed window hides it; a confirmed deletion removes it and frees its bytes", async () => {
    const sec = await staff('secretariat@jaures.example')
    await sec.get('/staff/documents/new')
    const bytes = pdfBytes('Sortie au musee')
    const r = await upload(sec, '/staff/documents', { name: 'sortie.pdf', bytes }, { name: 'Sortie CE1 au musée', for: 'groups', groupIds: ['ce1'], from: '2027-02-01' })
    expect(r.status).toBe(303)
    const list = await sec.get('/staff/documents?kind=groups')
    const id = documentIdOf(list.text, 'Sortie CE1 au musée')
    expect(visibleText(list.text)).toContain('Groupes : CE1')
    expect(visibleText((await (await parent('resp-22')).get('/documents')).text)).toContain('Sortie CE1 au musée')
    expect(visibleText((await (await parent('resp-21')).get('/documents')).text)).not.toContain('Sortie CE1 au musée')

    // the window moved to March: not shown on 8 February
    const windowForm = await sec.get(`/staff/documents/${id}/window`)
    expect(windowForm.status).toBe(200)
    expect((await sec.post(`/staff/documents/${id}/window`, { from: '2027-03-01', to: '' })).status).toBe(303)
    expect(visibleText((await (await parent('resp-22')).get('/documents')).text)).not.toContain('Sortie CE1 au musée')

    const used = await host.ctx.storage.documents!.usedBytes(SITE.id)
    const confirm = await sec.get(`/staff/documents/${id}/delete`)
    expect(visibleText(confirm.text)).toContain(`Supprimer « Sortie CE1 au musée » (${bytes.length} o) ? Le document disparaît de la liste des documents et du portail, et ${bytes.length} o sont libérés dans le quota du site.`)
    // nothing is deleted before the confirmation
    expect(await host.ctx.storage.documents!.getDocument(SITE.id, id)).toBeDefined()
    expect((await sec.post(`/staff/documents/${id}/delete`)).status).toBe(303)
    expect(await host.ctx.storage.documents!.getDocument(SITE.id, id)).toBeUndefined()
    expect(await host.ctx.storage.documents!.usedBytes(SITE.id)).toBe(used - bytes.length)
  })

  it('lists page by page on the server, filtered by kind and by family (a name searched)', async () => {
    const sec = await staff('secretariat@jaures.example')
    for (const n of [1, 2, 3]) {
      await sec.get('/staff/documents/new?householdId=foyer-22')
      expect((await upload(sec, '/staff/documents', { name: `p${n}.pdf`, bytes: pdfBytes(`Page ${n}`) }, { householdId: 'foyer-22', name: `Pièce ${n}`, for: 'child:enfant-30', from: '2027-02-01' })).status).toBe(303)
    }
    const first = await sec.get('/staff/documents?householdId=foyer-22&limit=2')
    expect((first.text.match(/<tr data-document=/g) ?? []).length).toBe(2)
    const next = first.text.match(/href="([^"]+)" rel="next"/)![1]!.replace(/&amp;/g, '&')
    expect(next).toContain('householdId=foyer-22')
    const second = await sec.get(next)
    expect((second.text.match(/<tr data-document=/g) ?? []).length).toBe(1)
    const byName = await sec.get(`/staff/documents?q=${encodeURIComponent('Famille')}`)
    expect(visibleText(byName.text)).toContain('Plusieurs foyers correspondent')
    const none = await sec.get('/staff/documents?kind=internal&householdId=foyer-22')
    expect(visibleText(none.text)).toContain('Aucun document.')
  })
})

describe('the storage quota (seed 000: quota de stockage de la licence)', () => {
  it("refuses an upload beyond the site's quota, naming the quota, what is used and what was asked, and stores nothing; empty means unlimited again", async () => {
    const site = (await host.ctx.storage.directory!.getSite(SITE.id))!
    const used = await host.ctx.storage.documents!.usedBytes(SITE.id)
    // room for 100 bytes more
    await host.ctx.storage.directory!.putSite(SITE.id, { ...site, licence: { ...site.licence, maxStorageGb: (used + 100) / 1e9 } })
    try {
      const sec = await staff('secretariat@jaures.example')
      await sec.get('/staff/documents/new')
      const bytes = pdfBytes('Trop gros pour le quota')
      const r = await upload(sec, '/staff/documents', { name: 'gros.pdf', bytes }, { name: 'Trop gros', for: 'site', from: '2027-02-01' })
      expect(r.status).toBe(400)
      expect(visibleText(r.text)).toContain('Quota de stockage du site dépassé')
      expect(visibleText(r.text)).toContain('demandés. Rien n’a été enregistré.')
      expect(await host.ctx.storage.documents!.usedBytes(SITE.id)).toBe(used)
      expect(visibleText((await sec.get('/staff/documents')).text)).toMatch(/Espace utilisé : [\d,]+ \S+ sur [\d,]+ \S+\./)
    } finally {
      await host.ctx.storage.directory!.putSite(SITE.id, site)
    }
    const sec = await staff('secretariat@jaures.example')
    expect(visibleText((await sec.get('/staff/documents')).text)).toContain('(stockage illimité)')
  })
})

describe('who may do what with documents', () => {
  it('refuses the list to the animateur and the upload to the direction, naming the missing permission documents.write', async () => {
    const anim = await staff('animateur@jaures.example')
    const list = await anim.get('/staff/documents')
    expect(list.status).toBe(403)
    expect(visibleText(list.text)).toContain('« documents.write »')
    const direction = await staff('direction@jaures.example')
    await direction.get('/staff')
    const r = await upload(direction, '/staff/documents', { name: 'x.pdf', bytes: pdfBytes('x') }, { name: 'X', for: 'site', from: '2027-02-01' })
    expect(r.status).toBe(403)
    expect(visibleText(r.text)).toContain('« documents.write »')
    // the information sheet: the animateur's scope is one school and one service, not the whole site;
    // the direction may print it but not save it into a file
    const sheet = await anim.get('/staff/children/enfant-29/info-sheet')
    expect(sheet.status).toBe(403)
    expect(visibleText(sheet.text)).toContain('« households.read »')
    expect((await direction.get('/staff/children/enfant-29/info-sheet')).status).toBe(200)
    const save = await direction.post('/staff/children/enfant-29/info-sheet', { from: '2027-02-08' })
    expect(save.status).toBe(403)
    expect(visibleText(save.text)).toContain('« documents.write »')
    // and the menu does not offer what the user may not open
    expect((await direction.get('/staff')).text).not.toContain('href="/staff/documents"')
    expect((await (await staff('secretariat@jaures.example')).get('/staff')).text).toContain('href="/staff/documents"')
  })
})

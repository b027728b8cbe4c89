import { GuardianSchema } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { saveConsent } from '@ecole/workflows'
import { DEMO_CONSENTS } from '../../src/demo-consents'
import { peopleSite } from './people-support'
import { Client, host, pgliteForFile } from './support'

// The administration lists of the back office (seed 001, « Administration »: critères, assurances,
// textes du portail, consentements) through HTTP: each change stored and audited, each bad input
// shown beside its field in French with nothing stored, each refusal naming the permission.
const db = pgliteForFile()
let site = 0

const DIRECTION = 'direction@jaures.example'
const SECRETARY = 'secretariat@jaures.example'

async function fresh() {
  const siteId = `staff-lists-${++site}`
  await peopleSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  const dir = ctx.storage.directory!
  return { ctx, siteId, as, dir }
}

describe('custom criteria (seed 001: critères pour les enfants ou les adultes, avec leurs valeurs)', () => {
  it('adds a criterion for children with its values, changes them, and deletes it after a confirmation counting who has a value; audited', async () => {
    const { ctx, siteId, as, dir } = await fresh()
    const direction = await as(DIRECTION)
    const r = await direction.post('/staff/admin/criteria', { label: 'Régime alimentaire', appliesTo: 'child', allowedValues: 'Sans porc\nVégétarien\n\n' })
    expect([r.status, r.location]).toEqual([303, '/staff/admin/criteria?done=saved'])
    const [criterion] = (await dir.listDirectoryRecords(siteId, 'customAttribute')).items
    expect(criterion).toMatchObject({ label: 'Régime alimentaire', appliesTo: 'child', allowedValues: ['Sans porc', 'Végétarien'] })
    expect((await direction.get('/staff/admin/criteria')).text).toContain('Régime alimentaire</a></td><td>Enfants</td><td>Sans porc, Végétarien</td>')
    expect((await direction.post(`/staff/admin/criteria/${criterion!.id}`, { label: 'Régime alimentaire', appliesTo: 'child', allowedValues: 'Sans porc\nVégétarien\nSans gluten' })).status).toBe(303)
    expect((await dir.getDirectoryRecord(siteId, 'customAttribute', criterion!.id))?.allowedValues).toEqual(['Sans porc', 'Végétarien', 'Sans gluten'])
    const leo = await dir.getDirectoryRecord(siteId, 'child', 'k1')
    await dir.putDirectoryRecord(siteId, 'child', { ...leo!, attributes: { [criterion!.id]: 'Végétarien' } })
    expect((await direction.get(`/staff/admin/criteria/${criterion!.id}/delete`)).text).toContain('Le critère « Régime alimentaire » sera supprimé ; 1 personne(s) en ont une valeur')
    expect(await dir.getDirectoryRecord(siteId, 'customAttribute', criterion!.id)).toBeDefined()
    expect((await direction.post(`/staff/admin/criteria/${criterion!.id}/delete`, {})).location).toBe('/staff/admin/criteria?done=deleted')
    expect(await dir.getDirectoryRecord(siteId, 'customAttribute', criterion!.id)).toBeUndefined()
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    expect(trail.items.filter((e) => e.subject.kind === 'customAttribute').map((e) => e.action).sort()).toEqual(['criterion.created', 'criterion.deleted', 'criterion.edited'])
  })

  it('refuses a criterion without values or with a value twice, beside the values field, and stores nothing', async () => {
    const { siteId, as, dir } = await fresh()
    const direction = await as(DIRECTION)
    const none = await direction.post('/staff/admin/criteria', { label: 'Transport', appliesTo: 'child', allowedValues: '' })
    expect(none.status).toBe(400)
    expect(none.text).toContain('id="f-allowedValues-error"')
    expect(none.text).toContain('Valeurs : valeur refusée (must list at least one value)')
    const twice = await direction.post('/staff/admin/criteria', { label: 'Transport', appliesTo: 'child', allowedValues: 'Bus\nBus' })
    expect(twice.status).toBe(400)
    expect(twice.text).toContain('must not list a value twice')
    expect(twice.text).toContain('>Bus\nBus</textarea>')
    expect((await dir.listDirectoryRecords(siteId, 'customAttribute')).items).toEqual([])
  })
})

describe('insurances (seed 001: assurances proposées sur la fiche des responsables)', () => {
  it('adds an insurance, hides it, refuses deleting it while a guardian has it (named), then deletes it', async () => {
    const { siteId, as, dir } = await fresh()
    const direction = await as(DIRECTION)
    expect((await direction.post('/staff/admin/insurances', { label: 'MAIF Scolaire', visible: 'on' })).status).toBe(303)
    const [insurance] = (await dir.listDirectoryRecords(siteId, 'insurance')).items
    expect(insurance).toMatchObject({ label: 'MAIF Scolaire', visible: true })
    expect((await direction.post(`/staff/admin/insurances/${insurance!.id}`, { label: 'MAIF Scolaire', visible: '' })).status).toBe(303)
    expect((await dir.getDirectoryRecord(siteId, 'insurance', insurance!.id))?.visible).toBe(false)
    const claire = await dir.getDirectoryRecord(siteId, 'guardian', 'g1')
    await dir.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ ...claire!, insurances: [{ insuranceId: insurance!.id, policyNumber: 'P-1' }] }))
    const inUse = await direction.post(`/staff/admin/insurances/${insurance!.id}/delete`, {})
    expect(inUse.status).toBe(400)
    expect(inUse.text).toContain('Refusé : l&#39;assurance « MAIF Scolaire » est sur la fiche de : Claire Martin. Masquez-la plutôt.')
    await dir.putDirectoryRecord(siteId, 'guardian', { ...claire! })
    expect((await direction.get(`/staff/admin/insurances/${insurance!.id}/delete`)).text).toContain('L&#39;assurance « MAIF Scolaire » sera supprimée.')
    expect((await direction.post(`/staff/admin/insurances/${insurance!.id}/delete`, {})).location).toBe('/staff/admin/insurances?done=deleted')
    expect((await dir.listDirectoryRecords(siteId, 'insurance')).items).toEqual([])
  })

  it("lists every insurance, past the storage's page of 1,000 (the list read only its first 200 before)", async () => {
    const { siteId, as, dir } = await fresh()
    const direction = await as(DIRECTION)
    expect((await direction.post('/staff/admin/insurances', { label: 'Assurance 0000', visible: 'on' })).status).toBe(303)
    const [first] = (await dir.listDirectoryRecords(siteId, 'insurance')).items
    for (let n = 1; n <= 1000; n++) {
      await dir.putDirectoryRecord(siteId, 'insurance', { ...first!, id: `ins-${String(n).padStart(4, '0')}`, label: `Assurance ${String(n).padStart(4, '0')}` })
    }
    const list = (await direction.get('/staff/admin/insurances')).text
    for (const n of [0, 1, 200, 999, 1000]) expect(list).toContain(`Assurance ${String(n).padStart(4, '0')}`)
    expect(new Set(list.match(/Assurance \d{4}/g)).size).toBe(1001)
  }, 60_000)

  it('refuses an insurance without a name beside its field', async () => {
    const { siteId, as, dir } = await fresh()
    const r = await (await as(DIRECTION)).post('/staff/admin/insurances', { label: '  ', visible: 'on' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('<strong id="f-label-error" class="field-error">Nom de l&#39;assurance : obligatoire</strong>')
    expect((await dir.listDirectoryRecords(siteId, 'insurance')).items).toEqual([])
  })
})

describe('two staff changing one criterion or insurance at once (each form carries the version it was opened with)', () => {
  const versionIn = (page: string) => page.match(/name="version" value="([^"]+)"/)![1]!

  it('refuses the second save of a criterion both opened (409, who changed what), keeps the first whole and audited once, and saves again knowingly', async () => {
    const { ctx, siteId, as, dir } = await fresh()
    const direction = await as(DIRECTION)
    await direction.post('/staff/admin/criteria', { label: 'Transport', appliesTo: 'child', allowedValues: 'Bus\nVélo' })
    const [criterion] = (await dir.listDirectoryRecords(siteId, 'customAttribute')).items
    const edit = `/staff/admin/criteria/${criterion!.id}`
    const openedA = versionIn((await direction.get(`/staff/admin/criteria?edit=${criterion!.id}`)).text)
    const openedB = versionIn((await direction.get(`/staff/admin/criteria?edit=${criterion!.id}`)).text)
    expect((await direction.post(edit, { version: openedA, label: 'Transport', appliesTo: 'child', allowedValues: 'Bus\nVélo\nÀ pied' })).status).toBe(303)
    const late = await direction.post(edit, { version: openedB, label: 'Transport scolaire', appliesTo: 'child', allowedValues: 'Bus\nVélo' })
    expect(late.status).toBe(409)
    expect(late.text).toContain('Cette fiche a été modifiée par')
    expect(late.text).toContain('<td>Valeurs</td>')
    expect(late.text).toContain('value="Transport scolaire"')
    expect(await dir.getDirectoryRecord(siteId, 'customAttribute', criterion!.id)).toMatchObject({ label: 'Transport', allowedValues: ['Bus', 'Vélo', 'À pied'] })
    const edits = (await ctx.storage.audit!.listAuditEntries(siteId, {})).items.filter((e) => e.action === 'criterion.edited')
    expect(edits).toHaveLength(1)
    // the form now carries the stored version: saving again replaces the change knowingly
    expect((await direction.post(edit, { version: versionIn(late.text), label: 'Transport scolaire', appliesTo: 'child', allowedValues: 'Bus\nVélo' })).status).toBe(303)
    expect((await dir.getDirectoryRecord(siteId, 'customAttribute', criterion!.id))?.label).toBe('Transport scolaire')
  })

  it('deletes nothing when the criterion or the insurance changed since the confirmation or the list was shown, and hides nothing twice', async () => {
    const { siteId, as, dir } = await fresh()
    const direction = await as(DIRECTION)
    await direction.post('/staff/admin/criteria', { label: 'Transport', appliesTo: 'child', allowedValues: 'Bus' })
    const [criterion] = (await dir.listDirectoryRecords(siteId, 'customAttribute')).items
    const confirmation = versionIn((await direction.get(`/staff/admin/criteria/${criterion!.id}/delete`)).text)
    await dir.putDirectoryRecord(siteId, 'customAttribute', { ...criterion!, allowedValues: ['Bus', 'Vélo'] })
    const late = await direction.post(`/staff/admin/criteria/${criterion!.id}/delete`, { version: confirmation })
    expect(late.status).toBe(409)
    expect(await dir.getDirectoryRecord(siteId, 'customAttribute', criterion!.id)).toBeDefined()

    await direction.post('/staff/admin/insurances', { label: 'MAIF Scolaire', visible: 'on' })
    const [insurance] = (await dir.listDirectoryRecords(siteId, 'insurance')).items
    // two staff see the list with « Masquer »: the first hides it, the second's click is refused
    const listed = versionIn((await direction.get('/staff/admin/insurances')).text)
    expect((await direction.post(`/staff/admin/insurances/${insurance!.id}`, { version: listed, label: 'MAIF Scolaire', visible: '' })).status).toBe(303)
    const second = await direction.post(`/staff/admin/insurances/${insurance!.id}`, { version: listed, label: 'MAIF Scolaire', visible: '' })
    expect(second.status).toBe(409)
    const deleteShown = versionIn((await direction.get(`/staff/admin/insurances/${insurance!.id}/delete`)).text)
    await dir.putDirectoryRecord(siteId, 'insurance', { ...insurance!, visible: true, label: 'MAIF' })
    expect((await direction.post(`/staff/admin/insurances/${insurance!.id}/delete`, { version: deleteShown })).status).toBe(409)
    expect((await dir.getDirectoryRecord(siteId, 'insurance', insurance!.id))?.label).toBe('MAIF')
  })
})

describe('portal texts (seed 001: textes du portail, par langue)', () => {
  it('saves the texts per place and language, keeping the rest of the site, and the portal shows them', async () => {
    const { ctx, siteId, as, dir } = await fresh()
    const direction = await as(DIRECTION)
    const r = await direction.post('/staff/admin/portal-texts', { 'login.fr': 'Bienvenue sur le portail de l’école.', 'login.it': 'Benvenuti.', 'contact.fr': 'Régie : 01 23 45 67 89' })
    expect([r.status, r.location]).toEqual([303, '/staff/admin/portal-texts?done=saved'])
    const stored = await dir.getSite(siteId)
    expect(stored?.portalTexts).toEqual({ login: { fr: 'Bienvenue sur le portail de l’école.', it: 'Benvenuti.' }, contact: { fr: 'Régie : 01 23 45 67 89' } })
    expect(stored?.name).toBe('École de test')
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    expect(trail.items.find((e) => e.action === 'site.portalTexts')?.after).toMatchObject({ portalTexts: { contact: { fr: 'Régie : 01 23 45 67 89' } } })
  })

  it('refuses a text beyond 2,000 characters under that text, and stores nothing', async () => {
    const { siteId, as, dir } = await fresh()
    const r = await (await as(DIRECTION)).post('/staff/admin/portal-texts', { 'home.en': 'x'.repeat(2001) })
    expect(r.status).toBe(400)
    expect(r.text).toContain("Page d&#39;accueil, English : 2,000 caractères au plus")
    expect((await dir.getSite(siteId))?.portalTexts).toEqual({})
  })
})

describe('consents and who accepted them (seed 001)', () => {
  it('lists each stored consent, and on its page the guardians who accepted it, by name, with the day', async () => {
    const { ctx, siteId, as } = await fresh()
    const rules = DEMO_CONSENTS[0]!
    await saveConsent({ storage: ctx.storage }, { ...rules, siteId, documentId: null }, { create: true })
    await ctx.storage.bookings!.acceptConsent(siteId, { consentId: rules.id, guardianId: 'g1', acceptedAt: new Date('2026-08-28T22:30:00Z') })
    const direction = await as(DIRECTION)
    expect((await direction.get('/staff/admin/consents')).text).toContain(`<a href="/staff/admin/consents/${rules.id}">Règlement intérieur de la restauration scolaire 2026-2027</a>`)
    const page = (await direction.get(`/staff/admin/consents/${rules.id}`)).text
    expect(page).toContain('Qui a accepté la version 1')
    // 22:30 UTC on 28 August is the 29th in Paris
    expect(page).toContain('<td><a href="/staff/guardians/g1">Claire Martin</a></td><td>29/08/2026</td>')
  })

  it('refuses the secretary the lists (settings.site) and the consents (consents.write), naming the permission', async () => {
    const { as } = await fresh()
    const secretary = await as(SECRETARY)
    for (const path of ['/staff/admin/criteria', '/staff/admin/insurances', '/staff/admin/portal-texts']) {
      const r = await secretary.get(path)
      expect(r.status).toBe(403)
      expect(r.text).toContain('« settings.site »')
    }
    const consents = await secretary.get('/staff/admin/consents')
    expect(consents.status).toBe(403)
    expect(consents.text).toContain('« consents.write »')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SITE } from '../../src/site-settings'
import { Client, startTestHost, visibleText, type TestHost } from '../support'

// Consents stored and edited in the back office (issue 18, Administration > consentements) gate
// bookings on the portal (issue 17): the demo host, its seeded families and staff, through HTTP.
let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
})
afterAll(async () => host?.close())

const PASSWORD = 'jaures-demo-2027'
const CONSENTS = '/staff/admin/consents'

async function parent(guardianId: string): Promise<Client> {
  const c = new Client(host.app)
  expect((await c.login(`${guardianId}@familles.example`, PASSWORD)).status).toBe(303)
  return c
}
async function staff(login = 'direction@jaures.example'): Promise<Client> {
  const c = new Client(host.app)
  await c.get('/staff/login')
  expect((await c.post('/staff/login', { username: login, password: PASSWORD })).status).toBe(303)
  return c
}
async function booked(childId: string, date: string): Promise<number> {
  return (await host.ctx.storage.bookings!.listBookings(SITE.id, { from: date as '2027-01-01', to: date as '2027-01-01', beneficiaryId: childId, serviceId: 'cantine' })).items.filter((b) => b.status === 'booked').length
}
async function book(c: Client, childId: string, date: string): Promise<void> {
  await c.get(`/bookings?child=${childId}&service=cantine&month=${date.slice(0, 7)}`)
  await c.post('/bookings', { child: childId, service: 'cantine', month: date.slice(0, 7), action: 'book', date })
}
const form = (extra: Record<string, string | string[]> = {}) => ({
  label: 'Sortie à la piscine', fr: "J'autorise mon enfant à participer aux sorties à la piscine.", en: 'I allow my child to join the swimming-pool outings.', it: '', nl: '',
  from: '2026-09-01', to: '', scope: 'groups', groupIds: 'ce1', documentId: '', active: 'on', ...extra,
})

describe('consents created in the back office gate bookings on the portal', () => {
  let consentId = ''

  it('a consent scoped to CE1 refuses a CE1 child\'s booking with CONSENT_MISSING until the parent accepts it, and never gates a CP child', async () => {
    const direction = await staff()
    await direction.get(CONSENTS)
    const created = await direction.post(CONSENTS, form())
    expect(created.status).toBe(303)
    consentId = /\/staff\/admin\/consents\/([^?]+)\?done=saved/.exec(created.headers.get('Location') ?? '')?.[1] ?? ''
    expect(consentId).toMatch(/^consent-/)
    const stored = await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, 'consent', consentId)
    expect(stored).toMatchObject({ label: 'Sortie à la piscine', scope: { kind: 'groups', groupIds: ['ce1'] }, version: 1, active: true })
    const audit = await host.ctx.storage.audit!.listAuditEntries(SITE.id, { subjectId: consentId })
    expect(audit.items.map((e) => e.action)).toEqual(['consent.created'])

    // resp-22 (enfant-30, CE1) accepts the canteen rules first: only the new consent is missing
    const marc = await parent('resp-22')
    await marc.get('/consents')
    await marc.post('/consents', { consent: 'reglement-2026', action: 'accept', read: 'yes' })
    await book(marc, 'enfant-30', '2027-03-11')
    expect(await booked('enfant-30', '2027-03-11')).toBe(0)
    const calendar = await marc.get('/bookings?child=enfant-30&service=cantine&month=2027-03')
    expect(calendar.text).toMatch(/data-date="2027-03-11" data-state="refused"/)
    expect(visibleText(calendar.text)).toContain('Consentement requis : « Sortie à la piscine »')

    // resp-21 (enfant-29, CP) is not concerned
    const cp = await parent('resp-21')
    await book(cp, 'enfant-29', '2027-03-11')
    expect(await booked('enfant-29', '2027-03-11')).toBe(1)
    // nor asked for it on the consents page (the canteen rules it accepted stay listed)
    const cpConsents = (await cp.get('/consents')).text
    expect(cpConsents).not.toContain(`data-consent="${consentId}"`)
    expect(cpConsents).toContain('data-consent="reglement-2026" data-state="accepted"')

    const page = await marc.get('/consents')
    expect(visibleText(page.text)).toContain("J'autorise mon enfant à participer aux sorties à la piscine.")
    expect(page.text).toContain(`data-consent="${consentId}" data-state="missing"`)
    await marc.post('/consents', { consent: consentId, action: 'accept', read: 'yes' })
    await book(marc, 'enfant-30', '2027-03-11')
    expect(await booked('enfant-30', '2027-03-11')).toBe(1)

    // the back office lists who accepted it, and when
    const detail = visibleText((await direction.get(`${CONSENTS}/${consentId}`)).text)
    expect(detail).toContain('Qui a accepté la version 1')
    const g = await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, 'guardian', 'resp-22')
    expect(detail).toContain(`${g!.firstName} ${g!.lastName}`)
    expect((await host.ctx.storage.bookings!.listConsentAcceptances(SITE.id, { consentId })).map((a) => a.guardianId)).toEqual(['resp-22'])
  })

  it('a new text makes a new version the parent accepts again; the earlier acceptance stays in the history', async () => {
    const direction = await staff()
    await direction.get(`${CONSENTS}/${consentId}`)
    const r = await direction.post(`${CONSENTS}/${consentId}`, form({ fr: "J'autorise mon enfant à participer aux sorties à la piscine (bonnet obligatoire)." }))
    expect(r.headers.get('Location')).toBe(`${CONSENTS}/${consentId}?done=newVersion`)
    expect(visibleText((await direction.get(r.headers.get('Location')!)).text)).toContain('enregistré en version 2')
    const marc = await parent('resp-22')
    await book(marc, 'enfant-30', '2027-03-12')
    expect(await booked('enfant-30', '2027-03-12')).toBe(0)
    expect((await marc.get('/consents')).text).toContain(`data-consent="${consentId}~v2" data-state="missing"`)
    const v1 = visibleText((await direction.get(`${CONSENTS}/${consentId}?version=1`)).text)
    expect(v1).toContain('Qui a accepté la version 1')
    expect(v1).not.toContain("Personne ne l'a encore accepté.")
    // a label change keeps the version
    await direction.get(`${CONSENTS}/${consentId}`)
    const label = await direction.post(`${CONSENTS}/${consentId}`, form({ label: 'Sorties piscine', fr: "J'autorise mon enfant à participer aux sorties à la piscine (bonnet obligatoire)." }))
    expect(label.headers.get('Location')).toBe(`${CONSENTS}/${consentId}?done=saved`)
    expect((await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, 'consent', consentId))?.version).toBe(2)
  })

  it('refuses to delete an accepted consent (make it inactive instead), which then gates nothing; deletes one nobody accepted after a confirmation', async () => {
    const direction = await staff()
    const confirm = visibleText((await direction.get(`${CONSENTS}/${consentId}/delete`)).text)
    expect(confirm).toContain('a été accepté par des responsables')
    await direction.get(`${CONSENTS}/${consentId}`)
    const refused = await direction.post(`${CONSENTS}/${consentId}/delete`)
    expect(visibleText(refused.text)).toContain('Rendez-le inactif à la place')
    expect(await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, 'consent', consentId)).toBeDefined()
    await direction.get(`${CONSENTS}/${consentId}`)
    await direction.post(`${CONSENTS}/${consentId}`, form({ label: 'Sorties piscine', fr: "J'autorise mon enfant à participer aux sorties à la piscine (bonnet obligatoire).", active: '' }))
    const marc = await parent('resp-22')
    await book(marc, 'enfant-30', '2027-03-12')
    expect(await booked('enfant-30', '2027-03-12')).toBe(1)

    await direction.get(CONSENTS)
    const draft = await direction.post(CONSENTS, form({ label: 'Brouillon', scope: 'site', groupIds: [] }))
    const draftId = /consents\/([^?]+)\?/.exec(draft.headers.get('Location') ?? '')![1]!
    const ask = await direction.get(`${CONSENTS}/${draftId}/delete`)
    expect(visibleText(ask.text)).toContain('Supprimer le consentement « Brouillon » ?')
    expect((await direction.post(`${CONSENTS}/${draftId}/delete`)).headers.get('Location')).toBe(`${CONSENTS}?done=deleted`)
    expect(await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, 'consent', draftId)).toBeUndefined()
    const actions = (await host.ctx.storage.audit!.listAuditEntries(SITE.id, { subjectId: draftId })).items.map((e) => e.action).sort()
    expect(actions).toEqual(['consent.created', 'consent.deleted'])
  })

  it('shows each refused field beside it in the user\'s language and stores nothing', async () => {
    const direction = await staff()
    await direction.get(CONSENTS)
    const before = (await host.ctx.storage.directory!.listDirectoryRecords(SITE.id, 'consent')).items.length
    const r = await direction.post(CONSENTS, form({ label: '', fr: '', en: '', to: '2026-08-01', groupIds: [] }))
    expect(r.status).toBe(400)
    const text = visibleText(r.text)
    expect(text).toContain('Libellé :')
    expect(text).toContain('Texte à accepter (Français) :')
    expect((await host.ctx.storage.directory!.listDirectoryRecords(SITE.id, 'consent')).items.length).toBe(before)
  })

  it('refuses an acceptance from a page read before the text was edited in place, says the consent changed, records nothing, and accepts the text shown again', async () => {
    const direction = await staff()
    await direction.get(CONSENTS)
    const created = await direction.post(CONSENTS, form({ label: 'Sortie au musée', fr: "J'autorise mon enfant à visiter le musée." }))
    const museumId = /consents\/([^?]+)\?/.exec(created.headers.get('Location') ?? '')![1]!
    const shownOn = (html: string) => new RegExp(`data-consent="${museumId}"[^]*?name="shown" value="(v1-[0-9a-f]{16})"`).exec(html)?.[1]
    const marc = await parent('resp-22')
    const read = await marc.get('/consents')
    expect(visibleText(read.text)).toContain("J'autorise mon enfant à visiter le musée.")
    const shown = shownOn(read.text)
    expect(shown).toBeDefined()
    // nobody accepted it yet: the edit changes version 1's text in place while the parent reads the old one
    await direction.get(`${CONSENTS}/${museumId}`)
    const edited = await direction.post(`${CONSENTS}/${museumId}`, form({ label: 'Sortie au musée', fr: "J'autorise mon enfant à visiter le musée et à y être photographié." }))
    expect(edited.headers.get('Location')).toBe(`${CONSENTS}/${museumId}?done=saved`)
    expect((await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, 'consent', museumId))?.version).toBe(1)
    await marc.post('/consents', { consent: museumId, shown: shown!, action: 'accept', read: 'yes' })
    const again = await marc.get('/consents')
    expect(visibleText(again.text)).toContain('Ce consentement a changé depuis l\'affichage de la page')
    expect(await host.ctx.storage.bookings!.listConsentAcceptances(SITE.id, { consentId: museumId })).toEqual([])
    // the page read again shows the new text with its own version, and that acceptance is recorded
    expect(visibleText(again.text)).toContain("J'autorise mon enfant à visiter le musée et à y être photographié.")
    const shownAgain = shownOn(again.text)
    expect(shownAgain).toBeDefined()
    expect(shownAgain).not.toBe(shown)
    await marc.post('/consents', { consent: museumId, shown: shownAgain!, action: 'accept', read: 'yes' })
    expect((await host.ctx.storage.bookings!.listConsentAcceptances(SITE.id, { consentId: museumId })).map((a) => a.guardianId)).toEqual(['resp-22'])
  })

  it('refuses the consents screen to the secretary, naming consents.write', async () => {
    const secretary = await staff('secretariat@jaures.example')
    const r = await secretary.get(CONSENTS)
    expect(r.status).toBe(403)
    expect(r.text).toContain('« consents.write »')
  })
})

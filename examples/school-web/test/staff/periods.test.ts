import { ServiceSchema } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { SITE } from '../../src/site-settings'
import { peopleSite } from './people-support'
import { Client, host, NOW, pgliteForFile } from './support'

// The site's periods, stored (seed 001: « Comment ajouter une période ? », its warning that a
// closure deletes the bookings inside it, and « créer toutes les périodes scolaires »).
const db = pgliteForFile()
let site = 0
const school = SITE.schoolId

async function fresh() {
  const siteId = `staff-periods-${++site}`
  await peopleSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  const booked = async () => (await ctx.storage.bookings!.listBookings(siteId, { from: '2027-01-01', to: '2027-07-31' })).items.filter((b) => b.status === 'booked').map((b) => b.id)
  return { ctx, siteId, as, booked }
}

const strike = { label: 'Grève', from: '2027-03-11', to: '2027-03-12', colour: '#cc3333', kind: 'closure', cls: [`cantine|${school}|cp`] }

describe('a period added by hand (seed 001: ajouter une période)', () => {
  it('shows the bookings a closure would delete (child by name and class, the count) before confirming, then deletes them and lists the period', async () => {
    const { ctx, siteId, as, booked } = await fresh()
    await ctx.storage.bookings!.putBooking(siteId, { id: 'b-strike', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-03-11', status: 'booked', bookedAt: NOW })
    await ctx.storage.bookings!.putBooking(siteId, { id: 'b-after', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-03-15', status: 'booked', bookedAt: NOW })
    const direction = await as('direction@jaures.example')
    const shown = await direction.post('/staff/admin/periods', strike)
    expect(shown.status).toBe(200)
    expect(shown.text).toContain('Attention : si des réservations existent déjà sur cette période, elles seront supprimées en cas de validation.')
    expect(shown.text).toContain('1 réservation(s) seront supprimées :')
    expect(shown.text).toContain('<li data-booking="b-strike">Léo Martin (CP), Cantine, 11/03/2027</li>')
    expect(await booked()).toEqual(['b-strike', 'b-after']) // nothing deleted before the confirmation
    expect((await ctx.storage.directory!.listDirectoryRecords(siteId, 'period')).items).toEqual([])
    const id = /name="id" value="([^"]+)"/.exec(shown.text)![1]!
    const done = await direction.post('/staff/admin/periods', { ...strike, id, confirmed: 'b-strike', step: 'confirm' })
    expect(done.status).toBe(303)
    expect(await booked()).toEqual(['b-after'])
    const list = (await direction.get(done.location!)).text
    expect(list).toContain('Période enregistrée : 1 réservation(s) supprimée(s)')
    expect(list).toContain(`data-period="${id}"`)
    expect(list).toContain(`Cantine (École Jean-Jaurès: CP)`)
    const [stored] = (await ctx.storage.directory!.listDirectoryRecords(siteId, 'period')).items
    expect(stored).toMatchObject({ id, kind: 'closure', label: 'Grève', colour: '#cc3333', from: '2027-03-11', to: '2027-03-12', scopes: [{ serviceId: 'cantine', schoolId: school, classIds: ['cp'] }] })
    expect((await ctx.storage.audit!.listAuditEntries(siteId, { subjectKind: 'period' })).items.map((a) => a.action)).toEqual(['period.created'])
  })

  it('refuses a confirmation made stale by a booking added meanwhile, deleting nothing, and shows the new list', async () => {
    const { ctx, siteId, as, booked } = await fresh()
    await ctx.storage.bookings!.putBooking(siteId, { id: 'b-1', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-03-11', status: 'booked', bookedAt: NOW })
    const direction = await as('direction@jaures.example')
    const shown = await direction.post('/staff/admin/periods', strike)
    const id = /name="id" value="([^"]+)"/.exec(shown.text)![1]!
    await ctx.storage.bookings!.putBooking(siteId, { id: 'b-2', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-03-12', status: 'booked', bookedAt: NOW })
    const stale = await direction.post('/staff/admin/periods', { ...strike, id, confirmed: 'b-1', step: 'confirm' })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('Les réservations ont changé depuis l&#39;affichage')
    expect(stale.text).toContain('2 réservation(s) seront supprimées :')
    expect(await booked()).toEqual(['b-1', 'b-2'])
    expect((await ctx.storage.directory!.listDirectoryRecords(siteId, 'period')).items).toEqual([])
  })

  it('saves a period that deletes nothing at once, edits it, and deletes it after a confirmation', async () => {
    const { ctx, siteId, as } = await fresh()
    const direction = await as('direction@jaures.example')
    const saved = await direction.post('/staff/admin/periods', { ...strike, label: 'Travaux', kind: 'opening' })
    expect(saved.status).toBe(303)
    const [p] = (await ctx.storage.directory!.listDirectoryRecords(siteId, 'period')).items
    expect(p?.kind).toBe('opening')
    const form = (await direction.get(`/staff/admin/periods?edit=${p!.id}`)).text
    expect(form).toContain('Modifier la période « Travaux »')
    expect(form).toContain(`value="cantine|${school}|cp" checked`)
    expect((await direction.post(`/staff/admin/periods/${p!.id}`, { ...strike, label: 'Travaux du préau', kind: 'opening', svc: 'garderie' })).status).toBe(303)
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'period', p!.id))).toMatchObject({ label: 'Travaux du préau', scopes: [{ serviceId: 'cantine', schoolId: school, classIds: ['cp'] }, { serviceId: 'garderie' }] })
    const ask = await direction.get(`/staff/admin/periods/${p!.id}/delete`)
    expect(ask.text).toContain('La période du 11/03/2027 au 12/03/2027 sera supprimée.')
    expect((await direction.post(`/staff/admin/periods/${p!.id}/delete`, {})).status).toBe(303)
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'period', p!.id)).toBeUndefined()
  })

  it('shows the bookings deleting an opening of a service that runs only during openings would cancel, then cancels them once confirmed', async () => {
    const { ctx, siteId, as, booked } = await fresh()
    await ctx.storage.directory!.putDirectoryRecord(siteId, 'service', ServiceSchema.parse({ id: 'centre', siteId, name: 'Centre de loisirs', billing: 'invoiced', billingOfficeId: 'regie', offeredTo: [{ schoolId: school }], weekdays: [1, 2, 3, 4, 5], openingsOnly: true }))
    const direction = await as('direction@jaures.example')
    expect((await direction.post('/staff/admin/periods', { ...strike, label: 'Centre de printemps', kind: 'opening', cls: [], svc: 'centre' })).status).toBe(303)
    const [p] = (await ctx.storage.directory!.listDirectoryRecords(siteId, 'period')).items
    await ctx.storage.bookings!.putBooking(siteId, { id: 'b-centre', beneficiaryId: 'k1', serviceId: 'centre', date: '2027-03-11', status: 'booked', bookedAt: NOW })
    const shown = await direction.post(`/staff/admin/periods/${p!.id}/delete`, {})
    expect(shown.status).toBe(200)
    expect(shown.text).toContain('1 réservation(s) seront supprimées :')
    expect(shown.text).toContain('data-booking="b-centre"')
    expect(await booked()).toEqual(['b-centre'])
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'period', p!.id)).toBeDefined()
    const done = await direction.post(`/staff/admin/periods/${p!.id}/delete`, { confirmed: 'b-centre', step: 'confirm' })
    expect(done.status).toBe(303)
    expect(await booked()).toEqual([])
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'period', p!.id)).toBeUndefined()
    expect((await direction.get(done.location!)).text).toContain('1 réservation(s) supprimée(s)')
  })

  it('never shows the text of a ?done= link as a success notice: only the message of a known key, once after the save it reports', async () => {
    const { as } = await fresh()
    const direction = await as('direction@jaures.example')
    const spoof = 'Session expirée : rappelez le support au 0899 123 456 avec votre mot de passe'
    const spoofed = await direction.get(`/staff/admin/periods?done=${encodeURIComponent(spoof)}`)
    expect(spoofed.status).toBe(200)
    expect(spoofed.text).not.toContain('0899 123 456')
    expect(spoofed.text).not.toContain('class="notice ok"')
    // a known key shows its own message, whatever else the link carries
    const keyed = await direction.get(`/staff/admin/periods?done=saved&text=${encodeURIComponent(spoof)}`)
    expect(keyed.text).toContain('Période enregistrée.')
    expect(keyed.text).not.toContain('0899')
    // after a save, the redirect names the key only; the sentence with the counts is shown once
    const saved = await direction.post('/staff/admin/periods', { ...strike, label: 'Pont' })
    expect([saved.status, saved.location]).toEqual([303, '/staff/admin/periods?done=saved'])
    expect((await direction.get(saved.location!)).text).toContain('Période enregistrée.')
    const deleted = (await direction.get('/staff/admin/periods?done=deleted')).text
    expect(deleted).toContain('Période supprimée.')
  })

  it('shows a bad period\'s errors beside their fields, saving nothing', async () => {
    const { ctx, siteId, as } = await fresh()
    const bad = await (await as('direction@jaures.example')).post('/staff/admin/periods', { ...strike, label: '', to: '2027-03-01' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Rien n&#39;a été enregistré')
    expect(bad.text).toMatch(/id="f-to-error"[^>]*>Date de fin :/)
    expect((await ctx.storage.directory!.listDirectoryRecords(siteId, 'period')).items).toEqual([])
  })

  it('answers in English, and refuses the secretary (settings.services)', async () => {
    const { as } = await fresh()
    const direction = await as('direction@jaures.example')
    await direction.post('/lang', { lang: 'en' })
    const en = await direction.get('/staff/admin/periods')
    expect(en.text).toContain('Add a period')
    expect(en.text).toContain('Warning: bookings already made in this period will be deleted when you confirm.')
    const secretary = await (await as('secretariat@jaures.example')).get('/staff/admin/periods')
    expect(secretary.status).toBe(403)
    expect(secretary.text).toContain('« settings.services »')
  })
})

describe('the national school calendar saved (seed 001: créer toutes les périodes scolaires)', () => {
  it('lists the zone C closures of 2026-2027 with the bookings the winter holidays delete, then saves them linked to the canteen, once', async () => {
    const { ctx, siteId, as, booked } = await fresh()
    await ctx.storage.bookings!.putBooking(siteId, { id: 'b-winter', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-02-09', status: 'booked', bookedAt: NOW })
    await ctx.storage.bookings!.putBooking(siteId, { id: 'b-school', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-03-02', status: 'booked', bookedAt: NOW })
    const direction = await as('direction@jaures.example')
    const shown = await direction.post('/staff/admin/periods/generate', { zone: 'FR-C', year: '2026-2027', gsvc: 'cantine', step: 'preview' })
    expect(shown.text).toContain('Vacances d&#39;hiver 2026-2027')
    expect(shown.text).toContain('<li data-booking="b-winter">Léo Martin (CP), Cantine, 09/02/2027</li>')
    expect(shown.text).not.toContain('b-school')
    const done = await direction.post('/staff/admin/periods/generate', { zone: 'FR-C', year: '2026-2027', gsvc: 'cantine', step: 'confirm', confirmed: 'b-winter' })
    expect(done.status).toBe(303)
    expect(await booked()).toEqual(['b-school'])
    const stored = (await ctx.storage.directory!.listDirectoryRecords(siteId, 'period')).items
    expect(stored.length).toBeGreaterThan(3)
    expect(stored.every((p) => p.generatedFrom?.zone === 'FR-C' && p.scopes.length === 1 && p.scopes[0]!.serviceId === 'cantine')).toBe(true)
    const again = await direction.post('/staff/admin/periods/generate', { zone: 'FR-C', year: '2026-2027', step: 'confirm', confirmed: '' })
    expect((await direction.get(again.location!)).text).toContain(`0 période(s) créée(s), ${stored.length} déjà enregistrée(s)`)
  })

  it('says when no holidays are known for a zone and year', async () => {
    const { as } = await fresh()
    const none = await (await as('direction@jaures.example')).post('/staff/admin/periods/generate', { zone: 'FR-C', year: '1990-1991', step: 'preview' })
    expect(none.status).toBe(400)
    expect(none.text).toContain('Pas de vacances connues pour France zone C en 1990-1991')
  })
})

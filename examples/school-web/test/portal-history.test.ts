import { issueOneTimeToken } from '@ecole/workflows'
import { SITE } from '../src/site-settings'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startTestHost, visibleText, type TestHost } from './support'

// A family's own history (issue 18, audit trail: "a family sees its own"): the portal's changes
// are recorded in the audit trail with the change, a family lists its own entries, never another's.
let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
})
afterAll(async () => host?.close())

const PASSWORD = 'jaures-demo-2027'
async function loggedIn(guardianId: string): Promise<Client> {
  const c = new Client(host.app)
  expect((await c.login(`${guardianId}@familles.example`, PASSWORD)).status).toBe(303)
  return c
}

describe("a family's own history of its portal changes", () => {
  it('records bookings, cancellations and consents with the change, shows them to the family newest first, and never to another family', async () => {
    const a = await loggedIn('resp-21')
    const b = await loggedIn('resp-22')
    await a.get('/bookings?child=enfant-29&service=gouter&month=2027-03')
    // a minute between changes, so that newest first is an order to check
    const tick = () => host.clock.advance(60_000)
    await a.post('/bookings', { child: 'enfant-29', service: 'gouter', month: '2027-03', action: 'book', date: ['2027-03-04', '2027-03-05'] })
    tick()
    await a.post('/bookings', { child: 'enfant-29', service: 'gouter', month: '2027-03', action: 'cancel', date: '2027-03-05' })
    tick()
    // a refused day (cut-off passed) changes nothing and records nothing
    await a.post('/bookings', { child: 'enfant-29', service: 'cantine', month: '2027-02', action: 'book', date: '2027-02-09' })
    await b.get('/consents')
    await b.post('/consents', { consent: 'reglement-2026', action: 'accept', read: 'yes' })
    tick()
    await b.post('/consents', { consent: 'reglement-2026', action: 'withdraw' })

    const entries = (await host.ctx.storage.audit!.listAuditEntries(SITE.id, { actorKind: 'guardian' })).items
    expect(entries.map((e) => [e.actor.id, e.action, e.subject.id, e.after ?? null])).toEqual([
      ['resp-22', 'consent.withdrawn', 'reglement-2026', null],
      ['resp-22', 'consent.accepted', 'reglement-2026', null],
      ['resp-21', 'booking.cancelled', 'enfant-29', { serviceId: 'gouter', dates: ['2027-03-05'] }],
      ['resp-21', 'booking.booked', 'enfant-29', { serviceId: 'gouter', dates: ['2027-03-04', '2027-03-05'] }],
    ])
    const household = (await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, 'guardian', 'resp-21'))!.householdId
    expect(entries.filter((e) => e.actor.id === 'resp-21').every((e) => e.householdId === household)).toBe(true)

    const mine = await a.get('/history')
    expect(mine.status).toBe(200)
    const rows = [...mine.text.matchAll(/<tr data-entry="[^"]+"><td>[^<]*<\/td><td>([^<]*)<\/td>/g)].map((m) => m[1])
    // names and the portal's date format, not the stored ids and ISO dates
    const child = (await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, 'child', 'enfant-29'))!
    const service = (await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, 'service', 'gouter'))!.name
    const name = `${child.firstName} ${child.lastName}`
    expect(rows).toEqual([`Annulation · ${name} · ${service} · 05/03/2027`, `Réservation · ${name} · ${service} · 04/03/2027, 05/03/2027`])
    const theirs = await b.get('/history')
    expect(visibleText(theirs.text)).toContain('Consentement retiré')
    expect(theirs.text).not.toContain('enfant-29')
    // another family's cursor shows nothing of the first family either
    const cursor = (await host.ctx.storage.audit!.listAuditEntries(SITE.id, { actorKind: 'guardian' }, { limit: 1 })).next!
    expect((await b.get(`/history?after=${encodeURIComponent(cursor)}`)).text).not.toContain('enfant-29')
  })

  it('records a password set with a one-time token (never the password), in the family\'s history', async () => {
    const { token } = await host.ctx.storage.transaction(SITE.id, (tx) => issueOneTimeToken({ access: tx.access!, ids: host.ctx.ids, siteId: SITE.id, subject: { kind: 'guardian', id: 'resp-06' }, purpose: 'passwordReset', now: host.clock.now() }))
    const c = new Client(host.app)
    await c.get('/token')
    expect((await c.post('/token', { username: 'resp-06@familles.example', token, password: 'Goûter du vendredi', confirmation: 'Goûter du vendredi' })).status).toBe(303)
    const [entry] = (await host.ctx.storage.audit!.listAuditEntries(SITE.id, { actorId: 'resp-06' })).items
    expect([entry?.action, entry?.subject, JSON.stringify(entry)]).toEqual(['password.changed', { kind: 'guardian', id: 'resp-06' }, expect.not.stringContaining('vendredi')])
    expect(visibleText((await c.get('/history')).text)).toContain('Mot de passe changé')
  })

  it('pages the history, 20 entries a page', async () => {
    const c = await loggedIn('resp-21')
    await c.get('/bookings?child=enfant-29&service=gouter&month=2027-03')
    host.clock.advance(60_000)
    for (let i = 0; i < 11; i++) {
      await c.post('/bookings', { child: 'enfant-29', service: 'gouter', month: '2027-03', action: 'book', date: '2027-03-18' })
      await c.post('/bookings', { child: 'enfant-29', service: 'gouter', month: '2027-03', action: 'cancel', date: '2027-03-18' })
    }
    const first = await c.get('/history')
    expect([...first.text.matchAll(/<tr data-entry=/g)]).toHaveLength(20)
    const next = first.text.match(/rel="next" href="([^"]+)"/)![1]!.replace(/&amp;/g, '&')
    const second = await c.get(next)
    expect([...second.text.matchAll(/<tr data-entry=/g)].length).toBeGreaterThan(0)
  })
})

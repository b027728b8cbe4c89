import { ServiceSubscriptionSchema, walletAccountId } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { SITE } from '../../src/site-settings'
import { peopleSite } from './people-support'
import { prepaidSnack } from './prepaid-support'
import { Client, host, NOW, pgliteForFile } from './support'

// Staff books days for a child (seed 001: « Ajouter des réservations pour un enfant », prepaid:
// the wallet debited) through HTTP, with changeBookings as the portal: a month grid, several days
// booked then one cancelled, the wallet following, a refusal in the library's words. One PGlite for the file.
const db = pgliteForFile()
let site = 0

async function fresh() {
  const siteId = `staff-child-bookings-${++site}`
  await peopleSite(db.storage, siteId)
  await prepaidSnack(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const secretary = new Client(app, ctx)
  await secretary.login('secretariat@jaures.example')
  const available = async () => (await db.storage.ledger!.getBalances(siteId, [walletAccountId('g1', SITE.billingOfficeId)], NOW))[0]!.available
  const booked = async () => (await db.storage.bookings!.listBookings(siteId, { from: '2027-03-01', to: '2027-03-31', beneficiaryId: 'k1', serviceId: 'gouter' })).items.filter((b) => b.status === 'booked').map((b) => b.date)
  return { siteId, ctx, app, secretary, available, booked }
}

describe('staff books days for a child (seed 001: ajouter des réservations pour un enfant)', () => {
  it("finds the child's services on a site with more than 1,000 service rights (the grid read only the site's first 1,000 before)", async () => {
    const { secretary, siteId } = await fresh()
    // 1,001 rights of other children, whose ids sort before k1's (d-k1-...)
    await db.storage.transaction(siteId, async (tx) => {
      for (let i = 0; i <= 1000; i++) {
        await tx.directory!.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: `a-${String(i).padStart(4, '0')}`, siteId, beneficiaryId: `other-${i}`, serviceId: 'cantine', from: '2026-09-01' }))
      }
    })
    const page = await secretary.get('/staff/children/k1/bookings?service=gouter&month=2027-03')
    expect(page.status).toBe(200)
    expect(page.text).not.toContain('Aucune prestation ouverte pour cet enfant.')
    expect(page.text).toContain('name="date" value="2027-03-01"')
  })

  it('shows a booked day as booked after more than a page of the child\'s cancelled bookings of the month (the grid read the first 100)', async () => {
    const { secretary, siteId } = await fresh()
    const at = new Date('2027-02-01T08:00:00Z')
    await db.storage.transaction(siteId, async (tx) => {
      for (let i = 0; i <= 100; i++) await tx.bookings!.putBooking(siteId, { id: `old-${String(i).padStart(3, '0')}`, beneficiaryId: 'k1', serviceId: 'gouter', date: '2027-03-01', status: 'cancelled', bookedAt: at, cancelledAt: at })
      await tx.bookings!.putBooking(siteId, { id: 'b-0302', beneficiaryId: 'k1', serviceId: 'gouter', date: '2027-03-02', status: 'booked', bookedAt: at })
    })
    const page = await secretary.get('/staff/children/k1/bookings?service=gouter&month=2027-03')
    expect(page.text).toMatch(/data-date="2027-03-02" data-state="booked"/)
  })

  it('books two prepaid days from the month grid (the wallet debited 1.60), then cancels one in time (0.80 back), and audits each change', async () => {
    const { secretary, available, booked, ctx, siteId } = await fresh()
    expect((await secretary.get('/staff/children/k1')).text).toContain('href="/staff/children/k1/bookings"')
    const page = await secretary.get('/staff/children/k1/bookings?service=gouter&month=2027-03')
    expect(page.status).toBe(200)
    expect(page.text).toContain('name="date" value="2027-03-01"')
    expect(await available()).toBe(500n)
    const r = await secretary.post('/staff/children/k1/bookings', { service: 'gouter', for: 'g1', month: '2027-03', date: ['2027-03-01', '2027-03-02'], action: 'book' })
    expect(r.status).toBe(200)
    expect(r.text).toContain('2 jour(s) traité(s), 0 refusé(s).')
    expect(r.text).toMatch(/data-date="2027-03-01" data-state="booked"/)
    expect([await booked(), await available()]).toEqual([['2027-03-01', '2027-03-02'], 340n])
    const c = await secretary.post('/staff/children/k1/bookings', { service: 'gouter', for: 'g1', month: '2027-03', date: '2027-03-02', action: 'cancel' })
    expect(c.text).toContain('1 jour(s) traité(s), 0 refusé(s).')
    expect([await booked(), await available()]).toEqual([['2027-03-01'], 420n])
    // one entry per change, written with it: the secretary as actor, on g1's behalf, the days that went through
    const audit = (await ctx.storage.audit!.listAuditEntries(siteId, { subjectId: 'k1' }, { limit: 10 })).items.map((e) => [e.action, e.actor.kind, e.after]).sort()
    expect(audit).toEqual([
      ['booking.booked', 'user', { serviceId: 'gouter', dates: ['2027-03-01', '2027-03-02'], onBehalfOf: 'g1' }],
      ['booking.cancelled', 'user', { serviceId: 'gouter', dates: ['2027-03-02'], onBehalfOf: 'g1' }],
    ])
  })

  it('refuses the days the wallet cannot pay with the shortfall, as the portal does, and books the others', async () => {
    const { secretary, available, booked } = await fresh()
    const days = ['2027-03-01', '2027-03-02', '2027-03-04', '2027-03-05', '2027-03-08', '2027-03-09', '2027-03-11']
    const r = await secretary.post('/staff/children/k1/bookings', { service: 'gouter', for: 'g1', month: '2027-03', date: days, action: 'book' })
    expect(r.text).toContain('6 jour(s) traité(s), 1 refusé(s).')
    expect(r.text).toMatch(/Solde insuffisant : il manque 0,60\s€/)
    expect((await booked()).length).toBe(6)
    expect(await available()).toBe(20n)
  })

  it('refuses the cashier (bookings.write) and a guardian who is not the child\'s', async () => {
    const { secretary, app, ctx, booked } = await fresh()
    const other = await secretary.post('/staff/children/k1/bookings', { service: 'gouter', for: 'nobody', month: '2027-03', date: '2027-03-01', action: 'book' })
    expect(other.status).toBe(404)
    const cashier = new Client(app, ctx)
    await cashier.login('regisseur@jaures.example')
    const denied = await cashier.post('/staff/children/k1/bookings', { service: 'gouter', for: 'g1', month: '2027-03', date: '2027-03-01', action: 'book' })
    expect(denied.status).toBe(403)
    expect(denied.text).toContain('bookings.write')
    expect(await booked()).toEqual([])
  })
})

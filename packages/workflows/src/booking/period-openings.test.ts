import {
  BillingRuleSchema, ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, ServiceSchema, ServiceSubscriptionSchema, isEcoleError, postPendingTransfer,
  standardLedgerAccounts, walletAccountId, type LocalDate,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { recordPayment } from '../billing/index'
import { changeBookings, deletePeriod, savePeriod, type BookingSiteSettings, type SavePeriodRequest } from './index'

// A holiday centre runs only during openings (`openingsOnly`) and is paid from a wallet, 12.00 EUR
// a day. An opening that loses days (shrunk, moved, narrowed, deleted) closes them: the bookings
// on them go exactly as those a closure covers (previewed, confirmed, cancelled, refunded).

// Monday 8 February 2027, 08:30 in Paris
const now = new Date('2027-02-08T07:30:00Z')
const clock = { now: () => now }
const actor = { kind: 'user' as const, id: 'u-admin' }
const DAY_MINOR = 1200n // 12.00 EUR
const TOP_UP_MINOR = 10000n // 100.00 EUR
const cutoff = { kind: 'daysBefore', days: 1, count: 'weekdays', at: '10:00' } as const
const settings: BookingSiteSettings = {
  timeZone: 'Europe/Paris', billingOfficeId: 'regie', storedPeriods: true,
  services: [
    { id: 'centre', weekdays: [1, 2, 3, 4, 5], openingsOnly: true, payment: 'prepaid', price: { amount: '12.00', currency: 'EUR' }, bookingCutoff: cutoff },
    { id: 'canteen', weekdays: [1, 2, 4, 5], bookingCutoff: cutoff },
  ],
  offers: [{ serviceId: 'centre', schoolId: 'jaures' }, { serviceId: 'canteen', schoolId: 'jaures' }],
}
// the spring holiday centre, Monday 12 to Friday 16 April 2027, for every school and class
const spring: SavePeriodRequest['period'] = { id: 'spring', kind: 'opening', label: 'Centre de printemps', from: '2027-04-12', to: '2027-04-16', scopes: [{ serviceId: 'centre' }] }
const week: LocalDate[] = ['2027-04-12', '2027-04-13', '2027-04-14', '2027-04-15', '2027-04-16']

let sites = 0
/** Léa (CP-A) and Tom (CE1), both paid by g0 from a wallet topped up with 100.00; the spring opening stored. */
async function seeded(storage: StoragePorts, { serviceRecords = false } = {}) {
  const siteId = `openings-${process.pid}-${Date.now()}-${++sites}`
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h0', siteId, name: 'Famille Martin' }))
    await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g0', siteId, householdId: 'h0', firstName: 'Anne', lastName: 'Martin' }))
    for (const [id, first, classId] of [['lea', 'Léa', 'cp-a'], ['tom', 'Tom', 'ce1']] as const) {
      await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id, siteId, firstName: first, lastName: 'Martin', birthDate: '2020-03-01', guardians: [{ guardianId: 'g0', relationship: 'mother' }] }))
      await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: `e-${id}`, siteId, beneficiaryId: id, schoolId: 'jaures', classId, from: '2026-09-01' }))
      for (const s of ['centre', 'canteen']) await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: `s-${id}-${s}`, siteId, beneficiaryId: id, serviceId: s, from: '2026-09-01' }))
    }
    await d.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'r0', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'g0', weight: 1 }], covers: ['lea', 'tom'].flatMap((b) => [{ beneficiaryId: b, serviceId: 'centre' }, { beneficiaryId: b, serviceId: 'canteen' }]) }))
    if (serviceRecords) {
      // the services as the back office stores them: the centre runs only during openings, the canteen on its weekdays
      await d.putDirectoryRecord(siteId, 'service', ServiceSchema.parse({ id: 'centre', siteId, name: 'Centre de loisirs', billing: 'prepaid', billingOfficeId: 'regie', offeredTo: [{ schoolId: 'jaures' }], weekdays: [1, 2, 3, 4, 5], price: { amount: '12.00', currency: 'EUR' }, openingsOnly: true }))
      await d.putDirectoryRecord(siteId, 'service', ServiceSchema.parse({ id: 'canteen', siteId, name: 'Cantine', billing: 'invoiced', billingOfficeId: 'regie', offeredTo: [{ schoolId: 'jaures' }], weekdays: [1, 2, 4, 5] }))
    }
    await tx.ledger!.createAccounts(siteId, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'regie', serviceIds: ['centre', 'canteen'] }], guardians: [{ guardianId: 'g0', billingOfficeIds: ['regie'] }] }))
  })
  const deps = { storage, clock }
  await recordPayment(deps, { id: 'top-up', siteId, billingOfficeId: 'regie', payerId: 'g0', method: 'cash', date: '2027-02-08', amount: '100.00' })
  expect((await savePeriod(deps, { siteId, actor, period: spring })).status).toBe('created')
  const wallet = async () => (await storage.ledger!.getBalances(siteId, [walletAccountId('g0', 'regie')], now))[0]!.available
  const booked = async (serviceId = 'centre') => (await storage.bookings!.listBookings(siteId, { from: '2027-04-01', to: '2027-04-30', serviceId }, { limit: 1000 })).items
    .filter((b) => b.status === 'booked').map((b) => `${b.beneficiaryId} ${b.date}`)
  /** Books days from the portal, answering each day's outcome (`ok` or its refusal codes). */
  const book = async (beneficiaryId: string, dates: LocalDate[], serviceId = 'centre') =>
    (await changeBookings(deps, settings, { siteId, guardianId: 'g0', beneficiaryId, serviceId, dates, action: 'book' })).map((o) => (o.ok ? 'ok' : o.reasons.map((r) => r.code).join()))
  const period = async (id = 'spring') => storage.directory!.getDirectoryRecord(siteId, 'period', id)
  const audit = async (action: string) => (await storage.audit!.listAuditEntries(siteId, { action })).items
  return { siteId, deps, wallet, booked, book, period, audit }
}

async function failure(p: Promise<unknown>) {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('did not fail')
}

const days = (impact: { cancelled: Array<{ beneficiaryId: string; date: LocalDate }> }) => impact.cancelled.map((b) => `${b.beneficiaryId} ${b.date}`)

function onStorage(name: string, create: () => Promise<StoragePorts>) {
  describe(`an opening that loses days closes them, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    it('shrinking an opening previews the bookings of the days it no longer opens, writing nothing', async () => {
      const { siteId, deps, wallet, booked, book, period } = await seeded(storage)
      expect(await book('lea', week)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok'])
      expect(await wallet()).toBe(TOP_UP_MINOR - 5n * DAY_MINOR)
      const shown = await savePeriod(deps, { siteId, actor, period: { ...spring, to: '2027-04-13' }, preview: true })
      expect(shown.status).toBe('preview')
      expect(days(shown.impact)).toEqual(['lea 2027-04-14', 'lea 2027-04-15', 'lea 2027-04-16'])
      expect(shown.impact.cancelled.every((b) => b.prepaid && !b.billed && b.schoolId === 'jaures' && b.classId === 'cp-a')).toBe(true)
      expect(shown.impact.billedInside).toEqual([])
      expect(await booked()).toEqual(week.map((d) => `lea ${d}`))
      expect(await wallet()).toBe(TOP_UP_MINOR - 5n * DAY_MINOR)
      expect((await period())?.to).toBe('2027-04-16')
    })

    it('shrinking an opening, once confirmed, cancels the bookings of the days it left, refunds each to the cent, keeps the days still inside, and audits the ids', async () => {
      const { siteId, deps, wallet, booked, book, period, audit } = await seeded(storage)
      await book('lea', week)
      const shrunk = { ...spring, to: '2027-04-13' as const }
      const shown = await savePeriod(deps, { siteId, actor, period: shrunk, preview: true })
      const r = await savePeriod(deps, { siteId, actor, period: shrunk, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
      expect(r.status).toBe('updated')
      expect(days(r.impact)).toEqual(['lea 2027-04-14', 'lea 2027-04-15', 'lea 2027-04-16'])
      expect(r.refundedMinor).toBe(3n * DAY_MINOR)
      expect(await wallet()).toBe(TOP_UP_MINOR - 2n * DAY_MINOR)
      expect(await booked()).toEqual(['lea 2027-04-12', 'lea 2027-04-13'])
      expect((await period())?.to).toBe('2027-04-13')
      const [edited] = await audit('period.edited')
      expect([edited?.before, edited?.after]).toEqual([{ to: '2027-04-16' }, { to: '2027-04-13', cancelledBookingIds: shown.impact.cancelled.map((b) => b.bookingId) }])
      // the day left is closed to the portal now, and no longer held by the old booking
      expect(await book('lea', ['2027-04-15'])).toEqual(['CLOSED'])
    })

    it('refuses to shrink an opening over bookings nobody confirmed (PERIOD_IMPACT_CHANGED), writing nothing', async () => {
      const { siteId, deps, wallet, booked, book, period, audit } = await seeded(storage)
      await book('lea', week)
      const e = await failure(savePeriod(deps, { siteId, actor, period: { ...spring, to: '2027-04-13' } }))
      expect(isEcoleError(e, 'PERIOD_IMPACT_CHANGED')).toBe(true)
      expect((e as { details: { added: string[] } }).details.added.length).toBe(3)
      expect(await booked()).toEqual(week.map((d) => `lea ${d}`))
      expect(await wallet()).toBe(TOP_UP_MINOR - 5n * DAY_MINOR)
      expect((await period())?.to).toBe('2027-04-16')
      expect(await audit('period.edited')).toEqual([])
    })

    it('deleting an opening previews every booking of its days, refuses without their confirmation, then cancels and refunds them all', async () => {
      const { siteId, deps, wallet, booked, book, period, audit } = await seeded(storage)
      await book('lea', week)
      await book('tom', ['2027-04-14'])
      const shown = await deletePeriod(deps, { siteId, periodId: 'spring', actor, preview: true })
      expect(shown.deleted).toBe(false)
      expect(days(shown.impact)).toEqual([...week.slice(0, 2).map((d) => `lea ${d}`), 'lea 2027-04-14', 'tom 2027-04-14', ...week.slice(3).map((d) => `lea ${d}`)])
      expect(await period()).toBeDefined()
      expect(isEcoleError(await failure(deletePeriod(deps, { siteId, periodId: 'spring', actor })), 'PERIOD_IMPACT_CHANGED')).toBe(true)
      expect(await period()).toBeDefined()
      expect(await wallet()).toBe(TOP_UP_MINOR - 6n * DAY_MINOR)
      const r = await deletePeriod(deps, { siteId, periodId: 'spring', actor, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
      expect([r.deleted, r.impact.cancelled.length, r.refundedMinor]).toEqual([true, 6, 6n * DAY_MINOR])
      expect(await wallet()).toBe(TOP_UP_MINOR)
      expect(await booked()).toEqual([])
      expect(await period()).toBeUndefined()
      const [deleted] = await audit('period.deleted')
      expect((deleted?.after as { cancelledBookingIds?: string[] } | undefined)?.cancelledBookingIds?.sort()).toEqual(shown.impact.cancelled.map((b) => b.bookingId).sort())
    })

    it('moving an opening a week later cancels and refunds the bookings of the week it left, and opens the new week to the portal', async () => {
      const { siteId, deps, wallet, booked, book } = await seeded(storage)
      await book('lea', ['2027-04-15', '2027-04-16'])
      const moved = { ...spring, from: '2027-04-19' as const, to: '2027-04-23' as const }
      const shown = await savePeriod(deps, { siteId, actor, period: moved, preview: true })
      expect(days(shown.impact)).toEqual(['lea 2027-04-15', 'lea 2027-04-16'])
      const r = await savePeriod(deps, { siteId, actor, period: moved, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
      expect(r.refundedMinor).toBe(2n * DAY_MINOR)
      expect(await wallet()).toBe(TOP_UP_MINOR)
      expect(await booked()).toEqual([])
      expect(await book('lea', ['2027-04-16', '2027-04-20'])).toEqual(['CLOSED', 'ok'])
    })

    it('keeps the bookings of a day another stored opening still opens', async () => {
      const { siteId, deps, wallet, booked, book } = await seeded(storage)
      await savePeriod(deps, { siteId, actor, period: { ...spring, id: 'end-of-week', label: 'Fin de semaine', from: '2027-04-15', to: '2027-04-16' } })
      await book('lea', week)
      const shown = await deletePeriod(deps, { siteId, periodId: 'spring', actor, preview: true })
      expect(days(shown.impact)).toEqual(['lea 2027-04-12', 'lea 2027-04-13', 'lea 2027-04-14'])
      await deletePeriod(deps, { siteId, periodId: 'spring', actor, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
      expect(await booked()).toEqual(['lea 2027-04-15', 'lea 2027-04-16'])
      expect(await wallet()).toBe(TOP_UP_MINOR - 2n * DAY_MINOR)
    })

    it('narrowing an opening to one class cancels the other classes\' bookings only', async () => {
      const { siteId, deps, booked, book } = await seeded(storage)
      await book('lea', ['2027-04-12'])
      await book('tom', ['2027-04-12'])
      const narrowed = { ...spring, scopes: [{ serviceId: 'centre', schoolId: 'jaures', classIds: ['cp-a'] }] }
      const shown = await savePeriod(deps, { siteId, actor, period: narrowed, preview: true })
      expect(days(shown.impact)).toEqual(['tom 2027-04-12'])
      await savePeriod(deps, { siteId, actor, period: narrowed, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
      expect(await booked()).toEqual(['lea 2027-04-12'])
    })

    it('keeps a billed day of a shrunk opening (its reservation posted when served), listing it in billedInside with no refund', async () => {
      const { siteId, deps, wallet, booked, book } = await seeded(storage)
      await book('lea', ['2027-04-15', '2027-04-16'])
      const served = (await storage.bookings!.listBookings(siteId, { from: '2027-04-15', to: '2027-04-15', serviceId: 'centre' }, { limit: 10 })).items[0]!
      const pending = await storage.ledger!.getTransfer(siteId, served.reservationTransferId!)
      expect((await storage.ledger!.createTransfers(siteId, [postPendingTransfer(pending!.transfer, { id: `served:${served.id}`, timestamp: now })], now))[0]!.status).toBe('created')
      const shrunk = { ...spring, to: '2027-04-14' as const }
      const shown = await savePeriod(deps, { siteId, actor, period: shrunk, preview: true })
      expect([days(shown.impact), shown.impact.billedInside.map((b) => `${b.beneficiaryId} ${b.date}`)]).toEqual([['lea 2027-04-16'], ['lea 2027-04-15']])
      const r = await savePeriod(deps, { siteId, actor, period: shrunk, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
      expect(r.refundedMinor).toBe(DAY_MINOR)
      expect(await booked()).toEqual(['lea 2027-04-15'])
      expect(await wallet()).toBe(TOP_UP_MINOR - DAY_MINOR)
    })

    it('turning an opening into a closure cancels the bookings of all its days', async () => {
      const { siteId, deps, wallet, booked, book } = await seeded(storage)
      await book('lea', ['2027-04-12', '2027-04-16'])
      const closure = { ...spring, kind: 'closure' as const }
      const shown = await savePeriod(deps, { siteId, actor, period: closure, preview: true })
      expect(days(shown.impact)).toEqual(['lea 2027-04-12', 'lea 2027-04-16'])
      await savePeriod(deps, { siteId, actor, period: closure, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
      expect([await booked(), await wallet()]).toEqual([[], TOP_UP_MINOR])
    })

    it('reads the stored service records: an opening deleted closes the days of the centre (openingsOnly) but not of the canteen linked to it by mistake', async () => {
      const { siteId, deps, booked, book } = await seeded(storage, { serviceRecords: true })
      await savePeriod(deps, { siteId, actor, period: { ...spring, scopes: [{ serviceId: 'canteen' }, { serviceId: 'centre' }] } })
      expect(await book('lea', ['2027-04-12', '2027-04-13'], 'canteen')).toEqual(['ok', 'ok'])
      await book('lea', ['2027-04-12'])
      const shown = await deletePeriod(deps, { siteId, periodId: 'spring', actor, preview: true })
      expect(shown.impact.cancelled.map((b) => `${b.serviceId} ${b.date}`)).toEqual(['centre 2027-04-12'])
      await deletePeriod(deps, { siteId, periodId: 'spring', actor, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
      expect([await booked(), await booked('canteen')]).toEqual([[], ['lea 2027-04-12', 'lea 2027-04-13']])
    })

    it('deletes nothing when an opening is widened or relabelled, nor when a closure is deleted', async () => {
      const { siteId, deps, booked, book } = await seeded(storage)
      await book('lea', week)
      const wider = await savePeriod(deps, { siteId, actor, period: { ...spring, label: 'Centre de printemps (2 semaines)', to: '2027-04-23' } })
      expect([wider.status, wider.impact]).toEqual(['updated', { cancelled: [], billedInside: [] }])
      await savePeriod(deps, { siteId, actor, period: { id: 'works', kind: 'closure', label: 'Travaux', from: '2027-04-26', to: '2027-04-30', scopes: [{ serviceId: 'centre' }] } })
      const gone = await deletePeriod(deps, { siteId, periodId: 'works', actor })
      expect([gone.deleted, gone.impact]).toEqual([true, { cancelled: [], billedInside: [] }])
      expect(await booked()).toEqual(week.map((d) => `lea ${d}`))
    })
  })
}

onStorage('storage-memory', async () => createMemoryStorage())
onStorage('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) onStorage('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url, poolSize: 4 }))
else console.log('[ecole] ECOLE_PG_URL is not set: the opening rules on a PostgreSQL server are skipped')

import {
  BillingRuleSchema, ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, ServiceSubscriptionSchema, standardLedgerAccounts, walletAccountId, type LocalDate,
} from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { recordPayment } from '../billing/index'
import { applyWeekTemplate, changeBookings, savePeriod, type BookingSiteSettings } from './index'

// Monday 8 February 2027, 08:30 in Paris: Thursday 11 February can still be booked and cancelled
const now = new Date('2027-02-08T07:30:00Z')
const clock = { now: () => now }
const siteId = 'site-1'
const DAY: LocalDate = '2027-02-11'
const cutoff = { kind: 'daysBefore', days: 1, count: 'weekdays', at: '10:00' } as const
const settings: BookingSiteSettings = {
  timeZone: 'Europe/Paris', billingOfficeId: 'regie', storedPeriods: true,
  services: [{ id: 'snack', weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, bookingCutoff: cutoff }],
  offers: [{ serviceId: 'snack', schoolId: 'jaures' }],
}

/** Léa's snack is paid half by each parent (g0 and g1, weights 1:1), each wallet topped up with `topUp` (5.00). */
async function seeded(topUp = '5.00') {
  const storage = createMemoryStorage()
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h0', siteId, name: 'Famille Martin' }))
    for (const g of ['g0', 'g1']) await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: g, siteId, householdId: 'h0', firstName: 'Parent', lastName: g }))
    await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'lea', siteId, firstName: 'Léa', lastName: 'Martin', birthDate: '2020-03-01', guardians: [{ guardianId: 'g0', relationship: 'mother' }, { guardianId: 'g1', relationship: 'father' }] }))
    await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: 'e-lea', siteId, beneficiaryId: 'lea', schoolId: 'jaures', classId: 'cp-a', from: '2026-09-01' }))
    await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: 's-lea-snack', siteId, beneficiaryId: 'lea', serviceId: 'snack', from: '2026-09-01' }))
    await d.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'r0', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'g0', weight: 1 }, { guardianId: 'g1', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'snack' }] }))
    await tx.ledger!.createAccounts(siteId, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'regie', serviceIds: ['snack'] }], guardians: ['g0', 'g1'].map((guardianId) => ({ guardianId, billingOfficeIds: ['regie'] })) }))
  })
  for (const g of ['g0', 'g1']) await recordPayment({ storage, clock }, { id: `top-up-${g}`, siteId, billingOfficeId: 'regie', payerId: g, method: 'cash', date: '2027-02-08', amount: topUp })
  const wallets = async () => (await storage.ledger!.getBalances(siteId, ['g0', 'g1'].map((g) => walletAccountId(g, 'regie')), now)).map((b) => b.available)
  const book = async () => {
    // booked from the back office's week template (changeBookings cannot book it: see the last test)
    const r = await applyWeekTemplate({ storage, clock }, settings, { siteId, template: { beneficiaryId: 'lea', serviceId: 'snack', weekdays: [4], from: DAY, to: DAY, recurrence: { kind: 'everyWeek' }, mode: 'add' } })
    expect(r.counts.booked).toBe(1)
    // 0.40 reserved in each parent's wallet: the day is a chain of two reservations
    expect(await wallets()).toEqual([460n, 460n])
  }
  return { storage, wallets, book }
}

describe('a prepaid day paid by two parents (a chain of two reservations)', () => {
  it('gives each parent back their share when the day is cancelled (changeBookings)', async () => {
    const { storage, wallets, book } = await seeded()
    await book()
    expect(await changeBookings({ storage, clock }, settings, { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId: 'snack', dates: [DAY], action: 'cancel' })).toEqual([{ date: DAY, ok: true }])
    expect(await wallets()).toEqual([500n, 500n])
  })

  it('gives each parent back their share when a week template in replace mode drops the day (applyWeekTemplate)', async () => {
    const { storage, wallets, book } = await seeded()
    await book()
    // Mondays only from 8 to 12 February: Thursday 11 is dropped
    await applyWeekTemplate({ storage, clock }, settings, { siteId, template: { beneficiaryId: 'lea', serviceId: 'snack', weekdays: [1], from: '2027-02-10', to: '2027-02-12', recurrence: { kind: 'everyWeek' }, mode: 'replace' } })
    expect((await storage.bookings!.listBookings(siteId, { from: DAY, to: DAY }, { limit: 10 })).items.map((b) => b.status)).toEqual(['cancelled'])
    expect(await wallets()).toEqual([500n, 500n])
  })

  it('gives each parent back their share when a closure deletes the day (savePeriod)', async () => {
    const { storage, wallets, book } = await seeded()
    await book()
    const strike = { id: 'strike', kind: 'closure' as const, label: 'Grève', from: DAY, to: DAY, scopes: [{ serviceId: 'snack', schoolId: 'jaures' }] }
    const actor = { kind: 'user' as const, id: 'u-admin' }
    const shown = await savePeriod({ storage, clock }, { siteId, actor, period: strike, preview: true })
    const r = await savePeriod({ storage, clock }, { siteId, actor, period: strike, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
    expect(r.refundedMinor).toBe(80n)
    expect(await wallets()).toEqual([500n, 500n])
  })

  it('lets a parent book from the portal a day both parents pay, each wallet holding its share (changeBookings)', async () => {
    const { storage, wallets } = await seeded()
    expect(await changeBookings({ storage, clock }, settings, { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId: 'snack', dates: [DAY], action: 'book' })).toEqual([{ date: DAY, ok: true }])
    expect(await wallets()).toEqual([460n, 460n])
  })
})

describe('a day two parents pay that neither wallet can pay any more', () => {
  // 1.00 in each wallet, 0.40 each a day: Thursday 11 and Friday 12 fit, Monday 15 leaves each parent 0.20 for 0.40
  const days: LocalDate[] = ['2027-02-11', '2027-02-12', '2027-02-15']
  const bothShort = [
    { code: 'INSUFFICIENT_BALANCE', guardianId: 'g0', price: { amount: '0.40', currency: 'EUR' }, available: { amount: '0.20', currency: 'EUR' }, shortfall: { amount: '0.20', currency: 'EUR' } },
    { code: 'INSUFFICIENT_BALANCE', guardianId: 'g1', price: { amount: '0.40', currency: 'EUR' }, available: { amount: '0.20', currency: 'EUR' }, shortfall: { amount: '0.20', currency: 'EUR' } },
  ]

  it('names both parents when the portal books it after other days of the same request (changeBookings)', async () => {
    const { storage, wallets } = await seeded('1.00')
    const out = await changeBookings({ storage, clock }, settings, { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId: 'snack', dates: days, action: 'book' })
    expect(out.map((o) => o.ok)).toEqual([true, true, false])
    expect(out[2]!.ok ? [] : out[2]!.reasons).toEqual(bothShort)
    expect(await wallets()).toEqual([20n, 20n])
  })

  it('names both parents when a week template books it after other days (applyWeekTemplate)', async () => {
    const { storage, wallets } = await seeded('1.00')
    const r = await applyWeekTemplate({ storage, clock }, settings, { siteId, template: { beneficiaryId: 'lea', serviceId: 'snack', weekdays: [1, 4, 5], from: days[0]!, to: days[2]!, recurrence: { kind: 'everyWeek' }, mode: 'add' } })
    expect(r.days.map((d) => [d.date, d.status])).toEqual([[days[0], 'booked'], [days[1], 'booked'], [days[2], 'refused']])
    expect(r.days[2]!.reasons).toEqual(bothShort)
    expect(await wallets()).toEqual([20n, 20n])
  })

  it('names only the parent who is short when the other still could pay', async () => {
    const { storage } = await seeded('1.00')
    await recordPayment({ storage, clock }, { id: 'more-g1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-02-08', amount: '1.00' })
    const out = await changeBookings({ storage, clock }, settings, { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId: 'snack', dates: days, action: 'book' })
    expect(out[2]!.ok ? [] : out[2]!.reasons.map((x) => 'guardianId' in x && x.guardianId)).toEqual(['g0'])
  })
})

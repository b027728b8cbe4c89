import {
  BillingRuleSchema, ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, ServiceSubscriptionSchema, isEcoleError, standardLedgerAccounts, walletAccountId,
  type LocalDate, type TransferResult,
} from '@ecole/core'
import type { LedgerStore, StoragePorts, StorageTransaction } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { recordPayment } from '../billing/index'
import { applyWeekTemplate, changeBookings, type BookingSiteSettings } from './index'

// The portal's and the back office's booking requests, checked as the site configures them.
const now = new Date('2027-02-08T07:30:00Z') // Monday 8 February 2027, 08:30 in Paris
const clock = { now: () => now }
const siteId = 'site-1'
const DAY: LocalDate = '2027-02-11' // a Thursday

const snackAt = (price: string): BookingSiteSettings => ({
  timeZone: 'Europe/Paris', billingOfficeId: 'regie',
  services: [
    { id: 'snack', weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: price, currency: 'EUR' }, bookingCutoff: { kind: 'none' } },
    { id: 'lunch', weekdays: [1, 2, 4, 5], payment: 'invoiced', bookingCutoff: { kind: 'daysBefore', days: 1, count: 'calendar', at: '10:00' } },
  ],
  offers: [{ serviceId: 'snack', schoolId: 'jaures' }, { serviceId: 'lunch', schoolId: 'jaures' }],
})

/** Léa, paid by g0 and g1 with the given weights, each wallet topped up with 5.00. */
async function seeded(payers: Array<{ guardianId: string; weight: number }> = [{ guardianId: 'g0', weight: 1 }]) {
  const storage = createMemoryStorage()
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h0', siteId, name: 'Famille Martin' }))
    for (const g of ['g0', 'g1']) await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: g, siteId, householdId: 'h0', firstName: 'Parent', lastName: g }))
    await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'lea', siteId, firstName: 'Léa', lastName: 'Martin', birthDate: '2020-03-01', guardians: [{ guardianId: 'g0', relationship: 'mother' }] }))
    await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: 'e-lea', siteId, beneficiaryId: 'lea', schoolId: 'jaures', classId: 'cp', from: '2026-09-01' }))
    for (const serviceId of ['snack', 'lunch']) await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: `s-${serviceId}`, siteId, beneficiaryId: 'lea', serviceId, from: '2026-09-01' }))
    await d.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'r0', from: '2026-09-01', criterion: { kind: 'always' }, payers, covers: [{ beneficiaryId: 'lea', serviceId: 'snack' }, { beneficiaryId: 'lea', serviceId: 'lunch' }] }))
    await tx.ledger!.createAccounts(siteId, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'regie', serviceIds: ['snack', 'lunch'] }], guardians: ['g0', 'g1'].map((guardianId) => ({ guardianId, billingOfficeIds: ['regie'] })) }))
  })
  for (const g of ['g0', 'g1']) await recordPayment({ storage, clock }, { id: `top-up-${g}`, siteId, billingOfficeId: 'regie', payerId: g, method: 'cash', date: '2027-02-08', amount: '5.00' })
  const wallets = async () => (await storage.ledger!.getBalances(siteId, ['g0', 'g1'].map((g) => walletAccountId(g, 'regie')), now)).map((b) => b.available)
  const booked = async (serviceId = 'snack') => (await storage.bookings!.listBookings(siteId, { from: DAY, to: DAY, serviceId }, { limit: 10 })).items.filter((b) => b.status === 'booked')
  return { storage, wallets, booked }
}

/** The storage, its ledger answering every new transfer with `code` (a refusal that is not the wallet's balance). */
function ledgerRefusing(storage: StoragePorts, code: 'CURRENCY_MISMATCH'): StoragePorts {
  const refuse = async (_site: string, transfers: ReadonlyArray<{ id: string }>): Promise<TransferResult[]> => transfers.map((t) => ({ id: t.id, status: 'failed', code }))
  const ledgerOf = (ledger: LedgerStore) => new Proxy(ledger, { get: (target, key) => (key === 'createTransfers' ? refuse : Reflect.get(target, key, target)) })
  const txOf = (tx: StorageTransaction) => new Proxy(tx, { get: (target, key) => (key === 'ledger' ? ledgerOf(target.ledger!) : Reflect.get(target, key, target)) })
  return new Proxy(storage, {
    get: (target, key) => (key === 'transaction'
      ? <T>(site: string, fn: (tx: StorageTransaction) => Promise<T>) => target.transaction(site, (tx) => fn(txOf(tx)))
      : Reflect.get(target, key, target)),
  })
}

const book = (storage: StoragePorts, settings: BookingSiteSettings, serviceId = 'snack') =>
  changeBookings({ storage, clock }, settings, { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId, dates: [DAY], action: 'book' })
const thrown = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e)

describe('changeBookings: what the ledger refuses', () => {
  it('reports only a wallet that cannot pay as INSUFFICIENT_BALANCE; another ledger refusal is BOOKING_RESERVATION_FAILED and writes nothing', async () => {
    const { storage, wallets, booked } = await seeded()
    const e = await thrown(book(ledgerRefusing(storage, 'CURRENCY_MISMATCH'), snackAt('0.80')))
    expect(isEcoleError(e) && e.code).toBe('BOOKING_RESERVATION_FAILED')
    expect((e as { details: unknown }).details).toEqual({ date: DAY, code: 'CURRENCY_MISMATCH' })
    expect(await booked()).toHaveLength(0)
    expect(await wallets()).toEqual([500n, 500n])
  })

  it('reserves nothing from a payer weighted 0: the other payer reserves the whole price and the day is booked', async () => {
    const { storage, wallets, booked } = await seeded([{ guardianId: 'g0', weight: 1 }, { guardianId: 'g1', weight: 0 }])
    expect(await book(storage, snackAt('0.80'))).toEqual([{ date: DAY, ok: true }])
    expect(await wallets()).toEqual([420n, 500n])
    expect(await booked()).toHaveLength(1)
  })

  it('books a free prepaid day holding no reservation', async () => {
    const { storage, wallets, booked } = await seeded()
    expect(await book(storage, snackAt('0.00'))).toEqual([{ date: DAY, ok: true }])
    expect((await booked())[0]!.reservationTransferId).toBeUndefined()
    expect(await wallets()).toEqual([500n, 500n])
  })
})

describe('changeBookings and applyWeekTemplate refuse a bad configuration with INVALID_INPUT naming the field', () => {
  const fields = (e: unknown) => (isEcoleError(e) ? [e.code, ...((e.details as { issues?: Array<{ path: string }> }).issues ?? []).map((i) => i.path)] : [String(e)])

  it('names the price of a prepaid service that is negative or has more decimals than the currency', async () => {
    const { storage, wallets } = await seeded()
    expect(fields(await thrown(book(storage, snackAt('0.805'))))).toEqual(['INVALID_INPUT', 'booking context.services.0.price'])
    expect(fields(await thrown(book(storage, snackAt('-0.80'))))).toEqual(['INVALID_INPUT', 'booking context.services.0.price'])
    expect(await wallets()).toEqual([500n, 500n])
  })

  it('names a negative payer weight, and a rule whose weights add up to zero (no full price from a payer weighted 0)', async () => {
    const negative = await seeded([{ guardianId: 'g0', weight: 1 }, { guardianId: 'g1', weight: -1 }])
    expect(fields(await thrown(book(negative.storage, snackAt('0.80'))))).toEqual(['INVALID_INPUT', 'booking context.billingRules.0.payers.1.weight'])
    const zero = await seeded([{ guardianId: 'g0', weight: 0 }])
    expect(fields(await thrown(book(zero.storage, snackAt('0.80'))))).toEqual(['INVALID_INPUT', 'booking context.billingRules.0.payers'])
    expect(await zero.wallets()).toEqual([500n, 500n])
  })

  it('names an ISO week the year does not have in a week list, before anything is read', async () => {
    const { storage } = await seeded()
    for (const week of ['2025-W53', '2026-W00', '2026-W60']) {
      const e = await thrown(applyWeekTemplate({ storage, clock }, snackAt('0.80'), { siteId, template: { beneficiaryId: 'lea', serviceId: 'lunch', weekdays: [1], from: '2026-09-01', to: '2027-06-30', recurrence: { kind: 'weekList', weeks: [week] }, mode: 'add' } }))
      expect(fields(e), week).toEqual(['INVALID_INPUT', 'template.recurrence.weeks.0'])
    }
  })
})

describe('changeBookings: cancelling a day that is not booked', () => {
  it('answers NOT_BOOKED for a day never booked, and records no cancellation in the audit trail', async () => {
    const { storage } = await seeded()
    const out = await changeBookings({ storage, clock }, snackAt('0.80'), { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId: 'lunch', dates: [DAY], action: 'cancel' }, { audit: { entryId: 'a1', householdId: 'h0' } })
    expect(out).toEqual([{ date: DAY, ok: false, reasons: [{ code: 'NOT_BOOKED', date: DAY }] }])
    expect((await storage.audit!.listAuditEntries(siteId, {}, { limit: 10 })).items).toEqual([])
  })

  it('cancels the booked days of a request and audits only them', async () => {
    const { storage, booked } = await seeded()
    expect(await book(storage, snackAt('0.80'), 'lunch')).toEqual([{ date: DAY, ok: true }])
    const out = await changeBookings({ storage, clock }, snackAt('0.80'), { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId: 'lunch', dates: [DAY, '2027-02-12'], action: 'cancel' }, { audit: { entryId: 'a2', householdId: 'h0' } })
    expect(out).toEqual([{ date: DAY, ok: true }, { date: '2027-02-12', ok: false, reasons: [{ code: 'NOT_BOOKED', date: '2027-02-12' }] }])
    expect(await booked('lunch')).toHaveLength(0)
    const entries = (await storage.audit!.listAuditEntries(siteId, {}, { limit: 10 })).items
    expect(entries.map((x) => [x.action, x.after])).toEqual([['booking.cancelled', { serviceId: 'lunch', dates: [DAY] }]])
  })
})

import {
  BillingRuleSchema, ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, ServiceSubscriptionSchema, buildChargeLines, invoiceChargeLinesFromBilling,
  postPendingTransfer, prepareChargeConfig, standardLedgerAccounts, walletAccountId, type LocalDate,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { createInvoiceBatch, recordPayment } from '../billing/index'
import { applyWeekTemplate, changeBookings, type BookingSiteSettings } from './index'

// A billed day cannot be cancelled: a prepaid snack whose reservation was posted when it was
// served, or an invoiced lunch whose charge is on an invoice or a draft. The family would keep
// the charge of a day the booking says was cancelled; the office corrects it with a credit note.

let now = new Date('2027-02-08T07:30:00Z') // Monday 8 February 2027, 08:30 in Paris
const clock = { now: () => now }
const SNACK_DAY: LocalDate = '2027-02-11' // a Thursday
const settings: BookingSiteSettings = {
  timeZone: 'Europe/Paris', billingOfficeId: 'regie',
  services: [
    // families may cancel a snack until 23:00 the same day
    { id: 'snack', weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, bookingCutoff: { kind: 'daysBefore', days: 0, count: 'calendar', at: '23:00' } },
    { id: 'lunch', weekdays: [1, 2, 4, 5], payment: 'invoiced', bookingCutoff: { kind: 'daysBefore', days: 2, count: 'weekdays', at: '10:00' } },
  ],
  offers: [{ serviceId: 'snack', schoolId: 'jaures' }, { serviceId: 'lunch', schoolId: 'jaures' }],
}

let sites = 0
/** Léa, paid by g0 (wallet topped up with 5.00), subscribed to the snack and the lunch. */
async function seeded(storage: StoragePorts) {
  now = new Date('2027-02-08T07:30:00Z')
  const siteId = `billed-${process.pid}-${Date.now()}-${++sites}`
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h0', siteId, name: 'Famille Martin' }))
    await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g0', siteId, householdId: 'h0', firstName: 'Parent', lastName: 'g0' }))
    await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'lea', siteId, firstName: 'Léa', lastName: 'Martin', birthDate: '2020-03-01', guardians: [{ guardianId: 'g0', relationship: 'mother' }] }))
    await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: 'e-lea', siteId, beneficiaryId: 'lea', schoolId: 'jaures', classId: 'cp', from: '2026-09-01' }))
    for (const serviceId of ['snack', 'lunch']) await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: `s-${serviceId}`, siteId, beneficiaryId: 'lea', serviceId, from: '2026-09-01' }))
    await d.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'r0', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'g0', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'snack' }, { beneficiaryId: 'lea', serviceId: 'lunch' }] }))
    await tx.ledger!.createAccounts(siteId, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'regie', serviceIds: ['snack', 'lunch'] }], guardians: [{ guardianId: 'g0', billingOfficeIds: ['regie'] }] }))
  })
  await recordPayment({ storage, clock }, { id: 'top-up', siteId, billingOfficeId: 'regie', payerId: 'g0', method: 'cash', date: '2027-02-08', amount: '5.00' })
  const available = async () => (await storage.ledger!.getBalances(siteId, [walletAccountId('g0', 'regie')], now))[0]!.available
  const statuses = async (serviceId: string, date: LocalDate) => (await storage.bookings!.listBookings(siteId, { from: date, to: date, serviceId }, { limit: 10 })).items.map((b) => b.status)
  /** Books the snack on SNACK_DAY from the portal, then serves it at noon: the back office posts its reservation. */
  const bookAndServeSnack = async () => {
    const [booked] = await changeBookings({ storage, clock }, settings, { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId: 'snack', dates: [SNACK_DAY], action: 'book' })
    expect(booked!.ok).toBe(true)
    now = new Date('2027-02-11T11:00:00Z')
    const b = (await storage.bookings!.listBookings(siteId, { from: SNACK_DAY, to: SNACK_DAY, serviceId: 'snack' }, { limit: 10 })).items[0]!
    const pending = await storage.ledger!.getTransfer(siteId, b.reservationTransferId!)
    expect((await storage.ledger!.createTransfers(siteId, [postPendingTransfer(pending!.transfer, { id: `served:${b.id}`, timestamp: now })], now))[0]!.status).toBe('created')
    now = new Date('2027-02-11T15:00:00Z') // 16:00 in Paris: before the same-day 23:00 cut-off
  }
  return { siteId, available, statuses, bookAndServeSnack }
}

function onStorage(name: string, create: () => Promise<StoragePorts>) {
  describe(`billed bookings on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())
    const deps = { storage, clock }

    it('refuses to cancel a prepaid day whose reservation was posted (served) with ALREADY_BILLED, and keeps the booking', async () => {
      const { siteId, available, statuses, bookAndServeSnack } = await seeded(storage)
      await bookAndServeSnack()
      expect(await available()).toBe(420n)
      const [o] = await changeBookings(deps, settings, { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId: 'snack', dates: [SNACK_DAY], action: 'cancel' })
      expect(o).toEqual({ date: SNACK_DAY, ok: false, reasons: [{ code: 'ALREADY_BILLED', date: SNACK_DAY }] })
      expect(await statuses('snack', SNACK_DAY)).toEqual(['booked'])
      expect(await available()).toBe(420n)
    })

    it('refuses to cancel an invoiced day whose charge is on a draft invoice with ALREADY_BILLED, and still cancels a day not billed', async () => {
      const { siteId, statuses } = await seeded(storage)
      const days: LocalDate[] = ['2027-02-15', '2027-02-18']
      const booked = await changeBookings(deps, settings, { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId: 'lunch', dates: [...days, '2027-02-19'], action: 'book' })
      expect(booked.every((o) => o.ok)).toBe(true)
      // the back office bills the 15th and the 18th (booked days) on February's draft
      const { groups } = buildChargeLines(prepareChargeConfig({
        rules: [{ id: 'r0', payers: [{ guardianId: 'g0', weight: 1 }], from: '2026-09-01', criterion: { kind: 'always' }, covers: [{ beneficiaryId: 'lea', serviceId: 'lunch' }] }],
        services: [{ id: 'lunch', billing: 'invoiced', billingOfficeId: 'regie' }],
        billingOffices: [{ id: 'regie', currency: 'EUR', roundingMode: 'halfUp' }],
        pricing: [{ serviceId: 'lunch', mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: '4.15', currency: 'EUR' } } }] }],
        beneficiaries: [{ id: 'lea', birthDate: '2020-03-01' }],
      }), days.map((date) => ({ beneficiaryId: 'lea', serviceId: 'lunch', date, booked: true })))
      await createInvoiceBatch(deps, {
        batch: { id: 'b-2027-02', siteId, billingOfficeId: 'regie', period: { from: '2027-02-01', to: '2027-02-28' }, serviceIds: ['lunch'], dueDate: '2027-02-28', portalDisplayDate: '2027-02-02' },
        charges: invoiceChargeLinesFromBilling(groups),
      })
      const out = await changeBookings(deps, settings, { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId: 'lunch', dates: ['2027-02-18', '2027-02-19'], action: 'cancel' })
      expect(out).toEqual([{ date: '2027-02-18', ok: false, reasons: [{ code: 'ALREADY_BILLED', date: '2027-02-18' }] }, { date: '2027-02-19', ok: true }])
      expect(await statuses('lunch', '2027-02-18')).toEqual(['booked'])
      expect(await statuses('lunch', '2027-02-19')).toEqual(['cancelled'])
    })

    it('never removes a billed booking in replace mode: a served day is listed in billedKept and stays booked', async () => {
      const { siteId, available, statuses, bookAndServeSnack } = await seeded(storage)
      await bookAndServeSnack()
      const plan = await applyWeekTemplate(deps, settings, { siteId, template: { beneficiaryId: 'lea', serviceId: 'snack', weekdays: [5], from: SNACK_DAY, to: '2027-02-12', recurrence: { kind: 'everyWeek' }, mode: 'replace' } })
      expect(plan.billedKept).toEqual([SNACK_DAY])
      expect(plan.cancellations).toEqual([])
      expect(await statuses('snack', SNACK_DAY)).toEqual(['booked'])
      // the Friday is booked (0.80 more reserved); the served Thursday's 0.80 is not given back
      expect(await available()).toBe(340n)
    })
  })
}

onStorage('storage-memory', async () => createMemoryStorage())
onStorage('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) onStorage('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url, poolSize: 4 }))
else console.log('[ecole] ECOLE_PG_URL is not set: the billed-booking rules on a PostgreSQL server are skipped')

import {
  BillingRuleSchema, ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, ServiceSubscriptionSchema, standardLedgerAccounts, walletAccountId,
} from '@ecole/core'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordPayment } from '../billing/index'
import { applyWeekTemplate, type BookingSiteSettings } from './index'

// Two staff users applying week templates that draw on one wallet at the same moment, on a real
// PostgreSQL server (PGlite runs one transaction at a time, so only a server shows a race).
const url = process.env['ECOLE_PG_URL']
const now = new Date('2027-02-08T07:30:00Z')
const clock = { now: () => now }
const cutoff = { kind: 'daysBefore', days: 1, count: 'weekdays', at: '10:00' } as const
const settings: BookingSiteSettings = {
  timeZone: 'Europe/Paris', billingOfficeId: 'regie',
  services: ['snack', 'juice'].map((id) => ({ id, weekdays: [1, 2, 4, 5], payment: 'prepaid' as const, price: { amount: '0.80', currency: 'EUR' }, bookingCutoff: cutoff })),
  offers: [{ serviceId: 'snack', schoolId: 'school' }, { serviceId: 'juice', schoolId: 'school' }],
}

describe.skipIf(!url)('two week templates drawing on one wallet at once, on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('never reserves more than the wallet holds: the days past the balance are refused with the shortfall, whichever template runs first', async () => {
    for (let round = 0; round < 3; round++) {
      const siteId = `week-template-race-${process.pid}-${Date.now()}-${round}`
      await storage.transaction(siteId, async (tx) => {
        const d = tx.directory!
        await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h0', siteId, name: 'Famille 0' }))
        await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g0', siteId, householdId: 'h0', firstName: 'Parent', lastName: 'g0' }))
        await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'c0', siteId, firstName: 'Enfant', lastName: 'c0', birthDate: '2020-03-01', guardians: [{ guardianId: 'g0', relationship: 'mother' }] }))
        await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: 'e-c0', siteId, beneficiaryId: 'c0', schoolId: 'school', classId: 'cp', from: '2026-09-01' }))
        for (const s of ['snack', 'juice']) await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: `s-${s}`, siteId, beneficiaryId: 'c0', serviceId: s, from: '2026-09-01' }))
        await tx.directory!.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'r0', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'g0', weight: 1 }], covers: [{ beneficiaryId: 'c0', serviceId: 'snack' }, { beneficiaryId: 'c0', serviceId: 'juice' }] }))
        await tx.ledger!.createAccounts(siteId, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'regie', serviceIds: ['snack', 'juice'] }], guardians: [{ guardianId: 'g0', billingOfficeIds: ['regie'] }] }))
      })
      await recordPayment({ storage, clock }, { id: 'top-up', siteId, billingOfficeId: 'regie', payerId: 'g0', method: 'cash', date: '2027-02-08', amount: '5.00' })
      // each template alone would take 6 x 0.80 = 4.80 of the 5.00
      const template = (serviceId: string) => ({ beneficiaryId: 'c0', serviceId, weekdays: [1, 2, 4, 5], from: '2027-02-10', to: '2027-02-19', recurrence: { kind: 'everyWeek' as const }, mode: 'add' as const })
      const [a, b] = await Promise.all([
        applyWeekTemplate({ storage, clock }, settings, { siteId, template: template('snack') }),
        applyWeekTemplate({ storage, clock }, settings, { siteId, template: template('juice') }),
      ])
      expect(a.counts.booked + b.counts.booked).toBe(6)
      expect(a.counts.refused + b.counts.refused).toBe(6)
      for (const day of [...a.days, ...b.days].filter((d) => d.status === 'refused')) expect(day.reasons![0]!.code).toBe('INSUFFICIENT_BALANCE')
      const [wallet] = await storage.ledger!.getBalances(siteId, [walletAccountId('g0', 'regie')], now)
      expect(wallet!.available).toBe(20n)
      const stored = (await storage.bookings!.listBookings(siteId, { from: '2027-02-01', to: '2027-02-28', beneficiaryId: 'c0' }, { limit: 100 })).items.filter((x) => x.status === 'booked')
      expect(stored.length).toBe(6)
      expect(stored.every((x) => x.reservationTransferId !== undefined)).toBe(true)
    }
  }, 120_000)
})

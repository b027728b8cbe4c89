/**
 * What the prepaid account tests share (staffprepaid): a wallet with a month before and prepaid
 * days, over the money site of `money-support.ts`.
 */
import { BillingRuleSchema, ServiceSchema, ServiceSubscriptionSchema, standardLedgerAccounts, systemAccountId, walletAccountId } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { recordPayment } from '@ecole/workflows'
import { expect } from 'vitest'
import { DEMO_BOOKING_SERVICES } from '../../src/seed'
import { SITE } from '../../src/site-settings'
import { NOW } from './support'

/** Paul Roux's wallet: 30.00 paid by cheque in December (product « Chèque 123 »), a prepaid day of 3.20 taken and one of 3.20 still reserved in January. */
export async function decemberAndPrepaidDays(storage: StoragePorts, siteId: string) {
  await recordPayment({ storage, clock: { now: () => new Date('2026-12-10T10:00:00Z') } }, {
    id: 'dec-cheque', siteId, billingOfficeId: 'regie', payerId: 'g2', method: 'cheque', product: 'Chèque 123', date: '2026-12-10', amount: '30.00', currency: 'EUR',
  }, { walletOnly: true })
  await storage.ledger!.createAccounts(siteId, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'regie', serviceIds: ['cantine'] }], guardians: [{ guardianId: 'g2', billingOfficeIds: ['regie'] }] }))
  const wallet = walletAccountId('g2', 'regie')
  const revenue = systemAccountId('revenue', 'regie', 'cantine')
  const at = new Date('2027-01-11T10:00:00Z')
  const results = await storage.ledger!.createTransfers(siteId, [
    { id: 'day-11', debitAccountId: wallet, creditAccountId: revenue, amount: 320n, code: 'booking', memo: 'Cantine du 11/01', timestamp: at },
    { id: 'day-25', debitAccountId: wallet, creditAccountId: revenue, amount: 320n, code: 'booking', flags: { pending: true }, links: { bookingId: 'b-25' }, timestamp: at },
  ], at)
  expect(results.map((r) => r.status)).toEqual(['created', 'created'])
}


/** Over the people site: a prepaid snack (« Goûter », 0.80 a day) Léo (k1) is subscribed to, paid by Claire (g1) whose wallet holds 5.00 (a desk credit). */
export async function prepaidSnack(storage: StoragePorts, siteId: string): Promise<void> {
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    const { startsAt, bookingCutoff, cancellationCutoff } = DEMO_BOOKING_SERVICES.find((s) => s.id === 'cantine')!
    await d.putDirectoryRecord(siteId, 'service', ServiceSchema.parse({
      id: 'gouter', siteId, name: 'Goûter', billing: 'prepaid', billingOfficeId: SITE.billingOfficeId, offeredTo: [{ schoolId: SITE.schoolId }], weekdays: [1, 2, 4, 5],
      startTime: startsAt, bookingCutoff, cancellationCutoff, price: { amount: '0.80', currency: 'EUR' },
    }))
    await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: 'd-k1-gouter', siteId, beneficiaryId: 'k1', serviceId: 'gouter', from: '2026-09-01' }))
    await tx.directory!.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'r-k1-gouter', payers: [{ guardianId: 'g1', weight: 1 }], covers: [{ beneficiaryId: 'k1', serviceId: 'gouter' }], from: '2026-09-01', criterion: { kind: 'always' } }))
  })
  await recordPayment({ storage: storage, clock: { now: () => NOW } }, { id: 'desk-1', siteId, billingOfficeId: SITE.billingOfficeId, payerId: 'g1', method: 'cash', date: '2027-01-20', amount: '5.00', currency: 'EUR' }, { walletOnly: true })
}

/**
 * What the prepaid account tests share (staffprepaid): a wallet with a month before and prepaid
 * days, over the money site of `money-support.ts`.
 */
import { standardLedgerAccounts, systemAccountId, walletAccountId } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { recordPayment } from '@ecole/workflows'
import { expect } from 'vitest'

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


import { defineSepaMandate, walletAccountId, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { parseCamt053, testCamt053 } from '@ecole/bank'
import { collectDirectDebits, createInvoiceBatch, importBankStatement, issueInvoiceCreditNote, recordDirectDebitReturn, recordPayment, validateDrafts, type BillingDeps } from './index'
import { onDay } from '../test-support/deps-on-day'

// before the collections (2027-01-10 and later): a collection date before the site's today is refused
const clock = { now: () => new Date('2027-01-05T09:00:00Z') }
const batch = (siteId: string): InvoiceBatchInput => ({
  id: 'b-2026-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
  dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
})
/** Four meals of 25.00 in December for g1: one invoice of 100.00. */
const charges: InvoiceChargeLine[] = [1, 2, 3, 4].map((d) => {
  const date = `2026-12-0${d}` as LocalDate
  return { chargeId: `g1|k1|meal|${date}`, debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n }
})

let sites = 0
/** A site with g1's validated invoice of 100.00 to collect by direct debit, and g1's mandate. */
async function seeded(storage: StoragePorts) {
  const siteId = `dd-race-${process.pid}-${Date.now()}-${++sites}`
  const d: BillingDeps = { storage, clock }
  await createInvoiceBatch(d, { batch: batch(siteId), charges })
  await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04' })
  await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: 'm-g1', siteId, debtorId: 'g1', rum: 'RUM-g1', signatureDate: '2026-09-01', debtorName: 'Parent g1', iban: 'FR7630006000011234567890189' }))
  /** What the payments recorded allocate to the invoice, and what they credit to wallets. */
  const allocated = async () => {
    const payments = (await storage.payments!.listPayments(siteId, { payerId: 'g1' })).items.filter((p) => p.status === 'recorded')
    return {
      toInvoice: payments.flatMap((p) => p.allocations).filter((a) => a.invoiceId === 'b-2026-12:g1').reduce((s, a) => s + a.amountMinor, 0n),
      toWallet: payments.reduce((s, p) => s + p.walletCreditMinor, 0n),
      directDebits: payments.filter((p) => p.method === 'directDebit').length,
    }
  }
  return { d, siteId, allocated }
}

function races(name: string, create: () => Promise<StoragePorts>) {
  describe(`a direct-debit collection racing other writers of its invoices, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    it('never allocates more than the invoice owes when a cashier records a payment of the whole amount at the same moment', async () => {
      // several rounds, the payment started a little later each time, so that both orders and the overlap are met
      for (let round = 0; round < 6; round++) {
        const { d, siteId, allocated } = await seeded(storage)
        const [collection] = await Promise.all([
          collectDirectDebits(d, { siteId, batchId: 'b-2026-12', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-' }),
          (async () => {
            for (let i = 0; i < round; i++) await Promise.resolve()
            return recordPayment(onDay(d, '2027-01-10'), { id: 'cash-1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-01-10', amount: '100.00', invoiceId: 'b-2026-12:g1' })
          })(),
        ])
        const after = await allocated()
        expect(after.toInvoice).toBe(10_000n)
        // whichever came second found nothing due: the collection debits nothing, or the cash goes to the wallet
        expect(after.toWallet).toBe(collection.instructions.length === 0 ? 0n : 10_000n)
        expect(after.directDebits).toBe(collection.instructions.length)
      }
    })

    for (const via of ['recorded by hand', 'in an imported statement'] as const) {
      it(`takes back what a credit note carried of a debit returned at the same moment (${via}): no payment carries money that never came, the wallet keeps nothing of it`, async () => {
        // several rounds, started in both orders, so that on a server the note and the return overlap both ways
        for (let round = 0; round < 6; round++) {
          const { d, siteId } = await seeded(storage)
          const { instructions: [ins] } = await collectDirectDebits(d, { siteId, batchId: 'b-2026-12', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-' })
          const day = onDay(d, '2027-01-20')
          const note = () => issueInvoiceCreditNote(day, { siteId, invoiceId: 'b-2026-12:g1', issueDate: '2027-01-20', creditNote: { id: 'cn-1', reason: 'strike', scope: { kind: 'whole' } } })
          const returned = () => via === 'recorded by hand'
            ? recordDirectDebitReturn(day, { siteId, endToEndId: ins!.endToEndId, reasonCode: 'AM04', date: '2027-01-20' })
            : importBankStatement(day, { siteId, billingOfficeId: 'regie', statements: parseCamt053(testCamt053('FR7630006000011234567890189', [{ ref: 'R1', cents: 10_000n, credit: false, date: '2027-01-20', endToEndId: ins!.endToEndId, returnCode: 'AM04' }])) })
          await Promise.all(round % 2 === 0 ? [note(), returned()] : [returned(), note()])
          const payments = (await storage.payments!.listPayments(siteId, { payerId: 'g1' })).items
          // the debit is returned, and nothing a credit note carried of its 100.00 is still recorded
          expect(payments.filter((p) => p.method === 'directDebit').map((p) => p.status)).toEqual(['refused'])
          expect(payments.filter((p) => p.method === 'creditNote' && p.status === 'recorded').map((p) => [p.id, p.amountMinor])).toEqual([])
          const [wallet] = await storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')])
          expect(wallet?.posted ?? 0n).toBe(0n)
        }
      })
    }

    it('debits an invoice once when the same collection is run twice at once', async () => {
      const { d, siteId, allocated } = await seeded(storage)
      const input = { siteId, batchId: 'b-2026-12', collectionDate: '2027-01-10' as LocalDate, endToEndPrefix: 'DD2701-' }
      const results = await Promise.all([collectDirectDebits(d, input), collectDirectDebits(d, input)])
      expect(results.map((r) => r.instructions.length).sort()).toEqual([0, 1])
      expect(await allocated()).toEqual({ toInvoice: 10_000n, toWallet: 0n, directDebits: 1 })
    })
  })
}

races('storage-memory', async () => createMemoryStorage())
races('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) races('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }))
else console.log('[ecole] ECOLE_PG_URL is not set: the direct-debit races on a PostgreSQL server are skipped')

import { parseCamt053, testCamt053, type TestCamtEntry } from '@ecole/bank'
import { walletAccountId, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { createInvoiceBatch, importBankStatement, recordPayment, validateDrafts, type BillingDeps } from './index'

const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const IBAN = 'FR7630006000011234567890189'

/** Meals of 25.00 in `month` for payers g1..g`payers`, `days` each. */
function charges(month: '11' | '12', payers: number, days: number): InvoiceChargeLine[] {
  const out: InvoiceChargeLine[] = []
  for (let p = 1; p <= payers; p++) {
    for (let d = 1; d <= days; d++) {
      const date = `2026-${month}-0${d}` as LocalDate
      out.push({ chargeId: `${month}|g${p}|meal|${date}`, debtorId: `g${p}`, beneficiaryId: `k${p}`, serviceId: 'meal', date, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n })
    }
  }
  return out
}

let sites = 0
/**
 * A site with, for each of `payers` payers, a November invoice of 50.00 (due first) and a December
 * invoice of 100.00, validated with RF payment references; `pay` is a camt.053 statement paying
 * each December invoice by its reference (`cents` each, its total when absent), once per prefix.
 */
async function seeded(storage: StoragePorts, payers: number) {
  const siteId = `stmt-race-${process.pid}-${Date.now()}-${++sites}`
  const d: BillingDeps = { storage, clock }
  const batch = (id: string, month: '11' | '12', dueDate: LocalDate): InvoiceBatchInput => ({
    id, siteId, billingOfficeId: 'regie', period: { from: `2026-${month}-01` as LocalDate, to: `2026-${month}-30` as LocalDate }, serviceIds: ['meal'],
    dueDate, directDebitDate: null, portalDisplayDate: dueDate, minimumAmount: '1.00',
  })
  await createInvoiceBatch(d, { batch: batch('b-11', '11', '2026-12-15'), charges: charges('11', payers, 2) })
  await validateDrafts(d, { siteId, batchId: 'b-11', issueDate: '2026-12-01', paymentReferences: { scheme: 'rf', siteCode: '042' } })
  await createInvoiceBatch(d, { batch: batch('b-12', '12', '2027-01-15'), charges: charges('12', payers, 4) })
  await validateDrafts(d, { siteId, batchId: 'b-12', issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode: '042' } })
  const december = (await storage.invoicing!.listInvoices(siteId, { batchId: 'b-12' }, { limit: 1000 })).items
  const pay = (cents?: bigint, prefixes = ['BQ']) => {
    const entries: TestCamtEntry[] = prefixes.flatMap((prefix) => december.map((inv, n) => ({
      ref: `${prefix}-${n + 1}`, cents: cents ?? inv.totalMinor, credit: true, date: '2027-01-12', structured: { reference: inv.paymentReference!, issuer: 'ISO' }, debtorName: `Parent ${inv.debtorId}`,
    })))
    return parseCamt053(testCamt053(IBAN, entries))
  }
  /** Per payer: what the recorded payments allocate to each of its invoices, and credit to its wallet. */
  const money = async (payer: string) => {
    const payments = (await storage.payments!.listPayments(siteId, { payerId: payer, status: 'recorded' }, { limit: 1000 })).items
    const to = (batchId: string) => payments.flatMap((p) => p.allocations).filter((a) => a.invoiceId === `${batchId}:${payer}`).reduce((s, a) => s + a.amountMinor, 0n)
    const [wallet] = await storage.ledger!.getBalances(siteId, [walletAccountId(payer, 'regie')])
    return { november: to('b-11'), december: to('b-12'), walletCredits: payments.reduce((s, p) => s + p.walletCreditMinor, 0n), wallet: wallet?.posted ?? 0n, payments: payments.length }
  }
  return { d, siteId, pay, money }
}

function races(name: string, create: () => Promise<StoragePorts>) {
  describe(`bank statement imports racing, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    it('never credits an entry twice when the same statement is imported twice at once: one import posts it, the other finds it imported', async () => {
      const { d, siteId, pay, money } = await seeded(storage, 5)
      const statements = pay()
      const reports = await Promise.all([0, 1].map(() => importBankStatement(d, { siteId, billingOfficeId: 'regie', statements })))
      expect(reports.map((r) => r.imported.length).sort()).toEqual([0, 5])
      expect(reports.map((r) => r.duplicates.length).sort()).toEqual([0, 5])
      for (let p = 1; p <= 5; p++) expect(await money(`g${p}`)).toEqual({ november: 0n, december: 10_000n, walletCredits: 0n, wallet: 0n, payments: 1 })
    })

    it('settles what is owed when the statement meets a cashier paying the same invoices at the same moment: nothing allocated twice, the rest to the older invoice, then the wallet', async () => {
      // several rounds, the cashier started a little later each time, so that both orders and the overlap are met
      for (let round = 0; round < 4; round++) {
        const { d, siteId, pay, money } = await seeded(storage, 2)
        const [report] = await Promise.all([
          importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: pay() }),
          (async () => {
            for (let i = 0; i < round; i++) await Promise.resolve()
            return recordPayment(d, { id: 'cash-g1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-01-12', amount: '100.00', invoiceId: 'b-12:g1' })
          })(),
        ])
        const g1Entry = report.imported.find((l) => l.outcome.kind === 'review')
        if (g1Entry === undefined) {
          // the import read the balances first: g1 paid 200.00 for 150.00 owed, December whole, November whole, 50.00 to the wallet
          expect(await money('g1')).toEqual({ november: 5_000n, december: 10_000n, walletCredits: 5_000n, wallet: 5_000n, payments: 2 })
        } else {
          // the cashier committed before the import read the balances: the transfer names an invoice already paid, so it
          // is left for review with its amount (nothing posted, nothing allocated twice), never silently dropped
          expect(g1Entry.amountMinor).toBe(10_000n)
          expect(report.imported.filter((l) => l.outcome.kind === 'review')).toHaveLength(1)
          expect(await money('g1')).toEqual({ november: 0n, december: 10_000n, walletCredits: 0n, wallet: 0n, payments: 1 })
        }
        expect(await money('g2')).toEqual({ november: 0n, december: 10_000n, walletCredits: 0n, wallet: 0n, payments: 1 })
      }
    })

    it('allocates two entries of one statement for the same invoice one after the other: the second settles the older invoice, then the wallet', async () => {
      const { d, siteId, pay, money } = await seeded(storage, 1)
      const statements = pay(8_000n, ['A', 'B'])
      const report = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements })
      expect(report.imported).toHaveLength(2)
      // 160.00 paid: December 100.00 (80.00 + 20.00), November 50.00, 10.00 to the wallet
      expect(await money('g1')).toEqual({ november: 5_000n, december: 10_000n, walletCredits: 1_000n, wallet: 1_000n, payments: 2 })
    })
  })
}

races('storage-memory', async () => createMemoryStorage())
races('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) races('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }))
else console.log('[ecole] ECOLE_PG_URL is not set: the bank statement races on a PostgreSQL server are skipped')

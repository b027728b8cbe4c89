import { parseCamt053, testCamt053, type TestCamtEntry } from '@ecole/bank'
import { walletAccountId, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { InvoiceStore, StoragePorts, StorageTransaction } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { createInvoiceBatch, importBankStatement, previewBankStatement, recordPayment, validateDrafts, type BillingDeps } from './index'

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

/**
 * `storage` whose transactions call `hook` before each `invoicing.lockInvoices` (to force an
 * interleaving: another writer commits between a transaction's reads and its locks).
 */
function beforeLocks(storage: StoragePorts, hook: () => Promise<void>): StoragePorts {
  const wrapTx = (tx: StorageTransaction): StorageTransaction => new Proxy(tx, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown
      if (key !== 'invoicing' || !value) return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
      const invoicing = value as InvoiceStore
      return new Proxy(invoicing, {
        get(inv, k) {
          if (k === 'lockInvoices') return async (...args: Parameters<InvoiceStore['lockInvoices']>) => { await hook(); return inv.lockInvoices(...args) }
          const v = Reflect.get(inv, k) as unknown
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(inv) : v
        },
      })
    },
  })
  return new Proxy(storage, {
    get(target, key) {
      if (key === 'transaction') {
        return <T>(siteId: string, fn: (tx: StorageTransaction) => Promise<T>, options?: Parameters<StoragePorts['transaction']>[2]) => target.transaction(siteId, (tx) => fn(wrapTx(tx)), options)
      }
      const v = Reflect.get(target, key) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}

/** `serialised`: the adapter runs a site's transactions one at a time (no writer can commit inside another's). */
function races(name: string, create: () => Promise<StoragePorts>, serialised: boolean) {
  describe(`bank statement imports racing, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    it('never credits an entry twice when the same statement is imported twice at once: one import posts it, the other finds it imported', async () => {
      const { d, siteId, pay, money } = await seeded(storage, 5)
      const statements = pay()
      const reports = await Promise.all([0, 1].map(() => importBankStatement(d, { siteId, billingOfficeId: 'regie', statements })))
      expect(reports.map((r) => r.imported.length).sort()).toEqual([0, 5])
      expect(reports.map((r) => r.duplicates.length).sort()).toEqual([0, 5])
      // each report lists only the payments its own call recorded: the one that found the entries imported recorded none
      expect(reports.map((r) => r.payments.length).sort()).toEqual([0, 5])
      for (let p = 1; p <= 5; p++) expect(await money(`g${p}`)).toEqual({ november: 0n, december: 10_000n, walletCredits: 0n, wallet: 0n, payments: 1 })
    })

    it('settles what is owed when the statement meets a cashier paying the same invoices at the same moment: nothing allocated twice, the rest to the older invoice, then the wallet, whoever commits first', async () => {
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
        // one outcome whatever the order: g1 paid 200.00 for 150.00 owed, December whole, November whole, 50.00 to the wallet
        expect(report.imported.map((l) => l.outcome.kind)).toEqual(['invoicePayment', 'invoicePayment'])
        expect(await money('g1')).toEqual({ november: 5_000n, december: 10_000n, walletCredits: 5_000n, wallet: 5_000n, payments: 2 })
        expect(await money('g2')).toEqual({ november: 0n, december: 10_000n, walletCredits: 0n, wallet: 0n, payments: 1 })
      }
    })

    const orders = [
      ['before the import starts', 'first'],
      ...(serialised ? [] : [['after the import read the balances and before it locks the invoices', 'beforeLocks'] as const]),
      ['after the import committed', 'after'],
    ] as const
    for (const [when, order] of orders) {
      it(`allocates a transfer naming an invoice a cashier paid ${when} by the documented order: what the invoice still owes, the payer's other open invoices oldest first, then the wallet; never to review`, async () => {
        const { d, siteId, pay, money } = await seeded(storage, 2)
        const cashier = () => recordPayment(d, { id: 'cash-g1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-01-12', amount: '100.00', invoiceId: 'b-12:g1' })
        if (order === 'first') {
          await cashier()
          // the preview proposes what the import does
          const preview = await previewBankStatement(d, { siteId, billingOfficeId: 'regie', statements: pay() })
          expect(preview.lines.map((l) => l.proposal)).toEqual([{ kind: 'invoicePayment', invoiceId: 'b-12:g1', debtorId: 'g1' }, { kind: 'invoicePayment', invoiceId: 'b-12:g2', debtorId: 'g2' }])
        }
        // the cashier's payment commits while the import's transaction is open, between its reads and its locks (the
        // cashier runs outside the import's call chain: it starts when the hook says so, and the hook waits for its commit)
        let go!: () => void
        const started = new Promise<void>((resolve) => { go = resolve })
        const paid = order === 'beforeLocks' ? started.then(cashier) : undefined
        let hook: (() => Promise<unknown>) | undefined = paid ? async () => { go(); await paid } : undefined
        const hooked: BillingDeps = { ...d, storage: beforeLocks(storage, async () => { const h = hook; hook = undefined; if (h) await h() }) }
        const report = await importBankStatement(hooked, { siteId, billingOfficeId: 'regie', statements: pay() })
        expect(hook).toBeUndefined()
        if (order === 'after') await cashier()
        expect(report.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([[`${IBAN}|BQ-1`, 'invoicePayment'], [`${IBAN}|BQ-2`, 'invoicePayment']])
        expect(await money('g1')).toEqual({ november: 5_000n, december: 10_000n, walletCredits: 5_000n, wallet: 5_000n, payments: 2 })
        expect(await money('g2')).toEqual({ november: 0n, december: 10_000n, walletCredits: 0n, wallet: 0n, payments: 1 })
      })
    }

    it('settles a direct debit once when two statements each carrying its settlement credit are imported at once: one settles it, the other keeps its credit for review as already settled', async () => {
      // several rounds, so that on a server the two imports overlap in both orders
      for (let round = 0; round < 6; round++) {
        const siteId = `dd-settle-race-${process.pid}-${Date.now()}-${++sites}`
        const d: BillingDeps = { storage, clock }
        await recordPayment(d, { id: 'dd:E2E-1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'directDebit', endToEndId: 'E2E-1', date: '2027-01-10', amount: '30.00' })
        const statement = (ref: string) => parseCamt053(testCamt053(IBAN, [{ ref, cents: 3000n, credit: true, date: '2027-01-12', endToEndId: 'E2E-1' }]))
        const reports = await Promise.all(['S1', 'S2'].map((ref) => importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: statement(ref) })))
        const outcomes = reports.flatMap((r) => r.imported.map((l) => (l.outcome.kind === 'review' ? `review:${l.outcome.rule}` : l.outcome.kind))).sort()
        expect(outcomes).toEqual(['directDebitSettled', 'review:ALREADY_SETTLED'])
        const stored = (await storage.bankImports!.listBankEntries(siteId, {}, { limit: 10 })).items.map((e) => e.outcome.kind).sort()
        expect(stored).toEqual(['directDebitSettled', 'review'])
      }
    })

    it('allocates a second transfer of one statement for an invoice the first one paid whole by the same order: the older invoice, then the wallet, never to review', async () => {
      const { d, siteId, pay, money } = await seeded(storage, 1)
      const report = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: pay(undefined, ['A', 'B']) })
      expect(report.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([[`${IBAN}|A-1`, 'invoicePayment'], [`${IBAN}|B-1`, 'invoicePayment']])
      // 200.00 paid: December 100.00 (A), November 50.00 and 50.00 to the wallet (B)
      expect(await money('g1')).toEqual({ november: 5_000n, december: 10_000n, walletCredits: 5_000n, wallet: 5_000n, payments: 2 })
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

races('storage-memory', async () => createMemoryStorage(), true)
races('storage-postgres on PGlite', () => createPostgresStorage(), true)
const url = process.env['ECOLE_PG_URL']
if (url) races('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }), false)
else console.log('[ecole] ECOLE_PG_URL is not set: the bank statement races on a PostgreSQL server are skipped')

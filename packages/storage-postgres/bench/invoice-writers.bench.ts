/**
 * What serialising the writers of one invoice costs (issue 12): a payment recorded as
 * `recordPayment` does it (list the payer's invoices, lock them, read their credit notes and the
 * payer's payments after the lock, allocate, `createPayment` with its own locked check), with 1
 * and 8 clients on distinct payers, beside plain single-row INSERT transactions measured in the
 * same run; and 8 clients paying one invoice (they queue on its lock) beside 8 clients paying
 * distinct ones. On a PostgreSQL server only (PGlite has one connection: nothing runs in parallel).
 */
import { randomUUID } from 'node:crypto'
import { openInvoicesOf, recordInvoicePayment, type Invoice } from '@ecole/core'
import pg from 'pg'
import { bench, describe } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from '../src/index'
import { benchServerUrl, benchSiteId, durability, firstCallOnly, insertBaseline, interleaved, machineLoad, perSecond, ratio, timed } from './bench-support'

const PAYERS = 2_000
const CLIENTS = 8
const MS = 4_000
const OFFICE = 'bench-office'

function invoice(siteId: string, i: number): Invoice {
  const id = `inv-${String(i).padStart(6, '0')}`
  // 10,000.00 each: 1.00 payments keep it open for the whole run
  const total = 1_000_000n
  return {
    id, siteId, billingOfficeId: OFFICE, batchId: 'b', debtorId: `g${i}`, jointDebtorIds: [], status: 'validated', number: `F-${i}`, sequence: i + 1, issueDate: '2027-01-04',
    periodFrom: '2026-12-01', periodTo: '2026-12-31', dueDate: '2027-01-20', directDebitDate: null, portalDisplayDate: '2027-01-05', comment: null, currency: 'EUR',
    lines: [{ id: `${id}:1`, beneficiaryId: `k${i}`, serviceId: 'canteen', unitPriceMinor: total, quantity: 1, amountMinor: total, chargeIds: [`${id}:c`], dates: ['2026-12-07'], from: '2026-12-07', to: '2026-12-07' }],
    adjustments: [], linesTotalMinor: total, adjustmentsTotalMinor: 0n, totalMinor: total, previousBalanceMinor: 0n, instalments: [], paymentReference: null,
  }
}

async function seed(storage: PostgresStorage, siteId: string): Promise<void> {
  for (let start = 0; start < PAYERS; start += 1000) {
    const validated = Array.from({ length: Math.min(1000, PAYERS - start) }, (_, k) => invoice(siteId, start + k))
    await storage.invoicing!.createDrafts(siteId, validated.map((v) => ({ ...v, status: 'draft', number: null, sequence: null, issueDate: null })))
    await storage.invoicing!.markValidated(siteId, validated)
  }
}

/** One payment of 1.00 by payer `payerOf(client, seq)` against its invoice, as `recordPayment` records it. */
function pay(storage: PostgresStorage, siteId: string, tag: string, payerOf: (client: number, seq: number) => number, lock = true) {
  return async (client: number, seq: number): Promise<number> => {
    const i = payerOf(client, seq)
    const payerId = `g${i}`
    await storage.transaction(siteId, async (tx) => {
      const invoicing = tx.invoicing!
      const ids = (await invoicing.listInvoices(siteId, { debtorId: payerId, billingOfficeId: OFFICE, status: 'validated' }, { limit: 1000 })).items.map((x) => x.id)
      const invoices = lock ? await invoicing.lockInvoices(siteId, ids) : (await invoicing.listInvoices(siteId, { debtorId: payerId, billingOfficeId: OFFICE, status: 'validated' }, { limit: 1000 })).items
      const notes = await invoicing.listCreditNotes(siteId, ids)
      const paid = (await tx.payments!.listPayments(siteId, { payerId, status: 'recorded' }, { limit: 1000 })).items
      const payment = recordInvoicePayment(
        { id: `${tag}-${client}-${seq}-${randomUUID().slice(0, 6)}`, siteId, billingOfficeId: OFFICE, payerId, method: 'cheque', date: '2027-01-12', amount: '1.00', invoiceId: invoices[0]!.id },
        openInvoicesOf(invoices, notes, paid),
      )
      await tx.payments!.createPayment(siteId, payment)
    })
    return 1
  }
}

async function measureServer(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS })
  const storage = await createPostgresStorage({ connectionString: url, poolSize: CLIENTS })
  const siteId = benchSiteId('invoice-writers')
  const table = `ecole_bench_baseline_${randomUUID().slice(0, 8)}`
  try {
    const settings = await durability(pool)
    await pool.query(`CREATE TABLE ${table} (id text PRIMARY KEY, client int NOT NULL, amount bigint NOT NULL)`)
    await seed(storage, siteId)
    const baseline = insertBaseline(pool, table)
    // distinct payers: client c takes payers c, c + 8, c + 16... (each payer's list of payments stays short)
    const distinct = (client: number, seq: number) => (client + CLIENTS * seq) % PAYERS
    const [baseline1, pay1] = await interleaved(MS, 4, 1, baseline, pay(storage, siteId, 'p1', distinct))
    const [baseline8, pay8] = await interleaved(MS, 4, CLIENTS, baseline, pay(storage, siteId, 'p8', distinct))
    // the workflow's lock alone: the same payment without it (its list read again instead; createPayment still checks under its own lock)
    const [unlocked1, locked1] = await interleaved(MS, 4, 1, pay(storage, siteId, 'u1', distinct, false), pay(storage, siteId, 'l1', distinct))
    // one invoice for everyone (payer g0 of the seeds is left to this run)
    const oneInvoice = await timed(MS / 2, CLIENTS, pay(storage, siteId, 'one', () => PAYERS - 1))
    const [rows] = (await pool.query<{ n: string }>('SELECT count(*) AS n FROM ecole_payments WHERE site_id = $1 AND payer_id = $2', [siteId, `g${PAYERS - 1}`])).rows
    console.log([
      `[ecole] payments recorded as recordPayment does it (lock the payer's invoices, read, allocate, createPayment's locked check) on a PostgreSQL server (${settings.line}; ${machineLoad()}):`,
      `  1 client, distinct payers: ${perSecond(pay1)} payments, beside ${perSecond(baseline1)} single-row INSERT transactions (${ratio(pay1, baseline1)}x)`,
      `  ${CLIENTS} clients, distinct payers: ${perSecond(pay8)} payments, beside ${perSecond(baseline8)} single-row INSERT transactions (${ratio(pay8, baseline8)}x)`,
      `  1 client, the workflow's lockInvoices call alone: ${perSecond(locked1)} with it, ${perSecond(unlocked1)} without (${ratio(locked1, unlocked1)}x)`,
      `  ${CLIENTS} clients, all on one invoice (queued on its lock): ${perSecond(oneInvoice)} payments (${ratio(oneInvoice, pay8)}x distinct payers; ${rows?.n ?? '?'} stored)`,
    ].join('\n'))
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined)
    await pool.end()
    await storage.close()
  }
}

const url = benchServerUrl('invoice-writers.bench.ts')
const once = { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 }

describe.skipIf(!url)('writers of one invoice on a PostgreSQL server', () => {
  bench('measure and print: payments with invoice locks, 1 and 8 clients, beside single-row INSERT transactions', firstCallOnly(() => measureServer(url!)), once)
})

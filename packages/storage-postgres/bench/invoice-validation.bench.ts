/**
 * Validation of 10,000 drafts through the adapter, as the `validateDrafts` workflow does it: in
 * one transaction, read the batch's drafts, lock them (`invoicing.lockInvoices`, their bodies read
 * again under the locks, so that an adjustment committed meanwhile is validated, not written
 * over), reserve their numbers from the counter row (`invoiceNumbers.nextNumbers`), number them
 * (`validateInvoiceDrafts`) and `markValidated`. Beside it, in the same run, the same without the
 * locks (as it was before the drafts were locked): what the locks cost.
 * Target on a PostgreSQL server with durable settings: under 10 s. Also measured: inserting the
 * drafts, 5,000 more validated in transactions of 500 (the resumable form the crash test kills),
 * and the same workflow on embedded PGlite.
 */
import { PGlite } from '@electric-sql/pglite'
import { defineInvoiceNumbering, invoiceCounterKey, invoiceSeriesKey, validateInvoiceDrafts, type Invoice, type InvoiceLine } from '@ecole/core'
import pg from 'pg'
import { bench, describe } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from '../src/index'
import { benchServerUrl, benchSiteId, durability, firstCallOnly, machineLoad } from './bench-support'

const DRAFTS = 10_000
/** Half the count on PGlite (one connection, WASM), to keep the file near a minute; the rate is extrapolated. */
const PGLITE_DRAFTS = 5_000
const OFFICE = 'bench-office'
const ISSUE_DATE = '2027-01-04'
const numbering = defineInvoiceNumbering({ prefix: 'F{YYYY}-', digits: 6 })
const series = invoiceSeriesKey(invoiceCounterKey(numbering, OFFICE, 'invoice', ISSUE_DATE))

/** Draft `i` of `batchId`: three lines (two children's canteen, one after-school club) of four charges each. */
function draft(siteId: string, batchId: string, i: number): Invoice {
  const id = `${batchId}:g${String(i).padStart(6, '0')}`
  const lines: InvoiceLine[] = [0, 1, 2].map((l) => {
    const unit = BigInt(350 + 25 * l)
    const dates = ['2026-12-07', '2026-12-08', '2026-12-10', '2026-12-11'] as const
    return {
      id: `${id}:${l + 1}`, beneficiaryId: `child-${i}-${l % 2}`, serviceId: l === 2 ? 'club' : 'canteen', unitPriceMinor: unit, quantity: 4, amountMinor: unit * 4n,
      chargeIds: dates.map((d) => `${batchId}:c${i}:${l}:${d}`), dates: [...dates], from: '2026-12-07', to: '2026-12-11',
    }
  })
  const total = lines.reduce((s, l) => s + l.amountMinor, 0n)
  return {
    id, siteId, billingOfficeId: OFFICE, batchId, debtorId: `g${i}`, jointDebtorIds: [], status: 'draft', number: null, sequence: null, issueDate: null,
    periodFrom: '2026-12-01', periodTo: '2026-12-31', dueDate: '2027-01-20', directDebitDate: null, portalDisplayDate: '2027-01-05', comment: null, currency: 'EUR',
    lines, adjustments: [], linesTotalMinor: total, adjustmentsTotalMinor: 0n, totalMinor: total, previousBalanceMinor: 0n, instalments: [], paymentReference: null,
  }
}

async function createDrafts(storage: PostgresStorage, siteId: string, batchId: string, count: number): Promise<number> {
  const t = performance.now()
  for (let start = 0; start < count; start += 1000) {
    await storage.invoicing!.createDrafts(siteId, Array.from({ length: Math.min(1000, count - start) }, (_, k) => draft(siteId, batchId, start + k)))
  }
  return (performance.now() - t) / 1000
}

/** Validates up to `limit` drafts of the batch in one transaction (all when absent); returns how many. */
async function validateBatch(storage: PostgresStorage, siteId: string, batchId: string, limit?: number, locked = true): Promise<number> {
  return storage.transaction(siteId, async (tx) => {
    let drafts: Invoice[] = []
    let after: string | undefined
    do {
      const want = Math.min(1000, limit === undefined ? 1000 : limit - drafts.length)
      const page = await tx.invoicing!.listInvoices(siteId, { batchId, status: 'draft' }, { limit: want, ...(after ? { after } : {}) })
      drafts.push(...page.items)
      after = page.next
    } while (after !== undefined && (limit === undefined || drafts.length < limit))
    if (drafts.length === 0) return 0
    if (locked) {
      const current = new Map((await tx.invoicing!.lockInvoices(siteId, drafts.map((d) => d.id))).map((i) => [i.id, i]))
      drafts = drafts.flatMap((d) => { const now = current.get(d.id); return now?.status === 'draft' ? [now] : [] })
    }
    const first = await tx.invoiceNumbers!.nextNumbers(siteId, series, drafts.length)
    await tx.invoicing!.markValidated(siteId, validateInvoiceDrafts(drafts, { issueDate: ISSUE_DATE, firstSequence: first, numbering }))
    return drafts.length
  })
}

async function timedSeconds(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now()
  await fn()
  return (performance.now() - t) / 1000
}

async function measure(storage: PostgresStorage, where: string, count: number, chunked: boolean): Promise<void> {
  const siteId = benchSiteId('validation')
  const inserted = await createDrafts(storage, siteId, 'b-one', count)
  await createDrafts(storage, siteId, 'b-unlocked', count)
  let validated = 0
  const oneTx = await timedSeconds(async () => (validated = await validateBatch(storage, siteId, 'b-one')))
  if (validated !== count) throw new Error(`validated ${validated} drafts, expected ${count}`)
  // the baseline: the same batch size validated without locking the drafts first (the pre-lock form)
  const unlocked = await timedSeconds(async () => (validated = await validateBatch(storage, siteId, 'b-unlocked', undefined, false)))
  if (validated !== count) throw new Error(`validated ${validated} drafts without locks, expected ${count}`)
  const lines = [
    `[ecole] validation of ${count.toLocaleString('en-US')} drafts (3 lines, 12 charges each) on ${where} (${machineLoad()}):`,
    `  inserting the drafts (createDrafts, 1,000 per call): ${inserted.toFixed(2)} s`,
    `  validating them in one transaction (as validateDrafts does for a batch): ${oneTx.toFixed(2)} s, ${Math.round(count / oneTx).toLocaleString('en-US')} invoices/s` +
      (count === DRAFTS ? ` (target < 10 s: ${oneTx < 10 ? 'met' : 'NOT met'})` : ` (${(DRAFTS / (count / oneTx)).toFixed(1)} s for ${DRAFTS.toLocaleString('en-US')} at that rate)`),
    `  baseline: the same without locking the drafts first: ${unlocked.toFixed(2)} s (the locks cost ${(oneTx - unlocked).toFixed(2)} s, ${((oneTx / unlocked - 1) * 100).toFixed(0)} %)`,
  ]
  if (chunked) {
    const half = count / 2
    await createDrafts(storage, siteId, 'b-chunks', half)
    const inChunks = await timedSeconds(async () => {
      while ((await validateBatch(storage, siteId, 'b-chunks', 500)) > 0) {
        // next 500
      }
    })
    lines.push(`  validating another ${half.toLocaleString('en-US')} in transactions of 500 (the resumable form): ${inChunks.toFixed(2)} s, ${Math.round(half / inChunks).toLocaleString('en-US')} invoices/s`)
  }
  console.log(lines.join('\n'))
}

async function measureServer(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  const settings = await durability(pool)
  await pool.end()
  const storage = await createPostgresStorage({ connectionString: url, poolSize: 2 })
  try {
    await measure(storage, `a PostgreSQL server (${settings.line})`, DRAFTS, true)
  } finally {
    await storage.close()
  }
}

async function measurePglite(): Promise<void> {
  const db = await PGlite.create()
  const storage = await createPostgresStorage({ pglite: db })
  try {
    // Warm the WASM up first (V8 optimises PGlite's hot functions only after a while).
    const warm = benchSiteId('warm')
    await createDrafts(storage, warm, 'b-warm', 1000)
    await validateBatch(storage, warm, 'b-warm')
    await measure(storage, 'PGlite (embedded PostgreSQL, in memory)', PGLITE_DRAFTS, false)
  } finally {
    await storage.close()
    await db.close()
  }
}

const url = benchServerUrl('invoice-validation.bench.ts')

// The measurements run inside one-iteration benches, not at module level (vitest's collection phase
// slows CPU-bound code several times) nor in hooks (vitest bench does not run beforeAll/afterAll).
// The figures are the printed lines; vitest's timing of these calls means nothing (the first call
// measures, the next ones return at once).
const once = { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 }

describe.skipIf(!url)('draft validation on a PostgreSQL server', () => {
  bench(`measure and print: insert and validate ${DRAFTS.toLocaleString('en-US')} drafts`, firstCallOnly(() => measureServer(url!)), once)
})

describe('draft validation on PGlite', () => {
  bench(`measure and print: insert and validate ${PGLITE_DRAFTS.toLocaleString('en-US')} drafts`, firstCallOnly(() => measurePglite()), once)
})

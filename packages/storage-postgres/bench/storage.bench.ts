/**
 * Storage benchmarks (issue 3): ledger transfers one per transaction with 1 and 8 concurrent
 * clients beside a baseline of plain single-row INSERT transactions with the same clients, ledger
 * transfers in batches, and the validation of 10,000 drafts. On a PostgreSQL server when
 * ECOLE_PG_URL is set (skipped with a printed reason otherwise), and always on PGlite.
 */
import type { Invoice, LedgerAccount, LedgerTransfer } from '@ecole/core'
import { afterAll, beforeAll, bench, describe } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from '../src/index'

const url = process.env['ECOLE_PG_URL']
const PHASE_MS = Number(process.env['ECOLE_BENCH_PHASE_MS'] ?? 2000)
const now = new Date('2026-03-02T08:00:00.000Z')
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms)

function accountsFor(clients: number): LedgerAccount[] {
  return Array.from({ length: clients }, (_, i) => [
    { id: `bank-${i}`, kind: 'system', role: 'bankClearing', billingOfficeId: 'o', currency: 'EUR', overdraft: { kind: 'unbounded' } } as LedgerAccount,
    { id: `wallet-${i}`, kind: 'wallet', guardianId: `g-${i}`, billingOfficeId: 'o', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } } as LedgerAccount,
  ]).flat()
}

const topUp = (id: string, client: number): LedgerTransfer => ({ id, debitAccountId: `bank-${client}`, creditAccountId: `wallet-${client}`, amount: 415n, code: 'topUp', timestamp: now })

/** Runs `op` in a loop on each of `clients` clients for PHASE_MS; returns operations per second. */
async function closedLoop(clients: number, op: (client: number, i: number) => Promise<unknown>): Promise<{ ops: number; perSecond: number }> {
  const end = performance.now() + PHASE_MS
  const start = performance.now()
  const counts = await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      let i = 0
      while (performance.now() < end) await op(c, i++)
      return i
    }),
  )
  const ops = counts.reduce((a, b) => a + b, 0)
  return { ops, perSecond: rate(ops, performance.now() - start) }
}

function draft(siteId: string, i: number): Invoice {
  const id = `inv-${String(i).padStart(6, '0')}`
  return {
    id, siteId, billingOfficeId: 'office-1', batchId: 'b-2026-03', payerId: `g-${i}`, jointDebtorIds: [], status: 'draft', number: null, sequence: null,
    issueDate: null, periodFrom: '2026-03-01', periodTo: '2026-03-31', dueDate: '2026-04-15', directDebitDate: null, portalDisplayDate: '2026-04-01',
    comment: null, currency: 'EUR',
    lines: [{ id: `${id}:l0`, beneficiaryId: `c-${i}`, serviceId: 'lunch', unitPriceMinor: 415n, quantity: 18, amountMinor: 7470n, chargeIds: [`ch-${i}`], dates: ['2026-03-02'], from: '2026-03-02', to: '2026-03-31' }],
    adjustments: [], linesTotalMinor: 7470n, adjustmentsTotalMinor: 0n, totalMinor: 7470n, previousBalanceMinor: 0n, instalments: [], paymentReference: null,
  }
}

/** Validates `count` drafts in transactions of `chunk`: numbers from the counter row, then markValidated. */
async function validateDrafts(storage: PostgresStorage, siteId: string, count: number, chunk: number): Promise<number> {
  const drafts = Array.from({ length: count }, (_, i) => draft(siteId, i))
  for (let i = 0; i < count; i += 2000) await storage.invoicing!.insertDrafts(siteId, drafts.slice(i, i + 2000))
  const start = performance.now()
  for (let i = 0; i < count; i += chunk) {
    const part = drafts.slice(i, i + chunk)
    await storage.transaction(siteId, async (tx) => {
      const first = await tx.invoiceNumbers!.nextNumbers(siteId, 'office-1/2026', part.length)
      await tx.invoicing!.markValidated(
        siteId,
        part.map((d, k) => ({ ...d, status: 'validated' as const, number: `F2026-${String(first + k).padStart(6, '0')}`, sequence: first + k, issueDate: '2026-04-01' as const })),
      )
    })
  }
  return performance.now() - start
}

async function runAll(label: string, storage: PostgresStorage, baseline: (client: number) => Promise<unknown>, clientCounts: number[]): Promise<void> {
  const run = `${Date.now()}`
  for (const clients of clientCounts) {
    const site = `bench-${label}-${clients}-${run}`
    await storage.ledger!.openAccounts(site, accountsFor(clients))
    const base = await closedLoop(clients, (c) => baseline(c))
    const ledger = await closedLoop(clients, (c, i) => storage.ledger!.createTransfers(site, [topUp(`t-${c}-${i}`, c)], now))
    console.log(
      `[bench] ${label}: ledger transfers, one per transaction, ${clients} client(s): ${ledger.perSecond}/s; baseline single-row INSERT transactions: ${base.perSecond}/s; ratio ${(ledger.perSecond / base.perSecond).toFixed(2)} (target >= 0.5)`,
    )
  }
  const site = `bench-${label}-batch-${run}`
  const clients = 8
  await storage.ledger!.openAccounts(site, accountsFor(clients))
  const batchSize = 5000
  let made = 0
  const start = performance.now()
  while (performance.now() - start < PHASE_MS) {
    const batch = Array.from({ length: batchSize }, (_, k) => topUp(`b-${made + k}`, k % clients))
    await storage.ledger!.createTransfers(site, batch, now)
    made += batchSize
  }
  console.log(`[bench] ${label}: ledger transfers in batches of ${batchSize}: ${rate(made, performance.now() - start)}/s (target >= 50000/s)`)
  const count = 10_000
  const ms = await validateDrafts(storage, `bench-${label}-validate-${run}`, count, 1000)
  console.log(`[bench] ${label}: validation of ${count} drafts (numbers from the counter row, 1000 per transaction): ${(ms / 1000).toFixed(2)} s (target < 10 s)`)
  const mem = process.memoryUsage()
  console.log(`[bench] ${label}: memory rss ${Math.round(mem.rss / 2 ** 20)} MiB, heap used ${Math.round(mem.heapUsed / 2 ** 20)} MiB`)
}

describe('storage-postgres on a PostgreSQL server', () => {
  if (!url) {
    console.log('[bench] ECOLE_PG_URL is not set: the PostgreSQL server benchmarks are skipped (set it to postgresql://user@host:5432/db)')
    bench('skipped: ECOLE_PG_URL is not set', () => undefined, { iterations: 1, time: 0 })
    return
  }
  let storage: PostgresStorage
  let pool: import('pg').Pool
  beforeAll(async () => {
    const pg = (await import('pg')).default
    pool = new pg.Pool({ connectionString: url, max: 10 })
    storage = await createPostgresStorage({ pool })
    const settings = await pool.query<{ fsync: string; synchronous_commit: string }>("SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit")
    console.log(`[bench] server: fsync=${settings.rows[0]!.fsync}, synchronous_commit=${settings.rows[0]!.synchronous_commit}`)
    await pool.query('CREATE TABLE IF NOT EXISTS ecole_bench_baseline (id bigserial PRIMARY KEY, site_id text NOT NULL, amount bigint NOT NULL)')
    const baseline = async () => {
      const c = await pool.connect()
      try {
        await c.query('BEGIN')
        await c.query('INSERT INTO ecole_bench_baseline (site_id, amount) VALUES ($1, $2)', ['bench', '415'])
        await c.query('COMMIT')
      } finally {
        c.release()
      }
    }
    await runAll('PostgreSQL', storage, baseline, [1, 8])
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
    await pool?.end()
  })
  bench('one ledger transfer per transaction', async () => {
    await storage.ledger!.createTransfers('bench-vitest', [topUp(`v-${performance.now()}-${Math.random()}`, 0)], now)
  }, { iterations: 50, time: 500, setup: async () => { await storage.ledger!.openAccounts('bench-vitest', accountsFor(1)) } })
})

describe('storage-postgres on PGlite', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage()
    const baseline = () => storage.transaction('bench-baseline', (tx) => tx.invoiceNumbers!.nextNumbers('bench-baseline', 'x', 1))
    await runAll('PGlite', storage, baseline, [1])
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })
  bench('one ledger transfer per transaction (PGlite)', async () => {
    await storage.ledger!.createTransfers('bench-vitest', [topUp(`v-${performance.now()}-${Math.random()}`, 0)], now)
  }, { iterations: 50, time: 500, setup: async () => { await storage.ledger!.openAccounts('bench-vitest', accountsFor(1)) } })
})

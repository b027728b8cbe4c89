/**
 * Ledger transfers through the adapter's `LedgerStore.createTransfers`, beside a baseline measured
 * in the same run on the same database: plain single-row INSERT transactions into a scratch table
 * with the same number of clients.
 *
 * - one transfer per transaction, 1 and 8 concurrent clients (each client its own pair of accounts,
 *   so the figure is the store's cost, not lock waits on one hot account); target: at least half
 *   the baseline's rate;
 * - batches of 5,000 transfers per call (one transaction) from a bank clearing account to 1,000
 *   wallets; target: at least 50,000 transfers/s. The first batch is read and decided under locks;
 *   it tells the adapter the accounts' totals, so the next ones are decided over them and written
 *   with `ecole_ledger_lock_known` and `COPY` (migration 36), as a process importing statement
 *   after statement would write them;
 *
 * on a PostgreSQL server (`ECOLE_PG_URL`, durable settings: fsync and synchronous_commit on) and on
 * embedded PGlite (in memory: no fsync, one connection).
 *
 * On the server, a second baseline in the same run: the classic PostgreSQL ledger design
 * (`classic-ledger.ts`: one PL/pgSQL function per transfer that locks both accounts `FOR UPDATE` in
 * id order, checks the overdraft, updates both balances and inserts the transfer and its two
 * entries), with idempotent ids and overdraft checks on in both. One transfer per transaction with
 * 1 and 8 clients, and batches of 1,000 in one transaction; target: @ecole at least 1.5x it in each.
 * What each side does, so that the comparison is fair:
 *
 * - same server, same database, same durability settings (printed), same accounts and amounts,
 *   measured interleaved (slices of each in turn) so that both see the same machine load;
 * - same number of clients: each client is a loop that awaits its call before making the next one
 *   (closed loop), on a pool of 8 connections for each side;
 * - idempotency: both give every transfer a client-chosen id and answer an id given again
 *   (`exists`); overdraft: both refuse a debit that would take the wallet (no overdraft) below zero
 *   (here every transfer is a top-up, so none is refused; both check);
 * - the classic side: one `SELECT create_transfer(...)` per transfer (its own transaction), or, for
 *   batches, one statement calling it once per transfer (one round trip, one transaction);
 * - the @ecole side: `LedgerStore.createTransfers` of the top-level port; the rules are the core
 *   engine's, in Node; SQL locks, checks what was decided over and writes. Concurrent calls of one
 *   site are written together (group commit: one statement or one transaction for the calls queued
 *   while a writer was busy, each caller its own results), which the 8-client case exercises; the
 *   classic side gets the same from PostgreSQL itself, which flushes concurrent commits together.
 *
 * Beside each rate, the CPU time per transfer of this process and of the server backends of the
 * database (read from /proc when the server runs on this machine): on a shared machine a rate also
 * measures how much CPU the scheduler gives each side (8 backends against 2), CPU per transfer does
 * not. And the floors of one transfer per transaction with one client: a `SELECT 1` round trip,
 * the bare write (one statement, no check), one durable commit (an autocommit INSERT of one row
 * into the scratch table), and the transfer row alone (an autocommit INSERT into a copy of
 * `ecole_ledger_transfers`, no account row touched), each beside the classic design in the same
 * slices.
 */
import { randomUUID } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import type { LedgerAccount, LedgerTransfer } from '@ecole/core'
import pg from 'pg'
import { bench, describe } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from '../src/index'
import { ClassicLedger } from './classic-ledger'
import { benchServerUrl, benchSiteId, cpuPerOp, durability, firstCallOnly, insertBaseline, interleaved, machineLoad, perSecond, processAndServerCpu, ratio, timed, type Rate } from './bench-support'

const MS = 2000
const CLIENTS = 8
const BATCH = 5000
/** The batch size of the comparison with the classic design. */
const CLASSIC_BATCH = 1000
const WALLETS = 1000

const bankOf = (client: number) => `system:bankClearing:bench-o${client}`
const walletOf = (client: number) => `wallet:g${client}:bench-o${client}:general`
const batchBank = 'system:bankClearing:bench-batch'
const batchWallet = (w: number) => `wallet:g${w}:bench-batch:general`

function benchAccounts(): LedgerAccount[] {
  const accounts: LedgerAccount[] = []
  for (let c = 0; c < CLIENTS; c++) {
    accounts.push({ id: bankOf(c), kind: 'system', role: 'bankClearing', billingOfficeId: `bench-o${c}`, currency: 'EUR', overdraft: { kind: 'unbounded' } })
    accounts.push({ id: walletOf(c), kind: 'wallet', guardianId: `g${c}`, billingOfficeId: `bench-o${c}`, compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } })
  }
  accounts.push({ id: batchBank, kind: 'system', role: 'bankClearing', billingOfficeId: 'bench-batch', currency: 'EUR', overdraft: { kind: 'unbounded' } })
  for (let w = 0; w < WALLETS; w++) {
    accounts.push({ id: batchWallet(w), kind: 'wallet', guardianId: `g${w}`, billingOfficeId: 'bench-batch', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } })
  }
  return accounts
}

const stamp = new Date('2027-01-18T10:00:00Z')

function topUp(id: string, debit: string, credit: string, amount: bigint): LedgerTransfer {
  return { id, debitAccountId: debit, creditAccountId: credit, amount, currency: 'EUR', code: 'topUp', timestamp: stamp }
}

async function openAll(storage: PostgresStorage, siteId: string): Promise<void> {
  const accounts = benchAccounts()
  for (let i = 0; i < accounts.length; i += 500) await storage.ledger!.createAccounts(siteId, accounts.slice(i, i + 500))
}

/** One transfer per call (the adapter's autocommit port: one transaction each). */
function oneByOne(storage: PostgresStorage, siteId: string, run: string): (client: number, seq: number) => Promise<number> {
  return async (client, seq) => {
    const [r] = await storage.ledger!.createTransfers(siteId, [topUp(`${run}-${client}-${seq}`, bankOf(client), walletOf(client), 100n + BigInt(seq % 50))], new Date())
    if (r?.status !== 'created') throw new Error(`transfer refused: ${JSON.stringify(r)}`)
    return 1
  }
}

/** A batch of `size` ({@link BATCH} by default) top-ups per call (one transaction). */
function batched(storage: PostgresStorage, siteId: string, run: string, size = BATCH): (client: number, seq: number) => Promise<number> {
  return async (client, seq) => {
    const transfers = Array.from({ length: size }, (_, k) => topUp(`${run}-${client}-${seq}-${k}`, batchBank, batchWallet(k % WALLETS), 100n + BigInt(k % 50)))
    const results = await storage.ledger!.createTransfers(siteId, transfers, new Date())
    if (results.some((r) => r.status !== 'created')) throw new Error('a batched transfer was refused')
    return size
  }
}

/** The classic design: one transfer per call (one transaction), the same accounts and amounts as {@link oneByOne}. */
function classicOneByOne(classic: ClassicLedger, run: string): (client: number, seq: number) => Promise<number> {
  return async (client, seq) => {
    const r = await classic.transfer(`${run}-${client}-${seq}`, bankOf(client), walletOf(client), 100n + BigInt(seq % 50))
    if (r !== 'created') throw new Error(`classic transfer refused: ${r}`)
    return 1
  }
}

/** The classic design: a batch of {@link CLASSIC_BATCH} per call (one transaction), as {@link batched}. */
function classicBatched(classic: ClassicLedger, run: string): (client: number, seq: number) => Promise<number> {
  return async (client, seq) => {
    const transfers = Array.from({ length: CLASSIC_BATCH }, (_, k) => ({ id: `${run}-${client}-${seq}-${k}`, from: batchBank, to: batchWallet(k % WALLETS), amount: 100n + BigInt(k % 50) }))
    const results = await classic.batch(transfers)
    if (results.some((r) => r !== 'created')) throw new Error('a classic batched transfer was refused')
    return CLASSIC_BATCH
  }
}

/**
 * @ecole's known-totals write statement alone, one top-up per call from each client's bank to its
 * wallet: the totals read once here, then tracked (each client its own pair of accounts, one call at
 * a time), so every call passes the statement's checks and writes. Not the port (no engine, no
 * group commit): what the server spends on the statement @ecole sends for a single transfer.
 */
async function knownWriteAlone(pool: pg.Pool, siteId: string, run: string): Promise<(client: number, seq: number) => Promise<number>> {
  const { rows } = await pool.query<{ id: string; dp: string; cp: string; dpe: string; cpe: string }>(
    `SELECT id, debits_posted::text AS dp, credits_posted::text AS cp, debits_pending::text AS dpe, credits_pending::text AS cpe
     FROM ecole_ledger_accounts WHERE site_id = $1 AND id = ANY($2::text[])`,
    [siteId, Array.from({ length: CLIENTS }, (_, c) => [bankOf(c), walletOf(c)]).flat()],
  )
  const totals = new Map(rows.map((r) => [r.id, [BigInt(r.dp), BigInt(r.cp), BigInt(r.dpe), BigInt(r.cpe)]]))
  return async (client, seq) => {
    const [debit, credit] = [bankOf(client), walletOf(client)]
    const amount = 100n + BigInt(seq % 50)
    const ids = [debit, credit].sort()
    const expected = ids.flatMap((id) => totals.get(id)!)
    const after = ids.map((id) => {
      const [dp, cp, dpe, cpe] = totals.get(id)!
      return id === debit ? [dp! + amount, cp!, dpe!, cpe!] : [dp!, cp! + amount, dpe!, cpe!]
    })
    const id = `${run}-${client}-${seq}`
    const transfer = JSON.stringify([{ id, d: debit, c: credit, a: amount.toString(), cur: 'EUR', code: 'topUp', ts: stamp.toISOString(), ra: '0' }])
    const result = await pool.query<{ ok: boolean }>({
      name: 'bench_create_known',
      text: 'SELECT ecole_ledger_create_known($1, $2::timestamptz, $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::json) AS ok',
      values: [siteId, new Date().toISOString(), ids, expected.map(String), after.flat().map(String), [id], transfer],
    })
    if (result.rows[0]?.ok !== true) throw new Error('the known-totals write declined')
    ids.forEach((k, i) => totals.set(k, after[i]!))
    return 1
  }
}

/**
 * @ecole against the classic design, in the same run: one transfer per transaction with 1 and
 * {@link CLIENTS} clients, batches of {@link CLASSIC_BATCH}; prints the ratios (target >= 1.5).
 */
async function measureClassic(pool: pg.Pool, storage: PostgresStorage, siteId: string, table: string): Promise<void> {
  const classic = new ClassicLedger(pool, `ecole_bench_classic_${randomUUID().slice(0, 8)}`)
  try {
    await classic.setUp(benchAccounts().map((a) => ({ id: a.id, allowNegative: a.overdraft.kind === 'unbounded' })))
    const cpu = processAndServerCpu(pool)
    const [c1, e1] = await interleaved(MS * 1.5, 4, 1, classicOneByOne(classic, 'k1'), oneByOne(storage, siteId, 'k1'), cpu)
    const [c8, e8] = await interleaved(MS * 1.5, 4, CLIENTS, classicOneByOne(classic, 'k8'), oneByOne(storage, siteId, 'k8'), cpu)
    const [cb, eb] = await interleaved(MS * 2, 4, 1, classicBatched(classic, 'kb'), batched(storage, siteId, 'kb', CLASSIC_BATCH), cpu)
    // The floors of one transfer per transaction with one client (see docs/performance.md): a round
    // trip that does nothing, and the bare write (one statement, no check, no lock taken first).
    const roundTrip = async () => {
      await pool.query('SELECT 1')
      return 1
    }
    const bare = async (client: number, seq: number) => {
      await classic.bareTransfer(`bare-${client}-${seq}`, bankOf(client), walletOf(client), 100n + BigInt(seq % 50))
      return 1
    }
    const [rt] = await interleaved(MS / 2, 1, 1, roundTrip, roundTrip, cpu)
    const [bw, cf] = await interleaved(MS, 2, 1, bare, classicOneByOne(classic, 'kf'), cpu)
    // The floor of any design that awaits one durable commit per transfer: one autocommit INSERT of
    // one row into the scratch table (one round trip, one commit), beside the classic function.
    const insertOne = async (client: number, seq: number) => {
      await pool.query({ name: 'bench_insert_one', text: `INSERT INTO ${table} (id, client, amount) VALUES ($1, $2, $3)`, values: [`one-${client}-${seq}-${randomUUID()}`, client, 1000 + seq] })
      return 1
    }
    const [io, ci] = await interleaved(MS, 2, 1, insertOne, classicOneByOne(classic, 'ki'), cpu)
    // The transfer row alone: one autocommit INSERT of a transfer into a copy of
    // ecole_ledger_transfers (its columns, checks and four indexes), no account row touched. What a
    // design that never updates balances with a transfer (balances summed from the transfers, folded
    // later) would pay per top-up at least.
    const rowTable = `${classic.schema}.transfer_rows`
    await pool.query(`CREATE TABLE ${rowTable} (LIKE ecole_ledger_transfers INCLUDING ALL)`)
    const transferRow = async (client: number, seq: number) => {
      await pool.query({
        name: 'bench_transfer_row',
        text: `INSERT INTO ${rowTable} (site_id, id, debit_account_id, credit_account_id, amount, currency, code, "timestamp") VALUES ($1, $2, $3, $4, $5, 'EUR', 'topUp', $6)`,
        values: [siteId, `row-${client}-${seq}-${randomUUID()}`, bankOf(client), walletOf(client), 100 + (seq % 50), stamp],
      })
      return 1
    }
    const [tr, ct] = await interleaved(MS, 2, 1, transferRow, classicOneByOne(classic, 'kt'), cpu)
    // @ecole's write statement alone (what the engine's decision costs the server), beside the
    // classic function in the same slices: no engine, no group commit, the totals tracked here.
    const [w1, cw1] = await interleaved(MS, 2, 1, await knownWriteAlone(pool, siteId, 'w1'), classicOneByOne(classic, 'kw1'), cpu)
    const [w8, cw8] = await interleaved(MS, 2, CLIENTS, await knownWriteAlone(pool, siteId, 'w8'), classicOneByOne(classic, 'kw8'), cpu)
    const line = (what: string, e: Rate, c: Rate) =>
      `  ${what}: @ecole ${perSecond(e)}${cpuPerOp(e)} vs classic ${perSecond(c)}${cpuPerOp(c)}: ratio ${ratio(e, c)} (target >= 1.5: ${e.perSecond >= 1.5 * c.perSecond ? 'met' : 'NOT met'})`
    console.log(
      [
        `[ecole] ledger transfers against the classic PostgreSQL ledger design (one PL/pgSQL function per transfer: both accounts locked FOR UPDATE in id order, balances updated, transfer and two entries inserted; idempotent ids and overdraft checks in both; CPU: this process and the server backends, per transfer; ${machineLoad()}):`,
        line('1 client, one transfer per transaction', e1, c1),
        line(`${CLIENTS} clients, one transfer per transaction`, e8, c8),
        line(`batches of ${CLASSIC_BATCH.toLocaleString('en-US')} (1 client, one transaction each)`, eb, cb),
        `  floors of one transfer per transaction, 1 client: a round trip (SELECT 1) ${perSecond(rt)}${cpuPerOp(rt)}; the bare write (one statement: both balances updated, the transfer inserted; no lock first, no check, no entries) ${perSecond(bw)}${cpuPerOp(bw)} vs classic ${perSecond(cf)}${cpuPerOp(cf)} in the same slices: ${ratio(bw, cf)}x`,
        `  the floor of one durable commit per transfer, 1 client: one autocommit INSERT of one row (one round trip, one commit) ${perSecond(io)}${cpuPerOp(io)} vs classic ${perSecond(ci)}${cpuPerOp(ci)} in the same slices: ${ratio(io, ci)}x (1.5x the classic is ${Math.round(1.5 * ci.perSecond).toLocaleString('en-US')}/s: ${1.5 * ci.perSecond > io.perSecond ? 'above this floor, so no design that awaits a durable commit per transfer reaches it here' : 'below this floor'})`,
        `  the transfer row alone, 1 client: one autocommit INSERT into a copy of ecole_ledger_transfers (its checks and four indexes; no account row touched) ${perSecond(tr)}${cpuPerOp(tr)} vs classic ${perSecond(ct)}${cpuPerOp(ct)} in the same slices: ${ratio(tr, ct)}x`,
        `  @ecole's known-totals write statement alone (ecole_ledger_create_known, prepared; no engine, no grouping): 1 client ${perSecond(w1)}${cpuPerOp(w1)} vs classic ${perSecond(cw1)}${cpuPerOp(cw1)}: ${ratio(w1, cw1)}x; ${CLIENTS} clients ${perSecond(w8)}${cpuPerOp(w8)} vs classic ${perSecond(cw8)}${cpuPerOp(cw8)}: ${ratio(w8, cw8)}x`,
      ].join('\n'),
    )
  } finally {
    await classic.tearDown().catch(() => undefined)
  }
}

interface Figures {
  baseline1: Rate
  ledger1: Rate
  baseline8: Rate
  ledger8: Rate
  batched: Rate
  multiRowInsert: Rate
}

function report(where: string, f: Figures): void {
  const half = (a: Rate, b: Rate) => (a.perSecond >= b.perSecond / 2 ? 'met' : 'NOT met')
  console.log(
    [
      `[ecole] ledger transfers on ${where} (${machineLoad()}):`,
      `  1 client, one transfer per transaction: ${perSecond(f.ledger1)} vs baseline ${perSecond(f.baseline1)} single-row INSERT transactions: ratio ${ratio(f.ledger1, f.baseline1)} (target >= 0.5: ${half(f.ledger1, f.baseline1)})`,
      `  ${CLIENTS} clients, one transfer per transaction: ${perSecond(f.ledger8)} vs baseline ${perSecond(f.baseline8)}: ratio ${ratio(f.ledger8, f.baseline8)} (target >= 0.5: ${half(f.ledger8, f.baseline8)})`,
      `  batches of ${BATCH.toLocaleString('en-US')} (1 client): ${perSecond(f.batched)} transfers (target >= 50,000/s: ${f.batched.perSecond >= 50_000 ? 'met' : 'NOT met'}); ` +
        `${ratio(f.batched, f.baseline1)}x the single-row baseline; a plain ${BATCH.toLocaleString('en-US')}-row INSERT ... unnest into the scratch table: ${perSecond(f.multiRowInsert)} rows`,
    ].join('\n'),
  )
}

async function measureServer(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS })
  const storage = await createPostgresStorage({ connectionString: url, poolSize: CLIENTS })
  const siteId = benchSiteId('ledger')
  const table = `ecole_bench_baseline_${randomUUID().slice(0, 8)}`
  try {
    const settings = await durability(pool)
    await pool.query(`CREATE TABLE ${table} (id text PRIMARY KEY, client int NOT NULL, amount bigint NOT NULL)`)
    await measureServerIn(pool, storage, siteId, table, settings.line)
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined)
    await pool.end()
    await storage.close()
  }
}

async function measureServerIn(pool: pg.Pool, storage: PostgresStorage, siteId: string, table: string, settings: string): Promise<void> {
  await openAll(storage, siteId)
  const baseline = insertBaseline(pool, table)
  const [baseline1, ledger1] = await interleaved(MS * 1.5, 4, 1, baseline, oneByOne(storage, siteId, 'p1'))
  const [baseline8, ledger8] = await interleaved(MS * 1.5, 4, CLIENTS, baseline, oneByOne(storage, siteId, 'p8'))
  const multiRow = async (_client: number, seq: number) => {
    const ids = Array.from({ length: BATCH }, (_, k) => `m-${seq}-${k}`)
    await pool.query(`INSERT INTO ${table} (id, client, amount) SELECT v.id, 0, v.amount FROM unnest($1::text[], $2::bigint[]) AS v(id, amount)`, [ids, ids.map((_, k) => 100 + (k % 50))])
    return BATCH
  }
  const [batchedRate, multiRowInsert] = await interleaved(MS * 2, 2, 1, batched(storage, siteId, 'b1'), multiRow)
  report(`a PostgreSQL server (${settings})`, { baseline1, ledger1, baseline8, ledger8, batched: batchedRate, multiRowInsert })
  await measureClassic(pool, storage, siteId, table)
}

async function measurePglite(): Promise<void> {
  const db = await PGlite.create()
  const storage = await createPostgresStorage({ pglite: db })
  try {
    await measurePgliteIn(db, storage)
  } finally {
    await storage.close()
    await db.close()
  }
}

async function measurePgliteIn(db: PGlite, storage: PostgresStorage): Promise<void> {
  const siteId = benchSiteId('ledger')
  await db.exec('CREATE TABLE ecole_bench_baseline (id text PRIMARY KEY, client int NOT NULL, amount bigint NOT NULL)')
  await openAll(storage, siteId)
  const baseline = async (client: number, seq: number) => {
    await db.transaction((tx) => tx.query('INSERT INTO ecole_bench_baseline (id, client, amount) VALUES ($1, $2, $3)', [`${client}-${seq}-${randomUUID()}`, client, 1000 + seq]))
    return 1
  }
  // PGlite is a large WASM module: V8 optimises its hot functions only after a while (later still on a
  // busy machine), so both workloads run for a few seconds before anything is measured.
  await timed(1500, 1, oneByOne(storage, siteId, 'warm'))
  await timed(500, 1, baseline)
  await batched(storage, siteId, 'warm')(0, 0)
  const [baseline1, ledger1] = await interleaved(MS, 2, 1, baseline, oneByOne(storage, siteId, 'p1'))
  const [baseline8, ledger8] = await interleaved(MS, 2, CLIENTS, baseline, oneByOne(storage, siteId, 'p8'))
  const multiRow = async (_client: number, seq: number) => {
    const ids = Array.from({ length: BATCH }, (_, k) => `m-${seq}-${k}`)
    await db.query('INSERT INTO ecole_bench_baseline (id, client, amount) SELECT v.id, 0, v.amount FROM unnest($1::text[], $2::bigint[]) AS v(id, amount)', [ids, ids.map((_, k) => 100 + (k % 50))])
    return BATCH
  }
  const [batchedRate, multiRowInsert] = await interleaved(MS * 2, 2, 1, batched(storage, siteId, 'b1'), multiRow)
  report('PGlite (embedded PostgreSQL, in memory, one connection: concurrent clients queue)', { baseline1, ledger1, baseline8, ledger8, batched: batchedRate, multiRowInsert })
}

const url = benchServerUrl('ledger-transfers.bench.ts')

// The measurements run inside one-iteration benches, not at module level (vitest's collection phase
// slows CPU-bound code several times) nor in hooks (vitest bench does not run beforeAll/afterAll).
// The figures are the printed lines; vitest's timing of these calls means nothing (the first call
// measures, the next ones return at once).
const once = { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 }
const what = `one transfer per transaction (1 and ${CLIENTS} clients) and batches of ${BATCH.toLocaleString('en-US')}, each beside its baseline`

describe.skipIf(!url)('ledger transfers on a PostgreSQL server', () => {
  bench(`measure and print: ${what}`, firstCallOnly(() => measureServer(url!)), once)
})

describe('ledger transfers on PGlite', () => {
  bench(`measure and print: ${what}`, firstCallOnly(() => measurePglite()), once)
})

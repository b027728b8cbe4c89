/**
 * The child process of the connection-loss test (`connection-loss.test.ts`): it loses its
 * PostgreSQL connection in the middle of some work, on purpose, and reports what its caller saw.
 * Running in its own process is what proves the point: before the fix, the pg client's unhandled
 * `'error'` event killed the whole process; now the call fails with `STORAGE_UNAVAILABLE` and the
 * process goes on, to show that the next call works and that nothing of the lost transaction
 * was stored.
 *
 * Modes (`node --conditions=@ecole/source --import tsx connection-loss-child.ts <mode> <url> <siteId>`):
 * - `transaction`: its backend is terminated (`pg_terminate_backend`, from a second connection)
 *   while a transaction is open and idle between two statements;
 * - `ledger`: while a ledger batch of 200 transfers waits for the account rows another
 *   connection holds locked;
 * - `coalesced`: while 8 concurrent single-transfer calls of the top-level ledger port, written
 *   together as one group (group commit), wait for the account rows another connection holds
 *   locked;
 * - `validation`: while an invoice validation (numbers taken, drafts being marked validated) waits
 *   for the invoice rows another connection holds locked;
 * - `import`: while a bank-statement import (entries recorded, wallets being credited) waits for
 *   the account rows another connection holds locked;
 * - `pool`: the same with a `pg` Pool the caller created (an idle connection terminated in the
 *   pool, then one in a transaction), and `close()` leaves that pool open;
 * - `restart <url> <siteId> <server json>`: the private server it talks to is stopped while a
 *   transaction is open, called while down, and started again.
 *
 * Each check prints `result <json>`; the last line is `done {}`. Exit code 0 means the process
 * survived everything.
 *
 * @module
 */
import { isEcoleError, validateInvoiceDrafts } from '@ecole/core'
import pg from 'pg'
import { createPostgresStorage, type PostgresStorage } from '../src/index'
import {
  CRASH_BANK_ACCOUNT, CRASH_BATCH, CRASH_ISSUE_DATE, CRASH_NUMBERING, CRASH_OFFICE, CRASH_SERIES, CRASH_WALLETS, crashAccounts, crashDraft,
  crashStatementEntry, crashWalletId,
} from './crash-fixtures'
import { startPrivateServer, stopPrivateServer, type PrivateServer } from './private-server'

const [mode, url, siteId, extra] = process.argv.slice(2) as [string, string, string, string | undefined]
const appName = `ecole-loss-${process.pid}`

function out(kind: 'result' | 'done', value: unknown): void {
  process.stdout.write(`${kind} ${JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`)
  step(`${kind} ${kind === 'result' ? String((value as { check?: unknown }).check) : ''}`)
}

const started = Date.now()
let lastStep = 'start'
/** Where the child is: printed on stderr (the test shows stderr when a check fails), and by the watchdog. */
function step(name: string): void {
  lastStep = name
  process.stderr.write(`step +${Date.now() - started} ms: ${name}\n`)
}

/**
 * The watchdog: a child that has not finished after {@link WATCHDOG_MS} prints where it is and
 * what its backends are doing, and exits, so that a hang fails the test with that report instead
 * of the test's timeout with none.
 */
const WATCHDOG_MS = 75_000
setTimeout(() => {
  void (async () => {
    let activity = ''
    try {
      const probe = new pg.Client({ connectionString: url })
      probe.on('error', () => undefined)
      await probe.connect()
      const r = await probe.query(`SELECT pid, state, wait_event_type, wait_event, left(query, 120) AS query FROM pg_stat_activity WHERE application_name = $1`, [appName])
      activity = JSON.stringify(r.rows)
      await probe.end()
    } catch (error) {
      activity = `(pg_stat_activity unreadable: ${String(error)})`
    }
    process.stderr.write(`watchdog: still running after ${WATCHDOG_MS} ms, at "${lastStep}"; backends of ${appName}: ${activity}\n`)
    process.exit(3)
  })()
}, WATCHDOG_MS).unref()

/** What a caller sees of a failure: code, outcome, the driver error's message and SQLSTATE. */
function seen(error: unknown): Record<string, unknown> {
  if (!isEcoleError(error)) return { notEcoleError: String(error) }
  const cause = error.cause as { message?: string; code?: string } | undefined
  return { code: error.code, outcome: error.details['outcome'], causeMessage: cause?.message, causeCode: cause?.code, message: error.message }
}

async function failureOf(work: Promise<unknown>): Promise<Record<string, unknown>> {
  return work.then(
    (value) => ({ resolved: value }),
    (error: unknown) => seen(error),
  )
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A second connection: it locks rows and terminates this process's backends. */
async function adminClient(): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: url })
  admin.on('error', () => undefined)
  await admin.connect()
  return admin
}

/**
 * Waits until one of this process's backends shows `condition` in pg_stat_activity (60 s at
 * most), or until `gaveUp()` says the work it waits for is over (then undefined).
 */
async function waitFor(admin: pg.Client, condition: string, gaveUp: () => boolean = () => false): Promise<number | undefined> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline && !gaveUp()) {
    const r = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND ${condition}`, [appName])
    if (r.rows[0]) return r.rows[0].pid
    await sleep(10)
  }
  if (gaveUp()) return undefined
  throw new Error(`no backend of ${appName} showed ${condition}`)
}

/** Terminates backend `pid` and waits until it is gone. */
async function terminate(admin: pg.Client, pid: number): Promise<void> {
  await admin.query('SELECT pg_terminate_backend($1)', [pid])
  for (let i = 0; i < 1000; i++) {
    const r = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])
    if (r.rowCount === 0) return
    await sleep(10)
  }
}

/**
 * Runs `work` while a third connection holds `lockSql` (a `SELECT ... FOR UPDATE`) in an open
 * transaction, terminates this process's backend (from `admin`, outside any transaction: inside
 * one, pg_stat_activity would be a snapshot) as soon as it waits for that lock, then lets go.
 */
async function loseWhileBlocked(admin: pg.Client, lockSql: string, work: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const locker = await adminClient()
  try {
    return await loseWhileLocked(admin, locker, lockSql, work)
  } finally {
    await locker.end()
  }
}

async function loseWhileLocked(admin: pg.Client, locker: pg.Client, lockSql: string, work: () => Promise<unknown>): Promise<Record<string, unknown>> {
  await locker.query('BEGIN')
  const locked = await locker.query(lockSql, [siteId])
  if (locked.rowCount === 0) throw new Error(`nothing locked by ${lockSql}`)
  step(`locked: ${lockSql}`)
  let settled = false
  const failure = failureOf(work()).finally(() => (settled = true))
  const pid = await waitFor(admin, "wait_event_type = 'Lock'", () => settled)
  if (pid === undefined) {
    await locker.query('ROLLBACK')
    return { ...(await failure), terminatedWhile: 'never: the work ended before it waited for the lock' }
  }
  step(`backend ${pid} waits for the lock: terminating it`)
  await terminate(admin, pid)
  step(`backend ${pid} terminated`)
  // the work may wait on more than one backend (group commit writes a group per free connection:
  // 8 calls can be 2 groups on 2 connections, both blocked on the locked rows); each one waiting is
  // cut too, or it would wait for the locker, which waits for the work: a hang, not a loss
  while (!settled) {
    const waiting = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [appName])
    for (const row of waiting.rows) {
      step(`backend ${row.pid} waits for the lock too: terminating it`)
      await terminate(admin, row.pid)
    }
    await sleep(10)
  }
  const result = await failure
  step('the work settled: the locker lets go')
  await locker.query('ROLLBACK')
  return { ...result, terminatedWhile: 'waiting for a row lock' }
}

function storageFor(target: string, poolSize = 2): Promise<PostgresStorage> {
  return createPostgresStorage({ connectionString: `${target}${target.includes('?') ? '&' : '?'}application_name=${appName}`, poolSize, migrate: false })
}

async function transactionMode(): Promise<void> {
  const storage = await storageFor(url)
  const admin = await adminClient()
  const failure = await failureOf(
    storage.transaction(siteId, async (tx) => {
      await tx.invoiceNumbers!.nextNumbers(siteId, 'A', 3)
      await tx.outbox!.enqueue(siteId, { id: 'm1', topic: 'numbers.taken', payload: { first: 1 } })
      // Idle in transaction: terminated from the second connection, between two statements.
      await terminate(admin, (await waitFor(admin, "state = 'idle in transaction'"))!)
      await sleep(50)
      return tx.invoiceNumbers!.nextNumbers(siteId, 'B', 1)
    }),
  )
  out('result', { check: 'the call fails', ...failure })
  out('result', { check: 'nothing of the transaction was stored', lastA: await storage.invoiceNumbers!.lastNumber(siteId, 'A'), message: (await storage.outbox!.get(siteId, 'm1')) ?? null })
  // The pool has 2 connections: 10 calls in a row reuse them, none is the broken one.
  const next: number[] = []
  for (let i = 0; i < 10; i++) next.push(await storage.transaction(siteId, (tx) => tx.invoiceNumbers!.nextNumbers(siteId, 'A', 1)))
  out('result', { check: 'the next calls work', next })
  await admin.end()
  step('closing the storage')
  await storage.close()
}

async function ledgerMode(): Promise<void> {
  const storage = await storageFor(url)
  const admin = await adminClient()
  await storage.ledger!.createAccounts(siteId, crashAccounts())
  const batch = Array.from({ length: 200 }, (_, i) => {
    const e = crashStatementEntry(i)
    return {
      id: `t-${i}`, debitAccountId: CRASH_BANK_ACCOUNT, creditAccountId: crashWalletId(e.wallet), amount: e.amountMinor, currency: 'EUR' as const,
      code: 'topUp' as const, timestamp: new Date('2027-01-18T10:00:00Z'),
    }
  })
  const lockAccounts = 'SELECT 1 FROM ecole_ledger_accounts WHERE site_id = $1 FOR UPDATE'
  const inTransaction = await loseWhileBlocked(admin, lockAccounts, () =>
    storage.transaction(siteId, async (tx) => {
      await tx.outbox!.enqueue(siteId, { id: 'batch-1', topic: 'ledger.batch', payload: {} })
      return tx.ledger!.createTransfers(siteId, batch, new Date('2027-01-18T10:00:00Z'))
    }),
  )
  out('result', { check: 'a batch inside a transaction fails', ...inTransaction })
  const topLevel = await loseWhileBlocked(admin, lockAccounts, () => storage.ledger!.createTransfers(siteId, batch, new Date('2027-01-18T10:00:00Z')))
  out('result', { check: 'a top-level batch fails', ...topLevel })
  const balances = await storage.ledger!.getBalances(siteId, [CRASH_BANK_ACCOUNT])
  out('result', { check: 'no transfer was stored', bankDebits: balances[0]?.debitsPosted, transfer: (await storage.ledger!.getTransfer(siteId, 't-0')) ?? null, message: (await storage.outbox!.get(siteId, 'batch-1')) ?? null })
  const results = await storage.ledger!.createTransfers(siteId, batch, new Date('2027-01-18T10:00:00Z'))
  const after = await storage.ledger!.getBalances(siteId, [CRASH_BANK_ACCOUNT])
  const expected = batch.reduce((sum, t) => sum + t.amount, 0n)
  out('result', { check: 'the same batch then goes through once', created: results.filter((r) => r.status === 'created').length, bankDebits: after[0]?.debitsPosted, expected })
  await admin.end()
  step('closing the storage')
  await storage.close()
}

async function coalescedMode(): Promise<void> {
  const storage = await storageFor(url)
  const admin = await adminClient()
  await storage.ledger!.createAccounts(siteId, crashAccounts())
  const at = new Date('2027-01-18T10:00:00Z')
  const topUp = (id: string, wallet: number) => ({
    id, debitAccountId: CRASH_BANK_ACCOUNT, creditAccountId: crashWalletId(wallet), amount: 100n + BigInt(wallet), currency: 'EUR' as const, code: 'topUp' as const, timestamp: at,
  })
  // One call first: the adapter learns the accounts' totals (its one-statement path for the group).
  await storage.ledger!.createTransfers(siteId, [topUp('warm-up', 0)], at)
  const calls = Array.from({ length: 8 }, (_, i) => [topUp(`c-${i}`, i % CRASH_WALLETS)])
  const lockAccounts = 'SELECT 1 FROM ecole_ledger_accounts WHERE site_id = $1 FOR UPDATE'
  let outcomes: Array<Record<string, unknown>> = []
  const lost = await loseWhileBlocked(admin, lockAccounts, async () => {
    // made together: one group, one statement, blocked on the locked rows
    outcomes = await Promise.all(calls.map((batch) => failureOf(storage.ledger!.createTransfers(siteId, batch, at))))
  })
  out('result', { check: 'the group was cut while waiting for a row lock', terminatedWhile: lost['terminatedWhile'] })
  out('result', { check: 'every waiting caller fails', outcomes })
  const stored = await Promise.all(calls.map(async ([t]) => (await storage.ledger!.getTransfer(siteId, t!.id)) ?? null))
  out('result', { check: 'nothing of the group was stored', stored: stored.filter((t) => t !== null).length })
  const again = await Promise.all(calls.map((batch) => storage.ledger!.createTransfers(siteId, batch, at)))
  const [bank] = await storage.ledger!.getBalances(siteId, [CRASH_BANK_ACCOUNT])
  const expected = [topUp('warm-up', 0), ...calls.flat()].reduce((sum, t) => sum + t.amount, 0n)
  out('result', { check: 'the same calls then go through once', statuses: again.map((r) => r[0]?.status), bankDebits: bank?.debitsPosted, expected })
  await admin.end()
  step('closing the storage')
  await storage.close()
}

async function validationMode(): Promise<void> {
  const storage = await storageFor(url)
  const admin = await adminClient()
  const drafts = 20
  await storage.invoicing!.createDrafts(siteId, Array.from({ length: drafts }, (_, i) => crashDraft(siteId, i)))
  const validate = () =>
    storage.transaction(siteId, async (tx) => {
      const page = await tx.invoicing!.listInvoices(siteId, { batchId: CRASH_BATCH, status: 'draft', billingOfficeId: CRASH_OFFICE }, { limit: drafts })
      const first = await tx.invoiceNumbers!.nextNumbers(siteId, CRASH_SERIES, page.items.length)
      const validated = validateInvoiceDrafts(page.items, { issueDate: CRASH_ISSUE_DATE, firstSequence: first, numbering: CRASH_NUMBERING })
      await tx.invoicing!.markValidated(siteId, validated)
      return validated.map((v) => v.number)
    })
  const failure = await loseWhileBlocked(admin, 'SELECT 1 FROM ecole_invoices WHERE site_id = $1 FOR UPDATE', validate)
  out('result', { check: 'the validation fails', ...failure })
  const page = await storage.invoicing!.listInvoices(siteId, { batchId: CRASH_BATCH }, { limit: 100 })
  out('result', {
    check: 'no number was taken and every invoice is still a draft',
    lastNumber: await storage.invoiceNumbers!.lastNumber(siteId, CRASH_SERIES),
    statuses: [...new Set(page.items.map((i) => i.status))],
  })
  const numbers = await validate()
  out('result', { check: 'validating again numbers them 1..n', numbers, lastNumber: await storage.invoiceNumbers!.lastNumber(siteId, CRASH_SERIES) })
  await admin.end()
  step('closing the storage')
  await storage.close()
}

async function importMode(): Promise<void> {
  const storage = await storageFor(url)
  const admin = await adminClient()
  await storage.ledger!.createAccounts(siteId, crashAccounts())
  const entries = Array.from({ length: 2 * CRASH_WALLETS }, (_, i) => crashStatementEntry(i))
  const importStatement = () =>
    storage.transaction(siteId, async (tx) => {
      const already = await tx.bankImports!.importedEntryReferences(siteId, entries.map((e) => e.reference))
      const fresh = []
      for (const e of entries) {
        if (already.has(e.reference)) continue
        const status = await tx.bankImports!.createBankEntry(siteId, {
          entryReference: e.reference, accountIban: 'FR7630006000011234567890189', bookingDate: e.bookingDate, amountMinor: e.amountMinor, currency: 'EUR',
          direction: 'credit', counterpartyName: `Guardian ${e.wallet}`, remittance: null,
          outcome: { kind: 'walletTopUp', paymentId: `bank:${e.reference}`, payerId: `g${e.wallet}` },
        })
        if (status === 'created') fresh.push(e)
      }
      const results = await tx.ledger!.createTransfers(
        siteId,
        fresh.map((e) => ({
          id: `bank:${e.reference}`, debitAccountId: CRASH_BANK_ACCOUNT, creditAccountId: crashWalletId(e.wallet), amount: e.amountMinor, currency: 'EUR' as const,
          code: 'topUp' as const, links: { bankEntryRef: e.reference }, timestamp: new Date(`${e.bookingDate}T10:00:00Z`),
        })),
        new Date(),
      )
      return { recorded: fresh.length, created: results.filter((r) => r.status === 'created').length }
    })
  const failure = await loseWhileBlocked(admin, 'SELECT 1 FROM ecole_ledger_accounts WHERE site_id = $1 FOR UPDATE', importStatement)
  out('result', { check: 'the import fails', ...failure })
  const recorded = await storage.bankImports!.listBankEntries(siteId, {}, { limit: 1000 })
  const before = await storage.ledger!.getBalances(siteId, [CRASH_BANK_ACCOUNT])
  out('result', { check: 'no entry was recorded and no wallet credited', entries: recorded.items.length, bankDebits: before[0]?.debitsPosted })
  const again = await importStatement()
  const after = await storage.ledger!.getBalances(siteId, [CRASH_BANK_ACCOUNT])
  const replay = await importStatement()
  out('result', {
    check: 'importing the statement again credits each entry once',
    again, replay, bankDebits: after[0]?.debitsPosted, expected: entries.reduce((sum, e) => sum + e.amountMinor, 0n),
  })
  await admin.end()
  step('closing the storage')
  await storage.close()
}

async function poolMode(): Promise<void> {
  // The integrator's own pool, with no 'error' listener of its own.
  const pool = new pg.Pool({ connectionString: `${url}?application_name=${appName}`, max: 2 })
  const storage = await createPostgresStorage({ pool, migrate: false })
  const admin = await adminClient()
  await storage.invoiceNumbers!.nextNumbers(siteId, 'A', 1)
  // Its connection now idles in the pool: terminated there, the pool emits 'error'.
  const idle = (await waitFor(admin, "state = 'idle'"))!
  await terminate(admin, idle)
  await sleep(100)
  out('result', { check: 'an idle connection of a given pool dies', listeners: pool.listenerCount('error') })
  const failure = await failureOf(
    storage.transaction(siteId, async (tx) => {
      await tx.invoiceNumbers!.nextNumbers(siteId, 'A', 1)
      await terminate(admin, (await waitFor(admin, "state = 'idle in transaction'"))!)
      return tx.invoiceNumbers!.nextNumbers(siteId, 'A', 1)
    }),
  )
  out('result', { check: 'a transaction on a given pool fails', ...failure })
  out('result', { check: 'the next call on a given pool works', next: await storage.invoiceNumbers!.nextNumbers(siteId, 'A', 1) })
  await storage.close()
  out('result', { check: 'close() leaves the given pool open, without its listener', listeners: pool.listenerCount('error'), open: (await pool.query('SELECT 1 AS one')).rows[0] })
  await pool.end()
  await admin.end()
}

async function restartMode(): Promise<void> {
  const server = JSON.parse(extra!) as PrivateServer
  const storage = await createPostgresStorage({ connectionString: `${url}?application_name=${appName}`, poolSize: 3 })
  await storage.invoiceNumbers!.nextNumbers(siteId, 'A', 2)
  // Three connections open and idle in the pool: the stop kills them too (the pool's 'error' event).
  await Promise.all(
    [1, 2, 3].map(() =>
      storage.transaction(siteId, async (tx) => {
        await tx.invoiceNumbers!.lastNumber(siteId, 'A')
        await sleep(50)
      }),
    ),
  )
  const stopped = await failureOf(
    storage.transaction(siteId, async (tx) => {
      await tx.invoiceNumbers!.nextNumbers(siteId, 'A', 1)
      stopPrivateServer(server)
      await sleep(50)
      return tx.invoiceNumbers!.nextNumbers(siteId, 'A', 1)
    }),
  )
  out('result', { check: 'the call in progress fails when the server stops', ...stopped })
  const whileDown = await failureOf(storage.invoiceNumbers!.lastNumber(siteId, 'A'))
  out('result', { check: 'a call while the server is down fails', ...whileDown })
  startPrivateServer(server)
  const last = await storage.invoiceNumbers!.lastNumber(siteId, 'A')
  const next = await storage.transaction(siteId, (tx) => tx.invoiceNumbers!.nextNumbers(siteId, 'A', 1))
  out('result', { check: 'after the restart the next calls work', last, next })
  await storage.close()
}

try {
  if (mode === 'transaction') await transactionMode()
  else if (mode === 'ledger') await ledgerMode()
  else if (mode === 'coalesced') await coalescedMode()
  else if (mode === 'validation') await validationMode()
  else if (mode === 'import') await importMode()
  else if (mode === 'pool') await poolMode()
  else if (mode === 'restart') await restartMode()
  else throw new Error(`unknown mode ${mode}`)
  out('done', {})
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  // open clients would keep the process alive until the test's timeout: end it with the error
  process.exit(1)
}

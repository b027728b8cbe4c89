import {
  EcoleError, accountDifferences, checkLedgerAccount, decideTransferBatches, decideTransfers, isEcoleError,
  type AccountBalance, type LedgerAccountTotals, type LedgerChangeSet, type LedgerWorkingInput, type AccountOpenResult, type LedgerAccount, type LedgerTransfer, type LedgerTransferRecord, type PendingStatus, type TransferFailureCode, type TransferResult } from '@ecole/core'
import type { LedgerAccountFilter, LedgerStore, LedgerTransferFilter, Page, PageRequest } from '@ecole/core/ports'
import { assertSiteId, pageLimit, runTransaction, splitCursor, toPage, tupleKey, type PgAccess, type TxContext } from './access'
import { copyField, type Database, type SqlClient } from './driver'
import { isRetryable } from './errors'

interface AccountRow {
  id: string
  kind: 'wallet' | 'system'
  billing_office_id: string
  guardian_id: string | null
  compartment: string | null
  role: string | null
  service_id: string | null
  currency: string
  overdraft_kind: 'none' | 'limit' | 'unbounded'
  overdraft_limit: bigint | null
  low_balance_threshold: bigint | null
  debits_posted: bigint
  credits_posted: bigint
  debits_pending: bigint
  credits_pending: bigint
}

interface TransferRow {
  id: string
  debit_account_id: string
  credit_account_id: string
  amount: bigint
  currency: string | null
  code: LedgerTransfer['code']
  flags: LedgerTransfer['flags'] | null
  pending_id: string | null
  reverses_id: string | null
  expires_at: Date | null
  links: LedgerTransfer['links'] | null
  memo: string | null
  timestamp: Date
  pending_status: PendingStatus | null
  resolved_by_id: string | null
  reversed_amount: bigint
}

const ACCOUNT_COLUMNS =
  'id, kind, billing_office_id, guardian_id, compartment, role, service_id, currency, overdraft_kind, overdraft_limit, low_balance_threshold, debits_posted, credits_posted, debits_pending, credits_pending'
const TRANSFER_COLUMNS =
  'id, debit_account_id, credit_account_id, amount, currency, code, flags, pending_id, reverses_id, expires_at, links, memo, "timestamp", pending_status, resolved_by_id, reversed_amount'

function toAccount(r: AccountRow): LedgerAccount {
  const overdraft = r.overdraft_kind === 'limit' ? { kind: 'limit' as const, limit: r.overdraft_limit ?? 0n } : { kind: r.overdraft_kind }
  if (r.kind === 'wallet') {
    const w: LedgerAccount = {
      id: r.id,
      kind: 'wallet',
      guardianId: r.guardian_id ?? '',
      billingOfficeId: r.billing_office_id,
      compartment: r.compartment ?? '',
      currency: r.currency,
      overdraft,
    } as LedgerAccount
    if (r.low_balance_threshold !== null) (w as { lowBalanceThreshold?: bigint }).lowBalanceThreshold = r.low_balance_threshold
    return w
  }
  const s = { id: r.id, kind: 'system', role: r.role, billingOfficeId: r.billing_office_id, currency: r.currency, overdraft } as Record<string, unknown>
  if (r.service_id !== null) s['serviceId'] = r.service_id
  return s as unknown as LedgerAccount
}

function toBalance(r: AccountRow): AccountBalance {
  return {
    accountId: r.id,
    currency: r.currency,
    debitsPosted: r.debits_posted,
    creditsPosted: r.credits_posted,
    debitsPending: r.debits_pending,
    creditsPending: r.credits_pending,
    posted: r.credits_posted - r.debits_posted,
    available: r.credits_posted - r.debits_posted - r.debits_pending,
  } as AccountBalance
}

function toTransfer(r: TransferRow): LedgerTransfer {
  const t: LedgerTransfer = { id: r.id, debitAccountId: r.debit_account_id, creditAccountId: r.credit_account_id, amount: r.amount, code: r.code, timestamp: r.timestamp }
  if (r.currency !== null) t.currency = r.currency as LedgerTransfer['currency']
  if (r.flags !== null) t.flags = r.flags
  if (r.pending_id !== null) t.pendingId = r.pending_id
  if (r.reverses_id !== null) t.reversesId = r.reverses_id
  if (r.expires_at !== null) t.expiresAt = r.expires_at
  if (r.links !== null) t.links = r.links
  if (r.memo !== null) t.memo = r.memo
  return t
}

function toRecord(r: TransferRow): LedgerTransferRecord {
  const record: LedgerTransferRecord = { transfer: toTransfer(r), reversedAmount: r.reversed_amount }
  if (r.pending_status !== null) record.pendingStatus = r.pending_status
  if (r.resolved_by_id !== null) record.resolvedById = r.resolved_by_id
  return record
}

const text = (v: bigint): string => v.toString()

async function recordFailures(c: SqlClient, siteId: string, failures: Array<[string, TransferFailureCode]>): Promise<void> {
  await c.query(
    `INSERT INTO ecole_ledger_failed (site_id, id, code) SELECT $1, v.id, v.code FROM unnest($2::text[], $3::text[]) AS v(id, code)
     ON CONFLICT (site_id, id) DO NOTHING`,
    [siteId, failures.map((f) => f[0]), failures.map((f) => f[1])],
  )
}

/**
 * What a batch refers to, in one call (migration 9): its accounts with those of the site's expired
 * reservations (in key order, locked first when `$5` is true), the transfers it names, the expired
 * reservations between those accounts, and the ids that failed before.
 */
const READ_BATCH = 'SELECT * FROM ecole_ledger_read_batch($1, $2::text[], $3::text[], $4::timestamptz, $5::boolean)'

/**
 * Every write of a batch in one call (migration 9): new transfers, resolved reservations, account
 * totals, failed ids, each as JSON; with `$2` (what was read), only if it still holds.
 */
const WRITE_BATCH = 'SELECT ecole_ledger_write($1, $2::json, $3::json, $4::json, $5::json, $6::json) AS ok'

type BatchRow = AccountRow & TransferRow & { row_kind: 'account' | 'transfer' | 'failed' }

/** What a batch read, as `ecole_ledger_write` checks it: account totals in lock order, transfer states. */
interface ReadState {
  accounts: Array<{ id: string; dp: string; cp: string; dpe: string; cpe: string }>
  transfers: Array<{ id: string; ps: PendingStatus | null; rb: string | null; ra: string }>
}

/** The ids a batch names: its accounts, and its transfers with those they resolve or reverse. */
function batchKeys(transfers: readonly LedgerTransfer[]): { accounts: string[]; ids: string[] } {
  const accounts = new Set<string>()
  const ids = new Set<string>()
  for (const t of transfers) {
    accounts.add(t.debitAccountId).add(t.creditAccountId)
    ids.add(t.id)
    if (t.pendingId !== undefined) ids.add(t.pendingId)
    if (t.reversesId !== undefined) ids.add(t.reversesId)
  }
  return { accounts: [...accounts], ids: [...ids] }
}

/** The engine's input from what {@link READ_BATCH} returned, and the state read (for the optimistic check). */
function workingInput(rows: readonly BatchRow[]): { input: LedgerWorkingInput; read: ReadState } {
  const accounts: LedgerAccountTotals[] = []
  const transfers: LedgerTransferRecord[] = []
  const failed: Array<[string, TransferFailureCode]> = []
  const read: ReadState = { accounts: [], transfers: [] }
  for (const r of rows) {
    if (r.row_kind === 'account') {
      accounts.push({ account: toAccount(r), debitsPosted: r.debits_posted, creditsPosted: r.credits_posted, debitsPending: r.debits_pending, creditsPending: r.credits_pending })
      read.accounts.push({ id: r.id, dp: text(r.debits_posted), cp: text(r.credits_posted), dpe: text(r.debits_pending), cpe: text(r.credits_pending) })
    } else if (r.row_kind === 'failed') {
      failed.push([r.id, r.code as unknown as TransferFailureCode])
    } else {
      transfers.push(toRecord(r))
      read.transfers.push({ id: r.id, ps: r.pending_status, rb: r.resolved_by_id, ra: text(r.reversed_amount) })
    }
  }
  return { input: { accounts, transfers, failed }, read }
}

/** A batch's writes as {@link WRITE_BATCH} takes them (JSON), or undefined when there is nothing to write. */
interface BatchWrites {
  transfers: string
  changed: string
  accounts: string
  failed: string
  failures: Array<[string, TransferFailureCode]>
}

const str = JSON.stringify

/**
 * Created transfer records as the write functions take them (JSON, one object per transfer; an
 * absent key is NULL for json_to_recordset; a Date is its ISO instant, flags and links stay JSON).
 * Written as text key by key: `JSON.stringify` of one object per transfer (sixteen keys, most of
 * them undefined, a Date) was the largest item of this file in the profile of single transfers.
 */
function transfersJson(created: LedgerChangeSet['created']): string {
  let out = '['
  for (let i = 0; i < created.length; i++) {
    const { transfer: t, pendingStatus, resolvedById, reversedAmount } = created[i]!
    let o = `{"id":${str(t.id)},"d":${str(t.debitAccountId)},"c":${str(t.creditAccountId)},"a":"${t.amount}","code":${str(t.code)},"ts":${str(t.timestamp)},"ra":"${reversedAmount}"`
    if (t.currency != null) o += `,"cur":${str(t.currency)}`
    if (t.flags != null) o += `,"fl":${str(t.flags)}`
    if (t.pendingId != null) o += `,"pid":${str(t.pendingId)}`
    if (t.reversesId != null) o += `,"rid":${str(t.reversesId)}`
    if (t.expiresAt != null) o += `,"exp":${str(t.expiresAt)}`
    if (t.links != null) o += `,"ln":${str(t.links)}`
    if (t.memo != null) o += `,"memo":${str(t.memo)}`
    if (pendingStatus != null) o += `,"ps":${str(pendingStatus)}`
    if (resolvedById != null) o += `,"rb":${str(resolvedById)}`
    out += i === 0 ? `${o}}` : `,${o}}`
  }
  return `${out}]`
}

function batchWrites(changes: LedgerChangeSet): BatchWrites | undefined {
  const { created, changed, accounts, failures } = changes
  if (created.length + changed.length + accounts.length + failures.length === 0) return undefined
  return {
    transfers: transfersJson(created),
    changed: JSON.stringify(changed.map((r) => ({ id: r.transfer.id, ps: r.pendingStatus ?? null, rb: r.resolvedById ?? null, ra: text(r.reversedAmount) }))),
    accounts: JSON.stringify(accounts.map((a) => ({ id: a.account.id, dp: text(a.debitsPosted), cp: text(a.creditsPosted), dpe: text(a.debitsPending), cpe: text(a.creditsPending) }))),
    failed: JSON.stringify(failures),
    failures: failures.map((f) => [f.id, f.code]),
  }
}

/**
 * Batches up to this size take the optimistic path: it saves two round trips, which matter for a
 * few transfers; a large batch would spend more checking what it read than it saves.
 */
const OPTIMISTIC_MAX_BATCH = 16

/** One caller's batch of the top-level port. */
interface Call {
  transfers: readonly LedgerTransfer[]
  now: Date
}

/** The latest `now` of the calls (what the reads and the expiry check of a group go by). */
const latest = (calls: readonly Call[]): Date => calls.reduce((m, c) => (c.now.getTime() > m.getTime() ? c.now : m), calls[0]!.now)

const isTransferIdTaken = (error: unknown): boolean =>
  isEcoleError(error) && error.code === 'STORAGE_CONSTRAINT' && error.details['constraint'] === 'ecole_ledger_transfers_pkey'

/**
 * One batch in two calls inside the caller's transaction: lock the accounts (in id order) and read
 * what the batch refers to after the locks (so a concurrent batch's effects are seen), apply the
 * rules in memory, write everything in one statement.
 */
async function createTransfersIn(tx: TxContext, transfers: readonly LedgerTransfer[], now: Date): Promise<TransferResult[]> {
  if (transfers.length === 0) return []
  return (await createTransfersLocked(tx, [{ transfers, now }]))[0]!
}

/**
 * Several calls' batches as {@link createTransfersIn} does one: one read of them all (the accounts
 * locked in id order), the engine deciding each call's batch in turn with its own `now`, one write.
 */
async function createTransfersLocked(tx: TxContext, calls: readonly Call[], onTotals?: (totals: LedgerAccountTotals[]) => void): Promise<TransferResult[][]> {
  const { client: c, siteId } = tx
  const keys = batchKeys(calls.flatMap((call) => call.transfers))
  const rows = await c.query<BatchRow>(READ_BATCH, [siteId, keys.accounts, keys.ids, latest(calls), true])
  const { input } = workingInput(rows)
  const { results, changes } = decideTransferBatches(input, calls.map((call) => ({ batch: call.transfers, now: call.now })))
  if (onTotals !== undefined) {
    // The totals of every account locked, as this transaction leaves them.
    const after = new Map(changes.accounts.map((a) => [a.account.id, a]))
    onTotals(Array.from(input.accounts, (a) => after.get(a.account.id) ?? a))
  }
  // Many new transfers are loaded with COPY (faster than the write's JSON for them), the rest of
  // the change set written as before; one transaction either way.
  const copy = changes.created.length > COPY_MIN_CREATED
  const writes = batchWrites(copy ? { ...changes, created: [] } : changes)
  if (writes === undefined && !copy) return results
  try {
    if (copy) await c.copyFrom('ecole_ledger_transfers', TRANSFER_COPY_COLUMNS, transfersCopy(siteId, changes.created))
    if (writes !== undefined) await c.query(WRITE_BATCH, [siteId, null, writes.transfers, writes.changed, writes.accounts, writes.failed])
  } catch (error) {
    if (isTransferIdTaken(error)) {
      // Another transaction created one of these ids (with other accounts, so we did not wait for
      // it) between our read and our write: run the whole transaction again; it will see it.
      throw new EcoleError('STORAGE_RETRYABLE', 'a transfer id was created concurrently; the transaction is retried', { details: { sqlState: '40001' }, cause: error })
    }
    throw error
  }
  if (writes !== undefined && writes.failures.length > 0) {
    // Failed ids stay failed even if the caller's transaction rolls back: write them again after it.
    const { failures } = writes
    tx.afterRollback.push((after) => recordFailures(after, siteId, failures))
  }
  return results
}

/** A locked batch that creates more transfers than this loads them with `COPY`. */
const COPY_MIN_CREATED = 16

/**
 * Small batches of the top-level port (one call's, or a group of concurrent calls', in order), in
 * one transaction, optimistically: read without locking (one statement), decide with the engine,
 * then write in one statement that first locks the accounts read and checks that nothing it read
 * changed (totals, the states of the transfers it read) and that no id it creates or records as
 * failed was created or failed meanwhile. Returns each call's results, or undefined when something
 * did change (a concurrent batch on the same accounts): nothing was written, and the caller takes
 * the locking path ({@link createTransfersIn}), which waits for the other one.
 */
async function createTransfersOptimistic(db: Database, siteId: string, calls: readonly Call[]): Promise<TransferResult[][] | undefined> {
  return db.autocommit(async (c): Promise<TransferResult[][] | undefined> => {
    // The batch's own ids are read too: the rules answer a chain by whether an id of it failed before.
    const keys = batchKeys(calls.flatMap((call) => call.transfers))
    const rows = await c.query<BatchRow>(READ_BATCH, [siteId, keys.accounts, keys.ids, latest(calls), false])
    const { input, read } = workingInput(rows)
    // Read outside any transaction: committed totals (a hint for createTransfersKnown).
    remember(db, siteId, input.accounts)
    const { results, changes } = decideTransferBatches(input, calls.map((call) => ({ batch: call.transfers, now: call.now })))
    const writes = batchWrites(changes)
    if (writes === undefined) return results
    try {
      const [row] = await c.query<{ ok: boolean }>(WRITE_BATCH, [siteId, JSON.stringify(read), writes.transfers, writes.changed, writes.accounts, writes.failed])
      if (row?.ok !== true) return undefined
      remember(db, siteId, changes.accounts)
      return results
    } catch (error) {
      // An id taken meanwhile, or a lock-order deadlock with a locking batch: take the locking path.
      if (isTransferIdTaken(error) || isRetryable(error)) return undefined
      throw error
    }
  })
}

/**
 * The totals of ledger accounts as last committed by this process (read outside any transaction, or
 * written by a batch that committed), per database: what {@link createTransfersKnown} decides over.
 * A hint only: a batch decided over it is written only if every total still holds, so a stale entry
 * costs a round trip, never a wrong answer. Bounded: cleared past {@link KNOWN_LIMIT} entries.
 */
type KnownTotals = Map<string, LedgerAccountTotals>

const KNOWN_LIMIT = 100_000
const knownTotals = new WeakMap<Database, KnownTotals>()

function knownOf(db: Database): KnownTotals {
  let known = knownTotals.get(db)
  if (known === undefined) {
    known = new Map()
    knownTotals.set(db, known)
  }
  return known
}

const knownKey = (siteId: string, accountId: string): string => `${siteId}\u0000${accountId}`

function remember(db: Database, siteId: string, accounts: Iterable<LedgerAccountTotals>): void {
  const known = knownOf(db)
  if (known.size > KNOWN_LIMIT) known.clear()
  for (const a of accounts) known.set(knownKey(siteId, a.account.id), a)
}

function forget(db: Database, siteId: string, accountIds: Iterable<string>): void {
  const known = knownOf(db)
  for (const id of accountIds) known.delete(knownKey(siteId, id))
}

/**
 * Writes a small batch decided over known totals in one statement (migration 20): the expiry check,
 * one locking UPDATE per account that checks its totals, the failed-id check, the insert. Prepared
 * once per connection (pg): a call only binds and executes it.
 */
const CREATE_KNOWN = 'SELECT ecole_ledger_create_known($1, $2::timestamptz, $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::json) AS ok'
const CREATE_KNOWN_NAME = 'ecole_ledger_create_known_v1'

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Small batches of the top-level port (one call's, or a group's) in one statement, when this
 * process knows the totals of every account they name and they name no other transfer (no post,
 * void or reversal): the engine decides over those totals, and `ecole_ledger_create_known` checks
 * that no reservation of the site is due for release, locks each account (in key order) with the
 * UPDATE that checks its totals are still those and writes the new ones, checks that no id of the
 * batch failed before, and inserts the transfers; the primary key refuses an id that exists. Taken
 * only when the engine creates every transfer and changes no other record (each id then reaches
 * the primary key and the failed-id check, so none was wrongly taken for new). Returns undefined,
 * having written nothing, whenever any of this does not hold (a check that fails after a lock
 * raises a serialization failure, which rolls the statement back).
 */
async function createTransfersKnown(db: Database, siteId: string, calls: readonly Call[]): Promise<TransferResult[][] | undefined> {
  const decided = decideOverKnown(db, siteId, calls)
  if (decided === undefined) return undefined
  const { changes, ids, expected, totals, transferIds } = decided
  const ok = await writeOverKnown(db, siteId, decided, async () => {
    const [row] = await db.autocommit((c) => c.query<{ ok: boolean }>(CREATE_KNOWN, [siteId, latest(calls), ids, expected, totals, transferIds, transfersJson(changes.created)], CREATE_KNOWN_NAME))
    return row?.ok === true
  })
  return ok ? decided.results : undefined
}

/** A batch decided over known totals, as the known-totals statements take it. */
interface KnownDecision {
  results: TransferResult[][]
  changes: LedgerChangeSet
  /** The accounts decided over, in key order (the lock order), and their totals before and after, 4 each. */
  ids: string[]
  expected: string[]
  totals: string[]
  /** The ids of the transfers created. */
  transferIds: string[]
}

/**
 * The engine's decision over the totals this process knows, for calls that name only known
 * accounts and no other transfer (no post, void or reversal), when it creates every transfer and
 * changes no other record (each id then reaches the primary key and the failed-id check, so none
 * is wrongly taken for new); else undefined.
 */
function decideOverKnown(db: Database, siteId: string, calls: readonly Call[]): KnownDecision | undefined {
  const known = knownOf(db)
  const accounts = new Map<string, LedgerAccountTotals>()
  for (const call of calls) {
    for (const t of call.transfers) {
      if (t.pendingId !== undefined || t.reversesId !== undefined) return undefined
      for (const id of [t.debitAccountId, t.creditAccountId]) {
        if (accounts.has(id)) continue
        const a = known.get(knownKey(siteId, id))
        if (a === undefined) return undefined
        accounts.set(id, a)
      }
    }
  }
  const { results, changes } = decideTransferBatches({ accounts: accounts.values(), transfers: [], failed: [] }, calls.map((call) => ({ batch: call.transfers, now: call.now })))
  for (const rs of results) for (const r of rs) if (r.status !== 'created') return undefined
  if (changes.changed.length > 0 || changes.failures.length > 0 || changes.created.length === 0) return undefined
  const after = new Map(changes.accounts.map((a) => [a.account.id, a]))
  const ids = [...accounts.keys()].sort(byKey)
  const expected: string[] = []
  const totals: string[] = []
  for (const id of ids) {
    const a = accounts.get(id)!
    const b = after.get(id) ?? a
    expected.push(text(a.debitsPosted), text(a.creditsPosted), text(a.debitsPending), text(a.creditsPending))
    totals.push(text(b.debitsPosted), text(b.creditsPosted), text(b.debitsPending), text(b.creditsPending))
  }
  return { results, changes, ids, expected, totals, transferIds: changes.created.map((r) => r.transfer.id) }
}

/**
 * Runs `write` (true: written; false: declined, nothing written) for a decision over known totals:
 * the new totals are remembered before the write (a batch decided meanwhile over these accounts, by
 * another writer of this process, expects them, and its statement waits for this one's locks) and
 * forgotten when the write does not commit, so that batch's check fails and it reads them. An id
 * taken meanwhile or a serialization failure or deadlock declines (false); any other error is thrown.
 */
async function writeOverKnown(db: Database, siteId: string, decided: KnownDecision, write: () => Promise<boolean>): Promise<boolean> {
  remember(db, siteId, decided.changes.accounts)
  let ok = false
  try {
    ok = await write()
  } catch (error) {
    if (!isTransferIdTaken(error) && !isRetryable(error)) {
      forget(db, siteId, decided.ids)
      throw error
    }
  }
  if (!ok) forget(db, siteId, decided.ids)
  return ok
}

/**
 * Locks the accounts of a large batch decided over known totals, checks them and writes their new
 * totals (migration 36); the transfers follow in the same transaction. Prepared once per connection.
 */
const LOCK_KNOWN = 'SELECT ecole_ledger_lock_known($1, $2::timestamptz, $3::text[], $4::bigint[], $5::bigint[], $6::text[]) AS ok'
const LOCK_KNOWN_NAME = 'ecole_ledger_lock_known_v1'

/** The transfer columns in the order of {@link transfersCopy}'s fields. */
const TRANSFER_COPY_COLUMNS = [
  'site_id', 'id', 'debit_account_id', 'credit_account_id', 'amount', 'currency', 'code', 'flags', 'pending_id', 'reverses_id',
  'expires_at', 'links', 'memo', '"timestamp"', 'pending_status', 'resolved_by_id', 'reversed_amount',
] as const

/** Created transfer records as rows of COPY's text format, in {@link TRANSFER_COPY_COLUMNS} order. */
function transfersCopy(siteId: string, created: LedgerChangeSet['created']): string {
  const site = copyField(siteId)
  let out = ''
  for (let i = 0; i < created.length; i++) {
    const { transfer: t, pendingStatus, resolvedById, reversedAmount } = created[i]!
    out +=
      `${site}\t${copyField(t.id)}\t${copyField(t.debitAccountId)}\t${copyField(t.creditAccountId)}\t${t.amount}\t${copyField(t.currency)}\t${copyField(t.code)}` +
      `\t${t.flags == null ? '\\N' : copyField(str(t.flags))}\t${copyField(t.pendingId)}\t${copyField(t.reversesId)}\t${t.expiresAt == null ? '\\N' : t.expiresAt.toISOString()}` +
      `\t${t.links == null ? '\\N' : copyField(str(t.links))}\t${copyField(t.memo)}\t${t.timestamp.toISOString()}\t${copyField(pendingStatus)}\t${copyField(resolvedById)}\t${reversedAmount}\n`
  }
  return out
}

/** Thrown inside the transaction of {@link createTransfersKnownLarge} to roll it back when the check declines. */
const DECLINED = Symbol('declined')

/**
 * A large batch of the top-level port (more than {@link OPTIMISTIC_MAX_BATCH} transfers) over known
 * totals, in one transaction of two statements: `ecole_ledger_lock_known` (the expiry check, the
 * accounts locked in key order and checked, their new totals written, the failed-id check), then
 * the transfers loaded with `COPY` (the primary key refuses an id that exists). Returns undefined,
 * having written nothing, when the batch does not qualify ({@link decideOverKnown}) or a check
 * declines; the caller then takes the locking path.
 */
async function createTransfersKnownLarge(db: Database, siteId: string, call: Call): Promise<TransferResult[] | undefined> {
  const decided = decideOverKnown(db, siteId, [call])
  if (decided === undefined) return undefined
  const { ids, expected, totals, transferIds, changes } = decided
  const ok = await writeOverKnown(db, siteId, decided, async () => {
    try {
      return await db.transaction(async (c) => {
        const [row] = await c.query<{ ok: boolean }>(LOCK_KNOWN, [siteId, call.now, ids, expected, totals, transferIds], LOCK_KNOWN_NAME)
        if (row?.ok !== true) throw DECLINED
        await c.copyFrom('ecole_ledger_transfers', TRANSFER_COPY_COLUMNS, transfersCopy(siteId, changes.created))
        return true
      })
    } catch (error) {
      if (error === DECLINED) return false
      throw error
    }
  })
  return ok ? decided.results[0] : undefined
}

/** A call of the top-level port waiting for its group to be written. */
interface Waiting extends Call {
  resolve: (results: TransferResult[]) => void
  reject: (error: unknown) => void
}

/** The calls of one site waiting to be written, and how many writers are taking them. */
interface Lane {
  queue: Waiting[]
  writers: number
}

const lanes = new WeakMap<Database, Map<string, Lane>>()

/** At most this many waiting calls are written together. */
const GROUP_MAX_CALLS = 64

/**
 * At most this many groups of one site are written at once (on as many connections): while one
 * group waits for its round trip, the next is decided and sent. Measured with 8 clients: 1 writer
 * leaves the server idle while the process decides, 3 or 4 make groups too small to pay.
 */
const GROUP_WRITERS = 2

/**
 * Group commit for small batches of the top-level port, per adapter instance and site (as
 * TigerBeetle's clients batch their requests). A call joins the site's queue; up to
 * {@link GROUP_WRITERS} writers take everything queued (up to {@link GROUP_MAX_CALLS} calls) as
 * one group: the engine decides the group's calls one after the other, in arrival order, each
 * with its own `now` and as its own batch (a chain never spans two calls, a failure is that
 * transfer's result only), and the group is written in one statement, or one transaction: one
 * round trip and one commit for many callers, each with the results it would have had alone in
 * that order (a valid serial order: they were concurrent). A call that finds a writer free is
 * taken at the next turn of the event loop, so calls made together go together.
 *
 * When the group cannot be written as a whole for a reason of its own (an id taken meanwhile, a
 * constraint, a statement that failed), nothing of it was written and each call runs alone, so
 * such an error reaches only the call that causes it. When the database is unreachable (the
 * connection lost, the server down: `STORAGE_UNAVAILABLE`), every call of the group fails with
 * that error (its `details.outcome` says whether the group may have committed).
 */
function createTransfersGrouped(db: Database, siteId: string, call: Call): Promise<TransferResult[]> {
  let perDb = lanes.get(db)
  if (perDb === undefined) {
    perDb = new Map()
    lanes.set(db, perDb)
  }
  let lane = perDb.get(siteId)
  if (lane === undefined) {
    lane = { queue: [], writers: 0 }
    perDb.set(siteId, lane)
  }
  const promise = new Promise<TransferResult[]>((resolve, reject) => lane.queue.push({ ...call, resolve, reject }))
  if (lane.writers < GROUP_WRITERS) {
    lane.writers++
    setImmediate(() => void writeLane(db, siteId, lane, perDb))
  }
  return promise
}

/** A writer of a lane: writes groups while calls are waiting. */
async function writeLane(db: Database, siteId: string, lane: Lane, perDb: Map<string, Lane>): Promise<void> {
  try {
    while (lane.queue.length > 0) await writeGroup(db, siteId, lane.queue.splice(0, GROUP_MAX_CALLS))
  } finally {
    lane.writers--
    if (lane.writers === 0 && lane.queue.length === 0 && perDb.get(siteId) === lane) perDb.delete(siteId)
  }
}

const isUnavailable = (error: unknown): boolean => isEcoleError(error) && error.code === 'STORAGE_UNAVAILABLE'

/** One group: over known totals, else optimistically, else locked in one transaction; else each call alone. */
async function writeGroup(db: Database, siteId: string, group: readonly Waiting[]): Promise<void> {
  let results: TransferResult[][] | undefined
  try {
    results =
      (await createTransfersKnown(db, siteId, group)) ??
      (await createTransfersOptimistic(db, siteId, group)) ??
      (await runTransaction(db, siteId, (tx) => createTransfersLocked(tx, group)))
  } catch (error) {
    if (isUnavailable(error)) {
      for (const waiting of group) waiting.reject(error)
      return
    }
    // Nothing of the group was written: each call runs alone below and meets its own error there.
    if (group.length === 1) {
      group[0]!.reject(error)
      return
    }
  }
  if (results !== undefined) {
    group.forEach((waiting, i) => waiting.resolve(results[i]!))
    return
  }
  for (const waiting of group) {
    try {
      waiting.resolve(await runTransaction(db, siteId, (tx) => createTransfersIn(tx, waiting.transfers, waiting.now)))
    } catch (error) {
      waiting.reject(error)
    }
  }
}

/**
 * A large batch of the top-level port: over known totals when it qualifies
 * ({@link createTransfersKnownLarge}), else locked in a transaction of its own, after which the
 * totals it committed are remembered (so the next batch on these accounts is decided over them).
 */
async function createTransfersLarge(db: Database, access: PgAccess, siteId: string, call: Call): Promise<TransferResult[]> {
  assertSiteId(siteId)
  const known = await createTransfersKnownLarge(db, siteId, call)
  if (known !== undefined) return known
  let committed: LedgerAccountTotals[] = []
  const results = await access(siteId, async (tx) => (await createTransfersLocked(tx, [call], (totals) => (committed = totals)))[0]!)
  remember(db, siteId, committed)
  return results
}

/**
 * The PostgreSQL {@link LedgerStore}: account rows hold the running totals; the rules are the
 * engine of `@ecole/core` (`decideTransfers`), run here over what a batch locked and read, and SQL
 * only locks, reads and writes (migrations 9, 10 and 20). Inside a transaction, and for batches of
 * more than 16 transfers, the accounts are locked (`SELECT ... FOR UPDATE`, in id order) before the
 * batch reads anything, so concurrent debits of one wallet are serialised and never overdraw it. A
 * smaller batch of the top-level port is decided over the totals this process last committed when
 * it knows them all (one prepared statement that locks, checks that they still hold, and writes), else
 * optimistically (read, decide, then one statement that locks and checks that what the read saw
 * still holds), and takes the locking path when that does not hold. Transfers are append-only rows unique per (site_id, id); failed ids are recorded, and
 * recorded again after a rollback. @internal
 */
export class PgLedgerStore implements LedgerStore {
  /** `db` is given to the top-level store (each call its own transaction), not to a transaction's. */
  constructor(
    private readonly access: PgAccess,
    private readonly db?: Database,
  ) {}

  createAccounts(siteId: string, accounts: readonly LedgerAccount[]): Promise<AccountOpenResult[]> {
    return this.access(siteId, async ({ client: c }) => {
      const results: AccountOpenResult[] = []
      for (const a of accounts) {
        checkLedgerAccount(a)
        const w = a.kind === 'wallet' ? a : undefined
        const s = a.kind === 'system' ? a : undefined
        const inserted = await c.query(
          `INSERT INTO ecole_ledger_accounts (site_id, id, kind, billing_office_id, guardian_id, compartment, role, service_id, currency, overdraft_kind, overdraft_limit, low_balance_threshold)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::bigint, $12::bigint) ON CONFLICT (site_id, id) DO NOTHING RETURNING id`,
          [
            siteId,
            a.id,
            a.kind,
            a.billingOfficeId,
            w?.guardianId ?? null,
            w?.compartment ?? null,
            s?.role ?? null,
            s?.serviceId ?? null,
            a.currency,
            a.overdraft.kind,
            a.overdraft.kind === 'limit' ? a.overdraft.limit : null,
            w?.lowBalanceThreshold ?? null,
          ],
        )
        if (inserted.length > 0) {
          results.push({ id: a.id, status: 'created' })
          continue
        }
        const [row] = await c.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ecole_ledger_accounts WHERE site_id = $1 AND id = $2`, [siteId, a.id])
        const fields = accountDifferences(toAccount(row!), a)
        results.push(fields.length === 0 ? { id: a.id, status: 'exists' } : { id: a.id, status: 'failed', code: 'EXISTS_WITH_DIFFERENT_FIELDS', fields })
      }
      return results
    })
  }

  getAccount(siteId: string, accountId: string): Promise<LedgerAccount | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ecole_ledger_accounts WHERE site_id = $1 AND id = $2`, [siteId, accountId])
      return row ? toAccount(row) : undefined
    })
  }

  listAccounts(siteId: string, filter: LedgerAccountFilter = {}, page?: PageRequest): Promise<Page<LedgerAccount>> {
    return this.access(siteId, async ({ client: c }) => {
      const limit = pageLimit(page)
      const rows = await c.query<AccountRow>(
        `SELECT ${ACCOUNT_COLUMNS} FROM ecole_ledger_accounts
         WHERE site_id = $1 AND ($2::text IS NULL OR id > $2::text) AND ($3::text IS NULL OR kind = $3::text)
           AND ($4::text IS NULL OR guardian_id = $4::text) AND ($5::text IS NULL OR billing_office_id = $5::text)
           AND ($6::text IS NULL OR compartment = $6::text)
         ORDER BY id LIMIT $7`,
        [siteId, page?.after ?? null, filter.kind ?? null, filter.guardianId ?? null, filter.billingOfficeId ?? null, filter.compartment ?? null, limit + 1],
      )
      return toPage(rows, limit, toAccount, (r) => r.id)
    })
  }

  createTransfers(siteId: string, transfers: readonly LedgerTransfer[], now: Date): Promise<TransferResult[]> {
    const db = this.db
    if (db !== undefined && transfers.length <= OPTIMISTIC_MAX_BATCH) {
      assertSiteId(siteId)
      if (transfers.length === 0) return Promise.resolve([])
      return createTransfersGrouped(db, siteId, { transfers, now })
    }
    if (db !== undefined) return createTransfersLarge(db, this.access, siteId, { transfers, now })
    return this.access(siteId, (tx) => createTransfersIn(tx, transfers, now))
  }

  getTransfer(siteId: string, transferId: string): Promise<LedgerTransferRecord | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM ecole_ledger_transfers WHERE site_id = $1 AND id = $2`, [siteId, transferId])
      return row ? toRecord(row) : undefined
    })
  }

  getFailedTransfer(siteId: string, transferId: string): Promise<TransferFailureCode | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ code: TransferFailureCode }>('SELECT code FROM ecole_ledger_failed WHERE site_id = $1 AND id = $2', [siteId, transferId])
      return row?.code
    })
  }

  listTransfers(siteId: string, filter: LedgerTransferFilter = {}, page?: PageRequest): Promise<Page<LedgerTransferRecord>> {
    return this.access(siteId, async ({ client: c }) => {
      const limit = pageLimit(page)
      const after = page?.after === undefined ? [null, null] : splitCursor(page.after, 2)
      const rows = await c.query<TransferRow>(
        `SELECT ${TRANSFER_COLUMNS} FROM ecole_ledger_transfers
         WHERE site_id = $1
           AND ($2::text IS NULL OR debit_account_id = $2::text OR credit_account_id = $2::text)
           AND ($3::timestamptz IS NULL OR "timestamp" >= $3::timestamptz)
           AND ($4::timestamptz IS NULL OR "timestamp" < $4::timestamptz)
           AND ($5::timestamptz IS NULL OR ("timestamp", id) > ($5::timestamptz, $6::text))
         ORDER BY "timestamp", id LIMIT $7`,
        [siteId, filter.accountId ?? null, filter.from ?? null, filter.to ?? null, ...after, limit + 1],
      )
      return toPage(rows, limit, toRecord, (r) => tupleKey(r.timestamp.toISOString(), r.id))
    })
  }

  getBalances(siteId: string, accountIds: readonly string[], now?: Date): Promise<AccountBalance[]> {
    return this.access(siteId, async ({ client: c }) => {
      let rows: Map<string, AccountRow>
      if (now !== undefined) {
        // Reservations expired at `now` are released by the engine (an empty batch), as before a batch.
        const read = await c.query<BatchRow>(READ_BATCH, [siteId, [...accountIds], [], now, true])
        rows = new Map(read.filter((r) => r.row_kind === 'account').map((r) => [r.id, r]))
        const { changes } = decideTransfers(workingInput(read).input, [], now)
        const writes = batchWrites(changes)
        if (writes !== undefined) await c.query(WRITE_BATCH, [siteId, null, writes.transfers, writes.changed, writes.accounts, writes.failed])
        for (const a of changes.accounts) {
          const r = rows.get(a.account.id)!
          Object.assign(r, { debits_posted: a.debitsPosted, credits_posted: a.creditsPosted, debits_pending: a.debitsPending, credits_pending: a.creditsPending })
        }
      } else {
        const found = await c.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ecole_ledger_accounts WHERE site_id = $1 AND id = ANY($2::text[])`, [siteId, [...accountIds]])
        rows = new Map(found.map((r) => [r.id, r]))
      }
      return accountIds.flatMap((id) => {
        const r = rows.get(id)
        return r ? [toBalance(r)] : []
      })
    })
  }
}

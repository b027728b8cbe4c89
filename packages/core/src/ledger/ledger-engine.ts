import type { LedgerAccount } from './account'
import type { LedgerTransfer } from './transfer'
import * as checks from './transfer-checks'
import * as index from './transfer-index'
import * as outcomes from './transfer-result'
import type { TransferFailureCode, TransferResult } from './transfer-result'
import { asInputError } from '../input-error'

// The ledger's rules, written once. Every ledger runs them: the in-memory state of
// `applyTransfers` (and so the memory adapter), and every storage adapter through
// `decideTransfers` over the rows it locked and read. A ledger only supplies a working set: its
// accounts' running totals, the transfers a batch names, and the ids that failed before.

// Module-local copies of the bound (2^51) and of the helpers the rules call per transfer: the hot
// path then reads local bindings, not imported ones (which some bundlers and test runners, vitest
// among them, turn into getter calls on a module object; measured: half the engine's speed).
const MAX_TOTAL = 2 ** 51
const NOT_PENDING = index.NOT_PENDING
const PENDING = index.PENDING
const POSTED = index.POSTED
const VOIDED = index.VOIDED
const EXPIRED = index.EXPIRED
const transferCheckFailure = checks.transferCheckFailure
const isRecordedFailure = outcomes.isRecordedFailure

/**
 * @internal An account as the rules see it: its definition and running totals, as exact integer
 * numbers of minor units below 2^51 (the rules refuse a transfer that would pass that bound, so
 * every total a ledger holds converts to a number without loss). The rules change the totals in
 * place.
 */
export interface LedgerSlot {
  readonly account: LedgerAccount
  debitsPosted: number
  creditsPosted: number
  debitsPending: number
  creditsPending: number
  /** Whether debits are checked (policy none or limit). */
  readonly bounded: boolean
  /** The overdraft allowed (0 for none), capped at 2^51. */
  readonly limit: number
}

/**
 * @internal What the rules read and change: the working set of one batch. Transfers are named by
 * a handle (a number >= 0) that the working set gives out; pending states are the codes
 * `NOT_PENDING`, `PENDING`, `POSTED`, `VOIDED`, `EXPIRED` of `transfer-index`.
 */
export interface LedgerWorkingSet {
  /** The account's slot, or undefined when the ledger has no such account. */
  account(id: string): LedgerSlot | undefined
  /** The handle of the transfer created with this id (before or earlier in the batch), or -1. */
  find(id: string): number
  /** The transfer behind a handle. */
  transferAt(handle: number): LedgerTransfer
  /** Its pending state. */
  stateAt(handle: number): number
  /** Sets its pending state; `resolvedById` is the post or void that resolved it (undefined to reopen). */
  setState(handle: number, state: number, resolvedById: string | undefined): void
  /** How much of it corrections reversed. */
  reversedAt(handle: number): bigint
  /** Sets how much of it corrections reversed. */
  setReversed(handle: number, amount: bigint): void
  /** Creates a transfer (its id is new) with its pending state. */
  create(t: LedgerTransfer, state: number): void
  /** Removes the transfer created last (undo of a chain that failed). */
  removeLast(): void
  /** The recorded failure of an id, or undefined. */
  failed(id: string): TransferFailureCode | undefined
  /** Records a failure against an id (it stays failed). */
  recordFailure(id: string, code: TransferFailureCode): void
  /**
   * Handles of the transfers still `PENDING` whose `expiresAt` is at or before `nowMs` (the rules
   * release them before a batch), or an empty list.
   */
  dueExpiries(nowMs: number): readonly number[]
}

/** @internal The slot of an account with the given totals (the limit capped at 2^51, as the rules need). */
export function ledgerSlot(account: LedgerAccount, debitsPosted: number, creditsPosted: number, debitsPending: number, creditsPending: number): LedgerSlot {
  const policy = account.overdraft
  return {
    account,
    debitsPosted,
    creditsPosted,
    debitsPending,
    creditsPending,
    bounded: policy.kind !== 'unbounded',
    limit: policy.kind === 'limit' ? (policy.limit > BigInt(MAX_TOTAL) ? MAX_TOTAL : Number(policy.limit)) : 0,
  }
}

type Failure = { id: string; status: 'failed'; code: TransferFailureCode; fields?: string[] | undefined }

function fail(id: string, code: TransferFailureCode, fields?: string[]): Failure {
  return fields === undefined ? { id, status: 'failed', code } : { id, status: 'failed', code, fields }
}

/**
 * The fields in which `b` differs from the stored transfer `a`, as idempotency compares them:
 * every field except `timestamp` (a retry happens later) and `flags.linked` (a chain may be
 * retried one transfer at a time).
 *
 * @example
 * transferDifferences(t, { ...t, amount: t.amount + 1n }) //=> ['amount']
 */
export function transferDifferences(a: LedgerTransfer, b: LedgerTransfer): string[] {
  try {
    const fields: string[] = []
    if (a.debitAccountId !== b.debitAccountId) fields.push('debitAccountId')
    if (a.creditAccountId !== b.creditAccountId) fields.push('creditAccountId')
    if (a.amount !== b.amount) fields.push('amount')
    if (a.currency !== b.currency) fields.push('currency')
    if (a.code !== b.code) fields.push('code')
    const fa = a.flags
    const fb = b.flags
    if (!!fa?.pending !== !!fb?.pending) fields.push('flags.pending')
    if (!!fa?.post !== !!fb?.post) fields.push('flags.post')
    if (!!fa?.void !== !!fb?.void) fields.push('flags.void')
    if (a.pendingId !== b.pendingId) fields.push('pendingId')
    if (a.reversesId !== b.reversesId) fields.push('reversesId')
    if (a.expiresAt?.getTime() !== b.expiresAt?.getTime()) fields.push('expiresAt')
    const la = a.links
    const lb = b.links
    if (la?.bookingId !== lb?.bookingId) fields.push('links.bookingId')
    if (la?.invoiceId !== lb?.invoiceId) fields.push('links.invoiceId')
    if (la?.paymentId !== lb?.paymentId) fields.push('links.paymentId')
    if (la?.bankEntryRef !== lb?.bankEntryRef) fields.push('links.bankEntryRef')
    if (a.memo !== b.memo) fields.push('memo')
    return fields
  } catch (error) {
    throw asInputError(error, 'transferDifferences', { a: [a, 'object', 'a ledger transfer'], b: [b, 'object', 'a ledger transfer'] })
  }
}

/** @internal Releases the reservations due at `nowMs`; returns the ids released. */
export function releaseDue(ws: LedgerWorkingSet, nowMs: number): string[] {
  const due = ws.dueExpiries(nowMs)
  const released: string[] = []
  for (const handle of due) {
    const t = ws.transferAt(handle)
    const amount = Number(t.amount)
    const dr = ws.account(t.debitAccountId)
    const cr = ws.account(t.creditAccountId)
    if (dr !== undefined) dr.debitsPending -= amount
    if (cr !== undefined) cr.creditsPending -= amount
    ws.setState(handle, EXPIRED, undefined)
    released.push(t.id)
  }
  return released
}

/** Applies one transfer whose id is new; returns null when created, or the failure. */
function applyOne(ws: LedgerWorkingSet, t: LedgerTransfer, nowMs: number): Failure | null {
  const id = t.id
  const flags = t.flags
  const isPending = flags !== undefined && flags.pending === true
  const isPost = flags !== undefined && flags.post === true
  const isVoid = flags !== undefined && flags.void === true
  const dr = ws.account(t.debitAccountId)
  const cr = ws.account(t.creditAccountId)
  const refused = transferCheckFailure(t, dr?.account, cr?.account)
  if (refused !== null) return fail(id, refused.code, refused.fields)
  if (dr === undefined || cr === undefined) return fail(id, 'ACCOUNT_NOT_FOUND') // unreachable: the checks refuse it
  // Exact: the amount is at most 2^51 (checked above), so it converts to a number without loss.
  const amount = Number(t.amount)

  if (isPost || isVoid) {
    const handle = ws.find(t.pendingId!)
    if (handle < 0) return fail(id, 'PENDING_TRANSFER_NOT_FOUND', ['pendingId'])
    const status = ws.stateAt(handle)
    if (status === NOT_PENDING) return fail(id, 'PENDING_TRANSFER_NOT_PENDING', ['pendingId'])
    if (status === EXPIRED) return fail(id, 'PENDING_EXPIRED', ['pendingId'])
    if (status !== PENDING) return fail(id, 'PENDING_ALREADY_RESOLVED', ['pendingId'])
    const p = ws.transferAt(handle)
    if (p.expiresAt !== undefined && p.expiresAt.getTime() <= nowMs) return fail(id, 'PENDING_EXPIRED', ['pendingId'])
    const amountWrong = isPost ? t.amount > p.amount : t.amount !== p.amount
    if (p.debitAccountId !== t.debitAccountId || p.creditAccountId !== t.creditAccountId || amountWrong) {
      const fields: string[] = []
      if (p.debitAccountId !== t.debitAccountId) fields.push('debitAccountId')
      if (p.creditAccountId !== t.creditAccountId) fields.push('creditAccountId')
      if (amountWrong) fields.push('amount')
      return fail(id, 'PENDING_TRANSFER_MISMATCH', fields)
    }
    if (isPost && (dr.debitsPosted + amount > MAX_TOTAL || cr.creditsPosted + amount > MAX_TOTAL)) return fail(id, 'AMOUNT_OVERFLOWS', ['amount'])
    const reserved = Number(p.amount)
    dr.debitsPending -= reserved
    cr.creditsPending -= reserved
    if (isPost) {
      dr.debitsPosted += amount
      cr.creditsPosted += amount
    }
    ws.setState(handle, isPost ? POSTED : VOIDED, id)
  } else {
    let reversed = -1
    if (t.reversesId !== undefined) {
      reversed = ws.find(t.reversesId)
      if (reversed < 0) return fail(id, 'REVERSED_TRANSFER_NOT_FOUND', ['reversesId'])
      const original = ws.transferAt(reversed)
      const of = original.flags
      if (of !== undefined && (of.pending === true || of.void === true)) return fail(id, 'REVERSAL_NOT_ALLOWED', ['reversesId'])
      if (original.debitAccountId !== t.creditAccountId || original.creditAccountId !== t.debitAccountId) {
        const fields: string[] = []
        if (original.creditAccountId !== t.debitAccountId) fields.push('debitAccountId')
        if (original.debitAccountId !== t.creditAccountId) fields.push('creditAccountId')
        return fail(id, 'REVERSAL_MISMATCH', fields)
      }
      if (t.amount > original.amount - ws.reversedAt(reversed)) return fail(id, 'REVERSAL_EXCEEDS_ORIGINAL', ['amount'])
    }
    if (isPending && t.expiresAt !== undefined && t.expiresAt.getTime() <= nowMs) return fail(id, 'EXPIRY_NOT_IN_FUTURE', ['expiresAt'])
    if (isPending) {
      if (dr.debitsPending + amount > MAX_TOTAL || cr.creditsPending + amount > MAX_TOTAL) return fail(id, 'AMOUNT_OVERFLOWS', ['amount'])
    } else if (dr.debitsPosted + amount > MAX_TOTAL || cr.creditsPosted + amount > MAX_TOTAL) {
      return fail(id, 'AMOUNT_OVERFLOWS', ['amount'])
    }
    // Every total is an integer below 2^51, so these sums are exact doubles.
    if (dr.bounded && dr.debitsPosted + dr.debitsPending + amount > dr.creditsPosted + dr.limit) return fail(id, 'EXCEEDS_BALANCE', ['amount'])
    if (isPending) {
      dr.debitsPending += amount
      cr.creditsPending += amount
    } else {
      dr.debitsPosted += amount
      cr.creditsPosted += amount
      if (reversed >= 0) ws.setReversed(reversed, ws.reversedAt(reversed) + t.amount)
    }
  }
  ws.create(t, isPending ? PENDING : NOT_PENDING)
  return null
}

/** Undoes a transfer applied by applyOne, the last one created (a chain is undone in reverse order). */
function unapply(ws: LedgerWorkingSet, t: LedgerTransfer): void {
  const dr = ws.account(t.debitAccountId)!
  const cr = ws.account(t.creditAccountId)!
  const flags = t.flags
  const amount = Number(t.amount)
  if (flags?.post === true || flags?.void === true) {
    const handle = ws.find(t.pendingId!)
    const reserved = Number(ws.transferAt(handle).amount)
    dr.debitsPending += reserved
    cr.creditsPending += reserved
    if (flags.post === true) {
      dr.debitsPosted -= amount
      cr.creditsPosted -= amount
    }
    ws.setState(handle, PENDING, undefined)
  } else if (flags?.pending === true) {
    dr.debitsPending -= amount
    cr.creditsPending -= amount
  } else {
    dr.debitsPosted -= amount
    cr.creditsPosted -= amount
    if (t.reversesId !== undefined) {
      const handle = ws.find(t.reversesId)
      ws.setReversed(handle, ws.reversedAt(handle) - t.amount)
    }
  }
  ws.removeLast()
}

const CREATED = 'created' as const
const EXISTS = 'exists' as const

/** Idempotency check, then apply; `record` says whether a refusal is recorded against the id now. */
function submitOne(ws: LedgerWorkingSet, t: LedgerTransfer, nowMs: number, record: boolean): TransferResult {
  const handle = ws.find(t.id)
  if (handle >= 0) {
    const existing = ws.transferAt(handle)
    if (existing === t) return { id: t.id, status: EXISTS }
    const fields = transferDifferences(existing, t)
    return fields.length === 0 ? { id: t.id, status: EXISTS } : fail(t.id, 'EXISTS_WITH_DIFFERENT_FIELDS', fields)
  }
  if (ws.failed(t.id) !== undefined) return fail(t.id, 'ID_ALREADY_FAILED', ['id'])
  const failure = applyOne(ws, t, nowMs)
  if (failure === null) return { id: t.id, status: CREATED }
  if (record && isRecordedFailure(failure.code)) ws.recordFailure(t.id, failure.code)
  return failure
}

/**
 * @internal The ledger's rules on a batch, in order, at `nowMs`, over a working set: reservations
 * due are released first; then each transfer, or linked chain (all or nothing), is judged and
 * applied. One result per transfer. See `applyTransfers` for the rules.
 */
export function runBatch(ws: LedgerWorkingSet, batch: readonly LedgerTransfer[], nowMs: number): TransferResult[] {
  releaseDue(ws, nowMs)
  const n = batch.length
  const results = new Array<TransferResult>(n)
  let i = 0
  while (i < n) {
    const t = batch[i]!
    if (t.flags === undefined || t.flags.linked !== true) {
      results[i] = submitOne(ws, t, nowMs, true)
      i++
      continue
    }
    let end = i
    while (end < n && batch[end]!.flags?.linked === true) end++
    if (end === n) {
      for (let k = i; k < n; k++) results[k] = fail(batch[k]!.id, k === n - 1 ? 'LINKED_EVENT_CHAIN_OPEN' : 'LINKED_EVENT_FAILED')
      break
    }
    const applied: LedgerTransfer[] = []
    let failedAt = -1
    for (let k = i; k <= end; k++) {
      const r = submitOne(ws, batch[k]!, nowMs, false)
      results[k] = r
      if (r.status === CREATED) applied.push(batch[k]!)
      else if (r.status === 'failed') {
        failedAt = k
        break
      }
    }
    if (failedAt >= 0) {
      for (let k = applied.length - 1; k >= 0; k--) unapply(ws, applied[k]!)
      for (let k = i; k <= end; k++) if (k !== failedAt) results[k] = fail(batch[k]!.id, 'LINKED_EVENT_FAILED')
      const failure = results[failedAt] as Failure
      if (isRecordedFailure(failure.code)) ws.recordFailure(failure.id, failure.code)
    }
    i = end + 1
  }
  return results
}

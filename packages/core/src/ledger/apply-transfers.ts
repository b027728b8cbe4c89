import { internals, type AccountSlot, type LedgerInternals, type LedgerState } from './ledger-state'
import type { LedgerTransfer } from './transfer'
import { transferCheckFailure } from './transfer-checks'
import * as index from './transfer-index'
import { isRecordedFailure, type TransferFailureCode, type TransferResult } from './transfer-result'

// Module-local copies of the engine's bound (2^51) and of the transfer index's helpers: the hot
// path then reads local bindings, not imported ones (which some bundlers and test runners turn
// into getter calls on a module object).
const MAX_TOTAL = 2 ** 51
const hashId = index.hashId
const NOT_PENDING = index.NOT_PENDING
const PENDING = index.PENDING
const POSTED = index.POSTED
const VOIDED = index.VOIDED
const EXPIRED = index.EXPIRED

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
}

function releaseExpired(s: LedgerInternals, nowMs: number): string[] {
  const expired: string[] = []
  let next = Number.POSITIVE_INFINITY
  for (const [position, ms] of s.expiring) {
    if (ms <= nowMs) {
      const t = s.transfers.log[position]!
      const amount = Number(t.amount)
      s.accounts.get(t.debitAccountId)!.debitsPending -= amount
      s.accounts.get(t.creditAccountId)!.creditsPending -= amount
      s.transfers.status[position] = EXPIRED
      s.expiring.delete(position)
      expired.push(t.id)
    } else if (ms < next) {
      next = ms
    }
  }
  s.nextExpiryMs = next
  return expired
}

/**
 * Releases every pending transfer whose `expiresAt` is at or before `now`: it stops reserving
 * and can no longer be posted or voided. `applyTransfers` does this itself before each batch;
 * call it before reading balances at a later `now`. Returns the ids expired by this call.
 *
 * @example
 * expirePendingTransfers(ledger, new Date('2026-03-03T00:00:00Z')) //=> ['booking-2026-03-02-child-1']
 */
export function expirePendingTransfers(state: LedgerState, now: Date): string[] {
  const s = internals(state)
  const nowMs = now.getTime()
  if (nowMs > s.lastNowMs) s.lastNowMs = nowMs
  if (nowMs < s.nextExpiryMs) return []
  return releaseExpired(s, nowMs)
}

/** Applies one transfer; returns null when created, or the failure. */
function applyOne(s: LedgerInternals, t: LedgerTransfer, h: number, nowMs: number): Failure | null {
  const id = t.id
  const flags = t.flags
  const isPending = flags !== undefined && flags.pending === true
  const isPost = flags !== undefined && flags.post === true
  const isVoid = flags !== undefined && flags.void === true
  const debitSlot = s.accounts.get(t.debitAccountId)
  const creditSlot = s.accounts.get(t.creditAccountId)
  const refused = transferCheckFailure(t, debitSlot?.account, creditSlot?.account)
  if (refused !== null) return fail(id, refused.code, refused.fields)
  // both accounts exist once the checks pass
  const dr = debitSlot!
  const cr = creditSlot!
  // Exact: the amount is below LEDGER_MAX_TOTAL (2^51), so it converts to a number without loss.
  const amount = Number(t.amount)
  const currency = dr.account.currency

  if (isPost || isVoid) {
    const pendingId = t.pendingId!
    const pendingPosition = s.transfers.position(pendingId, hashId(pendingId))
    if (pendingPosition < 0) return fail(id, 'PENDING_TRANSFER_NOT_FOUND', ['pendingId'])
    const status = s.transfers.status[pendingPosition]
    if (status === NOT_PENDING) return fail(id, 'PENDING_TRANSFER_NOT_PENDING', ['pendingId'])
    if (status === EXPIRED) return fail(id, 'PENDING_EXPIRED', ['pendingId'])
    if (status !== PENDING) return fail(id, 'PENDING_ALREADY_RESOLVED', ['pendingId'])
    const p = s.transfers.log[pendingPosition]!
    if (p.expiresAt !== undefined && p.expiresAt.getTime() <= nowMs) return fail(id, 'PENDING_EXPIRED', ['pendingId'])
    if (p.debitAccountId !== t.debitAccountId || p.creditAccountId !== t.creditAccountId || (isPost ? t.amount > p.amount : t.amount !== p.amount)) {
      const fields: string[] = []
      if (p.debitAccountId !== t.debitAccountId) fields.push('debitAccountId')
      if (p.creditAccountId !== t.creditAccountId) fields.push('creditAccountId')
      if (isPost ? t.amount > p.amount : t.amount !== p.amount) fields.push('amount')
      return fail(id, 'PENDING_TRANSFER_MISMATCH', fields)
    }
    if (isPost && (dr.debitsPosted + amount > MAX_TOTAL || cr.creditsPosted + amount > MAX_TOTAL)) return fail(id, 'AMOUNT_OVERFLOWS', ['amount'])
    const reserved = Number(p.amount)
    dr.debitsPending -= reserved
    cr.creditsPending -= reserved
    if (isPost) {
      dr.debitsPosted += amount
      cr.creditsPosted += amount
      s.transfers.status[pendingPosition] = POSTED
    } else {
      s.transfers.status[pendingPosition] = VOIDED
    }
    if (p.expiresAt !== undefined) s.expiring.delete(pendingPosition)
  } else {
    let reversesId: string | undefined
    if (t.reversesId !== undefined) {
      reversesId = t.reversesId
      const original = s.transfers.get(reversesId)
      if (original === undefined) return fail(id, 'REVERSED_TRANSFER_NOT_FOUND', ['reversesId'])
      const of = original.flags
      if (of !== undefined && (of.pending === true || of.void === true)) return fail(id, 'REVERSAL_NOT_ALLOWED', ['reversesId'])
      if (original.debitAccountId !== t.creditAccountId || original.creditAccountId !== t.debitAccountId) {
        const fields: string[] = []
        if (original.creditAccountId !== t.debitAccountId) fields.push('debitAccountId')
        if (original.debitAccountId !== t.creditAccountId) fields.push('creditAccountId')
        return fail(id, 'REVERSAL_MISMATCH', fields)
      }
      if (t.amount > original.amount - (s.reversed.get(reversesId) ?? 0n)) return fail(id, 'REVERSAL_EXCEEDS_ORIGINAL', ['amount'])
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
      if (t.expiresAt !== undefined) {
        const ms = t.expiresAt.getTime()
        s.expiring.set(s.transfers.size, ms)
        if (ms < s.nextExpiryMs) s.nextExpiryMs = ms
      }
    } else {
      dr.debitsPosted += amount
      cr.creditsPosted += amount
      if (reversesId !== undefined) s.reversed.set(reversesId, (s.reversed.get(reversesId) ?? 0n) + t.amount)
    }
  }
  s.transfers.add(t, h, isPending ? PENDING : NOT_PENDING)
  return null
}

/** Undoes a transfer applied by applyOne (the last one applied to both its accounts). */
function unapply(s: LedgerInternals, t: LedgerTransfer): void {
  const dr = s.accounts.get(t.debitAccountId) as AccountSlot
  const cr = s.accounts.get(t.creditAccountId) as AccountSlot
  const flags = t.flags
  const amount = Number(t.amount)
  if (flags?.post === true || flags?.void === true) {
    const pendingPosition = s.transfers.position(t.pendingId!, hashId(t.pendingId!))
    const p = s.transfers.log[pendingPosition]!
    const reserved = Number(p.amount)
    dr.debitsPending += reserved
    cr.creditsPending += reserved
    if (flags.post === true) {
      dr.debitsPosted -= amount
      cr.creditsPosted -= amount
    }
    s.transfers.status[pendingPosition] = PENDING
    if (p.expiresAt !== undefined) {
      const ms = p.expiresAt.getTime()
      s.expiring.set(pendingPosition, ms)
      if (ms < s.nextExpiryMs) s.nextExpiryMs = ms
    }
  } else if (flags?.pending === true) {
    dr.debitsPending -= amount
    cr.creditsPending -= amount
    s.expiring.delete(s.transfers.size - 1)
  } else {
    dr.debitsPosted -= amount
    cr.creditsPosted -= amount
    if (t.reversesId !== undefined) {
      const left = s.reversed.get(t.reversesId)! - t.amount
      if (left === 0n) s.reversed.delete(t.reversesId)
      else s.reversed.set(t.reversesId, left)
    }
  }
  // chains are undone in reverse order within the batch that applied them (t is the last
  // transfer of the log), before any query extends the per-account histories
  s.transfers.pop()
}

const CREATED = 'created' as const
const EXISTS = 'exists' as const

/** Idempotency check, then apply; `record` says whether a refusal is recorded against the id now. */
function submitOne(s: LedgerInternals, t: LedgerTransfer, nowMs: number, record: boolean): TransferResult {
  const h = hashId(t.id)
  const position = s.transfers.position(t.id, h)
  if (position >= 0) {
    const existing = s.transfers.log[position]!
    if (existing === t) return { id: t.id, status: EXISTS }
    const fields = transferDifferences(existing, t)
    return fields.length === 0 ? { id: t.id, status: EXISTS } : fail(t.id, 'EXISTS_WITH_DIFFERENT_FIELDS', fields)
  }
  if (s.failed.size !== 0 && s.failed.has(t.id)) return fail(t.id, 'ID_ALREADY_FAILED', ['id'])
  const failure = applyOne(s, t, h, nowMs)
  if (failure === null) return { id: t.id, status: CREATED }
  if (record && isRecordedFailure(failure.code)) s.failed.set(t.id, failure.code)
  return failure
}

/**
 * Applies a batch of prepared transfers in order, at the instant `now`, and returns one result
 * per transfer (`created`, `exists`, or `failed` with a {@link TransferFailureCode}).
 *
 * Rules (after TigerBeetle):
 * - debits equal credits by construction: each transfer moves `amount` from one account to another
 *   of the same currency;
 * - a debit that would take a bounded account's available balance (posted credits - posted debits
 *   - pending debits) below zero, or below `-limit`, is refused with `EXCEEDS_BALANCE`;
 * - `pending` reserves (counts in pending debits/credits), `post` takes at most the reserved amount
 *   and releases the rest, `void` releases it; each pending transfer is resolved at most once, and
 *   not at or after its `expiresAt` (evaluated against `now`; expired reservations are released
 *   before the batch);
 * - a correction (`reversesId`) swaps the accounts of a posted transfer and never reverses more
 *   than its amount in total;
 * - transfers chained with `flags.linked` succeed or fail together (the others of a failed chain
 *   report `LINKED_EVENT_FAILED` and are rolled back);
 * - an id applied before returns `exists` (same fields, `timestamp` aside) or
 *   `EXISTS_WITH_DIFFERENT_FIELDS`; an id that failed returns `ID_ALREADY_FAILED` for ever.
 *
 * This is the fast path: transfers are taken as they are (validate JSON with `parseTransfers`
 * or `submitTransfers` first) and kept by reference, so do not change them afterwards.
 *
 * @example
 * const results = applyTransfers(ledger, [
 *   { id: 't1', debitAccountId: 'system:bankClearing:o1', creditAccountId: 'wallet:g1:o1:general',
 *     amount: 2000n, code: 'topUp', timestamp: now },
 * ], now) //=> [{ id: 't1', status: 'created' }]
 */
export function applyTransfers(state: LedgerState, batch: readonly LedgerTransfer[], now: Date): TransferResult[] {
  const s = internals(state)
  const nowMs = now.getTime()
  if (nowMs > s.lastNowMs) s.lastNowMs = nowMs
  if (nowMs >= s.nextExpiryMs) releaseExpired(s, nowMs)
  const n = batch.length
  const results = new Array<TransferResult>(n)
  let i = 0
  while (i < n) {
    const t = batch[i]!
    if (t.flags === undefined || t.flags.linked !== true) {
      results[i] = submitOne(s, t, nowMs, true)
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
      const r = submitOne(s, batch[k]!, nowMs, false)
      results[k] = r
      if (r.status === 'created') applied.push(batch[k]!)
      else if (r.status === 'failed') {
        failedAt = k
        break
      }
    }
    if (failedAt >= 0) {
      for (let k = applied.length - 1; k >= 0; k--) unapply(s, applied[k]!)
      for (let k = i; k <= end; k++) if (k !== failedAt) results[k] = fail(batch[k]!.id, 'LINKED_EVENT_FAILED')
      const failure = results[failedAt] as Failure
      if (isRecordedFailure(failure.code)) s.failed.set(failure.id, failure.code)
    }
    i = end + 1
  }
  return results
}

import * as engine from './ledger-engine'
import type { LedgerSlot, LedgerWorkingSet } from './ledger-engine'
import { internals, type LedgerInternals, type LedgerState } from './ledger-state'
import type { LedgerTransfer } from './transfer'
import * as index from './transfer-index'
import type { TransferFailureCode, TransferResult } from './transfer-result'

export { transferDifferences } from './ledger-engine'

// Module-local copies (see ledger-engine.ts: imported bindings can cost a getter call each).
const PENDING = index.PENDING
const hashId = index.hashId
const runBatch = engine.runBatch
const releaseDue = engine.releaseDue

/**
 * The in-memory state as the rules' working set: accounts by id, the transfer index (handles are
 * log positions), reversal totals and failed ids in maps. One per state, made on first use.
 */
class StateWorkingSet implements LedgerWorkingSet {
  /** The last id looked up and its hash (create follows a failed find of the same id). */
  private lastId = ''
  private lastHash = 0

  constructor(private readonly s: LedgerInternals) {}

  account(id: string): LedgerSlot | undefined {
    return this.s.accounts.get(id)
  }

  find(id: string): number {
    const h = hashId(id)
    this.lastId = id
    this.lastHash = h
    return this.s.transfers.position(id, h)
  }

  transferAt(handle: number): LedgerTransfer {
    return this.s.transfers.log[handle]!
  }

  stateAt(handle: number): number {
    return this.s.transfers.status[handle]!
  }

  setState(handle: number, state: number): void {
    const s = this.s
    s.transfers.status[handle] = state
    const expiresAt = s.transfers.log[handle]!.expiresAt
    if (expiresAt === undefined) return
    if (state === PENDING) {
      const ms = expiresAt.getTime()
      s.expiring.set(handle, ms)
      if (ms < s.nextExpiryMs) s.nextExpiryMs = ms
    } else {
      s.expiring.delete(handle)
    }
  }

  reversedAt(handle: number): bigint {
    return this.s.reversed.get(this.s.transfers.log[handle]!.id) ?? 0n
  }

  setReversed(handle: number, amount: bigint): void {
    const id = this.s.transfers.log[handle]!.id
    if (amount === 0n) this.s.reversed.delete(id)
    else this.s.reversed.set(id, amount)
  }

  create(t: LedgerTransfer, state: number): void {
    const s = this.s
    const h = this.lastId === t.id ? this.lastHash : hashId(t.id)
    if (state === PENDING && t.expiresAt !== undefined) {
      const ms = t.expiresAt.getTime()
      s.expiring.set(s.transfers.size, ms)
      if (ms < s.nextExpiryMs) s.nextExpiryMs = ms
    }
    s.transfers.add(t, h, state)
  }

  removeLast(): void {
    const s = this.s
    // chains are undone within the batch that applied them, before any query extends the
    // per-account histories
    s.expiring.delete(s.transfers.size - 1)
    s.transfers.pop()
  }

  failed(id: string): TransferFailureCode | undefined {
    const failed = this.s.failed
    return failed.size === 0 ? undefined : failed.get(id)
  }

  recordFailure(id: string, code: TransferFailureCode): void {
    this.s.failed.set(id, code)
  }

  dueExpiries(nowMs: number): readonly number[] {
    const s = this.s
    if (nowMs < s.nextExpiryMs) return NONE
    const due: number[] = []
    let next = Number.POSITIVE_INFINITY
    for (const [position, ms] of s.expiring) {
      if (ms <= nowMs) due.push(position)
      else if (ms < next) next = ms
    }
    s.nextExpiryMs = next
    return due
  }
}

const NONE: readonly number[] = []
const workingSets = new WeakMap<LedgerInternals, StateWorkingSet>()

/** @internal The rules' working set over an in-memory state. */
export function stateWorkingSet(s: LedgerInternals): LedgerWorkingSet {
  let ws = workingSets.get(s)
  if (ws === undefined) {
    ws = new StateWorkingSet(s)
    workingSets.set(s, ws)
  }
  return ws
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
  return releaseDue(stateWorkingSet(s), nowMs)
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
  return runBatch(stateWorkingSet(s), batch, nowMs)
}

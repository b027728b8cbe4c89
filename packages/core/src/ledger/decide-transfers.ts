import type { LedgerAccount } from './account'
import { ledgerSlot, runBatch, type LedgerSlot, type LedgerWorkingSet } from './ledger-engine'
import { internals, type LedgerState } from './ledger-state'
import type { LedgerTransfer } from './transfer'
import { EXPIRED, NOT_PENDING, PENDING, POSTED, VOIDED } from './transfer-index'
import type { LedgerTransferRecord } from './transfer-record'
import type { PendingStatus, TransferFailureCode, TransferResult } from './transfer-result'
import { asInputError } from '../input-error'

/**
 * An account as a storage adapter read it for a batch: its definition and its four running
 * totals in minor units.
 *
 * @example
 * const row: LedgerAccountTotals = { account: wallet, debitsPosted: 0n, creditsPosted: 2000n, debitsPending: 415n, creditsPending: 0n }
 */
export interface LedgerAccountTotals {
  /** The account's definition. */
  account: LedgerAccount
  /** Sum of its posted debits. */
  debitsPosted: bigint
  /** Sum of its posted credits. */
  creditsPosted: bigint
  /** Sum of the debits it reserves (pending). */
  debitsPending: bigint
  /** Sum of the credits reserved towards it (pending). */
  creditsPending: bigint
}

/**
 * What a storage adapter reads (and locks) for a batch before the rules decide it: the accounts
 * the batch names (with those of reservations expired at `now`), the transfers it names (its own
 * ids, the pending transfers it posts or voids, those it reverses, and reservations expired at
 * `now` between its accounts), and which of its ids failed before. Anything the batch names and
 * the input lacks is taken as absent (an unknown account, a new id).
 *
 * @example
 * const input: LedgerWorkingInput = { accounts: [walletRow, bankRow], transfers: [], failed: [] }
 */
export interface LedgerWorkingInput {
  /** The accounts read, with their totals. */
  accounts: Iterable<LedgerAccountTotals>
  /** The transfers read, with their pending state and reversed total. */
  transfers: Iterable<LedgerTransferRecord>
  /** Ids that failed before, with their recorded code. */
  failed: Iterable<readonly [string, TransferFailureCode]>
}

/**
 * What a batch changes, for a storage adapter to write in one go: the transfers it created (in
 * creation order, in their state at the end of the batch), the transfers read whose pending state,
 * resolver or reversed total changed, the accounts whose totals changed (their new totals), and
 * the ids whose refusal is recorded (they stay failed, even if the caller's transaction rolls back).
 *
 * @example
 * const { changes } = decideTransfers(input, batch, now)
 * changes.created.length //=> 1
 */
export interface LedgerChangeSet {
  /** New transfers, in creation order. */
  created: LedgerTransferRecord[]
  /** Transfers read whose state changed (posted, voided, expired, reversed). */
  changed: LedgerTransferRecord[]
  /** New totals of the accounts that changed. */
  accounts: LedgerAccountTotals[]
  /** Ids refused now with a recorded failure. */
  failures: Array<{ id: string; code: TransferFailureCode }>
}

/**
 * The results of a batch and what it changes.
 *
 * @example
 * const { results, changes } = decideTransfers(input, batch, now)
 */
export interface LedgerDecision {
  /** One result per transfer, in batch order. */
  results: TransferResult[]
  /** What to write. */
  changes: LedgerChangeSet
}

const STATE_OF: Record<PendingStatus, number> = { pending: PENDING, posted: POSTED, voided: VOIDED, expired: EXPIRED }
const STATUS_OF: ReadonlyArray<PendingStatus | undefined> = [undefined, 'pending', 'posted', 'voided', 'expired']

interface Entry {
  transfer: LedgerTransfer
  state: number
  resolvedById: string | undefined
  reversed: bigint
  /** As read (entries created by the batch: -1). */
  readState: number
  readResolvedById: string | undefined
  readReversed: bigint
}

interface Slot extends LedgerSlot {
  readonly read: readonly [number, number, number, number]
}

/** The working set of one batch over what an adapter read: a change set by difference with the read. */
class ReadWorkingSet implements LedgerWorkingSet {
  readonly slots = new Map<string, Slot>()
  readonly entries: Entry[] = []
  readonly byId = new Map<string, number>()
  readonly readCount: number
  readonly failures = new Map<string, TransferFailureCode>()
  private readonly failedBefore: Map<string, TransferFailureCode>

  constructor(input: LedgerWorkingInput) {
    for (const a of input.accounts) {
      const dp = Number(a.debitsPosted)
      const cp = Number(a.creditsPosted)
      const dpe = Number(a.debitsPending)
      const cpe = Number(a.creditsPending)
      this.slots.set(a.account.id, { ...ledgerSlot(a.account, dp, cp, dpe, cpe), read: [dp, cp, dpe, cpe] })
    }
    for (const r of input.transfers) {
      if (this.byId.has(r.transfer.id)) continue
      const state = r.pendingStatus === undefined ? NOT_PENDING : STATE_OF[r.pendingStatus]
      this.byId.set(r.transfer.id, this.entries.length)
      this.entries.push({
        transfer: r.transfer,
        state,
        resolvedById: r.resolvedById,
        reversed: r.reversedAmount,
        readState: state,
        readResolvedById: r.resolvedById,
        readReversed: r.reversedAmount,
      })
    }
    this.readCount = this.entries.length
    this.failedBefore = new Map(input.failed)
  }

  account(id: string): LedgerSlot | undefined {
    return this.slots.get(id)
  }

  find(id: string): number {
    return this.byId.get(id) ?? -1
  }

  transferAt(handle: number): LedgerTransfer {
    return this.entries[handle]!.transfer
  }

  stateAt(handle: number): number {
    return this.entries[handle]!.state
  }

  setState(handle: number, state: number, resolvedById: string | undefined): void {
    const e = this.entries[handle]!
    e.state = state
    e.resolvedById = resolvedById
  }

  reversedAt(handle: number): bigint {
    return this.entries[handle]!.reversed
  }

  setReversed(handle: number, amount: bigint): void {
    this.entries[handle]!.reversed = amount
  }

  create(t: LedgerTransfer, state: number): void {
    this.byId.set(t.id, this.entries.length)
    this.entries.push({ transfer: t, state, resolvedById: undefined, reversed: 0n, readState: -1, readResolvedById: undefined, readReversed: 0n })
  }

  removeLast(): void {
    const e = this.entries.pop()!
    this.byId.delete(e.transfer.id)
  }

  failed(id: string): TransferFailureCode | undefined {
    return this.failures.get(id) ?? this.failedBefore.get(id)
  }

  recordFailure(id: string, code: TransferFailureCode): void {
    this.failures.set(id, code)
  }

  dueExpiries(nowMs: number): readonly number[] {
    const due: number[] = []
    for (let h = 0; h < this.readCount; h++) {
      const e = this.entries[h]!
      if (e.state === PENDING && e.transfer.expiresAt !== undefined && e.transfer.expiresAt.getTime() <= nowMs) due.push(h)
    }
    return due
  }

  changes(): LedgerChangeSet {
    const record = (e: Entry): LedgerTransferRecord => {
      const r: LedgerTransferRecord = { transfer: e.transfer, reversedAmount: e.reversed }
      const status = STATUS_OF[e.state]
      if (status !== undefined) r.pendingStatus = status
      if (e.resolvedById !== undefined) r.resolvedById = e.resolvedById
      return r
    }
    const created: LedgerTransferRecord[] = []
    const changed: LedgerTransferRecord[] = []
    for (let h = 0; h < this.entries.length; h++) {
      const e = this.entries[h]!
      if (h >= this.readCount) created.push(record(e))
      else if (e.state !== e.readState || e.resolvedById !== e.readResolvedById || e.reversed !== e.readReversed) changed.push(record(e))
    }
    const accounts: LedgerAccountTotals[] = []
    for (const slot of this.slots.values()) {
      const [dp, cp, dpe, cpe] = slot.read
      if (slot.debitsPosted === dp && slot.creditsPosted === cp && slot.debitsPending === dpe && slot.creditsPending === cpe) continue
      accounts.push({
        account: slot.account,
        debitsPosted: BigInt(slot.debitsPosted),
        creditsPosted: BigInt(slot.creditsPosted),
        debitsPending: BigInt(slot.debitsPending),
        creditsPending: BigInt(slot.creditsPending),
      })
    }
    return { created, changed, accounts, failures: [...this.failures].map(([id, code]) => ({ id, code })) }
  }
}

/**
 * Decides a batch with the ledger's rules over what a storage adapter read for it, without
 * touching storage: the same rules, in the same code, as `applyTransfers` (both run the one
 * engine of `@ecole/core`), in batch order. Returns one result per transfer and the change set to
 * write. The adapter locks and reads (see {@link LedgerWorkingInput}), calls this, and writes the
 * change set in the same transaction; the SQL holds no rule of its own.
 *
 * @example
 * const { results, changes } = decideTransfers(
 *   { accounts: [{ account: wallet, debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n }, bankRow], transfers: [], failed: [] },
 *   [debitFiveEuros, topUpFiveEuros], now)
 * results[0] //=> { id: 'debit', status: 'failed', code: 'EXCEEDS_BALANCE', fields: ['amount'] }
 */
export function decideTransfers(input: LedgerWorkingInput, batch: readonly LedgerTransfer[], now: Date): LedgerDecision {
  try {
    const ws = new ReadWorkingSet(input)
    const results = runBatch(ws, batch, now.getTime())
    return { results, changes: ws.changes() }
  } catch (error) {
    throw asInputError(error, 'decideTransfers', { input: [input, 'object', "the ledger's working input"], batch: [batch, 'array', 'the transfers'], now: [now, 'instant'] })
  }
}

/**
 * Decides several batches one after the other over one read, as if each had been given to
 * {@link decideTransfers} in turn with its own `now` (a chain never spans two batches), and returns
 * each batch's results with the change set of them all: for an adapter that writes concurrent
 * callers' batches in one transaction (one commit for many calls, results as if applied in this
 * order).
 *
 * @example
 * const { results, changes } = decideTransferBatches(input, [{ batch: [a], now }, { batch: [b, c], now }])
 * results.map((r) => r.length) //=> [1, 2]
 */
export function decideTransferBatches(
  input: LedgerWorkingInput,
  batches: ReadonlyArray<{ batch: readonly LedgerTransfer[]; now: Date }>,
): { results: TransferResult[][]; changes: LedgerChangeSet } {
  try {
    const ws = new ReadWorkingSet(input)
    const results = batches.map((b) => runBatch(ws, b.batch, b.now.getTime()))
    return { results, changes: ws.changes() }
  } catch (error) {
    throw asInputError(error, 'decideTransferBatches', { input: [input, 'object', "the ledger's working input"], batches: [batches, 'array', 'the transfer batches'] })
  }
}

/**
 * Records ids as failed in an in-memory ledger, as if they had been refused with these codes (an
 * id already created or already failed is left as it is): for a store that keeps the ids refused
 * inside a transaction that rolled back, and rebuilds its state afterwards.
 *
 * @example
 * recordFailedTransfers(ledger, [['booking-1', 'EXCEEDS_BALANCE']])
 * getFailedTransfer(ledger, 'booking-1') //=> 'EXCEEDS_BALANCE'
 */
export function recordFailedTransfers(state: LedgerState, failures: Iterable<readonly [string, TransferFailureCode]>): void {
  const s = internals(state)
  for (const [id, code] of failures) if (!s.failed.has(id) && !s.transfers.has(id)) s.failed.set(id, code)
}

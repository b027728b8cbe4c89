import {
  LEDGER_MAX_TOTAL,
  isRecordedFailure,
  transferCheckFailure,
  transferDifferences,
  type LedgerAccount,
  type LedgerTransfer,
  type PendingStatus,
  type TransferFailureCode,
  type TransferResult,
} from '@ecole/core'

/** An account locked for the batch, with its running totals. @internal */
export interface AccountWork {
  account: LedgerAccount
  debitsPosted: bigint
  creditsPosted: bigint
  debitsPending: bigint
  creditsPending: bigint
  dirty: boolean
}

/** A transfer the batch may refer to (by id, as pending or reversed), with its evolving state. @internal */
export interface TransferWork {
  transfer: LedgerTransfer
  pendingStatus?: PendingStatus | undefined
  resolvedById?: string | undefined
  reversedAmount: bigint
  /** Created by this batch (to insert). */
  created: boolean
  /** State changed by this batch (to update). */
  dirty: boolean
}

/** What a batch works on: the rows loaded (and locked) for it. @internal */
export interface LedgerWorkingSet {
  accounts: Map<string, AccountWork>
  transfers: Map<string, TransferWork>
  failed: Map<string, TransferFailureCode>
  /** Failures this batch records. */
  newFailures: Map<string, TransferFailureCode>
  /** Ids created by this batch, in order. */
  createdOrder: string[]
}

type Failure = { id: string; status: 'failed'; code: TransferFailureCode; fields?: string[] | undefined }

function fail(id: string, code: TransferFailureCode, fields?: string[]): Failure {
  return fields === undefined ? { id, status: 'failed', code } : { id, status: 'failed', code, fields }
}

const MAX = LEDGER_MAX_TOTAL

function limitOf(a: LedgerAccount): bigint | undefined {
  const p = a.overdraft
  return p.kind === 'unbounded' ? undefined : p.kind === 'limit' ? (p.limit > MAX ? MAX : p.limit) : 0n
}

/**
 * The ledger's rules on one transfer, over a working set (the same rules, in the same order, as
 * `applyTransfers` of `@ecole/core`, which the conformance suite's model checks against).
 */
function applyOne(ws: LedgerWorkingSet, t: LedgerTransfer, nowMs: number): Failure | null {
  const id = t.id
  const f = t.flags
  const isPending = f?.pending === true
  const isPost = f?.post === true
  const isVoid = f?.void === true
  const debitSlot = ws.accounts.get(t.debitAccountId)
  const creditSlot = ws.accounts.get(t.creditAccountId)
  const refused = transferCheckFailure(t, debitSlot?.account, creditSlot?.account)
  if (refused !== null) return fail(id, refused.code, refused.fields)
  // both accounts exist once the checks pass
  const dr = debitSlot!
  const cr = creditSlot!
  const amount = t.amount
  const currency = dr.account.currency
  let reversed: TransferWork | undefined
  if (isPost || isVoid) {
    const pw = ws.transfers.get(t.pendingId!)
    if (pw === undefined) return fail(id, 'PENDING_TRANSFER_NOT_FOUND', ['pendingId'])
    if (pw.pendingStatus === undefined) return fail(id, 'PENDING_TRANSFER_NOT_PENDING', ['pendingId'])
    if (pw.pendingStatus === 'expired') return fail(id, 'PENDING_EXPIRED', ['pendingId'])
    if (pw.pendingStatus !== 'pending') return fail(id, 'PENDING_ALREADY_RESOLVED', ['pendingId'])
    const p = pw.transfer
    if (p.expiresAt !== undefined && p.expiresAt.getTime() <= nowMs) return fail(id, 'PENDING_EXPIRED', ['pendingId'])
    const amountWrong = isPost ? amount > p.amount : amount !== p.amount
    if (p.debitAccountId !== t.debitAccountId || p.creditAccountId !== t.creditAccountId || amountWrong) {
      const fields: string[] = []
      if (p.debitAccountId !== t.debitAccountId) fields.push('debitAccountId')
      if (p.creditAccountId !== t.creditAccountId) fields.push('creditAccountId')
      if (amountWrong) fields.push('amount')
      return fail(id, 'PENDING_TRANSFER_MISMATCH', fields)
    }
    if (isPost && (dr.debitsPosted + amount > MAX || cr.creditsPosted + amount > MAX)) return fail(id, 'AMOUNT_OVERFLOWS', ['amount'])
    dr.debitsPending -= p.amount
    cr.creditsPending -= p.amount
    if (isPost) {
      dr.debitsPosted += amount
      cr.creditsPosted += amount
    }
    pw.pendingStatus = isPost ? 'posted' : 'voided'
    pw.resolvedById = id
    pw.dirty = true
  } else {
    if (t.reversesId !== undefined) {
      reversed = ws.transfers.get(t.reversesId)
      if (reversed === undefined) return fail(id, 'REVERSED_TRANSFER_NOT_FOUND', ['reversesId'])
      const o = reversed.transfer
      if (o.flags?.pending === true || o.flags?.void === true) return fail(id, 'REVERSAL_NOT_ALLOWED', ['reversesId'])
      if (o.debitAccountId !== t.creditAccountId || o.creditAccountId !== t.debitAccountId) {
        const fields: string[] = []
        if (o.creditAccountId !== t.debitAccountId) fields.push('debitAccountId')
        if (o.debitAccountId !== t.creditAccountId) fields.push('creditAccountId')
        return fail(id, 'REVERSAL_MISMATCH', fields)
      }
      if (amount > o.amount - reversed.reversedAmount) return fail(id, 'REVERSAL_EXCEEDS_ORIGINAL', ['amount'])
    }
    if (isPending && t.expiresAt !== undefined && t.expiresAt.getTime() <= nowMs) return fail(id, 'EXPIRY_NOT_IN_FUTURE', ['expiresAt'])
    if (isPending) {
      if (dr.debitsPending + amount > MAX || cr.creditsPending + amount > MAX) return fail(id, 'AMOUNT_OVERFLOWS', ['amount'])
    } else if (dr.debitsPosted + amount > MAX || cr.creditsPosted + amount > MAX) {
      return fail(id, 'AMOUNT_OVERFLOWS', ['amount'])
    }
    const limit = limitOf(dr.account)
    if (limit !== undefined && dr.debitsPosted + dr.debitsPending + amount > dr.creditsPosted + limit) return fail(id, 'EXCEEDS_BALANCE', ['amount'])
    if (isPending) {
      dr.debitsPending += amount
      cr.creditsPending += amount
    } else {
      dr.debitsPosted += amount
      cr.creditsPosted += amount
      if (reversed !== undefined) {
        reversed.reversedAmount += amount
        reversed.dirty = true
      }
    }
  }
  dr.dirty = true
  cr.dirty = true
  ws.transfers.set(id, { transfer: t, pendingStatus: isPending ? 'pending' : undefined, reversedAmount: 0n, created: true, dirty: false })
  ws.createdOrder.push(id)
  return null
}

function submitOne(ws: LedgerWorkingSet, t: LedgerTransfer, nowMs: number, record: boolean): TransferResult {
  const existing = ws.transfers.get(t.id)
  if (existing !== undefined) {
    const fields = transferDifferences(existing.transfer, t)
    return fields.length === 0 ? { id: t.id, status: 'exists' } : fail(t.id, 'EXISTS_WITH_DIFFERENT_FIELDS', fields)
  }
  if (ws.failed.has(t.id)) return fail(t.id, 'ID_ALREADY_FAILED', ['id'])
  const failure = applyOne(ws, t, nowMs)
  if (failure === null) return { id: t.id, status: 'created' }
  if (record && isRecordedFailure(failure.code)) {
    ws.failed.set(t.id, failure.code)
    ws.newFailures.set(t.id, failure.code)
  }
  return failure
}

interface Snapshot {
  accounts: Array<[AccountWork, bigint, bigint, bigint, bigint, boolean]>
  transfers: Array<[TransferWork, PendingStatus | undefined, string | undefined, bigint, boolean]>
  created: number
}

function snapshot(ws: LedgerWorkingSet): Snapshot {
  return {
    accounts: [...ws.accounts.values()].map((a) => [a, a.debitsPosted, a.creditsPosted, a.debitsPending, a.creditsPending, a.dirty]),
    transfers: [...ws.transfers.values()].map((t) => [t, t.pendingStatus, t.resolvedById, t.reversedAmount, t.dirty]),
    created: ws.createdOrder.length,
  }
}

function restore(ws: LedgerWorkingSet, s: Snapshot): void {
  for (const [a, dp, cp, dpe, cpe, dirty] of s.accounts) Object.assign(a, { debitsPosted: dp, creditsPosted: cp, debitsPending: dpe, creditsPending: cpe, dirty })
  for (const [t, ps, rb, ra, dirty] of s.transfers) Object.assign(t, { pendingStatus: ps, resolvedById: rb, reversedAmount: ra, dirty })
  for (const id of ws.createdOrder.splice(s.created)) ws.transfers.delete(id)
}

/**
 * Applies a batch over a working set with the ledger's rules: linked chains all or nothing,
 * idempotency, failures recorded. Mutates `ws`; returns one result per transfer. @internal
 */
export function applyBatch(ws: LedgerWorkingSet, batch: readonly LedgerTransfer[], now: Date): TransferResult[] {
  const nowMs = now.getTime()
  const n = batch.length
  const results = new Array<TransferResult>(n)
  let i = 0
  while (i < n) {
    const t = batch[i]!
    if (t.flags?.linked !== true) {
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
    const before = snapshot(ws)
    let failedAt = -1
    for (let k = i; k <= end; k++) {
      const r = submitOne(ws, batch[k]!, nowMs, false)
      results[k] = r
      if (r.status === 'failed') {
        failedAt = k
        break
      }
    }
    if (failedAt >= 0) {
      restore(ws, before)
      for (let k = i; k <= end; k++) if (k !== failedAt) results[k] = fail(batch[k]!.id, 'LINKED_EVENT_FAILED')
      const failure = results[failedAt] as Failure
      if (isRecordedFailure(failure.code)) {
        ws.failed.set(failure.id, failure.code)
        ws.newFailures.set(failure.id, failure.code)
      }
    }
    i = end + 1
  }
  return results
}

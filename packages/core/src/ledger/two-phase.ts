import type { LedgerTransfer, TransferCode, TransferLinks } from './transfer'
import { asInputError } from '../input-error'

/**
 * What a post or void adds to the pending transfer it resolves.
 *
 * @example
 * const args: ResolvePendingArgs = { id: 'served-booking-1', timestamp: new Date('2026-03-02T12:30:00Z') }
 */
export interface ResolvePendingArgs {
  /** Client-chosen id of the post or void (its idempotency key). */
  id: string
  /** When it happens. */
  timestamp: Date
  /** For a post: the amount taken, at most the reserved amount (the rest is released). Defaults to all of it. */
  amount?: bigint | undefined
  /** The code; defaults to the pending transfer's code for a post, `cancellation` for a void. */
  code?: TransferCode | undefined
  /** Links; default to the pending transfer's. */
  links?: TransferLinks | undefined
  /** Free text. */
  memo?: string | undefined
  /** Chain it to the next transfer of the batch. */
  linked?: boolean | undefined
}

function resolve(pending: LedgerTransfer, args: ResolvePendingArgs, kind: 'post' | 'void'): LedgerTransfer {
  const t: LedgerTransfer = {
    id: args.id,
    debitAccountId: pending.debitAccountId,
    creditAccountId: pending.creditAccountId,
    amount: kind === 'post' && args.amount !== undefined ? args.amount : pending.amount,
    code: args.code ?? (kind === 'post' ? pending.code : 'cancellation'),
    flags: kind === 'post' ? { post: true } : { void: true },
    pendingId: pending.id,
    timestamp: args.timestamp,
  }
  if (args.linked === true) t.flags!.linked = true
  if (pending.currency !== undefined) t.currency = pending.currency
  const links = args.links ?? pending.links
  if (links !== undefined) t.links = links
  if (args.memo !== undefined) t.memo = args.memo
  return t
}

/**
 * The transfer that posts a pending one (the meal was served): same accounts, the reserved
 * amount or less, `flags.post` and `pendingId`.
 *
 * @example
 * const served = postPendingTransfer(booking, { id: 'served-b1', timestamp: new Date('2026-03-02T12:30:00Z') })
 * served.flags //=> { post: true }
 */
export function postPendingTransfer(pending: LedgerTransfer, args: ResolvePendingArgs): LedgerTransfer {
  try {
    return resolve(pending, args, 'post')
  } catch (error) {
    throw asInputError(error, 'postPendingTransfer', { pending: [pending, 'object', 'a pending ledger transfer'], args: [args, 'object', 'the post arguments'] })
  }
}

/**
 * The transfer that voids a pending one (cancelled in time): same accounts and amount,
 * `flags.void`, `pendingId`, code `cancellation` unless told otherwise. It releases the
 * reservation; no money moves.
 *
 * @example
 * const cancelled = voidPendingTransfer(booking, { id: 'cancel-b1', timestamp: new Date('2026-03-01T09:00:00Z') })
 * cancelled.code //=> 'cancellation'
 */
export function voidPendingTransfer(pending: LedgerTransfer, args: ResolvePendingArgs): LedgerTransfer {
  try {
    return resolve(pending, args, 'void')
  } catch (error) {
    throw asInputError(error, 'voidPendingTransfer', { pending: [pending, 'object', 'a pending ledger transfer'], args: [args, 'object', 'the void arguments'] })
  }
}

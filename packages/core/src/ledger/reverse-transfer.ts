import type { LedgerTransfer, TransferLinks } from './transfer'
import { asInputError } from '../input-error'

/**
 * What a correction adds to the transfer it reverses.
 *
 * @example
 * const args: ReverseTransferArgs = { id: 'fix-topup-1', timestamp: new Date('2026-03-05T10:00:00Z'), memo: 'wrong guardian' }
 */
export interface ReverseTransferArgs {
  /** Client-chosen id of the correction. */
  id: string
  /** When it happens. */
  timestamp: Date
  /** How much to reverse; defaults to the whole amount (several partial corrections may add up to it). */
  amount?: bigint | undefined
  /** Why (printed on statements). */
  memo?: string | undefined
  /** Links; default to the original's. */
  links?: TransferLinks | undefined
  /** Chain it to the next transfer of the batch (e.g. reverse, then re-post to the right wallet). */
  linked?: boolean | undefined
}

/**
 * The correction of a posted transfer: a new transfer with the accounts swapped, code
 * `correction` and `reversesId` pointing at the original. Nothing is edited or deleted; the
 * ledger refuses to reverse more than the original amount in total.
 *
 * @example
 * const fix = reverseTransfer(topUp, { id: 'fix-1', timestamp: new Date('2026-03-05T10:00:00Z') })
 * fix.debitAccountId === topUp.creditAccountId //=> true
 * fix.reversesId //=> topUp.id
 */
export function reverseTransfer(original: LedgerTransfer, args: ReverseTransferArgs): LedgerTransfer {
  try {
    const t: LedgerTransfer = {
      id: args.id,
      debitAccountId: original.creditAccountId,
      creditAccountId: original.debitAccountId,
      amount: args.amount ?? original.amount,
      code: 'correction',
      reversesId: original.id,
      timestamp: args.timestamp,
    }
    if (args.linked === true) t.flags = { linked: true }
    if (original.currency !== undefined) t.currency = original.currency
    const links = args.links ?? original.links
    if (links !== undefined) t.links = links
    if (args.memo !== undefined) t.memo = args.memo
    return t
  } catch (error) {
    throw asInputError(error, 'reverseTransfer', { original: [original, 'object', 'a ledger transfer'], args: [args, 'object', 'the reversal arguments'] })
  }
}

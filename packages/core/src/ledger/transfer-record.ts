import type { LedgerTransfer } from './transfer'
import type { PendingStatus } from './transfer-result'

/**
 * A transfer as the ledger keeps it: the transfer exactly as it was created (never edited), and
 * the little state that follows it.
 *
 * - `pendingStatus`: for a `pending` transfer only, whether it still reserves, was posted,
 *   voided or expired; `resolvedById` is the id of the post or void that resolved it;
 * - `reversedAmount`: for a posted transfer, how much of it later corrections reversed
 *   (`0n` when none; never more than its amount).
 *
 * @example
 * const open = (r: LedgerTransferRecord) => r.pendingStatus === 'pending'
 */
export interface LedgerTransferRecord {
  /** The transfer as created. */
  transfer: LedgerTransfer
  /** For a pending transfer: its state. */
  pendingStatus?: PendingStatus | undefined
  /** For a resolved pending transfer: the post or void that resolved it. */
  resolvedById?: string | undefined
  /** Sum of the amounts of the corrections that reverse it. */
  reversedAmount: bigint
}

import type { CurrencyCode } from '../money'

/**
 * Why money moves. Stable codes, stored with every transfer and used by statements and reports.
 *
 * - `topUp`: a family credits its wallet (bank transfer, card, cash at the desk);
 * - `booking`: a booking reserves (pending) then takes (post) its price;
 * - `cancellation`: a booking cancelled in time (the void of a pending booking, or a refund to the wallet);
 * - `invoicePayment`: wallet money settles an invoice, or a payment arrives for one;
 * - `refund`: money paid back out of a wallet;
 * - `directDebitReturn`: a SEPA direct debit came back unpaid;
 * - `correction`: a reversing transfer (see `reverseTransfer`);
 * - `compartmentTransfer`: between two compartments of one guardian's wallets;
 * - `openingBalance`: a balance carried over from another system;
 * - `writeOff`: a small balance abandoned.
 *
 * @example
 * const code: TransferCode = 'topUp'
 */
export type TransferCode =
  | 'topUp'
  | 'booking'
  | 'cancellation'
  | 'invoicePayment'
  | 'refund'
  | 'directDebitReturn'
  | 'correction'
  | 'compartmentTransfer'
  | 'openingBalance'
  | 'writeOff'

/**
 * Every {@link TransferCode}, in a stable order.
 *
 * @example
 * TRANSFER_CODES.includes('booking') //=> true
 */
export const TRANSFER_CODES = [
  'topUp',
  'booking',
  'cancellation',
  'invoicePayment',
  'refund',
  'directDebitReturn',
  'correction',
  'compartmentTransfer',
  'openingBalance',
  'writeOff',
] as const satisfies readonly TransferCode[]

/**
 * Flags of a transfer (after TigerBeetle). At most one of `pending`, `post`, `void`.
 *
 * - `linked`: this transfer and the next one in the batch succeed or fail together (a chain ends
 *   at the first transfer without `linked`);
 * - `pending`: reserve the amount (a booking) without moving it yet;
 * - `post`: take the pending transfer `pendingId` (the meal was served), for its amount or less;
 * - `void`: release the pending transfer `pendingId` (cancelled in time).
 *
 * @example
 * const flags: TransferFlags = { pending: true }
 */
export interface TransferFlags {
  /** Links this transfer to the next one of the batch (all or nothing). */
  linked?: boolean | undefined
  /** Reserves the amount (two-phase transfer, first phase). */
  pending?: boolean | undefined
  /** Posts the pending transfer named by `pendingId`. */
  post?: boolean | undefined
  /** Voids the pending transfer named by `pendingId`. */
  void?: boolean | undefined
}

/**
 * What a transfer is about, for statements, reconciliation and audits. Not interpreted by the
 * ledger beyond idempotency (a replay must carry the same links).
 *
 * @example
 * const links: TransferLinks = { bookingId: 'b-42' }
 */
export interface TransferLinks {
  /** The booking the money is for. */
  bookingId?: string | undefined
  /** The invoice the money settles. */
  invoiceId?: string | undefined
  /** The payment record (invoicing) behind this movement. */
  paymentId?: string | undefined
  /** The bank statement entry that carried the money (camt.053 / CODA reference). */
  bankEntryRef?: string | undefined
}

/**
 * A transfer: `amount` minor units from `debitAccountId` to `creditAccountId`.
 *
 * The id is chosen by the client and makes the transfer idempotent: submitting it again with the
 * same fields returns `exists` and changes nothing. Transfers are never edited or deleted; a
 * mistake is corrected by a reversing transfer (`reversesId`). This is the prepared form the
 * engine takes on its fast path (bigint amount, `Date` instants, already validated); JSON goes
 * through `TransferInputSchema` first.
 *
 * @example
 * const topUp: LedgerTransfer = {
 *   id: 'topup-2026-03-02-g1', debitAccountId: 'system:bankClearing:office-1',
 *   creditAccountId: 'wallet:g-1:office-1:general', amount: 2000n, code: 'topUp',
 *   timestamp: new Date('2026-03-02T09:00:00Z'), links: { bankEntryRef: 'CAMT-2026-03-02-17' },
 * }
 */
export interface LedgerTransfer {
  /** Client-chosen id, unique per site; the idempotency key. */
  id: string
  /** The account debited (money leaves it). */
  debitAccountId: string
  /** The account credited (money arrives). */
  creditAccountId: string
  /**
   * Amount in minor units, > 0. For a `post`, at most the pending amount (the rest is released);
   * for a `void`, exactly the pending amount.
   */
  amount: bigint
  /** When present, must equal the currency of both accounts (`CURRENCY_MISMATCH` otherwise). */
  currency?: CurrencyCode | undefined
  /** Why the money moves. */
  code: TransferCode
  /** Two-phase and linking flags. */
  flags?: TransferFlags | undefined
  /** For `post` and `void`: the id of the pending transfer resolved. */
  pendingId?: string | undefined
  /** For a correction: the id of the posted transfer this one reverses (accounts swapped). */
  reversesId?: string | undefined
  /** For a `pending` transfer: the instant after which it can no longer be posted (released). */
  expiresAt?: Date | undefined
  /** What the movement is about. */
  links?: TransferLinks | undefined
  /** Free text for statements (e.g. "Repas du 2026-03-02"). */
  memo?: string | undefined
  /** When the movement happened, given by the caller (statements and `balanceAt` use it). */
  timestamp: Date
}

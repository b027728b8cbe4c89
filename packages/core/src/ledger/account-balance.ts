import type { CurrencyCode } from '../money'

/**
 * The balances of one account, in minor units.
 *
 * Every account is read credit-normal (as a family reads its wallet):
 * - `posted` = `creditsPosted - debitsPosted`;
 * - `available` = `creditsPosted - debitsPosted - debitsPending`: what a booking is checked
 *   against, so a booking (pending) makes it drop at once and cancelling in time releases it.
 *
 * A system account such as bank clearing reads negative when money went from it into wallets.
 *
 * @example
 * const b: AccountBalance = { accountId: 'w1', currency: 'EUR', debitsPosted: 0n, creditsPosted: 2000n,
 *   debitsPending: 415n, creditsPending: 0n, posted: 2000n, available: 1585n }
 */
export interface AccountBalance {
  /** The account. */
  accountId: string
  /** Its currency. */
  currency: CurrencyCode
  /** Sum of posted debits. */
  debitsPosted: bigint
  /** Sum of posted credits. */
  creditsPosted: bigint
  /** Sum of debits reserved by pending transfers still open. */
  debitsPending: bigint
  /** Sum of credits reserved by pending transfers still open. */
  creditsPending: bigint
  /** `creditsPosted - debitsPosted`. */
  posted: bigint
  /** `creditsPosted - debitsPosted - debitsPending`. */
  available: bigint
}

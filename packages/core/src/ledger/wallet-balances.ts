import type { WalletAccount } from './account'
import type { AccountBalance } from './account-balance'
import { internals, slotBalance, type LedgerState } from './ledger-state'
import { asInputError } from '../input-error'

/**
 * Which wallets {@link listWalletBalances} returns.
 *
 * - `position`: `debtor` (balance below zero: the family owes money), `creditor` (above zero),
 *   `zero`, or `all` (the default);
 * - `basis`: which balance decides the position, `available` (default: what the family sees,
 *   bookings included) or `posted`;
 * - `billingOfficeId`, `compartment`, `guardianId`: only wallets matching them.
 *
 * @example
 * const filter: WalletBalanceFilter = { position: 'debtor', billingOfficeId: 'o1', compartment: 'general' }
 */
export interface WalletBalanceFilter {
  /** Debtor, creditor, zero or all wallets. */
  position?: 'debtor' | 'creditor' | 'zero' | 'all' | undefined
  /** The balance that decides the position. */
  basis?: 'available' | 'posted' | undefined
  /** Only this billing office's wallets. */
  billingOfficeId?: string | undefined
  /** Only this compartment. */
  compartment?: string | undefined
  /** Only this guardian's wallets. */
  guardianId?: string | undefined
}

/**
 * A wallet and its balances.
 *
 * @example
 * const owes = (w: WalletBalance) => w.balance.available < 0n
 */
export interface WalletBalance {
  /** The wallet. */
  account: WalletAccount
  /** Its current balances. */
  balance: AccountBalance
}

/**
 * The wallets matching a filter with their balances, by account id: the "comptes débiteurs ou
 * créditeurs" list of seed 001, filtered by billing office (régie) and compartment.
 *
 * @example
 * listWalletBalances(ledger, { position: 'creditor', billingOfficeId: 'o1' }).map((w) => w.account.guardianId) //=> ['g1']
 */
export function listWalletBalances(state: LedgerState, filter: WalletBalanceFilter = {}): WalletBalance[] {
  try {
    const position = filter.position ?? 'all'
    const usePosted = filter.basis === 'posted'
    const out: WalletBalance[] = []
    for (const slot of internals(state).accounts.values()) {
      const account = slot.account
      if (account.kind !== 'wallet') continue
      if (filter.billingOfficeId !== undefined && account.billingOfficeId !== filter.billingOfficeId) continue
      if (filter.compartment !== undefined && account.compartment !== filter.compartment) continue
      if (filter.guardianId !== undefined && account.guardianId !== filter.guardianId) continue
      const posted = slot.creditsPosted - slot.debitsPosted
      const value = usePosted ? posted : posted - slot.debitsPending
      const keep = position === 'all' || (position === 'debtor' ? value < 0 : position === 'creditor' ? value > 0 : value === 0)
      if (!keep) continue
      out.push({ account, balance: slotBalance(slot) })
    }
    return out.sort((a, b) => (a.account.id < b.account.id ? -1 : a.account.id > b.account.id ? 1 : 0))
  } catch (error) {
    throw asInputError(error, 'listWalletBalances', { state: [state, 'object', 'the ledger state'], filter: [filter, 'object?', 'a wallet balance filter'] })
  }
}

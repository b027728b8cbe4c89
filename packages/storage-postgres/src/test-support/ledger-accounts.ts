import type { LedgerAccount, LedgerTransfer } from '@ecole/core'

/**
 * The accounts and transfers of the ledger tests that compare the adapter with the core engine
 * (group commit, large batches): a bank, a revenue account, a wallet with no overdraft (`w1`) and
 * one that may go 3.00 below zero (`w2`).
 *
 * @internal
 */
export const LEDGER_TEST_ACCOUNTS: readonly LedgerAccount[] = [
  { id: 'bank', kind: 'system', role: 'bankClearing', billingOfficeId: 'o1', currency: 'EUR', overdraft: { kind: 'unbounded' } },
  { id: 'revenue', kind: 'system', role: 'revenue', billingOfficeId: 'o1', serviceId: 'canteen', currency: 'EUR', overdraft: { kind: 'unbounded' } },
  { id: 'w1', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } },
  { id: 'w2', kind: 'wallet', guardianId: 'g2', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'limit', limit: 300n } },
]

/** The tests' instant. @internal */
export const at = new Date('2027-01-18T10:00:00Z')

/** A top-up of `wallet` from the bank. @internal */
export const topUp = (id: string, wallet: string, amount: bigint): LedgerTransfer => ({ id, debitAccountId: 'bank', creditAccountId: wallet, amount, currency: 'EUR', code: 'topUp', timestamp: at })

/** A meal paid from `wallet` to the canteen's revenue. @internal */
export const meal = (id: string, wallet: string, amount: bigint): LedgerTransfer => ({ id, debitAccountId: wallet, creditAccountId: 'revenue', amount, currency: 'EUR', code: 'booking', timestamp: at })

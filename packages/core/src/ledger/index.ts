/**
 * The wallet ledger: double-entry accounts and transfers after TigerBeetle, pending bookings,
 * idempotency, corrections, balances and statements.
 *
 * @module
 */
export {
  GENERAL_COMPARTMENT, GENERAL_COMPARTMENT_LABEL, LedgerAccountSchema, OverdraftPolicySchema, SYSTEM_ACCOUNT_ROLES,
  systemAccountId, walletAccountId,
  type LedgerAccount, type LedgerAccountInput, type OverdraftPolicy, type SystemAccount, type SystemAccountRole, type WalletAccount,
} from './account'
export type { AccountBalance } from './account-balance'
export { TRANSFER_CODES, type LedgerTransfer, type TransferCode, type TransferFlags, type TransferLinks } from './transfer'
export type { LedgerTransferRecord } from './transfer-record'
export { isRecordedFailure, type AccountOpenResult, type PendingStatus, type TransferFailureCode, type TransferResult } from './transfer-result'

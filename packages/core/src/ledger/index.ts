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
export {
  StatementOptionsSchema, accountStatement, statementFromTransfers,
  type AccountStatement, type StatementLine, type StatementMonth, type StatementOptions, type StatementReservation,
} from './account-statement'
export { applyTransfers, expirePendingTransfers, transferDifferences } from './apply-transfers'
export { balanceAt } from './balance-at'
export {
  decideTransferBatches, decideTransfers, recordFailedTransfers,
  type LedgerAccountTotals, type LedgerChangeSet, type LedgerDecision, type LedgerWorkingInput,
} from './decide-transfers'
export {
  accountTransfers, availableBalance, canDebit, getAccountBalance, getFailedTransfer, getLedgerAccount, getTransferRecord,
  ledgerTotals, listLedgerAccounts, type LedgerTotals,
} from './ledger-queries'
export { LEDGER_MAX_TOTAL, accountDifferences, checkLedgerAccount, createLedger, isLedgerState, openAccounts, type LedgerState } from './ledger-state'
export { linkTransfers } from './link-transfers'
export {
  evaluateLowBalanceAlerts,
  type LowBalanceAlert, type LowBalanceAlertState, type LowBalanceEvaluation, type LowBalancePolicy,
} from './low-balance-alerts'
export { reverseTransfer, type ReverseTransferArgs } from './reverse-transfer'
export { StandardAccountsSpecSchema, standardLedgerAccounts, type StandardAccountsSpec } from './standard-accounts'
export { TRANSFER_CODES, type LedgerTransfer, type TransferCode, type TransferFlags, type TransferLinks } from './transfer'
export {
  TransferAmountSchema, TransferInputSchema, TransferInstantSchema, parseTransfers, submitTransfers, type TransferInput,
} from './transfer-input'
export type { LedgerTransferRecord } from './transfer-record'
export { isRecordedFailure, type AccountOpenResult, type PendingStatus, type TransferFailureCode, type TransferResult } from './transfer-result'
export { postPendingTransfer, voidPendingTransfer, type ResolvePendingArgs } from './two-phase'
export { listWalletBalances, type WalletBalance, type WalletBalanceFilter } from './wallet-balances'
export { transferCheckFailure, type TransferCheckFailure } from './transfer-checks'

export type { BillingDeps } from './support'
export { recordAttendance, storeBookings } from './bookings'
export { createInvoiceBatch, type CreateInvoiceBatchResult, type InvoiceBatchProgress, type InvoiceBatchStep } from './create-invoice-batch'
export { validateDrafts } from './validate-drafts'
export { issueInvoiceCreditNote, type CarriedExcessRefused } from './credit-note'
export { recordPayment, type RecordPaymentOptions, type RecordPaymentResult } from './record-payment'
export { createDeposit, deleteDeposit } from './deposits'
export { recordPaymentStatusReport, type PaymentStatusReportResult, type RecordedRejection } from './payment-status-report'
export { collectDirectDebits, directDebitBatchOf, recordDirectDebitReturn, type CollectDirectDebitsResult, type CollectionFileRequest, type CollectionWarning, type DirectDebitReturnResult } from './direct-debits'
export {
  decideHeldStatement, heldStatementKey, importBankStatement, previewBankStatement, statementFromJson, statementToJson, type BankImportLine, type BankImportOptions, type BankImportReport, type BankImportWallet,
  type BankImportPreview, type BankPreviewLine,
  type HeldStatementLine,
} from './import-bank-statement'
export { selectReminders } from './reminders'
export { outstandingByDebtor, type DebtorOutstanding } from './outstanding'
export { fileMatchingInvoices, saveInvoiceFolder } from './invoice-folders'
export { issueTaxCertificates } from './tax-certificates'
export { adjustDraft, deleteDrafts, editDrafts, scheduleInstalments, type DraftAdjustmentChange, type ScheduleInstalmentsInput } from './drafts'
export { readAccountStatement } from './stored-account-statement'
export { setWalletNumbers, walletNumberOf, WALLET_NUMBER_SERIES } from './wallet-numbers'
export { setInvoicePortalDates, type InvoicePortalDatesInput } from './portal-dates'
export { type AuditOption, type AuditWithChange } from './audit-with-change'

export { withInvoiceTotals, type AdjustmentKind, type AdjustmentValue, type Instalment, type Invoice, type InvoiceAdjustment, type InvoiceLine, type InvoiceStatus } from './invoice'
export { invoiceLineFacts, type InvoiceLineFacts, type InvoiceLineShareFacts } from './invoice-line-facts'
export { defineInvoiceBatch, InvoiceBatchSchema, type InvoiceBatch, type InvoiceBatchInput } from './invoice-batch'
export type { ChargeShare, InvoiceChargeLine } from './charge-line'
export { buildInvoiceDrafts, type BelowMinimumDebtor, type BuildInvoiceDraftsOptions, type CarriedOverDebtor, type CarryOverFrom, type DayBilledToAnotherDebtor, type DraftSkipCounts, type InvoiceDraftsResult } from './drafts'
export { assertInvoiceDraft } from './draft-guard'
export {
  addInvoiceAdjustment, InvoiceAdjustmentInputSchema, removeInvoiceAdjustment, updateInvoiceAdjustment, type AdjustmentOptions, type InvoiceAdjustmentInput,
} from './adjustments'
export { editInvoiceDrafts, InvoiceDraftChangeSchema, type InvoiceDraftChange } from './draft-edits'
export {
  defineInvoiceNumbering, formatInvoiceNumber, invoiceCounterKey, invoiceSeriesKey, InvoiceNumberingSchema, type InvoiceCounterKey, type InvoiceNumbering,
  type InvoiceNumberingInput, type NumberSeries,
} from './numbering'
export { validateInvoiceDrafts, type ValidateInvoiceDraftsOptions } from './validation'
export { checkIssueChronology, type IssueChronologyFacts } from './issue-chronology'
export { CreditNoteInputSchema, creditableMinor, issueCreditNote, type CreditNote, type CreditNoteInput, type CreditNoteLine, type IssueCreditNoteOptions } from './credit-notes'
export { allocatePayment, type OpenInvoice, type PaymentAllocation, type PaymentAllocationResult } from './allocation'
export {
  BUILT_IN_PAYMENT_METHODS, CREDIT_NOTE_EXCESS_METHOD, PaymentInputSchema, recordInvoicePayment, type DirectDebitReturnAction, type Payment, type PaymentInput, type PaymentMethod,
  type PaymentRefusal, type PaymentStatus,
} from './payment'
export { invoiceBalance, invoiceBalanceFromSums, invoiceBalances, openInvoicesOf, type InvoiceBalance } from './invoice-balance'
export { assertDepositDeletable, assertPaymentDeletable, buildDeposit, DepositInputSchema, type Deposit, type DepositInput } from './deposits'
export {
  amendSepaMandate, defineSepaMandate, markSepaCollectionSettled, markSepaMandateFinal, SEPA_MANDATE_LAPSE_MONTHS, SepaMandateInputSchema, sepaMandateStateOn,
  setSepaMandateSuspended, type SepaMandate, type SepaMandateAmendment, type SepaMandateInput, type SepaMandateStatus, type SepaSequenceType,
} from './sepa-mandates'
export {
  selectDirectDebits, type DirectDebitCandidate, type DirectDebitExclusion, type DirectDebitExclusionReason, type DirectDebitInstruction,
} from './direct-debits'
export { applyDirectDebitReturn, SEPA_RETURN_REASONS, type DirectDebitReturnOutcome, type SepaReturnReason } from './direct-debit-returns'
export {
  isReminderCandidate, ReminderPolicySchema, selectDueReminders, type ReminderCandidate, type ReminderDue, type ReminderPolicy, type ReminderPolicyInput,
} from './reminders'
export { amountDueBy, nextInstalmentDue, withInstalmentSchedule } from './instalments'
export { assertInvoiceFolderTree, invoiceFolderPath, type InvoiceFolder } from './invoice-folders'
export type { CollectionFile } from './collection-file'
export { invoiceBatchJobStatus, type InvoiceBatchJob, type InvoiceBatchJobStatus } from './invoice-batch-job'
export { checkGuardianArchivable, type GuardianArchiveCheck } from './archive-check'
export {
  computeTaxCertificates, FR_CHILDCARE_CEILING_MINOR, TaxCertificateChildSchema, TaxCertificateInvoiceSchema, TaxCertificateRulesSchema,
  type TaxCertificate, type TaxCertificateChild, type TaxCertificateInvoice,
  type TaxCertificatePeriod, type TaxCertificateRules, type TaxServiceKind,
} from './tax-certificates'
export { invoiceChargeLinesFromBilling } from './from-billing'
export {
  assertAllocationsFit, assertCreditNoteFits, creditNoteRequestDifferences, depositReplay, PAYMENT_STATE_FIELDS, paymentReplay, paymentRequestDifferences,
} from './invoice-write-guards'

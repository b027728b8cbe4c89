/**
 * @ecole/bank: SEPA direct-debit initiation (pain.008), refunds by credit transfer (pain.001), payment status reports (pain.002), bank
 * statements (camt.052, camt.053, camt.054, Belgian CODA, SWIFT MT940) read into one shape with their checks, and reconciliation of
 * statement entries with what is expected (invoices, wallet top-ups, direct debits).
 *
 * @packageDocumentation
 */
export type {
  BankStatement, CreditDebit, Remittance, ReturnInfo, StatementAccount, StatementBalance, StatementEntry, StatementFormat,
  StatementParty, StructuredReference, TransactionDetails,
} from './statement/bank-statement'
export { statementDisagreements, type CheckRule, type CheckSeverity, type StatementCheck } from './statement/check-statement'
export { parseCamt052 } from './camt/parse-camt-052'
export { parseCamt053 } from './camt/parse-camt-053'
export { parseCamt054 } from './camt/parse-camt-054'
export { Mt940OptionsSchema, parseMt940, type Mt940Options } from './mt940/parse-mt940'
export { CodaEncodingSchema, CodaOptionsSchema, parseCoda, type CodaEncoding, type CodaOptions } from './coda/parse-coda'
export {
  DebitRemittanceSchema, DebtorAccountAmendmentSchema, DirectDebitBatchSchema, DirectDebitSchema, SepaPostalAddressSchema, type DebitRemittance,
  type DebtorAccountAmendment, type DirectDebit, type DirectDebitBatch, type SepaPostalAddress, type ValidDirectDebitBatch,
} from './pain/direct-debit-batch'
export {
  Pain008OptionsSchema, Pain008VersionSchema, buildPain008, writePain008, type Pain008File, type Pain008Options, type Pain008Version,
} from './pain/build-pain-008'
export { transliterate, type TextCut } from './pain/sepa-fields'
export {
  CreditTransferBatchSchema, CreditTransferSchema, Pain001OptionsSchema, Pain001VersionSchema, buildPain001, refundTransfers, writePain001, type CreditTransfer,
  type CreditTransferBatch, type Pain001Options, type Pain001Version, type RefundExclusion, type RefundableBalance,
} from './pain/build-pain-001'
export {
  parsePain002, type PaymentInformationStatus, type PaymentStatusReport, type PaymentStatusTransaction, type StatusReason,
} from './pain/parse-pain-002'
export { rejectedDebits, type RejectedDebit } from './pain/rejected-debits'
export {
  CollectedDebitItemSchema, OpenInvoiceItemSchema, OpenItemsSchema, OpenWalletItemSchema, type CollectedDebitItem, type OpenInvoiceItem,
  type OpenItems, type OpenWalletItem,
} from './reconcile/open-items'
export type {
  AmbiguityReason, AmbiguousMatch, DirectDebitReturnMatch, DuplicateEntry, InvoiceAllocation, InvoicePayment, MatchCandidate, MatchRule,
  MatchedTransaction, ReconciliationResult, SkippedEntry, UnmatchedTransaction, WalletTopUp,
} from './reconcile/reconciliation-result'
export { ReconcileOptionsSchema, reconcile, type ReconcileOptions } from './reconcile/reconcile'
export { entrySplit, type EntrySplit } from './reconcile/entry-split'
export { testCamt053, type TestCamtEntry } from './camt/test-statement'
export { decodeXml } from './xml/decode-xml'

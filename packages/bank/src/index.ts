/**
 * @ecole/bank: SEPA direct-debit initiation (pain.008), payment status reports (pain.002), bank
 * statements (camt.053, camt.054, Belgian CODA) read into one shape, and reconciliation of
 * statement entries with what is expected (invoices, wallet top-ups, direct debits).
 *
 * @packageDocumentation
 */
export type {
  BankStatement, CreditDebit, Remittance, ReturnInfo, StatementAccount, StatementBalance, StatementEntry, StatementFormat,
  StatementParty, StructuredReference, TransactionDetails,
} from './statement/bank-statement'
export type { StatementDisagreement } from './statement/check-statement'
export { parseCamt053 } from './camt/parse-camt-053'
export { parseCamt054 } from './camt/parse-camt-054'
export { CodaEncodingSchema, CodaOptionsSchema, parseCoda, type CodaEncoding, type CodaOptions } from './coda/parse-coda'

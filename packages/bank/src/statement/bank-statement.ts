import type { LocalDate, MinorAmount } from '@ecole/core'
import type { StatementCheck } from './check-statement'

/** Which file a {@link BankStatement} was read from. */
export type StatementFormat = 'camt.052' | 'camt.053' | 'camt.054' | 'coda' | 'mt940'

/** Money in or out of the account: `credit` increases the balance, `debit` decreases it. */
export type CreditDebit = 'credit' | 'debit'

/**
 * A balance the file states. `amount` is signed (negative for a debit balance), so it can be
 * added to and compared directly.
 */
export interface StatementBalance {
  /**
   * `opening` (camt `OPBD`/`PRCD`, CODA record 1), `closing` (camt `CLBD`, CODA record 8),
   * `openingAvailable` (`OPAV`), `closingAvailable` (`CLAV`), `other` (any other code, see `code`).
   */
  kind: 'opening' | 'closing' | 'openingAvailable' | 'closingAvailable' | 'other'
  /** The code as the file gives it (`OPBD`, `CLBD`..., `CODA1`, `CODA8`). */
  code: string
  /** Signed amount in minor units: positive for a credit balance, negative for a debit one. */
  amount: MinorAmount
  /** The date the balance is given for. */
  date?: LocalDate
}

/** The account a statement is for. */
export interface StatementAccount {
  /** IBAN, when the file identifies the account by one. */
  iban?: string
  /** Any other account identifier the file gives (a BBAN, `Othr/Id`). */
  otherId?: string
  /** Account currency (ISO 4217), when given. */
  currency?: string
  /** Account holder's name, when given. */
  ownerName?: string
  /** BIC of the servicing bank, when given. */
  bic?: string
}

/** A party of a transaction (debtor or creditor). */
export interface StatementParty {
  /** Name as the bank reports it. */
  name?: string
  /** IBAN (or the account identifier the bank gives). */
  iban?: string
  /** BIC of the party's bank. */
  bic?: string
}

/**
 * A structured creditor reference carried by a transaction (camt `RmtInf/Strd/CdtrRefInf`, CODA
 * structured communication 101/102): `reference` exactly as in the file, `issuer` `BBA` for a
 * Belgian OGM and `ISO` for an ISO 11649 RF where the file says so.
 */
export interface StructuredReference {
  /** The reference as given (an OGM's 12 digits, an RF, any other creditor reference). */
  reference: string
  /** The reference type code (`SCOR`) or proprietary type, or the CODA communication type (`101`). */
  type?: string
  /** Who issued the reference scheme (`BBA`, `ISO`). */
  issuer?: string
  /** Additional remittance text given beside it (`AddtlRmtInf`). */
  additionalInfo?: string
}

/** What a transaction says about the payment it is for. */
export interface Remittance {
  /** Structured references, in file order (possibly several: camt allows repeated `Strd`). */
  structured: StructuredReference[]
  /** Free-text lines, in file order (camt `Ustrd`, CODA free communication joined across records). */
  unstructured: string[]
}

/**
 * Why a payment came back: a returned or rejected direct debit (camt `RtrInf`, CODA type 127,
 * pain.002 `StsRsnInf`). `reasonCode` is the ISO external code (`AC01`, `AM04`, `MD06`, `MS02`...).
 */
export interface ReturnInfo {
  /** ISO 20022 external status reason code, e.g. `AM04` (insufficient funds). */
  reasonCode?: string
  /** Proprietary reason when no ISO code is given. */
  proprietaryReason?: string
  /** Free text the bank adds. */
  additionalInfo: string[]
  /** CODA type 127: 'reject', 'return', 'refund', 'reversal', 'cancellation' (or 'paid'). */
  kind?: 'paid' | 'reject' | 'return' | 'refund' | 'reversal' | 'cancellation'
}

/** One transaction inside an entry (camt `TxDtls`; a CODA movement or globalisation detail). */
export interface TransactionDetails {
  /** The transaction's own amount in minor units, when the file gives one (always positive). */
  amount?: MinorAmount
  /** Its direction, when the file gives one. */
  creditDebit?: CreditDebit
  /** The end-to-end id the initiating party set (ours for our direct debits). */
  endToEndId?: string
  /** The direct-debit mandate reference (RUM). */
  mandateId?: string
  /** The instruction id. */
  instructionId?: string
  /** The servicing bank's reference for this transaction. */
  accountServicerReference?: string
  /** The debtor (who paid: for a credit, the family). */
  debtor?: StatementParty
  /** The creditor. */
  creditor?: StatementParty
  /** Structured and free-text remittance information. */
  remittance: Remittance
  /** Present when the transaction returns or rejects a payment. */
  returnInfo?: ReturnInfo
  /** Bank transaction code (camt `Domn/Cd/Fmly/SubFmlyCd` joined by `-`, or proprietary; CODA 8 digits). */
  bankTransactionCode?: string
}

/**
 * One booked (or pending) line of a statement: camt `Ntry`, a CODA movement (detail number 0).
 * A batch entry (a globalised CODA movement, a camt entry with several `TxDtls`) has one element
 * of `transactions` per payment inside it; an entry always has at least one.
 */
export interface StatementEntry {
  /**
   * The bank's reference of the entry, what imports key it by: camt `AcctSvcrRef`
   * (else `<account>/<statement id>/<NtryRef>`, a `NtryRef` being unique only within its
   * statement; else the statement id and the entry's position), CODA bank reference (else
   * account, statement number and movement number). The keys built from the statement change when
   * the same booking comes in another statement (a camt.054, then the camt.053): `importBankStatement`
   * of `@ecole/workflows` recognises them (they start with the statement id, or the account and the
   * statement id) and keys such entries by their content instead.
   */
  reference: string
  /**
   * Where `reference` comes from: `bank`, the file's own reference (camt `AcctSvcrRef`, CODA bank
   * reference, MT940 reference of the account servicing institution); `parser`, built by the parser
   * because the file has none (the fallbacks above). The parsers of this package always set it;
   * absent (an entry built by hand, or by another parser), imports recognise the fallbacks by their
   * shape.
   *
   * @example
   * parseMt940(text)[0].entries[0].referenceSource //=> 'parser' (the line says NONREF)
   */
  referenceSource?: 'bank' | 'parser'
  /** In minor units, always positive; see `creditDebit`. */
  amount: MinorAmount
  /** Whether the entry increases (`credit`) or decreases (`debit`) the balance. */
  creditDebit: CreditDebit
  /** True when the entry reverses an earlier one (camt `RvslInd`). */
  reversal: boolean
  /** `booked` counts in the balance; `pending` and `info` do not. */
  status: 'booked' | 'pending' | 'info'
  /** Booking (entry) date. */
  bookingDate?: LocalDate
  /** Value date. */
  valueDate?: LocalDate
  /** Entry-level bank transaction code (see {@link TransactionDetails.bankTransactionCode}). */
  bankTransactionCode?: string
  /** The payments in this entry (one for a single payment, several for a batch). */
  transactions: TransactionDetails[]
  /** Free text at entry level (camt `AddtlNtryInf`, CODA information records 3.x and 4). */
  additionalInfo: string[]
}

/**
 * A bank statement or notification, the same shape whatever the file (camt.053, camt.054,
 * CODA, MT940): the account, the balances the file states, the entries, and `checks`: every
 * figure the file states (balances, counts, sums, trailers) compared with what its content gives.
 * A parser never refuses a statement because its figures disagree: it reports them, and the
 * import decides (see `statementDisagreements`).
 */
export interface BankStatement {
  /** Which file it came from. */
  format: StatementFormat
  /** camt `Stmt/Id` or `Ntfctn/Id`; CODA: account and statement sequence number. */
  id: string
  /** Message id (camt `GrpHdr/MsgId`), when given. */
  messageId?: string
  /** Electronic or legal sequence number (camt `ElctrncSeqNb`/`LglSeqNb`, CODA statement number). */
  sequenceNumber?: string
  /** Creation date-time as given (ISO string; CODA: creation date). */
  createdAt?: string
  /** The account. */
  account: StatementAccount
  /** All balances the file gives, in file order. */
  balances: StatementBalance[]
  /** The entries, in file order. */
  entries: StatementEntry[]
  /** Free text at statement level (camt `AddtlStmtInf`/`AddtlNtfctnInf`, CODA record 4). */
  additionalInfo: string[]
  /** Each figure the file states compared with what its content gives, in the order checked. */
  checks: StatementCheck[]
}

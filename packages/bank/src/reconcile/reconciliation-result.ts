import type { MinorAmount } from '@ecole/core'
import type { CreditDebit, ReturnInfo } from '../statement/bank-statement'

/** Which rule matched, in the order they are tried (DOMAIN.md section 10). */
export type MatchRule = 'structuredReference' | 'endToEndId' | 'referenceInText' | 'amountAndIban'

/** Where a matched payment is in the statement: the entry's reference and the transaction's index in it. */
export interface MatchedTransaction {
  /** The bank's entry reference (the idempotency key). */
  entryReference: string
  /**
   * Index of the transaction inside the entry (0 for a single payment; 0 for the whole entry when
   * its batch has no per-payment amounts, or amounts that do not add up to it).
   */
  transactionIndex: number
  /** The amount of this payment (always positive). */
  amount: MinorAmount
}

/** Money to credit to a wallet. */
export interface WalletTopUp extends MatchedTransaction {
  walletId: string
  matchedBy: MatchRule
  /** The reference that matched, normalised (OGM digits, RF electronic form, IUV). */
  reference: string
}

/** One invoice settled (fully or partly) by a payment. */
export interface InvoiceAllocation {
  invoiceId: string
  amount: MinorAmount
}

/** A payment of one or several invoices. */
export interface InvoicePayment extends MatchedTransaction {
  matchedBy: MatchRule
  /** The invoices paid, in the order they were settled; each gets at most what is left to pay on it. */
  allocations: InvoiceAllocation[]
  /** What is left of the payment after the invoices are settled (a wallet credit or a refund, the caller decides); zero when none. */
  unallocated: MinorAmount
  /** For a settled direct debit, its end-to-end id. */
  endToEndId?: string
}

/** A direct debit of ours that came back (returned, rejected, refunded or reversed). */
export interface DirectDebitReturnMatch extends MatchedTransaction {
  /** The end-to-end id of our debit. */
  endToEndId: string
  /** The invoices that debit collected (due again). */
  invoiceIds: string[]
  /** The reason the bank gives (`AM04`...), when it gives one. */
  reasonCode?: string
  /** The return information as the bank reported it. */
  returnInfo?: ReturnInfo
}

/** Why a payment could not be matched automatically. */
export type AmbiguityReason =
  /** Its references designate more than one wallet or a wallet and invoices. */
  | 'SEVERAL_TARGETS'
  /** Only the amount and the payer's IBAN point to these invoices: a person must confirm. */
  | 'AMOUNT_AND_IBAN'
  /** The invoice it references is already fully paid (a double payment). */
  | 'INVOICE_ALREADY_PAID'
  /** It returns money for a debit we know, but in another amount or direction than expected. */
  | 'RETURN_AMOUNT_DIFFERS'
  /** A second return of a debit this run already returns (the bank took it back twice?): never applied twice; its candidate is the debit. */
  | 'ALREADY_RETURNED'
  /**
   * A credit naming one of our direct debits by its end-to-end id, in another amount or currency
   * than the debit's: never taken as the collection (short or in excess); its candidates are the
   * debit (with its amount) and its invoices.
   */
  | 'SETTLEMENT_AMOUNT_DIFFERS'
  /** A credit naming one of our direct debits already settled (earlier in the run, or before it): never settled twice; its candidate is the debit. */
  | 'ALREADY_SETTLED'
  /** Its reference matches no open item, but one with one digit changed (or two swapped) does: a suggestion, never applied. */
  | 'REFERENCE_TYPO'
  /** Only the payer's name and the amount point to these invoices: scored suggestions for review, never posted. */
  | 'NAME_AND_AMOUNT'
  /**
   * The bank marks the entry as a reversal (`RvslInd`, MT940 `RC`/`RD`): it takes back an earlier
   * payment, whatever its credit/debit indicator says, so it is never posted; its candidates are
   * what its references name (the reversed payment's invoices, wallet or direct debit), if any.
   */
  | 'REVERSAL'
  /**
   * Its references name invoices in another currency than the entry's (a USD credit naming a EUR
   * invoice): never converted nor posted; its candidates are those invoices.
   */
  | 'CURRENCY_MISMATCH'
  /**
   * A batch entry whose transactions give amounts that do not add up to the entry's (two `TxDtls`
   * of 50.00 in an entry of 150.00 whose batch holds three, or in one of 99.00 after a fee): never
   * posted, neither by parts nor whole; it is kept whole (index 0, the entry's amount) for a
   * person, its candidates what its transactions' references name.
   */
  | 'BATCH_AMOUNTS_DIFFER'

/** A candidate match for review. */
export interface MatchCandidate {
  kind: 'invoice' | 'wallet' | 'directDebit'
  id: string
  /** Left to pay (invoices) or the debit's amount. */
  amount?: MinorAmount
  /** How strongly the lead points to it, from 0 to 1 (suggestions by name and amount, reference typos). */
  score?: number
  /** For `REFERENCE_TYPO`: the reference as it should have been written (the item's own reference). */
  correctedReference?: string
}

/** A payment that needs a person: several possible targets, or only a weak lead. */
export interface AmbiguousMatch extends MatchedTransaction {
  creditDebit: CreditDebit
  reason: AmbiguityReason
  candidates: MatchCandidate[]
}

/** A payment nothing matched. */
export interface UnmatchedTransaction extends MatchedTransaction {
  creditDebit: CreditDebit
}

/** An entry skipped because it was imported before (or appears twice in the input). */
export interface DuplicateEntry {
  entryReference: string
  amount: MinorAmount
}

/** An entry not reconciled because the bank has not booked it (pending or information only). */
export interface SkippedEntry {
  entryReference: string
  status: 'pending' | 'info'
}

/**
 * What `reconcile` found for each payment of the entries it was given. Every booked payment is
 * in exactly one of `walletTopUps`, `invoicePayments`, `directDebitReturns`, `ambiguous` or
 * `unmatched`; entries imported before are in `duplicates` and nowhere else.
 */
export interface ReconciliationResult {
  walletTopUps: WalletTopUp[]
  invoicePayments: InvoicePayment[]
  directDebitReturns: DirectDebitReturnMatch[]
  ambiguous: AmbiguousMatch[]
  unmatched: UnmatchedTransaction[]
  duplicates: DuplicateEntry[]
  skipped: SkippedEntry[]
  /** The references of the entries reconciled in this run: record them so the next import skips them. */
  importedReferences: string[]
}

/**
 * The bank-imports port: the bank statement entries already imported, with what each became.
 * Types only.
 *
 * Contract: every method takes `siteId` first. **Imports are idempotent on the bank entry
 * reference**: (site, entryReference) is unique; recording an entry whose reference exists
 * with the same bank data returns `exists` and changes nothing (the outcome may differ: it is
 * what the import decided, not the bank's data), so importing the same file twice changes
 * nothing; the same reference with other bank data (amount, account, date...) fails with
 * `IDEMPOTENCY_CONFLICT`, `details.fields` naming the differing fields.
 * Entries kept for review (ambiguous, unmatched) are recorded too, with status `review`.
 *
 * @module
 */
import type { CurrencyCode } from '../money'
import type { LocalDate } from '../time'
import type { Page, PageRequest } from './storage'

/** What an imported entry became. */
export type ImportedBankEntryOutcome =
  | { kind: 'invoicePayment'; paymentId: string; invoiceId: string }
  | { kind: 'walletTopUp'; paymentId: string; payerId: string }
  | { kind: 'directDebitReturn'; paymentId: string; reasonCode: string }
  | { kind: 'directDebitSettled'; paymentIds: string[] }
  | { kind: 'review'; reason: 'AMBIGUOUS' | 'UNMATCHED'; candidates: string[] }
  | { kind: 'ignored'; reason: string }

/**
 * One bank statement entry as imported.
 *
 * @example
 * const e: ImportedBankEntry = { entryReference: 'BANKREF-1', accountIban: 'FR76...', bookingDate: '2027-01-18',
 *   amountMinor: 7055n, currency: 'EUR', direction: 'credit', counterpartyName: 'Martin', remittance: 'RF18...',
 *   outcome: { kind: 'invoicePayment', paymentId: 'bank:BANKREF-1', invoiceId: 'b1:g1' } }
 */
export interface ImportedBankEntry {
  /** The bank's unique reference of the entry (AcctSvcrRef, CODA bank reference). */
  entryReference: string
  /** Account of the statement. */
  accountIban: string
  /** Booking date. */
  bookingDate: LocalDate
  /** Amount (positive), minor units. */
  amountMinor: bigint
  /** Currency. */
  currency: CurrencyCode
  /** Money in or out. */
  direction: 'credit' | 'debit'
  /** Counterparty name, if given. */
  counterpartyName: string | null
  /** Remittance information (structured reference or free text). */
  remittance: string | null
  /** What it became. */
  outcome: ImportedBankEntryOutcome
}

/**
 * Persistence of imported bank entries. See the module contract above.
 *
 * @example
 * if ((await tx.bankImports.recordBankEntry(siteId, entry)) === 'exists') return // already imported
 */
export interface BankImportStore {
  /**
   * Records an entry; `exists` (and no change) when its reference was imported before with the
   * same bank data, `IDEMPOTENCY_CONFLICT` when with other bank data.
   *
   * @example
   * await store.recordBankEntry('site-1', entry) //=> 'created'
   */
  recordBankEntry(siteId: string, entry: ImportedBankEntry): Promise<'created' | 'exists'>
  /**
   * Which of these references were already imported.
   *
   * @example
   * await store.importedEntryReferences('site-1', ['BANKREF-1']) //=> Set { 'BANKREF-1' }
   */
  importedEntryReferences(siteId: string, entryReferences: readonly string[]): Promise<Set<string>>
  /**
   * Imported entries, optionally only those of one outcome kind (e.g. `review`), ordered by reference.
   *
   * @example
   * await store.listBankEntries('site-1', { outcome: 'review' })
   */
  listBankEntries(siteId: string, filter: { outcome?: ImportedBankEntryOutcome['kind'] | undefined }, page?: PageRequest): Promise<Page<ImportedBankEntry>>
}

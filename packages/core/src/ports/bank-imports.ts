/**
 * The bank-imports port: the bank statement entries already imported, with what each became.
 * Types only.
 *
 * Contract: every method takes `siteId` first. **Imports are idempotent on the entry
 * reference**, the key the import chose for the entry (`importBankStatement`: the bank's
 * reference qualified by the account, else a key of the booking's content): (site,
 * entryReference) is unique; recording an entry whose reference exists
 * with the same bank data returns `exists` and changes nothing (the outcome may differ: it is
 * what the import decided, not the bank's data), so importing the same file twice changes
 * nothing; the same reference with other bank data (amount, account, date...) fails with
 * `IDEMPOTENCY_CONFLICT`, `details.fields` naming the differing fields.
 * Entries kept for review (ambiguous, unmatched) are recorded too, with status `review`.
 *
 * **Statements held for review**: a statement whose own figures disagree (its checks) is stored
 * whole, keyed (site, key), with status `held`; nothing of it is posted. Holding it again returns
 * `exists` and changes nothing, whatever its status. A back-office user's decision moves it, once,
 * from `held` to `accepted` or `rejected` (a compare-and-set: of two concurrent decisions exactly
 * one wins); who decided and when are kept.
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
  | {
      kind: 'review'
      reason: 'AMBIGUOUS' | 'UNMATCHED'
      /** The candidates as `kind:id` (`invoice:b1:g1`, `wallet:g2`). */
      candidates: string[]
      /** Why reconciliation could not decide (`REFERENCE_TYPO`, `NAME_AND_AMOUNT`, `SEVERAL_TARGETS`, `AMOUNT_AND_IBAN`...). */
      rule?: string | undefined
      /** The candidates with what the reviewer needs: the score and, for a reference typo, the corrected reference. */
      suggestions?: BankEntrySuggestion[] | undefined
    }
  | { kind: 'ignored'; reason: string }

/**
 * A candidate of an entry kept for review, as reconciliation proposed it.
 *
 * @example
 * const s: BankEntrySuggestion = { kind: 'invoice', id: 'b1:g1', score: 0.9, correctedReference: '+++090/9337/55493+++', amountMinor: 4250n }
 */
export interface BankEntrySuggestion {
  /** What it designates. */
  kind: 'invoice' | 'wallet' | 'directDebit'
  /** Its id. */
  id: string
  /** How strongly the lead points to it, from 0 to 1 (name-and-amount suggestions, reference typos). */
  score?: number | undefined
  /** For a reference typo: the reference as it should have been written (the item's own reference). */
  correctedReference?: string | undefined
  /** What is left to pay on the invoice (or the debit's amount), minor units. */
  amountMinor?: bigint | undefined
}

/** @internal kept for the union above */
type _Ignored = never
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
  /**
   * The key the entry is imported under, unique per site: since 0.2 `<account>|<bank reference>`
   * or `<account>|<date>/<CRDT|DBIT>/<amount><currency>/<hash>/<n>` (see `BankImportLine` of
   * `@ecole/workflows`); before, the bank's reference alone (AcctSvcrRef, CODA bank reference) or
   * the parser's key built from the statement.
   */
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

/** One figure of a held statement as its parser compared it (see `StatementCheck` of `@ecole/bank`). */
export interface HeldStatementCheck {
  /** What kind of figure (`balance`, `count`, `sum`, `batch`, `account`, `records`, `currency`). */
  rule: string
  /** Which figure. */
  figure: string
  /** What the file states. */
  stated: string
  /** What its content gives. */
  computed: string
  /** `ok`, `notice` or `disagreement`. */
  severity: 'ok' | 'notice' | 'disagreement'
  /** The bank practice under which the figures agree, when one was needed. */
  convention?: string | undefined
  /** The entry the figure belongs to, for entry-level figures. */
  entryReference?: string | undefined
}

/** Where a held statement stands. */
export type HeldStatementStatus = 'held' | 'accepted' | 'rejected'

/** Who decided on a held statement, when, and why. */
export interface HeldStatementDecision {
  /** `accepted` (its entries are then reconciled) or `rejected` (nothing is ever posted). */
  status: 'accepted' | 'rejected'
  /** The user who decided. */
  decidedBy: string
  /** When (ISO 8601 instant). */
  decidedAt: string
  /** Why, as the user wrote it. */
  reason: string | null
}

/**
 * A bank statement held for review because its checks disagree.
 *
 * @example
 * const held: HeldBankStatement = { key: 'camt.053|BE68539007547034|STMT-1', statementId: 'STMT-1', format: 'camt.053',
 *   accountIban: 'BE68539007547034', status: 'held', heldAt: '2027-01-18T08:00:00.000Z', entryCount: 12,
 *   checks: [{ rule: 'balance', figure: 'closing balance CLBD', stated: '90.00 EUR', computed: '115.50 EUR', severity: 'disagreement' }],
 *   statementJson: '{...}', decision: null }
 */
export interface HeldBankStatement {
  /** What holding is idempotent on: format, account and statement id. */
  key: string
  /** The statement's id in its file. */
  statementId: string
  /** The file format (`camt.053`, `coda`...). */
  format: string
  /** The statement's account. */
  accountIban: string
  /** Where it stands. */
  status: HeldStatementStatus
  /** When it was held (ISO 8601 instant). */
  heldAt: string
  /** How many entries it has. */
  entryCount: number
  /** Every check of the statement, as parsed. */
  checks: HeldStatementCheck[]
  /** The whole statement, as the workflow serialised it, to reconcile once accepted. */
  statementJson: string
  /** The decision, once taken. */
  decision: HeldStatementDecision | null
}

/**
 * Persistence of imported bank entries. See the module contract above.
 *
 * @example
 * if ((await tx.bankImports.createBankEntry(siteId, entry)) === 'exists') return // already imported
 */
export interface BankImportStore {
  /**
   * Records an entry; `exists` (and no change) when its reference was imported before with the
   * same bank data, `IDEMPOTENCY_CONFLICT` when with other bank data.
   *
   * @example
   * await store.createBankEntry('site-1', entry) //=> 'created'
   */
  createBankEntry(siteId: string, entry: ImportedBankEntry): Promise<'created' | 'exists'>
  /**
   * Which of these references were already imported.
   *
   * @example
   * await store.importedEntryReferences('site-1', ['BANKREF-1']) //=> Set { 'BANKREF-1' }
   */
  importedEntryReferences(siteId: string, entryReferences: readonly string[]): Promise<Set<string>>
  /**
   * The entries imported under these references, by reference (a reference never imported is
   * absent): what an import reads to tell whether an entry stored under a key of an older shape is
   * the same account's.
   *
   * @example
   * (await store.getBankEntries('site-1', ['BANKREF-1'])).get('BANKREF-1')?.accountIban //=> 'FR76...'
   */
  getBankEntries(siteId: string, entryReferences: readonly string[]): Promise<Map<string, ImportedBankEntry>>
  /**
   * Imported entries, optionally only those of one outcome kind (e.g. `review`), ordered by reference.
   *
   * @example
   * await store.listBankEntries('site-1', { outcome: 'review' })
   */
  listBankEntries(siteId: string, filter: { outcome?: ImportedBankEntryOutcome['kind'] | undefined }, page?: PageRequest): Promise<Page<ImportedBankEntry>>
  /**
   * Holds a statement for review; `exists` (and no change) when a statement with its key was held
   * before, whatever it became.
   *
   * @example
   * await store.createHeldStatement('site-1', held) //=> 'created'
   */
  createHeldStatement(siteId: string, statement: HeldBankStatement): Promise<'created' | 'exists'>
  /**
   * The held statement of that key, if any.
   *
   * @example
   * (await store.getHeldStatement('site-1', 'camt.053|BE68539007547034|STMT-1'))?.status //=> 'held'
   */
  getHeldStatement(siteId: string, key: string): Promise<HeldBankStatement | undefined>
  /**
   * Records the decision on a statement still `held` and returns it as stored; `not-found` when no
   * statement has that key, `already-decided` (and no change) when it is no longer `held`.
   *
   * @example
   * await store.decideHeldStatement('site-1', key, { status: 'accepted', decidedBy: 'u1', decidedAt: '2027-01-18T09:00:00.000Z', reason: null })
   */
  decideHeldStatement(siteId: string, key: string, decision: HeldStatementDecision): Promise<HeldBankStatement | 'not-found' | 'already-decided'>
  /**
   * Held statements, optionally of one status, ordered by key, a page at a time.
   *
   * @example
   * await store.listHeldStatements('site-1', { status: 'held' })
   */
  listHeldStatements(siteId: string, filter: { status?: HeldStatementStatus | undefined }, page?: PageRequest): Promise<Page<HeldBankStatement>>
}

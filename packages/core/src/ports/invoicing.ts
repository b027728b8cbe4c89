/**
 * The invoicing port: invoice batches, drafts and validated invoices, credit notes, invoice
 * folders and sent reminders. Types only; storage adapters implement it.
 *
 * Contract (every method takes `siteId` first; a read never returns, a write never touches,
 * another site's records):
 * - **A charge is billed once.** Every line's `chargeIds` are unique per site across all stored
 *   invoices, drafts and validated alike (a unique key on (site, charge id)); inserting a draft
 *   that repeats a billed charge fails with `CHARGE_ALREADY_BILLED` and writes nothing. Deleting a
 *   draft frees its charges.
 * - **Validated invoices are immutable.** Only drafts are updated or deleted; any write aimed at a
 *   validated invoice fails with `INVOICE_NOT_DRAFT` and changes nothing. Corrections are credit notes.
 * - **Gapless, chronological numbers.** Numbers come from the counter row of
 *   {@link InvoiceNumberCounterStore.reserveNumbers} (which keeps the series' latest issue date, so
 *   a document dated before it is refused under the counter's lock) inside the same transaction as
 *   {@link InvoiceStore.markValidated}: when `markValidated` fails (a draft validated meanwhile by
 *   a concurrent transaction, deleted, or changed) it throws, the transaction rolls back and the
 *   reserved numbers return to the counter. Concurrent validations of one series therefore
 *   yield 1..n without gap or duplicate, in validation (commit) order. (site, billing office,
 *   number) is unique.
 * - **Idempotent creation.** Saving a batch whose id exists with the same content returns
 *   `exists`; with different content fails with `ID_CONFLICT`. A credit note replayed with the same
 *   content returns `exists`; with different content fails with `IDEMPOTENCY_CONFLICT`, whose
 *   `details.fields` name the differing fields.
 * - **Credit notes never exceed their invoice, whatever the concurrency.** {@link InvoiceStore.createCreditNote}
 *   locks the invoice, reads its earlier credit notes after the lock and refuses a note that
 *   would take their sum beyond the invoice's total (`CREDIT_EXCEEDS_INVOICE`), a note on an
 *   absent invoice (`NOT_FOUND`) or on a draft (`INVOICE_NOT_VALIDATED`).
 * - **Writers of one invoice run one at a time.** {@link InvoiceStore.lockInvoices} locks invoices
 *   until the transaction ends (a row lock, `SELECT ... FOR UPDATE` in id order, on PostgreSQL);
 *   a workflow that locks an invoice first and reads its credit notes and payments afterwards
 *   decides on what holds at commit time.
 *
 * @module
 */
import { isReminderCandidate, type CreditNote, type Invoice, type InvoiceBalance, type InvoiceBatch, type InvoiceStatus } from '../invoicing'
import { isLocalDate, type LocalDate } from '../time'
import type { Page, PageRequest } from './storage'
import { EcoleError } from '../errors'
import { nearestKey } from '../nearest-key'
import { checkOptions, type OptionKinds } from '../check-options'
import { chargeDayOf } from '../invoicing/from-billing'

/**
 * Which invoices {@link InvoiceStore.listInvoices} returns; every field given must match. Results
 * are ordered by invoice id.
 *
 * @example
 * const overdue: InvoiceFilter = { status: 'validated', dueBefore: '2027-01-20' }
 */
export interface InvoiceFilter {
  /** Invoices of this batch. */
  batchId?: string | undefined
  /** Invoices of this debtor (`payerId` before 0.1.0). */
  debtorId?: string | undefined
  /**
   * Invoices this guardian owes: as the payer or as one of the joint debtors (what a parents'
   * portal lists for the guardian logged in). Named `debtorId` before 0.1.0.
   */
  debtorOrJointDebtorId?: string | undefined
  /** Drafts or validated invoices. */
  status?: InvoiceStatus | undefined
  /** Invoices of this billing office. */
  billingOfficeId?: string | undefined
  /** Invoices filed in this folder. */
  folderId?: string | undefined
  /** Due date strictly before this day. */
  dueBefore?: LocalDate | undefined
  /**
   * Validated invoices by what they still owe (credit notes and recorded payments taken off, as
   * `invoiceBalance` computes it): `open` still owes something, `settled` owes nothing, `toRemind`
   * is what reminders consider on `today` (`isReminderCandidate`: validated, due before `today`,
   * still owing; seed 001's « à relancer »). Drafts never match.
   */
  balance?: InvoiceBalanceFilter | undefined
  /** The site's today (no clock in storage): required with `balance: 'toRemind'`, refused without it. */
  today?: LocalDate | undefined
  /**
   * A search box's answer: invoices whose number starts with `numberPrefix` (ASCII letters in
   * either case) or whose debtor is one of `debtorIds` (the ids the directory's name search
   * found, at most 10,000). Drafts have no number: only `debtorIds` finds them.
   */
  search?: InvoiceSearch | undefined
}

/**
 * The balance states an {@link InvoiceFilter} selects.
 *
 * @example
 * const state: InvoiceBalanceFilter = 'toRemind'
 */
export type InvoiceBalanceFilter = 'open' | 'settled' | 'toRemind'

/**
 * What a search box matched, for {@link InvoiceFilter.search}: an invoice matches when either part does.
 *
 * @example
 * const search: InvoiceSearch = { numberPrefix: 'f2027-00', debtorIds: ['g1'] }
 */
export interface InvoiceSearch {
  /** The start of an invoice number, ASCII case-insensitive (1 to 64 characters). */
  numberPrefix?: string | undefined
  /** Debtors found by name. */
  debtorIds?: readonly string[] | undefined
}

/**
 * What {@link InvoiceSort} orders by: the number (drafts, without one, first), the issue day (drafts first), the due day, the total, the id.
 *
 * @example
 * const by: InvoiceSortKey = 'dueDate'
 */
export type InvoiceSortKey = 'id' | 'number' | 'issueDate' | 'dueDate' | 'total'

/**
 * The order of an invoice list: by `by`, then by id, both ascending or both descending
 * (`asc` when absent). Id ascending when absent.
 *
 * @example
 * const latestFirst: InvoiceSort = { by: 'number', direction: 'desc' }
 */
export interface InvoiceSort {
  /** The key. */
  by: InvoiceSortKey
  /** Ascending (default) or descending. */
  direction?: 'asc' | 'desc' | undefined
}

/**
 * A page of {@link InvoiceStore.listInvoices} and {@link InvoiceStore.listInvoicesWithBalances}:
 * a {@link PageRequest} with an order. The `next` cursor of a page belongs to its order: pass it
 * back with the same `sort`.
 *
 * @example
 * const page: InvoicePageRequest = { limit: 50, sort: { by: 'dueDate', direction: 'desc' } }
 */
export interface InvoicePageRequest extends PageRequest {
  /** The order (id ascending when absent). */
  sort?: InvoiceSort | undefined
}

/** A reminder that was sent (or made available on the portal) for an invoice. */
export interface SentReminder {
  /** The invoice. */
  invoiceId: string
  /** Level sent. */
  level: number
  /** Day it was sent. */
  date: LocalDate
  /** Whether the letter was made available on the parent portal. */
  onPortal: boolean
}

/**
 * An invoice with its balance, as {@link InvoiceStore.listInvoicesWithBalances} answers it (the
 * balance equal to `invoiceBalance` of `@ecole/core` over its credit notes and payments).
 *
 * @example
 * const row: InvoiceWithBalance = { invoice, balance: invoiceBalance(invoice, [], []) }
 */
export interface InvoiceWithBalance {
  /** The invoice. */
  invoice: Invoice
  /** Its total, what its credit notes and the allocations of its recorded payments took off, what remains due. */
  balance: InvoiceBalance
}

/**
 * Which debtors {@link InvoiceStore.listDebtorBalances} sums: those of one billing office,
 * optionally only some of them (the ids a name search found).
 *
 * @example
 * const query: DebtorBalanceQuery = { billingOfficeId: 'office-1', debtorIds: ['g1', 'g2'] }
 */
export interface DebtorBalanceQuery {
  /** The billing office whose validated invoices are summed. */
  billingOfficeId: string
  /** Only these debtors (at most 10,000 ids); every debtor of the office when absent. */
  debtorIds?: readonly string[] | undefined
}

/**
 * A page of {@link InvoiceStore.listDebtorBalances}: `offset` rows skipped, at most `limit` (1 to 1,000, 25 when absent).
 *
 * @example
 * const third: DebtorBalancePageRequest = { offset: 50, limit: 25 }
 */
export interface DebtorBalancePageRequest {
  /** Rows to return (1 to 1,000; 25 when absent). */
  limit?: number | undefined
  /** Rows to skip (0 when absent). */
  offset?: number | undefined
}

/**
 * What one debtor still owes on a billing office's validated invoices: the sum of each
 * invoice's `outstandingMinor` as `invoiceBalance` of `@ecole/core` computes it (never below
 * zero per invoice: an overpaid invoice does not pay another).
 *
 * @example
 * const row: DebtorBalance = { debtorId: 'g1', currency: 'EUR', outstandingMinor: 1250n, openInvoices: 2 }
 */
export interface DebtorBalance {
  /** The debtor (a guardian id). */
  debtorId: string
  /** The currency of the invoices summed. */
  currency: string
  /** What their validated invoices still owe, minor units (above zero). */
  outstandingMinor: bigint
  /** How many of their invoices still owe something. */
  openInvoices: number
}

/**
 * A page of debtors, largest balance first, with the totals over every page.
 *
 * @example
 * const { items, totals } = await store.listDebtorBalances('site-1', { billingOfficeId: 'office-1' }, { limit: 25 })
 * totals[0] //=> { currency: 'EUR', debtors: 312, outstandingMinor: 1843250n }
 */
export interface DebtorBalancePage {
  /** This page's debtors: outstanding descending, then debtor id. */
  items: DebtorBalance[]
  /** Over every page, per currency (one currency per billing office in practice): how many debtors, how much they owe. */
  totals: Array<{ currency: string; debtors: number; outstandingMinor: bigint }>
}

/**
 * Persistence of invoicing. See the module contract above.
 *
 * @example
 * await tx.invoicing.createDrafts(siteId, drafts)
 * const { first, latestIssueDate } = await tx.invoiceNumbers.reserveNumbers(siteId, 'regie/invoice/2027', drafts.length, issueDate)
 * checkIssueChronology({ series: 'invoice', seriesKey: 'regie/invoice/2027', numbering, issueDate, first, latestIssueDate })
 * await tx.invoicing.markValidated(siteId, validateInvoiceDrafts(drafts, { issueDate, firstSequence: first, numbering }))
 */
export interface InvoiceStore {
  /**
   * Stores a batch definition; `exists` when the same batch was stored before.
   *
   * @example
   * await store.createInvoiceBatch('site-1', batch) //=> 'created'
   */
  createInvoiceBatch(siteId: string, batch: InvoiceBatch): Promise<'created' | 'exists'>
  /**
   * A batch by id, or `undefined` when absent.
   *
   * @example
   * await store.getInvoiceBatch('site-1', 'b-2026-12')
   */
  getInvoiceBatch(siteId: string, batchId: string): Promise<InvoiceBatch | undefined>
  /**
   * Which of `chargeIds` are already on a stored invoice or draft.
   *
   * @example
   * await store.billedChargeIds('site-1', ['c1', 'c2']) //=> Set { 'c1' }
   */
  billedChargeIds(siteId: string, chargeIds: readonly string[]): Promise<Set<string>>
  /**
   * The charge ids billing each of `days` on a stored invoice or draft of the site, for any
   * debtor: what `createInvoiceBatch` needs to find a day (beneficiary, service, kind, date)
   * already billed to another payer without reading the site's invoices. A day is a key of
   * {@link chargeDayKey} (a charge id of billing's form, `<debtor>|<beneficiary>|<service>|<kind>|<date>`,
   * plain or `\`-escaped, without its debtor); only the days billed are in the map, each with its
   * charge ids in code-unit order. A deleted draft's charges no longer count; ids of another form
   * (a host's own) have no day and are never answered. Refuses `days` that is not an array of
   * strings with `INVALID_INPUT` ({@link checkChargeDayKeys}).
   *
   * Optional, so that an adapter written before it keeps working: without it, `createInvoiceBatch`
   * reads the site's invoices and drafts a page at a time (the work grows with the site's history;
   * with it, with the days charged). The storage conformance suite checks it when present. A store
   * indexes the day of each charge id when it writes the charge (PostgreSQL: a `day_key` column,
   * indexed by site and day, migration 40).
   *
   * @example
   * const day = chargeDayKey('dad|lea|cantine|service|2026-09-07')! // the day of dad's charge
   * await store.billedChargeIdsByDay!('site-1', [day])
   * //=> Map { 'lea\u0000cantine\u0000service\u00002026-09-07' => ['mum|lea|cantine|service|2026-09-07'] }
   */
  billedChargeIdsByDay?(siteId: string, days: readonly string[]): Promise<Map<string, string[]>>
  /**
   * Inserts new drafts (status `draft`, ids not yet used). Fails with `CHARGE_ALREADY_BILLED` when
   * a charge is already billed and `ID_CONFLICT` when an id exists; then nothing is written.
   *
   * @example
   * await store.createDrafts('site-1', drafts)
   */
  createDrafts(siteId: string, drafts: readonly Invoice[]): Promise<void>
  /**
   * Replaces a stored draft (adjustments, dates, comment, instalments). Its lines' charges must be
   * the stored ones. Fails with `INVOICE_NOT_DRAFT` when the stored invoice is validated and
   * `NOT_FOUND` when absent.
   *
   * @example
   * await store.updateDraft('site-1', addInvoiceAdjustment(draft, adjustment))
   */
  updateDraft(siteId: string, draft: Invoice): Promise<void>
  /**
   * Deletes drafts and frees their charges; returns how many were deleted. Fails with
   * `INVOICE_NOT_DRAFT` (deleting nothing) when one of them is validated; unknown ids are ignored.
   *
   * @example
   * await store.deleteDrafts('site-1', ['b1:g1']) //=> 1
   */
  deleteDrafts(siteId: string, invoiceIds: readonly string[]): Promise<number>
  /**
   * Replaces drafts by their validated versions (same ids, status `validated`, numbered). Each
   * stored record must still be a draft with the same lines; otherwise fails with
   * `INVOICE_NOT_DRAFT` and writes nothing. Call inside the transaction that reserved the numbers.
   *
   * @example
   * await tx.invoicing.markValidated('site-1', validated)
   */
  markValidated(siteId: string, invoices: readonly Invoice[]): Promise<void>
  /**
   * Locks the given invoices until the transaction ends and returns those that exist, ordered by
   * id: another transaction that locks one of them (or saves a credit note or a payment allocated
   * to it) waits until this one commits or rolls back, and reads made after this call see every
   * write committed before the lock was granted. Locks are taken in id order, so two
   * transactions locking overlapping sets do not deadlock. Outside a transaction it locks nothing
   * beyond the call. Unknown ids are ignored.
   *
   * @example
   * await tx.invoicing.lockInvoices('site-1', ['b1:g1']) // then read credit notes and payments, decide, write
   */
  lockInvoices(siteId: string, invoiceIds: readonly string[]): Promise<Invoice[]>
  /**
   * An invoice (draft or validated) by id, or `undefined` when absent.
   *
   * @example
   * await store.getInvoice('site-1', 'b1:g1')
   */
  getInvoice(siteId: string, invoiceId: string): Promise<Invoice | undefined>
  /**
   * Invoices matching `filter`, a page at a time, in the page's `sort` (id when absent): keyset
   * pages, none repeated nor skipped while nothing changes. Refuses a filter or a page that is not
   * one ({@link checkInvoiceFilter}, {@link checkInvoicePage}) with `INVALID_INPUT`.
   *
   * @example
   * await store.listInvoices('site-1', { batchId: 'b1', status: 'draft' }, { limit: 500 })
   * await store.listInvoices('site-1', { balance: 'toRemind', today: '2027-02-01' }, { sort: { by: 'number' } })
   */
  listInvoices(siteId: string, filter: InvoiceFilter, page?: InvoicePageRequest): Promise<Page<Invoice>>
  /**
   * Invoices matching `filter` with their balances, a page at a time, in the page's `sort` (id when absent), in one read:
   * what a family's invoices page shows (paid of due, what remains) without reading the credit
   * notes and the payments apart. Each balance equals `invoiceBalance` of `@ecole/core` over the
   * invoice's credit notes and the site's payments (refused payments count for nothing), as the
   * same transaction sees them. An unknown filter key is refused as `listInvoices` refuses it.
   *
   * @example
   * const { items } = await store.listInvoicesWithBalances('site-1', { debtorOrJointDebtorId: 'g1', status: 'validated' }, { limit: 500 })
   * const toPay = items.filter((r) => r.balance.outstandingMinor > 0n)
   */
  listInvoicesWithBalances(siteId: string, filter: InvoiceFilter, page?: InvoicePageRequest): Promise<Page<InvoiceWithBalance>>
  /**
   * The debtors of a billing office with what their validated invoices still owe (above zero),
   * largest first, a page at a time, with the totals over every page (a back office's debtor
   * list; issue 18): each debtor's amount is the sum of `invoiceBalance(...).outstandingMinor` of
   * `@ecole/core` over their invoices of the office (the invoice's `debtorId`, not its joint
   * debtors), as the same transaction sees the invoices, credit notes and recorded payments.
   * Answered in one read (one SQL statement on PostgreSQL, summed as exact numeric). Refuses a
   * query or a page that is not one with `INVALID_INPUT` naming the field.
   *
   * @example
   * const { items, totals } = await store.listDebtorBalances('site-1', { billingOfficeId: 'office-1' }, { limit: 25, offset: 0 })
   */
  listDebtorBalances(siteId: string, query: DebtorBalanceQuery, page?: DebtorBalancePageRequest): Promise<DebtorBalancePage>
  /**
   * Stores a credit note; `exists` when stored before with the same content,
   * `IDEMPOTENCY_CONFLICT` (naming the fields) with other content. Under a lock on its invoice,
   * refuses a note that would take the invoice's credit notes beyond its total
   * (`CREDIT_EXCEEDS_INVOICE`), a note on an absent invoice (`NOT_FOUND`) or on a draft
   * (`INVOICE_NOT_VALIDATED`). Call inside the transaction that reserved its number.
   *
   * @example
   * await tx.invoicing.createCreditNote('site-1', creditNote) //=> 'created'
   */
  createCreditNote(siteId: string, creditNote: CreditNote): Promise<'created' | 'exists'>
  /**
   * Credit notes of the given invoices (all of the site when `invoiceIds` is absent), by id.
   *
   * @example
   * await store.listCreditNotes('site-1', ['b1:g1'])
   */
  listCreditNotes(siteId: string, invoiceIds?: readonly string[]): Promise<CreditNote[]>
  /**
   * Files invoices in a folder (null takes them out of any). Filing is kept beside the invoice,
   * so it is allowed on validated invoices and never changes them. Fails with `NOT_FOUND` for an
   * unknown folder (folders are the directory's `invoiceFolder` records: the adapter reads them
   * in the same transaction).
   *
   * @example
   * await store.fileInvoices('site-1', ['b1:g1'], 'f-2027')
   */
  fileInvoices(siteId: string, invoiceIds: readonly string[], folderId: string | null): Promise<void>
  /**
   * Sets the portal display date (the day the family first sees it on the portal) of invoices,
   * drafts or validated (seed 001, « mettre à disposition la facture sur le portail »). Nothing
   * else of an invoice changes: a validated invoice stays what it was, its number, lines, totals
   * and dates other than this one untouched. All or nothing: an unknown id fails with `NOT_FOUND`
   * and nothing is written. Returns how many invoices were given the date.
   *
   * @example
   * await store.setPortalDisplayDate('site-1', ['b1:g1', 'b1:g2'], '2027-01-08') //=> 2
   */
  setPortalDisplayDate(siteId: string, invoiceIds: readonly string[], date: LocalDate): Promise<number>
  /**
   * Records reminders sent.
   *
   * @example
   * await store.recordReminders('site-1', [{ invoiceId: 'b1:g1', level: 1, date: '2027-01-26', onPortal: true }])
   */
  recordReminders(siteId: string, reminders: readonly SentReminder[]): Promise<void>
  /**
   * The highest reminder level sent per invoice (invoices without a reminder are absent).
   *
   * @example
   * await store.lastReminderLevels('site-1', ['b1:g1']) //=> Map { 'b1:g1' => 1 }
   */
  lastReminderLevels(siteId: string, invoiceIds: readonly string[]): Promise<Map<string, number>>
}

/**
 * The day a charge id bills, apart from its debtor: the key {@link InvoiceStore.billedChargeIdsByDay}
 * takes and answers. For an id of billing's form (`<debtor>|<beneficiary>|<service>|<kind>|<date>`,
 * every field `\`-escaped when one holds `|`), the beneficiary, service, kind and date joined by
 * NUL (`\u0000`): the same for every debtor of that day, whichever form, plain or escaped, the id
 * has. `undefined` for an id of another form (a host's own ids have no day). Adapters call it
 * when they write a charge, to index its day.
 *
 * @example
 * chargeDayKey('mum|lea|cantine|service|2026-09-07') //=> 'lea\u0000cantine\u0000service\u00002026-09-07'
 * chargeDayKey('martin\\|anna|lea|cantine|service|2026-09-07') //=> 'lea\u0000cantine\u0000service\u00002026-09-07'
 * chargeDayKey('c1') //=> undefined
 */
export function chargeDayKey(chargeId: string): string | undefined {
  return chargeDayOf(chargeId)?.day
}

/**
 * Refuses the `days` of {@link InvoiceStore.billedChargeIdsByDay} when it is not an array of
 * strings, naming the field. Adapters call it first.
 *
 * @throws EcoleError `INVALID_INPUT` naming `days` or `days[i]`.
 * @example
 * checkChargeDayKeys(['lea\u0000cantine\u0000service\u00002026-09-07']) // passes
 * checkChargeDayKeys('2026-09-07' as unknown as string[]) // throws: days: must be an array of day keys (chargeDayKey)
 */
export function checkChargeDayKeys(days: readonly string[]): void {
  if (!Array.isArray(days)) throw EcoleError.invalidInput('days', 'must be an array of day keys (chargeDayKey)', { field: 'days' })
  for (let i = 0; i < days.length; i++) {
    if (typeof days[i] !== 'string') throw EcoleError.invalidInput(`days[${i}]`, 'must be a string (a day key of chargeDayKey)', { field: `days[${i}]` })
  }
}

/** The keys an {@link InvoiceFilter} knows, each once. */
export const INVOICE_FILTER_KEYS = ['batchId', 'debtorId', 'debtorOrJointDebtorId', 'status', 'billingOfficeId', 'folderId', 'dueBefore', 'balance', 'today', 'search'] as const satisfies ReadonlyArray<keyof InvoiceFilter>

/**
 * Refuses an invoice filter with a key it does not know, so that a misspelt or renamed key (a
 * filter built in a variable with `payerId`, say, which the compiler does not check) fails instead
 * of being silently ignored and listing every invoice. Adapters call it first in `listInvoices`.
 *
 * @throws EcoleError `INVALID_INPUT` naming `filter.<key>` and the nearest known key.
 * @example
 * checkInvoiceFilter({ debtorId: 'g1' }) // passes
 * checkInvoiceFilter({ payerId: 'g1' } as InvoiceFilter) // throws: unknown key `payerId` in the invoice filter: did you mean `debtorId`?
 */
export function checkInvoiceFilter(filter: InvoiceFilter): void {
  if (filter === null || typeof filter !== 'object') {
    throw new EcoleError('INVALID_INPUT', `filter: must be an object (got ${filter === null ? 'null' : typeof filter})`, { details: { field: 'filter' } })
  }
  const known: readonly string[] = INVOICE_FILTER_KEYS
  for (const key of Object.keys(filter)) {
    if (known.includes(key)) continue
    const near = nearestKey(key, known) ?? (key === 'payerId' ? 'debtorId' : undefined)
    throw new EcoleError('INVALID_INPUT', `filter.${key}: unknown key \`${key}\` in the invoice filter${near ? `: did you mean \`${near}\`?` : ` (known keys: ${known.join(', ')})`}`, {
      details: { issues: [{ path: `filter.${key}`, code: 'unrecognized_keys', message: `unknown key \`${key}\`${near ? `: did you mean \`${near}\`?` : ''}` }] },
    })
  }
  const bad = (field: string, rule: string): EcoleError => EcoleError.invalidInput(field, rule, { field, rule })
  if (filter.balance !== undefined && !(INVOICE_BALANCE_FILTERS as readonly unknown[]).includes(filter.balance)) throw bad('filter.balance', `must be one of ${INVOICE_BALANCE_FILTERS.join(', ')}`)
  if (filter.balance === 'toRemind' && filter.today === undefined) throw bad('filter.today', "is required with balance 'toRemind' (the site's today)")
  if (filter.today !== undefined) {
    if (filter.balance !== 'toRemind') throw bad('filter.today', "is only read with balance 'toRemind'")
    if (!isLocalDate(filter.today)) throw bad('filter.today', 'must be a calendar day written YYYY-MM-DD')
  }
  if (filter.search !== undefined) {
    const q = filter.search
    if (q === null || typeof q !== 'object') throw bad('filter.search', 'must be an object')
    for (const key of Object.keys(q)) if (key !== 'numberPrefix' && key !== 'debtorIds') throw bad(`filter.search.${key}`, 'unknown key (known keys: numberPrefix, debtorIds)')
    if (q.numberPrefix !== undefined && (typeof q.numberPrefix !== 'string' || q.numberPrefix.length < 1 || q.numberPrefix.length > 64)) throw bad('filter.search.numberPrefix', 'must be a string of 1 to 64 characters')
    if (q.debtorIds !== undefined) {
      if (!Array.isArray(q.debtorIds) || q.debtorIds.some((id) => typeof id !== 'string')) throw bad('filter.search.debtorIds', 'must be an array of strings')
      if (q.debtorIds.length > MAX_DEBTOR_IDS) throw bad('filter.search.debtorIds', `at most ${MAX_DEBTOR_IDS} ids`)
    }
  }
}

/**
 * The values of {@link InvoiceFilter.balance}.
 *
 * @example
 * INVOICE_BALANCE_FILTERS.includes('toRemind') //=> true
 */
export const INVOICE_BALANCE_FILTERS = ['open', 'settled', 'toRemind'] as const satisfies ReadonlyArray<InvoiceBalanceFilter>

/**
 * The keys an {@link InvoiceSort} orders by.
 *
 * @example
 * INVOICE_SORT_KEYS.includes('number') //=> true
 */
export const INVOICE_SORT_KEYS = ['id', 'number', 'issueDate', 'dueDate', 'total'] as const satisfies ReadonlyArray<InvoiceSortKey>

/**
 * Whether an invoice with what it still owes passes {@link InvoiceFilter.balance} and
 * {@link InvoiceFilter.search} (the filter checked by {@link checkInvoiceFilter}): the rule
 * adapters that filter in code apply; SQL adapters write the same in their statement and the
 * conformance suite compares them. `toRemind` is `isReminderCandidate` of `@ecole/core`.
 *
 * @example
 * matchesInvoiceBalanceAndSearch({ balance: 'toRemind', today: '2027-02-01' }, invoice, 500n) //=> true when invoice is validated and due before 2027-02-01
 */
export function matchesInvoiceBalanceAndSearch(filter: InvoiceFilter, invoice: Pick<Invoice, 'status' | 'dueDate' | 'number' | 'debtorId'>, outstandingMinor: bigint): boolean {
  if (filter.balance !== undefined) {
    const ok = filter.balance === 'toRemind'
      ? isReminderCandidate(invoice, outstandingMinor, filter.today!)
      : invoice.status === 'validated' && (filter.balance === 'open' ? outstandingMinor > 0n : outstandingMinor === 0n)
    if (!ok) return false
  }
  const q = filter.search
  if (q !== undefined) {
    const byNumber = q.numberPrefix !== undefined && invoice.number !== null && asciiLower(invoice.number).startsWith(asciiLower(q.numberPrefix))
    const byDebtor = q.debtorIds !== undefined && q.debtorIds.includes(invoice.debtorId)
    if (!byNumber && !byDebtor) return false
  }
  return true
}

/** ASCII letters lowered, every other character kept (what SQL's `translate` does the same on any server). @internal */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32))
}

/**
 * An invoice's value for a sort key, as a cursor carries it: text (empty for a draft's number or
 * issue day) or, for the total, minor units.
 *
 * @example
 * const v: InvoiceSortValue = 1250n
 */
export type InvoiceSortValue = string | bigint

/**
 * The value an invoice sorts by under `by` (the order of {@link InvoiceSort}): the number or the
 * issue day ('' for a draft, which has none, so drafts come first ascending), the due day, the
 * total (minor units), the id.
 *
 * @example
 * invoiceSortValue(draft, 'number') //=> ''
 * invoiceSortValue(invoice, 'total') //=> 1250n
 */
export function invoiceSortValue(invoice: Pick<Invoice, 'id' | 'number' | 'issueDate' | 'dueDate' | 'totalMinor'>, by: InvoiceSortKey): InvoiceSortValue {
  switch (by) {
    case 'id': return invoice.id
    case 'number': return invoice.number ?? ''
    case 'issueDate': return invoice.issueDate ?? ''
    case 'dueDate': return invoice.dueDate
    case 'total': return invoice.totalMinor
    default: {
      const never: never = by
      throw EcoleError.invalidInput('page.sort.by', `unknown sort key ${String(never)}`)
    }
  }
}

function compareUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Compares two invoices in the order of `sort` (its key, then the id; both descending with
 * `desc`; text by UTF-16 code unit): the order adapters page in.
 *
 * @example
 * invoices.sort((a, b) => compareInvoicesBy({ by: 'total', direction: 'desc' }, a, b))
 */
export function compareInvoicesBy(sort: InvoiceSort | undefined, a: Pick<Invoice, 'id' | 'number' | 'issueDate' | 'dueDate' | 'totalMinor'>, b: Pick<Invoice, 'id' | 'number' | 'issueDate' | 'dueDate' | 'totalMinor'>): number {
  const by = sort?.by ?? 'id'
  const va = invoiceSortValue(a, by)
  const vb = invoiceSortValue(b, by)
  const c = typeof va === 'bigint' ? (va < (vb as bigint) ? -1 : va > (vb as bigint) ? 1 : 0) : compareUnits(va, vb as string)
  const d = c !== 0 ? c : compareUnits(a.id, b.id)
  return sort?.direction === 'desc' ? -d : d
}

/**
 * The `next` cursor after `invoice` under `sort`: the id itself for the id order (the cursors of
 * before), else the sort value and the id as a JSON pair.
 *
 * @example
 * invoiceCursor({ by: 'total' }, invoice) //=> '["1250","inv-1"]'
 */
export function invoiceCursor(sort: InvoiceSort | undefined, invoice: Pick<Invoice, 'id' | 'number' | 'issueDate' | 'dueDate' | 'totalMinor'>): string {
  const by = sort?.by ?? 'id'
  if (by === 'id') return invoice.id
  return JSON.stringify([String(invoiceSortValue(invoice, by)), invoice.id])
}

/**
 * A checked {@link InvoicePageRequest}: the order, and the cursor read back as the sort value and the id.
 *
 * @example
 * const page: CheckedInvoicePage = { by: 'total', desc: true, after: { value: 1250n, id: 'inv-1' } }
 */
export interface CheckedInvoicePage {
  /** The key ordered by. */
  by: InvoiceSortKey
  /** Descending or not. */
  desc: boolean
  /** The last row of the previous page: its sort value and its id (absent on the first page). */
  after?: { value: InvoiceSortValue; id: string } | undefined
}

/**
 * Checks an {@link InvoicePageRequest}'s order and reads its cursor back (a cursor made for
 * another order, or no cursor at all, is refused). Adapters call it after {@link checkInvoiceFilter}.
 *
 * @throws EcoleError `INVALID_INPUT` naming `page.sort.by`, `page.sort.direction` or `page.after`.
 * @example
 * checkInvoicePage({ sort: { by: 'total' }, after: '["1250","inv-1"]' }) //=> { by: 'total', desc: false, after: { value: 1250n, id: 'inv-1' } }
 */
export function checkInvoicePage(page: InvoicePageRequest | undefined): CheckedInvoicePage {
  const sort = page?.sort
  if (sort !== undefined) {
    if (sort === null || typeof sort !== 'object') throw EcoleError.invalidInput('page.sort', 'must be an object', { field: 'page.sort' })
    if (!(INVOICE_SORT_KEYS as readonly unknown[]).includes(sort.by)) throw EcoleError.invalidInput('page.sort.by', `must be one of ${INVOICE_SORT_KEYS.join(', ')}`, { field: 'page.sort.by' })
    if (sort.direction !== undefined && sort.direction !== 'asc' && sort.direction !== 'desc') throw EcoleError.invalidInput('page.sort.direction', 'must be asc or desc', { field: 'page.sort.direction' })
  }
  const by = sort?.by ?? 'id'
  const desc = sort?.direction === 'desc'
  const raw = page?.after
  if (raw === undefined) return { by, desc }
  if (by === 'id') return { by, desc, after: { value: raw, id: raw } }
  const refused = (): EcoleError => EcoleError.invalidInput('page.after', `is not a cursor of the order by ${by} (pass back the \`next\` of a page of the same sort)`, { field: 'page.after' })
  let pair: unknown
  try { pair = JSON.parse(raw) } catch { throw refused() }
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') throw refused()
  const [value, id] = pair as [string, string]
  if (by === 'total') {
    if (!/^-?\d+$/.test(value)) throw refused()
    return { by, desc, after: { value: BigInt(value), id } }
  }
  return { by, desc, after: { value, id } }
}

const DEBTOR_BALANCE_PAGE_KINDS: OptionKinds<DebtorBalancePageRequest> = { limit: 'integer?', offset: 'integer?' }

/** The most debtor ids a {@link DebtorBalanceQuery} may name. */
export const MAX_DEBTOR_IDS = 10_000

/**
 * Checks a {@link DebtorBalanceQuery} and its page, and returns the page's limit and offset.
 * Adapters call it first in `listDebtorBalances`.
 *
 * @throws EcoleError `INVALID_INPUT` naming the field (`query.billingOfficeId`, `query.debtorIds`, `page.limit`, `page.offset`, or an unknown key: a misspelt `limt` or `offst` is refused with the key it meant, never read as the default page); a `page` that is not an object (`[]`, `null`, a number).
 * @example
 * checkDebtorBalanceQuery({ billingOfficeId: 'office-1' }, { offset: 25 }) //=> { limit: 25, offset: 25 }
 */
export function checkDebtorBalanceQuery(query: DebtorBalanceQuery, page?: DebtorBalancePageRequest): { limit: number; offset: number } {
  const bad = (field: string, rule: string): EcoleError => new EcoleError('INVALID_INPUT', `${field}: ${rule}`, { details: { field, issues: [{ path: field, message: rule }] } })
  if (query === null || typeof query !== 'object') throw bad('query', 'must be an object')
  for (const key of Object.keys(query)) if (key !== 'billingOfficeId' && key !== 'debtorIds') throw bad(`query.${key}`, 'unknown key (known keys: billingOfficeId, debtorIds)')
  if (typeof query.billingOfficeId !== 'string' || query.billingOfficeId === '') throw bad('query.billingOfficeId', 'must be a non-empty string')
  if (query.debtorIds !== undefined) {
    if (!Array.isArray(query.debtorIds) || query.debtorIds.some((id) => typeof id !== 'string')) throw bad('query.debtorIds', 'must be an array of strings')
    if (query.debtorIds.length > MAX_DEBTOR_IDS) throw bad('query.debtorIds', `at most ${MAX_DEBTOR_IDS} ids`)
  }
  const checked = checkOptions<DebtorBalancePageRequest>('checkDebtorBalanceQuery', 'page', page, DEBTOR_BALANCE_PAGE_KINDS)
  const limit = checked.limit ?? 25
  const offset = checked.offset ?? 0
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw bad('page.limit', 'must be an integer from 1 to 1000')
  if (!Number.isInteger(offset) || offset < 0) throw bad('page.offset', 'must be a non-negative integer')
  return { limit, offset }
}

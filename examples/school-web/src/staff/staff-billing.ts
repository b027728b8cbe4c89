/**
 * The back office's invoicing use cases over the library's workflows: the drafts and invoices
 * list (paginated and filtered on the server), validation with a clear outcome when another user
 * validated first, and payments entered against what the invoice owed on screen.
 */
import { invoiceBalance, isEcoleError, isLocalDate, type Actor, type Invoice, type InvoiceBalance, type LocalDate, type Payment } from '@ecole/core'
import { INVOICE_SORT_KEYS, type InvoiceFilter, type InvoiceSort, type InvoiceSortKey, type InvoiceWithBalance, type Page, type StoragePorts } from '@ecole/core/ports'
import { recordPayment, validateDrafts, type BillingDeps } from '@ecole/workflows'
import { SITE } from '../site-settings'
import { staffAudit } from './staff-audit'
import { guardianIdsNamed, readAllPages } from './staff-money'

/** The list's filter, as the query string gives it (unknown values ignored). */
export function invoiceFilterOf(query: Record<string, string | undefined>): InvoiceFilter {
  const filter: InvoiceFilter = {}
  if (query['status'] === 'draft' || query['status'] === 'validated') filter.status = query['status']
  for (const key of ['batchId', 'debtorId', 'billingOfficeId', 'folderId'] as const) {
    const v = query[key]?.trim()
    if (v) filter[key] = v
  }
  // links written before 0.1.0 say `payerId`: they keep working
  const oldDebtor = query['payerId']?.trim()
  if (oldDebtor && filter.debtorId === undefined) filter.debtorId = oldDebtor
  const due = query['dueBefore']?.trim()
  if (due && isLocalDate(due)) filter.dueBefore = due
  return filter
}

/** The states the list's « État facture » offers (seed 001): drafts, validated, to remind, settled. */
export const INVOICE_STATES = ['draft', 'validated', 'toRemind', 'settled'] as const
/** One of {@link INVOICE_STATES}. */
export type InvoiceState = (typeof INVOICE_STATES)[number]

/** The invoices list as the query string asks it: the library's filter and order, and the form's values. */
export interface InvoiceListRequest {
  filter: InvoiceFilter
  sort: InvoiceSort
  state: InvoiceState | ''
  q: string
}

/** A value of the invoices list's query that the form does not offer: the field and the value asked. */
export interface InvoiceListProblem {
  field: 'state' | 'sort' | 'dir' | 'dueBefore'
  value: string
}

/**
 * The values of the invoices list's query that are not ones its form offers (a link edited by
 * hand or kept from an older version): an unknown state, order or direction, a due day that is not
 * a day. The list refuses them rather than list every invoice as if no filter had been asked (a
 * « Relancer les factures listées » must never act on more than the state asked). Empty values
 * are no filter.
 */
export function invoiceListProblems(query: Record<string, string | undefined>): InvoiceListProblem[] {
  const problems: InvoiceListProblem[] = []
  const offered: Array<[InvoiceListProblem['field'] | 'status', readonly string[]]> = [
    ['state', INVOICE_STATES], ['status', ['draft', 'validated']], ['sort', INVOICE_SORT_KEYS], ['dir', ['asc', 'desc']],
  ]
  for (const [key, values] of offered) {
    const value = query[key]?.trim() ?? ''
    if (value !== '' && !values.includes(value)) problems.push({ field: key === 'status' ? 'state' : key, value })
  }
  const due = query['dueBefore']?.trim() ?? ''
  if (due !== '' && !isLocalDate(due)) problems.push({ field: 'dueBefore', value: due })
  return problems
}

/**
 * The invoices list's request from its query string (unknown values ignored): `state` (or the
 * older `status`) as the library's status or balance state (« à relancer » is `toRemind` on the
 * site's `today`), `q` as a number prefix or a guardian's name (the directory's indexed name
 * search, as the debtor list does), `sort` and `dir` as the library's order.
 */
export async function invoiceListOf(storage: StoragePorts, siteId: string, query: Record<string, string | undefined>, today: LocalDate): Promise<InvoiceListRequest> {
  const filter = invoiceFilterOf(query)
  const raw = query['state'] ?? query['status'] ?? ''
  const state: InvoiceState | '' = (INVOICE_STATES as readonly string[]).includes(raw) ? (raw as InvoiceState) : ''
  if (state === 'toRemind' || state === 'settled') {
    delete filter.status
    filter.balance = state
    if (state === 'toRemind') filter.today = today
  } else if (state !== '') filter.status = state
  const q = (query['q'] ?? '').trim().slice(0, 64)
  if (q !== '') {
    let debtorIds: string[] = []
    try { debtorIds = (await guardianIdsNamed(storage, siteId, q)) ?? [] } catch (e) { if (!isEcoleError(e, 'INVALID_INPUT')) throw e }
    filter.search = { numberPrefix: q, debtorIds }
  }
  const by = (INVOICE_SORT_KEYS as readonly string[]).includes(query['sort'] ?? '') ? (query['sort'] as InvoiceSortKey) : 'id'
  return { filter, sort: { by, direction: query['dir'] === 'desc' ? 'desc' : 'asc' }, state, q }
}

/** Every invoice id a filter lists (all pages): the invoices a « Relancer » of the list is for. */
export async function listedInvoiceIds(storage: StoragePorts, siteId: string, filter: InvoiceFilter): Promise<string[]> {
  return (await readAllPages((p) => storage.invoicing!.listInvoices(siteId, filter, { ...p, limit: 1000 }))).map((i) => i.id)
}

/** Page size of the lists (the query's `limit`, 1..200, 50 by default). */
export function pageSizeOf(raw: string | undefined): number {
  const n = Number(raw)
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : 50
}

/** One page of invoices, drafts and validated alike, with what each still owes, in the request's order (keyset pages). */
export async function listInvoicePage(deps: BillingDeps, siteId: string, list: InvoiceListRequest, page: { after?: string | undefined; limit: number }): Promise<Page<InvoiceWithBalance>> {
  const invoicing = deps.storage.invoicing
  if (!invoicing) throw new Error('[school-web] the storage has no invoicing port')
  return invoicing.listInvoicesWithBalances(siteId, list.filter, { limit: page.limit, sort: list.sort, ...(page.after ? { after: page.after } : {}) })
}

/** An invoice with what it owes (credit notes and recorded payments taken off). */
export async function invoiceWithBalance(deps: BillingDeps, siteId: string, invoiceId: string): Promise<{ invoice: Invoice; balance: InvoiceBalance } | undefined> {
  const { invoicing, payments } = deps.storage
  if (!invoicing || !payments) throw new Error('[school-web] the storage has no invoicing or payments port')
  const invoice = await invoicing.getInvoice(siteId, invoiceId)
  if (!invoice) return undefined
  const notes = invoice.status === 'validated' ? await invoicing.listCreditNotes(siteId, [invoice.id]) : []
  const paid: Payment[] = []
  let after: string | undefined
  do {
    const page = await payments.listPayments(siteId, { payerId: invoice.debtorId, status: 'recorded' }, { limit: 500, ...(after ? { after } : {}) })
    paid.push(...page.items)
    after = page.next
  } while (after)
  return { invoice, balance: invoiceBalance(invoice, notes, paid) }
}

/** What a validation did. */
export type ValidateOutcome =
  | { ok: true; invoices: Invoice[] }
  | { ok: false; code: 'ALREADY_VALIDATED' | 'NOTHING_TO_VALIDATE'; message: string }
  | { ok: false; code: 'BEFORE_LATEST_ISSUE_DATE'; latestIssueDate: LocalDate; lastNumber: string; message: string }

/**
 * Validates a batch's drafts (seed 001, steps 7-8). Of two users validating the same batch at
 * once, one validates every draft (numbers without a gap) and the other is told the batch was
 * validated meanwhile; nothing is numbered twice.
 */
export async function validateBatchAs(deps: BillingDeps, actor: Actor, input: { batchId: string; issueDate: LocalDate }): Promise<ValidateOutcome> {
  try {
    // the audit entries, with the numbers just given, are written in the validation's transaction
    const invoices = await validateDrafts(deps, { siteId: actor.siteId, batchId: input.batchId, issueDate: input.issueDate, numbering: { prefix: 'F{YYYY}-' }, paymentReferences: SITE.references }, {
      audit: staffAudit(actor, deps.clock.now(), (validated) => validated.map((i) => ({
        action: 'invoice.validated', subject: { kind: 'invoice', id: i.id }, before: { status: 'draft' }, after: { status: 'validated', number: i.number, totalMinor: i.totalMinor },
      }))),
    })
    return { ok: true, invoices }
  } catch (error) {
    if (isEcoleError(error, 'INVOICE_NOT_DRAFT')) return { ok: false, code: 'ALREADY_VALIDATED', message: error.message }
    // an issue date before the latest invoice of the series (numbers follow their dates): say which
    const d = isEcoleError(error, 'INVALID_INPUT') ? (error.details as { latestIssueDate?: LocalDate; lastNumber?: string | null }) : undefined
    if (d?.latestIssueDate !== undefined) return { ok: false, code: 'BEFORE_LATEST_ISSUE_DATE', latestIssueDate: d.latestIssueDate, lastNumber: d.lastNumber ?? '', message: error instanceof Error ? error.message : '' }
    if (isEcoleError(error, 'NOTHING_TO_VALIDATE')) {
      // no draft left: if the batch has validated invoices, someone validated it first
      const validated = await deps.storage.invoicing!.listInvoices(actor.siteId, { batchId: input.batchId, status: 'validated' }, { limit: 1 })
      return { ok: false, code: validated.items.length > 0 ? 'ALREADY_VALIDATED' : 'NOTHING_TO_VALIDATE', message: error.message }
    }
    throw error
  }
}

/** What recording a payment did. */
export type PayOutcome =
  | { ok: true; paymentId: string; created: boolean; walletCreditMinor: bigint }
  | { ok: false; code: 'BALANCE_CHANGED'; outstandingMinor: bigint }

/**
 * Records a payment on an invoice (seed 001 "Comment ajouter un paiement"), against what the
 * invoice owed when the form was shown: if another cashier paid it meanwhile, nothing is recorded
 * and the cashier is told what it owes now. The form's payment id makes a double submit harmless.
 */
export async function payInvoiceAs(
  deps: BillingDeps,
  actor: Actor,
  input: { paymentId: string; invoice: Invoice; method: string; product: string | null; date: LocalDate; amount: string; expectOutstandingMinor: bigint },
): Promise<PayOutcome> {
  try {
    const { payment, created } = await recordPayment(deps, {
      id: input.paymentId, siteId: actor.siteId, billingOfficeId: input.invoice.billingOfficeId, payerId: input.invoice.debtorId, method: input.method,
      product: input.product, date: input.date, amount: input.amount, invoiceId: input.invoice.id, currency: input.invoice.currency,
    }, {
      expectOutstandingMinor: input.expectOutstandingMinor,
      // written in the payment's transaction; a replay of the form's payment id writes none
      audit: staffAudit(actor, deps.clock.now(), ({ payment: p }) => [{
        action: 'payment.recorded', subject: { kind: 'payment', id: p.id },
        after: { invoiceId: input.invoice.id, method: p.method, amountMinor: p.amountMinor, walletCreditMinor: p.walletCreditMinor },
      }]),
    })
    return { ok: true, paymentId: payment.id, created, walletCreditMinor: payment.walletCreditMinor }
  } catch (error) {
    if (isEcoleError(error, 'INVOICE_BALANCE_CHANGED')) {
      return { ok: false, code: 'BALANCE_CHANGED', outstandingMinor: (error.details as { outstandingMinor: bigint }).outstandingMinor }
    }
    throw error
  }
}

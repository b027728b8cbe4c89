/**
 * The back office's invoicing use cases over the library's workflows: the drafts and invoices
 * list (paginated and filtered on the server), validation with a clear outcome when another user
 * validated first, and payments entered against what the invoice owed on screen.
 */
import { invoiceBalance, isEcoleError, type Actor, type Invoice, type InvoiceBalance, type LocalDate, type Payment } from '@ecole/core'
import type { InvoiceFilter, Page } from '@ecole/core/ports'
import { recordPayment, validateDrafts, type BillingDeps } from '@ecole/workflows'
import { SITE } from '../site-settings'
import { staffAudit } from './staff-audit'

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
  if (due && /^\d{4}-\d{2}-\d{2}$/.test(due)) filter.dueBefore = due as LocalDate
  return filter
}

/** Page size of the lists (the query's `limit`, 1..200, 50 by default). */
export function pageSizeOf(raw: string | undefined): number {
  const n = Number(raw)
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : 50
}

/** One page of invoices, drafts and validated alike, in id order (the store's key). */
export async function listInvoicePage(deps: BillingDeps, siteId: string, filter: InvoiceFilter, page: { after?: string | undefined; limit: number }): Promise<Page<Invoice>> {
  const invoicing = deps.storage.invoicing
  if (!invoicing) throw new Error('[school-web] the storage has no invoicing port')
  return invoicing.listInvoices(siteId, filter, { limit: page.limit, ...(page.after ? { after: page.after } : {}) })
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

/**
 * How an invoice is paid, read from the library's records, so that the portal's pages, the
 * invoice PDF and the reminder letters tell a family the same thing (DOMAIN.md §7).
 *
 * - Collected by direct debit: the invoice has a debit date and the library's collection rule
 *   (`selectDirectDebits` of `@ecole/core`, as `collectDirectDebits` applies it) would debit it on
 *   that date under one of its debtor's mandates, and no debit of it was returned; or a debit of it
 *   is recorded (sent, not returned). The family is told not to pay it by transfer.
 * - Paid by transfer, with the invoice's own payment reference: every other invoice, and an invoice
 *   whose debit the bank returned or rejected (a `directDebit` payment allocated to it and REFUSED,
 *   `recordDirectDebitReturn`): it is due again, by another means, and the return is named.
 */
import { selectDirectDebits, type Invoice, type LocalDate, type Payment, type PaymentRefusal, type SepaMandate } from '@ecole/core'
import type { AppContext } from './compose'
import { page, readAll } from './read-all'

/** How one invoice is paid: by the debit of `date` under `mandate`, or by transfer (after a returned debit: `returned`). */
export type InvoiceCollection =
  | { by: 'directDebit'; date: LocalDate; mandate: SepaMandate }
  | { by: 'transfer'; returned?: PaymentRefusal | undefined }

/**
 * The structured reference a transfer paying `invoice` carries (ISO 11649 RF or Belgian OGM, given
 * at validation), or `undefined` when it has none: what the portal's payment page shows and what a
 * reminder letter prints beside the invoice.
 *
 * @example
 * transferReferenceOf(invoice) //=> 'RF7909420000000022'
 */
export function transferReferenceOf(invoice: Pick<Invoice, 'paymentReference'>): string | undefined {
  return invoice.paymentReference ?? undefined
}

/** An invoice and what it still owes (its balance, or what the PDF is printed for). */
export interface InvoiceOwing {
  invoice: Invoice
  outstandingMinor: bigint
}

/**
 * How each invoice is paid (see the module's comment), by invoice id: one read of the debtors'
 * mandates and one of the invoices' direct-debit payments, only for invoices with a debit date.
 *
 * @example
 * const how = await invoiceCollections(ctx, views.map((v) => ({ invoice: v.invoice, outstandingMinor: v.balance.outstandingMinor })))
 * how.get('factures-2027-01:resp-06') //=> { by: 'directDebit', date: '2027-02-10', mandate: { rum: 'RUM-JAURES-0006', ... } }
 */
export async function invoiceCollections(ctx: AppContext, invoices: readonly InvoiceOwing[]): Promise<Map<string, InvoiceCollection>> {
  const out = new Map<string, InvoiceCollection>()
  const debited = invoices.filter((x) => x.invoice.directDebitDate !== null)
  for (const x of invoices) if (x.invoice.directDebitDate === null) out.set(x.invoice.id, { by: 'transfer' })
  if (debited.length === 0) return out
  const siteId = ctx.config.siteId
  const debtorIds = [...new Set(debited.map((x) => x.invoice.debtorId))]
  const mandates: SepaMandate[] = []
  for (let i = 0; i < debtorIds.length; i += 1000) mandates.push(...(await ctx.storage.directory!.listSepaMandatesOf(siteId, debtorIds.slice(i, i + 1000))))
  const payments = await readAll((after) => ctx.storage.payments!.listPayments(siteId, { invoiceIds: debited.map((x) => x.invoice.id), method: 'directDebit' }, page(after)))
  for (const x of debited) out.set(x.invoice.id, collectionOf(x, mandates, payments.filter((p) => p.allocations.some((a) => a.invoiceId === x.invoice.id))))
  return out
}

/** How one invoice is paid, from its debtor's mandates and its direct-debit payments. */
function collectionOf({ invoice, outstandingMinor }: InvoiceOwing, mandates: readonly SepaMandate[], debits: readonly Payment[]): InvoiceCollection {
  const date = invoice.directDebitDate!
  // a debit sent and not returned: the invoice is being (or was) collected
  const sent = debits.find((p) => p.status === 'recorded')
  const sentUnder = sent && mandates.find((m) => m.id === sent.mandateId)
  if (sentUnder) return { by: 'directDebit', date, mandate: sentUnder }
  // a debit returned or rejected: due again, by transfer (the latest return is named)
  const returned = debits.filter((p) => p.status === 'refused' && p.refusal).sort((a, b) => (a.refusal!.date < b.refusal!.date ? 1 : a.refusal!.date > b.refusal!.date ? -1 : 0))[0]
  if (returned) return { by: 'transfer', returned: returned.refusal! }
  // not collected yet: the library's own collection rule decides whether the debit date collects it
  // (a usable mandate signed by then, a valid IBAN, something still due); the ids are placeholders
  // (only the decision is read, never an end-to-end id)
  const { instructions } = selectDirectDebits(
    [{ invoiceId: 'invoice', debtorId: invoice.debtorId, dueDate: invoice.dueDate, outstandingMinor, currency: invoice.currency, paymentReference: null }],
    mandates.filter((m) => m.debtorId === invoice.debtorId),
    { collectionDate: date, endToEndPrefix: 'PORTAL-' },
  )
  const mandate = instructions[0] && mandates.find((m) => m.id === instructions[0]!.mandateId)
  return mandate ? { by: 'directDebit', date, mandate } : { by: 'transfer' }
}

/**
 * How one invoice is paid (see {@link invoiceCollections}).
 *
 * @example
 * const how = await invoiceCollectionOf(ctx, { invoice, outstandingMinor: balance.outstandingMinor })
 * if (how.by === 'directDebit') console.log(`debited on ${how.date} under ${how.mandate.rum}`)
 */
export async function invoiceCollectionOf(ctx: AppContext, owing: InvoiceOwing): Promise<InvoiceCollection> {
  return (await invoiceCollections(ctx, [owing])).get(owing.invoice.id)!
}

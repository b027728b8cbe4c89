import { asInputError, CurrencySchema, EcoleError, LocalDateSchema } from '@ecole/core'
import * as z from 'zod'
import { DocumentBaseSchema, drawHeader, minorSchema, nameOf, openDraft, parseRequest, safeFileName } from '../common'
import { label } from '../language'
import type { Layout } from '../layout'
import { drawTotals } from './invoice'

/**
 * Schema of a request for the list of a folder's invoices: the folder's path (names from the
 * root, as `invoiceFolderPath` of `@ecole/core` gives them), its invoices (the core's `Invoice`
 * fields the list prints), the payers' names and, optionally, what remains due on each.
 *
 * @example
 * InvoiceListRequestSchema.parse({ language: 'fr', printedOn: '2027-02-01', issuer, folderPath: ['2027', 'Janvier'], currency: 'EUR', invoices, names })
 */
export const InvoiceListRequestSchema = DocumentBaseSchema.extend({
  folderPath: z.array(z.string().trim().min(1)).min(1),
  currency: CurrencySchema,
  invoices: z.array(
    z.object({
      id: z.string().min(1),
      number: z.string().nullable().refine((n) => n !== null && n !== '', 'must be validated (numbered)'),
      debtorId: z.string().min(1),
      issueDate: LocalDateSchema.nullable().refine((d) => d !== null, 'must be validated (have an issue date)'),
      dueDate: LocalDateSchema,
      currency: CurrencySchema,
      totalMinor: minorSchema,
    }),
  ),
  names: z.record(z.string(), z.string().min(1)),
  outstanding: z.record(z.string(), minorSchema).optional(),
})

/**
 * What callers pass to render a list of invoices.
 *
 * @example
 * const data: InvoiceListRequestInput = { language: 'fr', printedOn: '2027-02-01', issuer, folderPath: ['2027'], currency: 'EUR', invoices, names }
 */
export type InvoiceListRequestInput = z.input<typeof InvoiceListRequestSchema>

/**
 * A checked invoice-list request with the payers' names.
 *
 * @example
 * const prepared: PreparedInvoiceList = prepareInvoiceList(data)
 */
export interface PreparedInvoiceList {
  /** The checked request. */
  request: z.output<typeof InvoiceListRequestSchema>
  /** Each invoice's payer name. */
  payers: string[]
}

/**
 * Checks an invoice-list request before any byte is written (one currency; every payer named).
 *
 * @example
 * prepareInvoiceList(request)
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function prepareInvoiceList(input: InvoiceListRequestInput): PreparedInvoiceList {
  const request = parseRequest(InvoiceListRequestSchema, input, 'invoiceList')
  request.invoices.forEach((inv, i) => {
    if (inv.currency !== request.currency) throw new EcoleError('INVALID_INPUT', `invoiceList.invoices.${i}.currency: must be ${request.currency} like the list`, { details: { field: `invoiceList.invoices.${i}.currency` } })
  })
  const payers = request.invoices.map((inv, i) => nameOf(request.names, inv.debtorId, `invoiceList.names (invoiceList.invoices.${i}.debtorId)`))
  return { request, payers }
}

/**
 * Draws the list of a folder's invoices: number, payer, issue and due dates, amount and what
 * remains due; totals on the last page.
 *
 * @example
 * drawInvoiceList(prepareInvoiceList(request))
 */
export function drawInvoiceList(p: PreparedInvoiceList): Layout {
  try {
    const r = p.request
    const path = r.folderPath.join(' / ')
    const d = openDraft(r, { title: `${label(r.language, 'invoiceList')} – ${path}` })
    const { layout: l, f, lang } = d
    drawHeader(d, r.issuer, label(lang, 'invoiceList'), [
      [label(lang, 'folder'), path],
      [label(lang, 'date'), f.date(r.printedOn)],
    ])
    const withDue = r.outstanding !== undefined
    const t = l.table([
      { label: label(lang, 'number'), width: 85 },
      { label: label(lang, 'payer'), width: withDue ? 150 : 220 },
      { label: label(lang, 'issueDate'), width: 70 },
      { label: label(lang, 'dueDate'), width: 70 },
      { label: label(lang, 'amount'), width: withDue ? 68 : l.width - 445, align: 'right' },
      ...(withDue ? [{ label: label(lang, 'outstanding'), width: l.width - 443, align: 'right' as const }] : []),
    ])
    let total = 0n
    let due = 0n
    r.invoices.forEach((inv, i) => {
      total += inv.totalMinor
      const o = r.outstanding?.[inv.id] ?? 0n
      due += o
      t.row([inv.number!, p.payers[i]!, f.shortDate(inv.issueDate!), f.shortDate(inv.dueDate), f.money(inv.totalMinor, r.currency), ...(withDue ? [f.money(o, r.currency)] : [])], { id: inv.id })
    })
    t.end()
    const rows: Array<[string, string, boolean, string]> = [
      [label(lang, 'count'), String(r.invoices.length), false, 'count'],
      [label(lang, 'total2'), f.money(total, r.currency), true, 'total'],
    ]
    if (withDue) rows.push([label(lang, 'outstanding'), f.money(due, r.currency), true, 'outstanding'])
    drawTotals(l, rows)
    return l
  } catch (error) {
    throw asInputError(error, 'drawInvoiceList', { p: [p, 'object', 'a prepared list of invoices (from prepareInvoiceList)'] })
  }
}

/**
 * The file name of a list of invoices.
 *
 * @example
 * invoiceListFileName(prepared) //=> 'invoices-2027-Janvier.pdf'
 */
export function invoiceListFileName(p: PreparedInvoiceList): string {
  return safeFileName('invoices', ...p.request.folderPath)
}

import { asInputError, CurrencySchema, EcoleError, EntityFiscalCodeSchema, LocalDateSchema, epcQr, nextInstalmentDue, pagoPa, type Invoice, type LocalDate } from '@ecole/core'
import * as z from 'zod'
import { printable } from '../printable'
import { DocumentBaseSchema, PartySchema, drawAddressee, drawHeader, drawStamp, minorSchema, nameOf, openDraft, parseRequest, printedReference, safeFileName, type Draft } from '../common'
import { colon, label } from '../language'
import type { Layout } from '../layout'
import { drawQr } from '../qr'
import { FacturXOptionsSchema, checkFacturXOptions, embedFacturX, facturXXml, type FacturXOptions, type FacturXProfile } from '../factur-x'
import { drawVatMention } from './vat-mention'
import { LINE_TEXTS, lineShareNote, linePriceText } from './invoice-line-text'

const id = z.string().min(1, 'must not be empty')
/** An id the Factur-X XML carries (a line's SellerAssignedID): never printed, but XML 1.0 must accept it. */
const xmlId = printable(id, 'identifier')

/**
 * Schema of an invoice as `@ecole/core` builds it (`Invoice`), checked before printing: a
 * validated, numbered invoice whose totals add up (lines + adjustments = total), and whose texts
 * can be printed (`printableProblem`): the number, the payment reference and a percentage on one
 * line; the comment and the adjustments' reasons on one or more lines (LF or CR LF); the lines'
 * ids, written in the Factur-X XML, free of control characters.
 *
 * @example
 * InvoiceShapeSchema.parse(invoice)
 */
export const InvoiceShapeSchema = z
  .object({
    id,
    siteId: id,
    billingOfficeId: id,
    batchId: z.string(),
    debtorId: id,
    jointDebtorIds: z.array(id),
    status: z.enum(['draft', 'validated']).refine((s) => s === 'validated', 'must be validated: a draft has no number yet'),
    number: printable(z.string().nullable()).refine((n) => n !== null && n !== '', 'must be the printed number (validate the invoice first)'),
    sequence: z.number().int().nullable(),
    issueDate: LocalDateSchema.nullable().refine((d) => d !== null, 'must be the issue date (validate the invoice first)'),
    periodFrom: LocalDateSchema,
    periodTo: LocalDateSchema,
    dueDate: LocalDateSchema,
    directDebitDate: LocalDateSchema.nullable(),
    portalDisplayDate: LocalDateSchema,
    comment: printable(z.string().nullable(), 'multiline'),
    currency: CurrencySchema,
    lines: z.array(
      z.object({
        id: xmlId,
        beneficiaryId: id,
        serviceId: id,
        unitPriceMinor: minorSchema,
        quantity: z.number().nonnegative(),
        amountMinor: minorSchema,
        chargeIds: z.array(z.string()),
        dates: z.array(LocalDateSchema),
        from: LocalDateSchema,
        to: LocalDateSchema,
        share: z
          .object({ weight: z.number().int().positive(), totalWeight: z.number().int().positive() })
          .refine((x) => x.weight < x.totalWeight, { message: 'weight must be below totalWeight (a share is part of the line)', path: ['weight'] })
          .optional(),
        grossMinor: minorSchema.optional(),
        unitPrice: z.string().regex(/^-?\d+\.\d+$/, 'must be the exact unit price as a decimal string ("3.333")').optional(),
      }),
    ),
    adjustments: z.array(
      z.object({
        id,
        kind: z.enum(['reduction', 'surcharge']),
        value: z.union([z.object({ type: z.literal('amount'), amountMinor: minorSchema }), z.object({ type: z.literal('percentage'), percent: printable(z.string()) })]),
        reason: printable(z.string().min(1), 'multiline'),
        lineId: z.string().nullable(),
        amountMinor: minorSchema,
      }),
    ),
    linesTotalMinor: minorSchema,
    adjustmentsTotalMinor: minorSchema,
    totalMinor: minorSchema,
    previousBalanceMinor: minorSchema,
    instalments: z.array(z.object({ dueDate: LocalDateSchema, amountMinor: minorSchema })),
    paymentReference: printable(z.string().nullable()),
  })
  .superRefine((inv, ctx) => {
    const lines = inv.lines.reduce((s, l) => s + l.amountMinor, 0n)
    const adj = inv.adjustments.reduce((s, a) => s + a.amountMinor, 0n)
    if (lines !== inv.linesTotalMinor) ctx.addIssue({ code: 'custom', path: ['linesTotalMinor'], message: `must be the sum of the lines (${lines})` })
    if (adj !== inv.adjustmentsTotalMinor) ctx.addIssue({ code: 'custom', path: ['adjustmentsTotalMinor'], message: `must be the sum of the adjustments (${adj})` })
    if (inv.linesTotalMinor + inv.adjustmentsTotalMinor !== inv.totalMinor) ctx.addIssue({ code: 'custom', path: ['totalMinor'], message: 'must be linesTotalMinor + adjustmentsTotalMinor' })
    if (inv.instalments.length > 0) {
      const scheduled = inv.instalments.reduce((s, x) => s + x.amountMinor, 0n)
      if (scheduled !== inv.totalMinor) ctx.addIssue({ code: 'custom', path: ['instalments'], message: `must add up to totalMinor (${inv.totalMinor}), not ${scheduled}` })
    }
    inv.lines.forEach((l, i) => {
      if ((l.share === undefined) !== (l.grossMinor === undefined)) ctx.addIssue({ code: 'custom', path: ['lines', i, l.share === undefined ? 'share' : 'grossMinor'], message: 'share and grossMinor go together (the share of what the whole line costs)' })
      else if (l.grossMinor !== undefined && (l.grossMinor < 0n ? l.amountMinor > 0n || l.amountMinor < l.grossMinor : l.amountMinor < 0n || l.amountMinor > l.grossMinor)) {
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'amountMinor'], message: `must be part of grossMinor (${l.grossMinor}), of the same sign` })
      }
    })
    const lineIds = new Set(inv.lines.map((l) => l.id))
    inv.adjustments.forEach((a, i) => {
      if (a.lineId !== null && !lineIds.has(a.lineId)) ctx.addIssue({ code: 'custom', path: ['adjustments', i, 'lineId'], message: `names no line of the invoice (${a.lineId})` })
    })
  })

/**
 * Schema of the pagoPA payment an Italian invoice asks for: its notice number (codice avviso, 18
 * digits, spaces allowed as printed, valid check digits) and the creditor entity's fiscal code
 * (codice fiscale dell'ente creditore: 11 digits, the last the check digit of the first 10, checked
 * by `entityFiscalCode` of `@ecole/core` as `@ecole/italy` checks it). Both go in the pagoPA QR
 * code, and a payment app finds the debt by them: a wrong digit in either makes the notice unpayable.
 *
 * @example
 * InvoicePagoPaSchema.parse({ noticeNumber: '3010 0000 0000 0001 44', creditorFiscalCode: '02438750586' })
 * //=> { noticeNumber: '301000000000000144', creditorFiscalCode: '02438750586' }
 * InvoicePagoPaSchema.safeParse({ noticeNumber: '301000000000000144', creditorFiscalCode: '02438750587' }).success //=> false (the check digit is 6)
 */
export const InvoicePagoPaSchema = z.object({
  noticeNumber: z
    .string()
    .transform((s) => s.replace(/[\s.-]/g, ''))
    .pipe(z.string().regex(/^\d{18}$/, 'must be the 18-digit pagoPA notice number (codice avviso)').refine((s) => pagoPa.isValidNotice(s), 'must be a pagoPA notice number with valid check digits')),
  creditorFiscalCode: EntityFiscalCodeSchema,
})

/**
 * Schema of an invoice print request: the core's invoice, who it is addressed to, the names of
 * the people and services its ids refer to, the direct-debit mandate when it is collected by
 * SEPA, whether to print the EPC QR code (default: yes, when the office has an IBAN, the
 * currency is EUR, something is due and no direct debit collects it), and the pagoPA notice
 * when the invoice is paid through pagoPA (Italy): its payment block and QR code then replace
 * the credit transfer's. The names of `names` and `services` are checked when the invoice prints
 * them (`nameOf`): they must be printable (`printableProblem`), an entry the invoice does not use is
 * not read.
 *
 * @example
 * InvoiceRequestSchema.parse({ language: 'fr', printedOn: '2027-01-04', issuer, invoice, payer: { name: 'Marie Dupont' }, names: { g1: 'Marie Dupont', k1: 'Léa' }, services: { meal: 'Repas' } })
 */
export const InvoiceRequestSchema = DocumentBaseSchema.extend({
  invoice: InvoiceShapeSchema,
  payer: PartySchema,
  names: z.record(z.string(), z.string().min(1)),
  services: z.record(z.string(), z.string().min(1)),
  mandate: z.object({ reference: printable(z.string().min(1)) }).optional(),
  epcQr: z.boolean().default(true),
  facturX: FacturXOptionsSchema.optional(),
  pagoPa: InvoicePagoPaSchema.optional(),
  /**
   * What was paid on the invoice and credited to it when it is printed again (the core's
   * `invoiceBalance`): the totals then go on from the total to what is left to pay ("Déjà payé",
   * "Avoirs", the excess a credit note freed on a paid invoice, "Reste à payer") and the payment
   * block asks for the next instalment still due, or is left out when nothing is; absent, nothing
   * yet (a freshly issued invoice). A host that carries a credit note's excess from one invoice to
   * another as a payment (method `creditNote`) passes it here as credited, not as paid.
   */
  settled: z.object({ paidMinor: minorSchema, creditedMinor: minorSchema }).optional(),
})

/**
 * What callers pass to render an invoice.
 *
 * @example
 * const data: InvoiceRequestInput = { language: 'fr', printedOn: '2027-01-04', issuer, invoice, payer, names, services }
 */
export type InvoiceRequestInput = z.input<typeof InvoiceRequestSchema>

/**
 * An invoice request, checked, with every name resolved and the QR payload built.
 *
 * @example
 * const prepared: PreparedInvoice = prepareInvoice(data)
 * prepared.qr //=> 'BCD\n002\n1\nSCT\n...'
 */
export interface PreparedInvoice {
  /** The checked request. */
  request: z.output<typeof InvoiceRequestSchema>
  /** The invoice (the core's shape). */
  invoice: Invoice
  /** Joint debtors' names, in the invoice's order. */
  jointDebtors: string[]
  /** Each line's beneficiary and service names. */
  lineNames: Array<{ beneficiary: string; service: string }>
  /**
   * What the payment block asks for, or `undefined` when nothing is due: the next instalment of
   * `nextInstalmentDue` (the core's), given the request's `settled` (nothing paid or credited when
   * absent: the invoice printed when it is issued). With a schedule, that instalment with its
   * number; without one, what is left of the total, on the due date.
   */
  due: { amountMinor: bigint; dueDate: LocalDate; instalment?: { number: number; count: number } | undefined } | undefined
  /** The EPC QR payload, when one is printed: exactly `epcQr.payload` of `@ecole/core`, for the amount due. */
  qr: string | undefined
  /** The pagoPA payment, when the request gives one: notice, creditor fiscal code and the QR payload `PAGOPA|002|...`. */
  pagoPa?: { noticeNumber: string; creditorFiscalCode: string; qr: string } | undefined
  /** The Factur-X XML embedded in the PDF, when the request asks for one. */
  facturX?: { profile: FacturXProfile; xml: string } | undefined
}

/**
 * The largest amount an EPC QR code carries, in cents: EUR 999999999.99 (EPC069-12, the amount
 * field has at most 12 characters, `EUR` included in the payload's `EUR<amount>`).
 */
const EPC_QR_MAX_MINOR = 99_999_999_999n

/**
 * The EPC QR payload printed on an invoice, or `undefined` when none is: built by the core's
 * `epcQr.payload` from the billing office (name, IBAN, BIC), the amount asked and the structured
 * reference (an OGM or RF; a pagoPA notice goes in the unstructured text).
 *
 * None is printed when there is nothing to pay (zero or less), in another currency than the
 * euro, without an IBAN, or for an amount above EUR 999 999 999.99, which EPC069-12 cannot
 * encode: the invoice is printed without the QR code, its payment details in words.
 *
 * The amount asked is `amountMinor` when given (the printed invoice gives the next instalment
 * due); otherwise the first instalment when the invoice has a schedule (a schedule asks for one
 * instalment at a time, never the whole total at the first date), else the total.
 *
 * @example
 * invoiceEpcPayload(issuer, invoice) //=> 'BCD\n002\n1\nSCT\n...'
 * invoiceEpcPayload(issuer, invoiceIn3Instalments).split('\n')[7] //=> 'EUR20.50' (the first of 20.50, 20.50, 20.49)
 * invoiceEpcPayload(issuer, invoiceOfOneBillionEuros) //=> undefined (beyond EPC069-12)
 */
export function invoiceEpcPayload(
  office: { name: string; iban?: string | undefined; bic?: string | undefined },
  invoice: Pick<Invoice, 'currency' | 'totalMinor' | 'paymentReference' | 'number'> & { instalments?: Invoice['instalments'] | undefined },
  amountMinor?: bigint,
): string | undefined {
  try {
    const asked = amountMinor ?? (invoice.instalments !== undefined && invoice.instalments.length > 0 ? invoice.instalments[0]!.amountMinor : invoice.totalMinor)
    if (office.iban === undefined || invoice.currency !== 'EUR' || asked <= 0n || asked > EPC_QR_MAX_MINOR) return undefined
    const ref = invoice.paymentReference === null ? undefined : printedReference(invoice.paymentReference)
    const amount = `${asked / 100n}.${String(asked % 100n).padStart(2, '0')}`
    const structured = ref !== undefined && (ref.scheme === 'ogm' || ref.scheme === 'rf')
    return epcQr.payload({
      name: office.name,
      iban: office.iban,
      ...(office.bic !== undefined ? { bic: office.bic } : {}),
      amount,
      ...(structured ? { reference: invoice.paymentReference! } : { text: (ref ? ref.text : `${invoice.number ?? ''}`).slice(0, 140).replace(/[\uD800-\uDBFF]$/, '') }),
    })
  } catch (error) {
    throw asInputError(error, 'invoiceEpcPayload', {
      office: [office, 'object', 'the billing office ({ name, iban?, bic? })'],
      invoice: [invoice, 'object', 'the invoice (currency, totalMinor, paymentReference, number, instalments?)'],
      amountMinor: [amountMinor, 'bigint?', 'the amount asked, in minor units'],
    })
  }
}

/**
 * Checks an invoice request completely (schema, totals, names, images, QR payload) before any
 * byte is written.
 *
 * @example
 * const prepared = prepareInvoice(request)
 * @throws EcoleError `INVALID_INPUT` naming the field (`invoice.invoice.totalMinor`, `invoice.language`, `invoice.issuer.logo`...).
 */
export function prepareInvoice(input: InvoiceRequestInput): PreparedInvoice {
  const request = parseRequest(InvoiceRequestSchema, input, 'invoice')
  const invoice = request.invoice as Invoice
  const jointDebtors = invoice.jointDebtorIds.map((g, i) => nameOf(request.names, g, `invoice.names (invoice.jointDebtorIds.${i})`))
  const lineNames = invoice.lines.map((l, i) => ({
    beneficiary: nameOf(request.names, l.beneficiaryId, `invoice.names (invoice.lines.${i}.beneficiaryId)`),
    service: nameOf(request.services, l.serviceId, `invoice.services (invoice.lines.${i}.serviceId)`),
  }))
  if (invoice.directDebitDate !== null && request.mandate === undefined) {
    throw new EcoleError('INVALID_INPUT', 'invoice.mandate: an invoice collected by direct debit needs its mandate reference', { details: { field: 'invoice.mandate' } })
  }
  const due = paymentDue(invoice, request.settled ?? { paidMinor: 0n, creditedMinor: 0n })
  let pagoPaPayment: PreparedInvoice['pagoPa']
  if (request.pagoPa !== undefined) {
    if (invoice.directDebitDate !== null) {
      throw new EcoleError('INVALID_INPUT', 'invoice.pagoPa: an invoice collected by SEPA direct debit is not paid through pagoPA (give one or the other)', { details: { field: 'invoice.pagoPa' } })
    }
    if (invoice.currency !== 'EUR') {
      throw new EcoleError('INVALID_INPUT', `invoice.pagoPa: pagoPA collects euros, the invoice is in ${invoice.currency}`, { details: { field: 'invoice.pagoPa' } })
    }
    const { noticeNumber, creditorFiscalCode } = request.pagoPa
    pagoPaPayment = due === undefined ? undefined : { noticeNumber, creditorFiscalCode, qr: `PAGOPA|002|${noticeNumber}|${creditorFiscalCode}|${due.amountMinor}` }
  }
  const qr = request.epcQr && invoice.directDebitDate === null && request.pagoPa === undefined && due !== undefined ? invoiceEpcPayload(request.issuer.billingOffice, invoice, due.amountMinor) : undefined
  const facturX = request.facturX === undefined ? undefined : invoiceFacturX(request, invoice, lineNames)
  return { request, invoice, jointDebtors, lineNames, due, qr, pagoPa: pagoPaPayment, facturX }
}

/**
 * What the invoice asks for: the core's next instalment due, given what was paid and credited
 * (nothing, for a freshly issued invoice), and which instalment of the schedule it is.
 */
function paymentDue(invoice: Invoice, settled: { paidMinor: bigint; creditedMinor: bigint }): PreparedInvoice['due'] {
  const next = nextInstalmentDue(invoice, settled)
  if (next === null) return undefined
  if (invoice.instalments.length === 0) return { amountMinor: next.amountMinor, dueDate: next.dueDate }
  const k = invoice.instalments.findIndex((x) => x.dueDate === next.dueDate)
  return { amountMinor: next.amountMinor, dueDate: next.dueDate, instalment: { number: k + 1, count: invoice.instalments.length } }
}

/** The Factur-X XML of an invoice: seller = the billing office, buyer = the payer. */
function invoiceFacturX(request: z.output<typeof InvoiceRequestSchema>, invoice: Invoice, lineNames: PreparedInvoice['lineNames']): { profile: FacturXProfile; xml: string } {
  const fx = checkFacturXOptions(request.facturX, 'invoice.facturX')
  const office = request.issuer.billingOffice
  if (invoice.directDebitDate !== null && office.creditorId === undefined) {
    throw new EcoleError('INVALID_INPUT', 'invoice.issuer.billingOffice.creditorId: a Factur-X invoice collected by direct debit names the creditor identifier (BT-90)', { details: { field: 'invoice.issuer.billingOffice.creditorId' } })
  }
  const xml = facturXXml(
    {
      kind: 'invoice',
      number: invoice.number!,
      issueDate: invoice.issueDate!,
      currency: invoice.currency,
      seller: { name: office.name, address: office.address },
      buyer: request.payer,
      lines: invoice.lines.map((l, i) => ({
        id: l.id, name: `${lineNames[i]!.service} – ${lineNames[i]!.beneficiary}`, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, amountMinor: l.amountMinor, from: l.from, to: l.to,
        ...(l.unitPrice !== undefined ? { unitPrice: l.unitPrice } : {}),
        ...(l.grossMinor !== undefined ? { grossMinor: l.grossMinor } : {}),
      })),
      lineReasons: { share: LINE_TEXTS.otherDebtorShare[request.language], rounding: LINE_TEXTS.rounding[request.language] },
      allowances: invoice.adjustments.map((a) => ({ amountMinor: a.amountMinor, reason: a.reason })),
      totalMinor: invoice.totalMinor,
      period: { from: invoice.periodFrom, to: invoice.periodTo },
      dueDate: invoice.dueDate,
      paymentReference: invoice.paymentReference,
      payment: invoice.directDebitDate !== null ? { directDebit: { creditorId: office.creditorId!, mandate: request.mandate!.reference } } : { iban: office.iban, bic: office.bic },
    },
    fx,
  )
  return { profile: fx.profile, xml }
}

/** The note under a shared line: its size, padding, colour and the table's rule colour. */
const NOTE_SIZE = 7.5
const NOTE_PAD = 3
const NOTE_GREY = '#5a5a5a'
const NOTE_RULE = '#b8b8b8'

/** Draws the lines table and totals of an invoice; shared with the credit note. */
function drawLines(d: Draft, p: PreparedInvoice): void {
  const { layout: l, f, lang } = d
  const inv = p.invoice
  const cur = inv.currency
  const t = l.table([
    { label: label(lang, 'beneficiary'), width: 110 },
    { label: label(lang, 'service'), width: 105 },
    { label: label(lang, 'period'), width: 122 },
    { label: label(lang, 'quantity'), width: 38, align: 'right' },
    { label: label(lang, 'unitPrice'), width: 66, align: 'right' },
    { label: label(lang, 'amount'), width: l.width - 441, align: 'right' },
  ])
  inv.lines.forEach((line, i) => {
    const names = p.lineNames[i]!
    const period = line.from === line.to ? f.shortDate(line.from) : `${f.shortDate(line.from)} – ${f.shortDate(line.to)}`
    const cells = [names.beneficiary, names.service, period, f.quantity(line.quantity), linePriceText(f, line, cur), f.money(line.amountMinor, cur)]
    const note = lineShareNote(f, lang, line, cur)
    if (note === undefined) {
      t.row(cells, { id: line.id })
      return
    }
    // a line the payer pays part of: the row, then what the whole line costs and the payer's share, kept together
    l.setFont(false, NOTE_SIZE)
    const noteLines = l.wrap(note, l.width - 2 * NOTE_PAD)
    const noteHeight = noteLines.length * l.lineHeight(NOTE_SIZE) + NOTE_PAD
    t.row(cells, { id: line.id, rule: false, keepWith: noteHeight })
    l.setFont(false, NOTE_SIZE)
    l.doc.fillColor(NOTE_GREY)
    const top = l.y
    noteLines.forEach((text, j) => l.drawLine(text, l.left + NOTE_PAD, top + j * l.lineHeight(NOTE_SIZE), l.width - 2 * NOTE_PAD, 'right'))
    l.doc.fillColor('black')
    l.y = top + noteHeight
    l.doc.moveTo(l.left, l.y).lineTo(l.right, l.y).lineWidth(0.3).strokeColor(NOTE_RULE).stroke()
    l.rows.push({ id: `${line.id}:share`, page: l.page, top, bottom: l.y })
  })
  t.end()
  const totals: Array<[string, string, boolean, string]> = []
  if (inv.adjustments.length > 0) {
    totals.push([label(lang, 'linesTotal'), f.money(inv.linesTotalMinor, cur), false, 'linesTotal'])
    const byId = new Map(inv.lines.map((x, i) => [x.id, i]))
    for (const a of inv.adjustments) {
      const on = a.lineId !== null ? ` (${label(lang, 'onLine', { line: `${p.lineNames[byId.get(a.lineId)!]!.beneficiary}, ${p.lineNames[byId.get(a.lineId)!]!.service}` })})` : ''
      const pct = a.value.type === 'percentage' ? ` ${a.value.percent} %` : ''
      totals.push([`${label(lang, a.kind)}${pct}${colon(lang)}${a.reason}${on}`, f.money(a.amountMinor, cur), false, `adjustment:${a.id}`])
    }
  }
  totals.push([label(lang, 'total'), f.money(inv.totalMinor, cur), true, 'total'])
  totals.push(...settledRows(d, p))
  drawTotals(l, totals)
}

/**
 * The rows that take the total to what is left to pay on an invoice printed again after payments
 * or credit notes (the request's `settled`): already paid, credit notes, the excess a note freed on
 * a paid invoice (carried by the core to the payer's other invoices or wallet), left to pay. None
 * when nothing was paid or credited: a freshly issued invoice prints only its total.
 */
function settledRows(d: Draft, p: PreparedInvoice): Array<[string, string, boolean, string]> {
  const { f, lang } = d
  const settled = p.request.settled
  if (settled === undefined || (settled.paidMinor === 0n && settled.creditedMinor === 0n)) return []
  const cur = p.invoice.currency
  const rows: Array<[string, string, boolean, string]> = []
  if (settled.paidMinor !== 0n) rows.push([label(lang, 'alreadyPaid'), f.money(-settled.paidMinor, cur), false, 'paid'])
  if (settled.creditedMinor !== 0n) rows.push([label(lang, 'creditNotes'), f.money(-settled.creditedMinor, cur), false, 'credited'])
  const left = p.invoice.totalMinor - settled.paidMinor - settled.creditedMinor
  if (left < 0n) rows.push([label(lang, 'excessCarried'), f.money(-left, cur), false, 'carried'])
  rows.push([label(lang, 'leftToPay'), f.money(left < 0n ? 0n : left, cur), true, 'leftToPay'])
  return rows
}

function totalsRowHeights(l: Layout, rows: ReadonlyArray<readonly [string, string, boolean, string]>): number[] {
  const lh = l.lineHeight(9.5)
  return rows.map(([text]) => {
    l.setFont(false, 9)
    return l.wrap(text, 300).length * lh + 4
  })
}

/**
 * The height {@link drawTotals} needs on its page for `rows`, the gap a table leaves after its
 * last row included: what a table's last row passes as `keepWith` so the totals never start a
 * page without it.
 *
 * @example
 * t.row(cells, { id, keepWith: totalsHeight(layout, rows) })
 * t.end()
 * drawTotals(layout, rows)
 */
export function totalsHeight(l: Layout, rows: ReadonlyArray<readonly [string, string, boolean, string]>): number {
  return 6 + totalsRowHeights(l, rows).reduce((a, b) => a + b, 0) + 4
}

/**
 * Writes label/amount rows right-aligned under a table, kept together on the last page.
 *
 * @example
 * drawTotals(layout, [['Total', '169,51 €', true, 'total']])
 */
export function drawTotals(l: Layout, rows: ReadonlyArray<readonly [string, string, boolean, string]>): void {
  const lh = l.lineHeight(9.5)
  const heights = totalsRowHeights(l, rows)
  l.ensure(heights.reduce((a, b) => a + b, 0) + 4)
  const x = l.right - 420
  rows.forEach(([text, amount, bold, id], i) => {
    const top = l.y
    l.setFont(bold, bold ? 10.5 : 9)
    const lines = l.wrap(text, 300)
    lines.forEach((ln, j) => l.drawLine(ln, x, top + j * lh, 300, 'right'))
    l.drawLine(amount, l.right - 115, top, 112, 'right')
    l.y = top + heights[i]!
    l.rows.push({ id, page: l.page, top, bottom: l.y })
  })
  l.gap(6)
}

/**
 * Draws an invoice: header with logo, number and dates; the payer's address; joint debtors;
 * one row per line (beneficiary, service, period, quantity, unit price, amount); adjustments;
 * totals, then, printed again after payments or credit notes (`settled`), what was paid, credited
 * and is left to pay; the VAT mentions when the request declares its VAT (Factur-X: the seller's
 * VAT number, the breakdown, the exemption reason); the earlier unpaid balance (shown, not added,
 * dated the invoice's issue date: what was owed when it was made, not when it is printed);
 * instalments; how to pay (direct-debit notice; or the pagoPA notice, creditor and pagoPA QR
 * code; or the reference in its printed form, the bank account and the EPC QR code), for the
 * amount and date of the next instalment due when there is a schedule; the stamp.
 *
 * @example
 * const layout = drawInvoice(prepareInvoice(request))
 */
export function drawInvoice(p: PreparedInvoice): Layout {
  try {
    const { request: r, invoice: inv } = p
    const title = `${label(r.language, 'invoice')} ${inv.number}`
    const d = openDraft(r, { title, subject: title, pdfA: true })
    const { layout: l, f, lang } = d
    if (p.facturX) embedFacturX(l.doc, p.facturX.xml, p.facturX.profile, l.meta.created)
    drawHeader(d, r.issuer, title, [
      [label(lang, 'issueDate'), f.date(inv.issueDate!)],
      [label(lang, 'period'), label(lang, 'periodValue', { from: f.date(inv.periodFrom), to: f.date(inv.periodTo) })],
      [label(lang, 'dueDate'), f.date(inv.dueDate)],
    ])
    drawAddressee(d, r.payer, label(lang, 'payer'))
    if (p.jointDebtors.length > 0) {
      l.fields([[label(lang, 'jointDebtors'), p.jointDebtors.join(', ')]])
      l.gap(6)
    }
    drawLines(d, p)
    if (r.facturX !== undefined) drawVatMention(d, r.facturX as FacturXOptions, inv.totalMinor, inv.currency)
    if (inv.previousBalanceMinor > 0n) {
      // what was owed when the invoice was made: dated, so a copy printed later is not read as today's balance
      l.text(`${label(lang, 'previousBalance', { date: f.date(inv.issueDate!) })}${colon(lang)}${f.money(inv.previousBalanceMinor, inv.currency)}`, { size: 9, muted: true })
      l.gap(4)
    }
    if (inv.instalments.length > 0) {
      l.heading(label(lang, 'instalments'))
      const t = l.table([
        { label: label(lang, 'dueDate'), width: 150 },
        { label: label(lang, 'amount'), width: 110, align: 'right' },
      ])
      inv.instalments.forEach((x, i) => t.row([f.date(x.dueDate), f.money(x.amountMinor, inv.currency)], { id: `instalment:${i}` }))
      t.end()
    }
    if (inv.comment) {
      l.fields([[label(lang, 'comment'), inv.comment]])
      l.gap(6)
    }
    drawPayment(d, p)
    drawStamp(d, r.issuer)
    return l
  } catch (error) {
    throw asInputError(error, 'drawInvoice', { p: [p, 'object', 'a prepared invoice (from prepareInvoice)'] })
  }
}

function drawPayment(d: Draft, p: PreparedInvoice): void {
  const { layout: l, f, lang } = d
  const { request: r, invoice: inv } = p
  const office = r.issuer.billingOffice
  if (inv.directDebitDate !== null) {
    l.ensure(50)
    l.gap(4)
    l.text(label(lang, 'directDebit', { date: f.date(inv.directDebitDate) }), { bold: true, size: 9.5 })
    l.text(label(lang, 'mandate', { mandate: r.mandate!.reference, creditor: office.creditorId ?? '—' }), { muted: true })
    return
  }
  const due = p.due
  if (due === undefined) return
  const qrSize = 118
  l.ensure(Math.max(qrSize + 24, 110))
  l.heading(label(lang, p.pagoPa ? 'payByPagoPa' : 'payByTransfer'), qrSize)
  const top = l.y
  // with a schedule, the block asks for one instalment, says which, and when
  const pairs: Array<[string, string]> = due.instalment
    ? [
        [label(lang, 'instalment'), label(lang, 'instalmentNumber', { n: due.instalment.number, count: due.instalment.count })],
        [label(lang, 'instalmentAmount'), f.money(due.amountMinor, inv.currency)],
        [label(lang, 'dueDate'), f.date(due.dueDate)],
      ]
    : [
        [label(lang, 'amount'), f.money(due.amountMinor, inv.currency)],
        [label(lang, 'dueDate'), f.date(due.dueDate)],
      ]
  let qr: { payload: string; caption: string } | undefined
  if (p.pagoPa) {
    pairs.push([label(lang, 'pagoPa'), pagoPa.formatNotice(p.pagoPa.noticeNumber)])
    pairs.push([label(lang, 'creditor'), office.name])
    pairs.push([label(lang, 'creditorFiscalCode'), p.pagoPa.creditorFiscalCode])
    qr = { payload: p.pagoPa.qr, caption: label(lang, 'scanPagoPa') }
  } else {
    if (inv.paymentReference !== null) {
      const ref = printedReference(inv.paymentReference)
      pairs.push([label(lang, ref.scheme === 'ogm' ? 'ogm' : ref.scheme === 'pagoPa' ? 'pagoPa' : 'rf'), ref.text])
    }
    pairs.push([label(lang, 'beneficiaryAccount'), office.name])
    if (office.iban) pairs.push(['IBAN', office.iban.replace(/(.{4})(?=.)/g, '$1 ')])
    if (office.bic) pairs.push(['BIC', office.bic])
    if (p.qr) qr = { payload: p.qr, caption: label(lang, 'scanToPay') }
  }
  const width = qr ? l.width - qrSize - 20 : l.width
  l.fields(pairs, { width, labelWidth: 150 })
  if (due.instalment && due.instalment.number < due.instalment.count) {
    l.gap(2)
    l.text(label(lang, 'laterInstalments'), { size: 8.5, muted: true, width })
  }
  if (qr) {
    const x = l.right - qrSize
    drawQr(l, qr.payload, x, top, qrSize)
    l.doc.fillColor('#5a5a5a')
    l.setFont(false, 7)
    l.drawLine(qr.caption, x - 20, top + qrSize + 3, qrSize + 20, 'center')
    l.doc.fillColor('black')
    l.y = Math.max(l.y, top + qrSize + 14)
  }
  l.gap(8)
}

/**
 * The file name of an invoice's PDF.
 *
 * @example
 * invoiceFileName(prepared) //=> 'invoice-F2027-000001.pdf'
 */
export function invoiceFileName(p: PreparedInvoice): string {
  return safeFileName('invoice', p.invoice.number!)
}

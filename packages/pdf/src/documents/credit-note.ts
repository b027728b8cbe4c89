import { asInputError, CurrencySchema, EcoleError, LocalDateSchema, type CreditNote, type Invoice } from '@ecole/core'
import * as z from 'zod'
import { DocumentBaseSchema, PartySchema, drawAddressee, drawHeader, drawStamp, minorSchema, nameOf, openDraft, parseRequest, safeFileName } from '../common'
import { label } from '../language'
import type { Layout } from '../layout'
import { InvoiceShapeSchema, drawTotals } from './invoice'
import { printable } from '../printable'
import { FacturXOptionsSchema, checkFacturXOptions, embedFacturX, facturXXml, type FacturXOptions, type FacturXProfile } from '../factur-x'
import { drawVatMention } from './vat-mention'

/**
 * Schema of a credit note as `@ecole/core` issues it (`CreditNote`): its lines, when given, add
 * up to its amount; its number prints on one line and its reason on one or more (LF or CR LF),
 * both printable by the embedded fonts (`printableProblem`); its ids, written in the Factur-X XML,
 * are free of control characters.
 *
 * @example
 * CreditNoteShapeSchema.parse(creditNote)
 */
export const CreditNoteShapeSchema = z
  .object({
    id: printable(z.string().min(1), 'identifier'),
    siteId: z.string().min(1),
    billingOfficeId: z.string().min(1),
    invoiceId: z.string().min(1),
    debtorId: z.string().min(1),
    number: printable(z.string().min(1)),
    sequence: z.number().int(),
    issueDate: LocalDateSchema,
    reason: printable(z.string().min(1), 'multiline'),
    currency: CurrencySchema,
    amountMinor: minorSchema.refine((v) => v > 0n, 'must be positive'),
    lines: z.array(z.object({ lineId: printable(z.string().min(1), 'identifier'), amountMinor: minorSchema })),
  })
  .refine((c) => c.lines.length === 0 || c.lines.reduce((s, l) => s + l.amountMinor, 0n) === c.amountMinor, { message: 'must be the sum of the lines', path: ['amountMinor'] })

/**
 * Schema of a credit-note print request: the credit note, the invoice it corrects (to name its
 * number, date and lines), the addressee and the names its ids refer to.
 *
 * @example
 * CreditNoteRequestSchema.parse({ language: 'fr', printedOn: '2027-01-20', issuer, creditNote, invoice, payer, names, services })
 */
export const CreditNoteRequestSchema = DocumentBaseSchema.extend({
  creditNote: CreditNoteShapeSchema,
  invoice: InvoiceShapeSchema,
  payer: PartySchema,
  names: z.record(z.string(), z.string().min(1)),
  services: z.record(z.string(), z.string().min(1)),
  facturX: FacturXOptionsSchema.optional(),
})

/**
 * What callers pass to render a credit note.
 *
 * @example
 * const data: CreditNoteRequestInput = { language: 'fr', printedOn: '2027-01-20', issuer, creditNote, invoice, payer, names, services }
 */
export type CreditNoteRequestInput = z.input<typeof CreditNoteRequestSchema>

/**
 * A checked credit-note request with its lines' names.
 *
 * @example
 * const prepared: PreparedCreditNote = prepareCreditNote(data)
 */
export interface PreparedCreditNote {
  /** The checked request. */
  request: z.output<typeof CreditNoteRequestSchema>
  /** Each credited line: beneficiary, service, amount. */
  lines: Array<{ lineId: string; beneficiary: string; service: string; amountMinor: bigint }>
  /** The Factur-X XML (type 381) embedded in the PDF, when the request asks for one. */
  facturX?: { profile: FacturXProfile; xml: string } | undefined
}

/**
 * Checks a credit-note request before any byte is written.
 *
 * @example
 * prepareCreditNote(request)
 * @throws EcoleError `INVALID_INPUT` naming the field (`creditNote.creditNote.invoiceId` when the invoice is another one).
 */
export function prepareCreditNote(input: CreditNoteRequestInput): PreparedCreditNote {
  const request = parseRequest(CreditNoteRequestSchema, input, 'creditNote')
  const cn = request.creditNote as CreditNote
  const inv = request.invoice as Invoice
  if (cn.invoiceId !== inv.id) {
    throw new EcoleError('INVALID_INPUT', `creditNote.creditNote.invoiceId: the credit note corrects ${cn.invoiceId}, the invoice given is ${inv.id}`, { details: { field: 'creditNote.creditNote.invoiceId' } })
  }
  const lines = cn.lines.map((l, i) => {
    const line = inv.lines.find((x) => x.id === l.lineId)
    if (!line) throw new EcoleError('INVALID_INPUT', `creditNote.creditNote.lines.${i}.lineId: invoice ${inv.id} has no line ${l.lineId}`, { details: { field: `creditNote.creditNote.lines.${i}.lineId` } })
    return {
      lineId: l.lineId,
      beneficiary: nameOf(request.names, line.beneficiaryId, `creditNote.names (creditNote.creditNote.lines.${i}: line ${l.lineId})`),
      service: nameOf(request.services, line.serviceId, `creditNote.services (creditNote.creditNote.lines.${i}: line ${l.lineId})`),
      amountMinor: l.amountMinor,
    }
  })
  let facturX: PreparedCreditNote['facturX']
  if (request.facturX !== undefined) {
    const fx = checkFacturXOptions(request.facturX, 'creditNote.facturX')
    const office = request.issuer.billingOffice
    const xml = facturXXml(
      {
        kind: 'creditNote',
        number: cn.number,
        issueDate: cn.issueDate,
        currency: cn.currency,
        seller: { name: office.name, address: office.address },
        buyer: request.payer,
        lines:
          lines.length > 0
            ? lines.map((l) => ({ id: l.lineId, name: `${l.service} – ${l.beneficiary}`, quantity: 1, unitPriceMinor: l.amountMinor, amountMinor: l.amountMinor }))
            : [{ id: cn.id, name: cn.reason, quantity: 1, unitPriceMinor: cn.amountMinor, amountMinor: cn.amountMinor }],
        allowances: [],
        totalMinor: cn.amountMinor,
        precedingInvoice: { number: inv.number!, issueDate: inv.issueDate! },
      },
      fx,
    )
    facturX = { profile: fx.profile, xml }
  }
  return { request, lines, facturX }
}

/**
 * Draws a credit note (PDF/A-3b like the invoice): header, the invoice it corrects, the reason,
 * the credited lines or the credited amount, the total credited, and the VAT mentions when the
 * request declares its VAT (Factur-X: the seller's VAT number, the breakdown, the exemption reason).
 *
 * @example
 * drawCreditNote(prepareCreditNote(request))
 */
export function drawCreditNote(p: PreparedCreditNote): Layout {
  try {
    const r = p.request
    const cn = r.creditNote
    const title = `${label(r.language, 'creditNote')} ${cn.number}`
    const d = openDraft(r, { title, pdfA: true })
    const { layout: l, f, lang } = d
    if (p.facturX) embedFacturX(l.doc, p.facturX.xml, p.facturX.profile, l.meta.created)
    drawHeader(d, r.issuer, title, [
      [label(lang, 'issueDate'), f.date(cn.issueDate)],
      [label(lang, 'invoice'), r.invoice.number!],
    ])
    drawAddressee(d, r.payer, label(lang, 'payer'))
    l.text(label(lang, 'creditNoteFor', { number: r.invoice.number!, date: f.date(r.invoice.issueDate!) }), { bold: true, size: 10 })
    l.gap(4)
    l.fields([[label(lang, 'reason'), cn.reason]])
    l.gap(8)
    const t = l.table([
      { label: label(lang, 'beneficiary'), width: 150 },
      { label: label(lang, 'service'), width: 230 },
      { label: label(lang, 'credited'), width: l.width - 380, align: 'right' },
    ])
    if (p.lines.length > 0) {
      for (const line of p.lines) t.row([line.beneficiary, line.service, f.money(line.amountMinor, cn.currency)], { id: line.lineId })
    } else {
      t.row([label(lang, cn.amountMinor === r.invoice.totalMinor ? 'creditWhole' : 'credited'), cn.reason, f.money(cn.amountMinor, cn.currency)], { id: 'amount' })
    }
    t.end()
    drawTotals(l, [[label(lang, 'credited'), f.money(cn.amountMinor, cn.currency), true, 'total']])
    if (r.facturX !== undefined) drawVatMention(d, r.facturX as FacturXOptions, cn.amountMinor, cn.currency)
    drawStamp(d, r.issuer)
    return l
  } catch (error) {
    throw asInputError(error, 'drawCreditNote', { p: [p, 'object', 'a prepared credit note (from prepareCreditNote)'] })
  }
}

/**
 * The file name of a credit note's PDF.
 *
 * @example
 * creditNoteFileName(prepared) //=> 'credit-note-AV2027-000001.pdf'
 */
export function creditNoteFileName(p: PreparedCreditNote): string {
  return safeFileName('credit-note', p.request.creditNote.number)
}

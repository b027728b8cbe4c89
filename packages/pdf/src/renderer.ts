import { EcoleError, parseInput } from '@ecole/core'
import type { DocumentSink, PdfRenderer, RenderBatchResult, RenderedDocumentInfo, RenderProgress } from '@ecole/core/ports'
import { match } from 'ts-pattern'
import * as z from 'zod'
import { creditNoteFileName, drawCreditNote, prepareCreditNote, type CreditNoteRequestInput } from './documents/credit-note'
import { depositSlipFileName, drawDepositSlip, prepareDepositSlip, type DepositSlipRequestInput } from './documents/deposit-slip'
import { drawInfoSheet, infoSheetFileName, prepareInfoSheet, type InfoSheetRequestInput } from './documents/info-sheet'
import { drawInvoice, invoiceFileName, prepareInvoice, type InvoiceRequestInput } from './documents/invoice'
import { drawInvoiceList, invoiceListFileName, prepareInvoiceList, type InvoiceListRequestInput } from './documents/invoice-list'
import { drawReminder, prepareReminder, reminderFileName, type ReminderRequestInput } from './documents/reminder'
import { drawTaxCertificate, prepareTaxCertificate, taxCertificateFileName, type TaxCertificateRequestInput } from './documents/tax-certificate'
import { drawWalletStatement, prepareWalletStatement, walletStatementFileName, type WalletStatementRequestInput } from './documents/wallet-statement'
import { label } from './language'
import { collect, drawDocument, type DrawnDocument, type PreparedDocument } from './render-one'

/**
 * A document to render: its kind and the data of that kind (every field as the core computes
 * it, plus the names and addresses a reader needs).
 *
 * @example
 * const request: PdfRequest = { kind: 'invoice', data: { language: 'fr', printedOn: '2027-01-04', issuer, invoice, payer, names, services } }
 */
export type PdfRequest =
  | { kind: 'invoice'; data: InvoiceRequestInput }
  | { kind: 'creditNote'; data: CreditNoteRequestInput }
  | { kind: 'reminder'; data: ReminderRequestInput }
  | { kind: 'taxCertificate'; data: TaxCertificateRequestInput }
  | { kind: 'walletStatement'; data: WalletStatementRequestInput }
  | { kind: 'depositSlip'; data: DepositSlipRequestInput }
  | { kind: 'invoiceList'; data: InvoiceListRequestInput }
  | { kind: 'infoSheet'; data: InfoSheetRequestInput }

/**
 * The kinds of document this package renders.
 *
 * @example
 * PDF_KINDS.includes('taxCertificate') //=> true
 */
export const PDF_KINDS = ['invoice', 'creditNote', 'reminder', 'taxCertificate', 'walletStatement', 'depositSlip', 'invoiceList', 'infoSheet'] as const

const KindSchema = z.object({ kind: z.enum(PDF_KINDS), data: z.object({}).loose() })

/**
 * Checks a request completely (its schema, names, images, totals) and returns it ready to draw.
 * Nothing is written: a bad request throws here, before any byte exists.
 *
 * @example
 * const prepared = preparePdf({ kind: 'reminder', data: reminderRequest })
 * prepared.info.fileName //=> 'reminder-level1-g1-2027-01-26.pdf'
 * @throws EcoleError `INVALID_INPUT` naming the field, e.g. `invoice.language` or `invoice.issuer.logo`.
 */
export function preparePdf(request: PdfRequest): PreparedDocument {
  parseInput(KindSchema, request, 'pdfRequest')
  const info = (kind: PdfRequest['kind'], fileName: string, title: string): PreparedDocument['info'] => ({ kind, fileName, title, mediaType: 'application/pdf' })
  return match(request)
    .with({ kind: 'invoice' }, (r) => {
      const p = prepareInvoice(r.data)
      return { info: info('invoice', invoiceFileName(p), `${label(p.request.language, 'invoice')} ${p.invoice.number}`), draw: () => drawInvoice(p) }
    })
    .with({ kind: 'creditNote' }, (r) => {
      const p = prepareCreditNote(r.data)
      return { info: info('creditNote', creditNoteFileName(p), `${label(p.request.language, 'creditNote')} ${p.request.creditNote.number}`), draw: () => drawCreditNote(p) }
    })
    .with({ kind: 'reminder' }, (r) => {
      const p = prepareReminder(r.data)
      return { info: info('reminder', reminderFileName(p), label(p.request.language, 'reminderLevel', { level: p.level })), draw: () => drawReminder(p) }
    })
    .with({ kind: 'taxCertificate' }, (r) => {
      const p = prepareTaxCertificate(r.data)
      const c = p.request.certificate
      return { info: info('taxCertificate', taxCertificateFileName(p), `${label(p.request.language, c.country === 'FR' ? 'taxFrTitle' : 'taxBeTitle')} ${c.year}`), draw: () => drawTaxCertificate(p) }
    })
    .with({ kind: 'walletStatement' }, (r) => {
      const p = prepareWalletStatement(r.data)
      return { info: info('walletStatement', walletStatementFileName(p), label(p.request.language, 'walletStatement')), draw: () => drawWalletStatement(p) }
    })
    .with({ kind: 'depositSlip' }, (r) => {
      const p = prepareDepositSlip(r.data)
      return { info: info('depositSlip', depositSlipFileName(p), `${label(p.request.language, 'depositSlipOther')} ${p.request.deposit.id}`), draw: () => drawDepositSlip(p) }
    })
    .with({ kind: 'invoiceList' }, (r) => {
      const p = prepareInvoiceList(r.data)
      return { info: info('invoiceList', invoiceListFileName(p), `${label(p.request.language, 'invoiceList')} ${p.request.folderPath.join(' / ')}`), draw: () => drawInvoiceList(p) }
    })
    .with({ kind: 'infoSheet' }, (r) => {
      const p = prepareInfoSheet(r.data)
      return { info: info('infoSheet', infoSheetFileName(p), `${label(p.request.language, 'infoSheet')} ${p.request.identity.firstName} ${p.request.identity.lastName}`), draw: () => drawInfoSheet(p) }
    })
    .exhaustive()
}

/**
 * Renders one request and returns its byte stream, page count and row placements (what the
 * tests read to prove that no table row is split across pages).
 *
 * @example
 * const { chunks, pages } = renderPdf({ kind: 'invoice', data })
 * @throws EcoleError `INVALID_INPUT` naming the field, before any byte exists.
 */
export function renderPdf(request: PdfRequest): DrawnDocument & { info: PreparedDocument['info'] } {
  const prepared = preparePdf(request)
  return { ...drawDocument(prepared), info: prepared.info }
}

/**
 * Renders one request into memory.
 *
 * @example
 * const bytes = await renderPdfBytes({ kind: 'invoice', data })
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export async function renderPdfBytes(request: PdfRequest): Promise<Uint8Array> {
  return collect(renderPdf(request).chunks)
}

async function* counted(chunks: AsyncIterable<Uint8Array>, into: { bytes: number }): AsyncIterable<Uint8Array> {
  for await (const c of chunks) {
    into.bytes += c.length
    yield c
  }
}

/**
 * The `PdfRenderer` port of `@ecole/core/ports` on pdfkit: one document at a time, each checked
 * before a byte is written, each handed to the sink as a stream and awaited before the next, so
 * memory stays that of one document whatever the batch's size.
 *
 * @example
 * const renderer = createPdfRenderer()
 * const result = await renderer.renderBatch(invoices.map((data) => ({ kind: 'invoice', data })), folderSink('out'), {
 *   total: invoices.length, onProgress: ({ done, total }) => console.log(`${done}/${total}`),
 * })
 */
export function createPdfRenderer(): PdfRenderer<PdfRequest> {
  const writeOne = async (request: PdfRequest, sink: DocumentSink, index: number, counter: { bytes: number }): Promise<RenderedDocumentInfo> => {
    const prepared = preparePdf(request)
    const drawn = drawDocument(prepared)
    const info: RenderedDocumentInfo = { ...prepared.info, index }
    await sink.write(info, counted(drawn.chunks, counter))
    return info
  }
  return {
    render: (request) => renderPdfBytes(request),
    renderTo: (request, sink) => writeOne(request, sink, 0, { bytes: 0 }),
    async renderBatch(requests, sink, options = {}): Promise<RenderBatchResult> {
      const counter = { bytes: 0 }
      let done = 0
      for await (const request of requests as AsyncIterable<PdfRequest>) {
        if (options.signal?.aborted) throw new EcoleError('ABORTED', `the batch was stopped after ${done} documents`, { details: { done }, cause: options.signal.reason })
        const last = await writeOne(request, sink, done, counter)
        done++
        const progress: RenderProgress = { done, total: options.total, last }
        options.onProgress?.(progress)
      }
      return { count: done, bytes: counter.bytes }
    },
  }
}

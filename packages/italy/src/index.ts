/**
 * @ecole/italy: Italian formats. Supplier e-invoices (FatturaPA FPR12/FPA12, plain XML or signed
 * `.p7m` envelopes, SDI receipts) read and accepted into a site's purchases when its option is on
 * and the invoice is addressed to its VAT number. SEPA direct debits in the Italian CBI format
 * (CBISDDReqLogMsg.00.01.01) and their status reports. pagoPA payment notices with their QR codes, as PDF.
 *
 * @packageDocumentation
 */
export { FATTURAPA_DOCUMENT_TYPES, isFatturaPADocumentType, type FatturaPADocumentType } from './fatturapa/document-types'
export { parseFatturaPAFileName, type FatturaPAFileName } from './fatturapa/file-name'
export { openSignedEnvelope, type EnvelopeSigner, type SignedEnvelope } from './fatturapa/envelope'
export {
  FATTURAPA_NAMESPACE, FatturaPAOptionsSchema, parseFatturaPA, type FatturaPAAttachment, type FatturaPAFile, type FatturaPAInvoice,
  type FatturaPAOptions, type FatturaPAParty,
} from './fatturapa/parse-fatturapa'
export { SDI_MESSAGES_NAMESPACE, SDI_RECEIPT_KINDS, parseSdiReceipt, type SdiReceipt, type SdiReceiptKind } from './fatturapa/sdi-receipt'
export {
  ReceivedFileInputSchema, acceptanceOf, purchaseId, receiveSupplierInvoice, type PurchaseRefusalCode, type ReceiveSupplierInvoiceResult,
  type ReceivedFileInput,
} from './fatturapa/receive-supplier-invoice'
export { CBI_SDD_REQUEST_NAMESPACE, CbiSddOptionsSchema, buildCbiSdd, type CbiSddFile, type CbiSddOptions } from './cbi/build-cbi-sdd'
export { parseCbiSddStatusReport, parseCbiSddStatusReports } from './cbi/parse-cbi-sdd-status'
export { PagoPaNoticeSchema, pagoPaQrPayload, posteDataMatrixPayload, preparePagoPaNotice, type PagoPaNotice, type PagoPaNoticeInput } from './pagopa/pagopa-notice'
export { renderPagoPaNotice } from './pagopa/render-pagopa-notice'
export { entityFiscalCodeProblem, fiscalCodeProblem, personalFiscalCodeProblem } from './pagopa/fiscal-code'

/**
 * `@ecole/pdf`: the documents families and accountants hold in their hands, on pdfkit. Invoices
 * and credit notes (PDF/A-3b, EPC QR code), reminder letters, tax certificates (France, Belgium
 * 281.86), wallet statements, deposit slips, lists of invoices, information sheets; in French,
 * English, Italian and Dutch; fonts embedded; the `PdfRenderer` port for batch runs.
 *
 * @packageDocumentation
 */
export { LABELS, LANGUAGES, LanguageSchema, colon, label, type LabelKey, type Language } from './language'
export { DEFAULT_AMOUNT_LOCALE, createFormatter, decimalQuantity, formatMinor, type Formatter } from './format'
export { documentFonts, type DocumentFonts } from './fonts'
export { ImageInputSchema, checkPrintImage, sniffImage, type ImageInput, type ImageKind } from './images'
export { A4, Layout, Table, shareLayoutCache, type Column, type DocumentMeta, type RowPlacement, type TextStyle } from './layout'
export { drawQr } from './qr'
export {
  FACTUR_X_DEFAULT_VAT, FACTUR_X_PROFILES, FacturXOptionsSchema, FacturXVatSchema, checkFacturXOptions, embedFacturX, facturXXml, facturXXmp, type FacturXDocument, type FacturXOptions, type FacturXOptionsInput,
  type FacturXProfile,
} from './factur-x'
export { DocumentBaseSchema, IssuerSchema, PartySchema, printedReference, type Issuer, type Party } from './common'
export { InvoicePagoPaSchema, InvoiceRequestSchema, InvoiceShapeSchema, invoiceEpcPayload, prepareInvoice, drawInvoice, type InvoiceRequestInput, type PreparedInvoice } from './documents/invoice'
export { CreditNoteRequestSchema, CreditNoteShapeSchema, prepareCreditNote, drawCreditNote, type CreditNoteRequestInput, type PreparedCreditNote } from './documents/credit-note'
export { ReminderDueSchema, ReminderRequestSchema, defaultReminderWording, prepareReminder, drawReminder, type PreparedReminder, type ReminderRequestInput } from './documents/reminder'
export {
  TaxCertificateRequestSchema, TaxCertificateShapeSchema, prepareTaxCertificate, drawTaxCertificate, type PreparedTaxCertificate, type TaxCertificateRequestInput,
} from './documents/tax-certificate'
export {
  AccountStatementShapeSchema, WalletStatementRequestSchema, prepareWalletStatement, drawWalletStatement, type PreparedWalletStatement, type WalletStatementRequestInput,
} from './documents/wallet-statement'
export { DepositShapeSchema, DepositSlipRequestSchema, prepareDepositSlip, drawDepositSlip, type DepositSlipRequestInput, type PreparedDepositSlip } from './documents/deposit-slip'
export { InvoiceListRequestSchema, prepareInvoiceList, drawInvoiceList, type InvoiceListRequestInput, type PreparedInvoiceList } from './documents/invoice-list'
export {
  INFO_SHEET_SECTIONS, InfoSheetRequestSchema, SECTIONS_BY_PERSON, prepareInfoSheet, drawInfoSheet, type InfoSheetRequestInput, type InfoSheetSection, type PreparedInfoSheet,
} from './documents/info-sheet'
export { collect, drawDocument, type DrawnDocument, type PreparedDocument } from './render-one'
export { PDF_KINDS, createPdfRenderer, preparePdf, renderPdf, renderPdfBytes, type PdfRequest } from './renderer'
export { familyDocumentSink, folderSink, memorySink, type FamilyDocumentOptions } from './sinks'
export { printableProblem, type TextShape } from './printable'

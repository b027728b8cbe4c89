/** Belgian structured communication (OGM/VCS): generate, validate, normalise, format, find in free text. */
export * as ogm from './ogm'
/** ISO 11649 RF creditor reference: generate, validate, normalise, format, find in free text. */
export * as rf from './rf'
/** Italian pagoPA notice numbers (aux digits 0-3) and their IUV. */
export * as pagoPa from './pago-pa'
/** Italian fiscal code of an entity (codice fiscale / partita IVA, 11 digits) and its check digit. */
export * as entityFiscalCode from './entity-fiscal-code'
/** SEPA creditor identifier (ICS), any country. */
export * as creditorId from './creditor-id'
/** French establishment code UAI with its check letter. */
export * as uai from './uai'
/** French pupil identifier INE, by its published formats. */
export * as ine from './ine'
/** SEPA mandate reference (RUM) rules. */
export * as mandateReference from './mandate-reference'
/** IBAN checks through ibantools. */
export * as iban from './iban'
/** BIC checks through ibantools. */
export * as bic from './bic'
/** EPC QR code payload (EPC069-12 version 002). */
export * as epcQr from './epc-qr'
export { isSepaText, toSepaText, type SepaTextOptions, type SepaTextStyle } from './sepa-text'
export {
  ReferenceSpaceSchema, defineReferenceSpace, identifyPaymentReference, invoicePaymentReference, walletPaymentReference,
  type AllocatedReference, type PaymentReferenceKind, type PaymentReferenceScheme, type ReferenceSpace, type ReferenceSpaceInput,
} from './reference-allocator'
export {
  BicSchema, CreditorIdSchema, EntityFiscalCodeSchema, IbanSchema, IneSchema, MandateReferenceSchema, OgmSchema, PagoPaNoticeSchema, RfSchema, UaiSchema,
} from './schemas'

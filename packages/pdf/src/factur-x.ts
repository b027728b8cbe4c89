import { asInputError, CURRENCY_MINOR_UNITS, EcoleError, Money, ogm, parseInput, rf, type LocalDate } from '@ecole/core'
import * as z from 'zod'
import { decimalQuantity } from './format'
import { notXmlCharacter, printable } from './printable'

/**
 * The Factur-X profiles `@ecole/pdf` writes. `EN16931` (the default) and `BASIC` carry every
 * line, the VAT breakdown and the payment means: a full invoice under EN 16931, what a company
 * or a public body (Chorus Pro) books. `MINIMUM` carries only the header and the totals: an aid
 * to booking, not a legal invoice on its own (its XML is marked `Data`, the PDF being the invoice).
 *
 * @example
 * FACTUR_X_PROFILES //=> ['MINIMUM', 'BASIC', 'EN16931']
 */
export const FACTUR_X_PROFILES = ['MINIMUM', 'BASIC', 'EN16931'] as const

/**
 * A Factur-X profile.
 *
 * @example
 * const profile: FacturXProfile = 'EN16931'
 */
export type FacturXProfile = (typeof FACTUR_X_PROFILES)[number]

/** The guideline (BT-24) of each profile, as the Factur-X 1.0 specification names it. */
const GUIDELINE: Record<FacturXProfile, string> = {
  MINIMUM: 'urn:factur-x.eu:1p0:minimum',
  BASIC: 'urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic',
  EN16931: 'urn:cen.eu:en16931:2017',
}

/** The conformance level written in the XMP metadata (`fx:ConformanceLevel`). */
const XMP_LEVEL: Record<FacturXProfile, string> = { MINIMUM: 'MINIMUM', BASIC: 'BASIC', EN16931: 'EN 16931' }

const text = (max: number) => printable(z.string().trim().min(1, 'must not be empty').max(max, `must have at most ${max} characters`))
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code (FR, BE, IT...)')
const identifier = z.object({
  id: text(100),
  /** ISO 6523 scheme: 0002 SIREN, 0009 SIRET, 0208 Belgian enterprise number, 0201 Italian IPA code. */
  scheme: z.string().regex(/^\d{4}$/, 'must be an ISO 6523 ICD code of four digits (0009 SIRET, 0208 BCE/KBO)').optional(),
})
const partySchema = z.object({
  country,
  postcode: text(20).optional(),
  city: text(100).optional(),
  legalId: identifier.optional(),
  vatId: z.string().regex(/^[A-Z]{2}[0-9A-Za-z+*.]{2,13}$/, 'must be a VAT number with its country prefix (FR12345678901, BE0123456789)').optional(),
})

/**
 * The VAT treatment of a school's services. Schools invoice without VAT: `E` (exempt) with an
 * exemption reason code of the VATEX list, by default `VATEX-EU-132-1I` (article 132(1)(i) of
 * Directive 2006/112/EC: education and the services closely related to it, such as the
 * canteen; `VATEX-EU-132-1H` for the care of children), or `O` (not subject to VAT:
 * `VATEX-EU-O`, a commune's public service acting as a public authority).
 *
 * @example
 * FacturXVatSchema.parse({ category: 'O', exemptionCode: 'VATEX-EU-O', exemptionReason: 'Non assujetti (article 256 B du CGI)' })
 */
export const FacturXVatSchema = z
  .object({
    category: z.enum(['E', 'O']),
    exemptionCode: z.string().regex(/^VATEX-[A-Z0-9-]+$/, 'must be a code of the VATEX list (VATEX-EU-132-1I, VATEX-EU-O...)'),
    exemptionReason: text(300),
  })
  .refine((v) => (v.category === 'O') === (v.exemptionCode === 'VATEX-EU-O'), { message: 'category O goes with VATEX-EU-O, category E with an exemption code', path: ['exemptionCode'] })

/**
 * The VAT treatment a Factur-X document declares when the caller gives none: exempt (`E`) under
 * article 132(1)(i) of Directive 2006/112/EC (`VATEX-EU-132-1I`), with the reason in French. The
 * printed page gives this reason in the document's language; a reason of the caller's own is
 * printed as given.
 *
 * @example
 * FACTUR_X_DEFAULT_VAT.exemptionCode //=> 'VATEX-EU-132-1I'
 */
export const FACTUR_X_DEFAULT_VAT = {
  category: 'E',
  exemptionCode: 'VATEX-EU-132-1I',
  exemptionReason: 'Exonération de TVA : article 132, paragraphe 1, point i) de la directive 2006/112/CE (enseignement et prestations étroitement liées)',
} as const satisfies z.input<typeof FacturXVatSchema>

/**
 * What a Factur-X invoice needs beyond what the printed invoice says: the profile, the
 * countries and identifiers of the seller (the billing office) and the buyer (the debtor), the
 * buyer's reference (a public body's service code) and the VAT exemption.
 *
 * @example
 * FacturXOptionsSchema.parse({ seller: { country: 'FR', legalId: { id: '21750001600019', scheme: '0009' } }, buyer: { country: 'FR' } })
 */
export const FacturXOptionsSchema = z.object({
  profile: z.enum(FACTUR_X_PROFILES).default('EN16931'),
  seller: partySchema.extend({ taxRegistrationId: text(50).optional() }),
  buyer: partySchema.extend({ reference: text(100).optional() }),
  vat: FacturXVatSchema.default(FACTUR_X_DEFAULT_VAT),
})

/**
 * The Factur-X options a caller gives.
 *
 * @example
 * const fx: FacturXOptionsInput = { profile: 'BASIC', seller: { country: 'BE', vatId: 'BE0123456749' }, buyer: { country: 'BE' } }
 */
export type FacturXOptionsInput = z.input<typeof FacturXOptionsSchema>

/**
 * Checked Factur-X options.
 *
 * @example
 * const fx: FacturXOptions = FacturXOptionsSchema.parse(input)
 */
export type FacturXOptions = z.output<typeof FacturXOptionsSchema>

/**
 * An invoice or credit note as the Factur-X writer reads it: already checked and adding up.
 *
 * @example
 * const doc: FacturXDocument = { kind: 'invoice', number: 'F1', issueDate: '2027-01-04', currency: 'EUR', seller, buyer, lines: [], allowances: [], totalMinor: 0n }
 */
export interface FacturXDocument {
  /** 380 (commercial invoice) or 381 (credit note). */
  kind: 'invoice' | 'creditNote'
  /** The printed number (BT-1). */
  number: string
  /** Issue date (BT-2). */
  issueDate: LocalDate
  /** Currency (BT-5). */
  currency: string
  /** The billing office: name and address lines. */
  seller: { name: string; address: readonly string[] }
  /** The debtor: name and address lines. */
  buyer: { name: string; address: readonly string[] }
  /**
   * Lines: name (child and service), quantity, unit price, net amount (minor units). Two optional
   * facts make a line add up as EN 16931 computes it (quantity x net price, minus the line's
   * allowances, plus its charges): `unitPrice`, the exact price when it has more decimals than the
   * currency (`'3.333'`), and `grossMinor`, what the whole line costs when the debtor pays only
   * part of it (the rest is a line allowance).
   */
  lines: ReadonlyArray<{ id: string; name: string; quantity: number; unitPriceMinor: bigint; amountMinor: bigint; from?: LocalDate; to?: LocalDate; unitPrice?: string | undefined; grossMinor?: bigint | undefined }>
  /**
   * The reasons of the line allowances and charges, in the document's language: the part of a
   * line other debtors pay, and a rounding difference. French by default.
   */
  lineReasons?: { share: string; rounding: string } | undefined
  /** Document-level reductions (negative) and surcharges (positive), with their reason. */
  allowances: ReadonlyArray<{ amountMinor: bigint; reason: string }>
  /** Amount due (BT-115) = lines + adjustments. */
  totalMinor: bigint
  /** Invoicing period (BT-73/74). */
  period?: { from: LocalDate; to: LocalDate } | undefined
  /** Due date (BT-9). */
  dueDate?: LocalDate | undefined
  /** The payment reference (OGM, RF...) as stored (BT-83). */
  paymentReference?: string | null | undefined
  /** Credit transfer to this account (BT-84/86), or direct debit (creditor id BT-90, mandate BT-89). */
  payment?: { iban?: string | undefined; bic?: string | undefined } | { directDebit: { creditorId: string; mandate: string } } | undefined
  /** A credit note's invoice (BT-25/26). */
  precedingInvoice?: { number: string; issueDate: LocalDate } | undefined
}

/**
 * `s` escaped for XML element content or a double-quoted attribute. The last line of defence
 * behind the request's field checks: a character XML 1.0 refuses (a control character, a lone
 * surrogate, U+FFFF) is refused here, naming `field`, rather than written into a file no XML
 * parser reads.
 */
function esc(s: string, field: string): string {
  const bad = notXmlCharacter(s)
  if (bad !== undefined) throw EcoleError.invalidInput(`facturXXml.${field}`, `must not contain ${bad}, which XML 1.0 refuses (the Factur-X XML would not be well-formed)`)
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** The default reasons of the line allowances (French). */
const LINE_REASONS = { share: "Part à la charge d'un autre débiteur", rounding: 'Arrondi' } as const

/** Prices are written with at most this many decimals; a longer one is a price per 10^k units. */
const PRICE_DECIMALS = 4

/**
 * A non-negative exact price as Factur-X writes it: `ChargeAmount` with at most 4 decimals (and at
 * least the currency's), and `BasisQuantity` (BT-149) when the price has more (4.21376 per unit is
 * 421.376 per 100 units: the same price, exactly).
 */
function priceParts(price: string, digits: number): { chargeAmount: string; basis: string | undefined } {
  const [whole = '0', raw = ''] = price.split('.')
  const fraction = raw.replace(/0+$/, '')
  if (fraction.length <= PRICE_DECIMALS) return { chargeAmount: digits === 0 && fraction === '' ? whole : `${whole}.${fraction.padEnd(Math.max(digits, fraction.length), '0')}`, basis: undefined }
  const k = fraction.length - PRICE_DECIMALS
  const shifted = `${whole}${fraction.slice(0, k)}`.replace(/^0+(?=\d)/, '')
  return { chargeAmount: `${shifted}.${fraction.slice(k)}`, basis: `1${'0'.repeat(k)}` }
}

/** A line allowance (`false`) or charge (`true`) of the line's settlement. */
function lineAllowance(charge: boolean, actual: string, reason: string, field: string): string {
  return `<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>${charge}</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>${actual}</ram:ActualAmount><ram:Reason>${esc(reason, field)}</ram:Reason></ram:SpecifiedTradeAllowanceCharge>`
}

function amount(minor: bigint, digits: number): string {
  const neg = minor < 0n
  const abs = neg ? -minor : minor
  if (digits === 0) return `${neg ? '-' : ''}${abs}`
  const p = 10n ** BigInt(digits)
  return `${neg ? '-' : ''}${abs / p}.${String(abs % p).padStart(digits, '0')}`
}

const date102 = (d: LocalDate) => `<udt:DateTimeString format="102">${d.replace(/-/g, '')}</udt:DateTimeString>`

/** The electronic form of a payment reference: an OGM's 12 digits, an RF without spaces. */
function remittance(reference: string): string {
  if (/^RF/i.test(reference.trim()) && rf.isValid(reference)) return reference.replace(/\s+/g, '').toUpperCase()
  if (ogm.isValid(reference)) return reference.replace(/\D/g, '')
  return reference.trim()
}

function fail(field: string, rule: string): never {
  throw new EcoleError('INVALID_INPUT', `${field}: ${rule}`, { details: { field } })
}

/**
 * Checks the options against the EN 16931 rules that depend on them (before any byte is
 * written): exempt (`E`) needs the seller's VAT number or tax registration (BR-E-2); not
 * subject (`O`) forbids the seller's and buyer's VAT numbers (BR-O-2, BR-O-4).
 *
 * @throws EcoleError `INVALID_INPUT` naming the field.
 * @example
 * checkFacturXOptions(input, 'invoice.facturX')
 */
export function checkFacturXOptions(input: unknown, field: string): FacturXOptions {
  const fx = parseInput(FacturXOptionsSchema, input, field)
  if (fx.vat.category === 'E' && fx.seller.vatId === undefined && fx.seller.taxRegistrationId === undefined) {
    fail(`${field}.seller.vatId`, 'a VAT-exempt invoice (category E) names the seller by its VAT number or tax registration id (EN 16931 BR-E-2)')
  }
  if (fx.vat.category === 'O' && fx.seller.vatId !== undefined) fail(`${field}.seller.vatId`, 'an invoice not subject to VAT (category O) has no seller VAT number (EN 16931 BR-O-2)')
  if (fx.vat.category === 'O' && fx.buyer.vatId !== undefined) fail(`${field}.buyer.vatId`, 'an invoice not subject to VAT (category O) has no buyer VAT number (EN 16931 BR-O-4)')
  return fx
}

function party(tag: string, p: { name: string; address: readonly string[] }, o: FacturXOptions['seller'] | FacturXOptions['buyer'], full: boolean, at: { doc: string; fx: string }, taxRegistrationId?: string): string {
  const legal = o.legalId ? `<ram:SpecifiedLegalOrganization><ram:ID${o.legalId.scheme ? ` schemeID="${o.legalId.scheme}"` : ''}>${esc(o.legalId.id, `${at.fx}.legalId.id`)}</ram:ID></ram:SpecifiedLegalOrganization>` : ''
  const lines = full ? p.address.slice(0, 3).map((a, i) => `<ram:Line${['One', 'Two', 'Three'][i]}>${esc(a, `${at.doc}.address.${i}`)}</ram:Line${['One', 'Two', 'Three'][i]}>`).join('') : ''
  const address = full
    ? `<ram:PostalTradeAddress>${o.postcode ? `<ram:PostcodeCode>${esc(o.postcode, `${at.fx}.postcode`)}</ram:PostcodeCode>` : ''}${lines}${o.city ? `<ram:CityName>${esc(o.city, `${at.fx}.city`)}</ram:CityName>` : ''}<ram:CountryID>${o.country}</ram:CountryID></ram:PostalTradeAddress>`
    : `<ram:PostalTradeAddress><ram:CountryID>${o.country}</ram:CountryID></ram:PostalTradeAddress>`
  const tax = [o.vatId ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${esc(o.vatId, `${at.fx}.vatId`)}</ram:ID></ram:SpecifiedTaxRegistration>` : '', taxRegistrationId ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">${esc(taxRegistrationId, `${at.fx}.taxRegistrationId`)}</ram:ID></ram:SpecifiedTaxRegistration>` : '']
  // MINIMUM allows one tax registration (the VAT number)
  return `<ram:${tag}><ram:Name>${esc(p.name, `${at.doc}.name`)}</ram:Name>${legal}${address}${full ? tax.join('') : tax[0]}</ram:${tag}>`
}

/**
 * Writes the Cross Industry Invoice XML (UN/CEFACT CII D16B, as Factur-X 1.0 restricts it) of
 * an invoice or credit note: seller = the billing office, buyer = the debtor, the lines (BASIC
 * and EN 16931; a line the debtor pays part of is written whole, quantity x price, with a line
 * allowance for the other debtors' part, and an exact price with at most 4 decimals, per
 * `BasisQuantity` units beyond, so each line's total is quantity x price - allowances + charges
 * as EN 16931 computes it), the document-level reductions and surcharges, the VAT breakdown (exempt or not
 * subject, 0 VAT, with the exemption code and reason), the totals, the payment means (credit
 * transfer to the office's IBAN with the structured reference, or SEPA direct debit with the
 * creditor id and mandate) and the due date.
 *
 * @example
 * const xml = facturXXml(doc, options)
 * xml.startsWith('<?xml') //=> true
 */
export function facturXXml(doc: FacturXDocument, fx: FacturXOptions): string {
  try {
    const digits = CURRENCY_MINOR_UNITS[doc.currency]
    if (digits === undefined) fail('facturX.currency', `is not a currency @ecole knows (${doc.currency})`)
    const m = (x: bigint) => amount(x, digits)
    const full = fx.profile !== 'MINIMUM'
    const typeCode = doc.kind === 'invoice' ? '380' : '381'
    const linesTotal = doc.lines.reduce((s, l) => s + l.amountMinor, 0n)
    const allowanceTotal = doc.allowances.filter((a) => a.amountMinor < 0n).reduce((s, a) => s - a.amountMinor, 0n)
    const chargeTotal = doc.allowances.filter((a) => a.amountMinor > 0n).reduce((s, a) => s + a.amountMinor, 0n)
    if (full && linesTotal - allowanceTotal + chargeTotal !== doc.totalMinor) fail('facturX.totalMinor', `must be the lines minus reductions plus surcharges (EN 16931 BR-CO-13): ${linesTotal - allowanceTotal + chargeTotal} expected`)
    const rate = fx.vat.category === 'E' ? '<ram:RateApplicablePercent>0</ram:RateApplicablePercent>' : ''
    const lineTax = `<ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>${fx.vat.category}</ram:CategoryCode>${rate}</ram:ApplicableTradeTax>`
    const out: string[] = []
    out.push(
      '<?xml version="1.0" encoding="UTF-8"?>\n',
      '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" ',
      'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">\n',
      `<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>${GUIDELINE[fx.profile]}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>\n`,
      `<rsm:ExchangedDocument><ram:ID>${esc(doc.number, 'doc.number')}</ram:ID><ram:TypeCode>${typeCode}</ram:TypeCode><ram:IssueDateTime>${date102(doc.issueDate)}</ram:IssueDateTime></rsm:ExchangedDocument>\n`,
      '<rsm:SupplyChainTradeTransaction>\n',
    )
    if (full) {
      doc.lines.forEach((l, i) => {
        // a price is never negative (BR-27): a negative line is a negative quantity at a positive price
        const exact = l.unitPrice
        const negative = exact !== undefined ? exact.trim().startsWith('-') : l.unitPriceMinor < 0n
        const qty = negative ? -l.quantity : l.quantity
        const quantity = decimalQuantity(qty)
        const period = l.from && l.to ? `<ram:BillingSpecifiedPeriod><ram:StartDateTime>${date102(l.from)}</ram:StartDateTime><ram:EndDateTime>${date102(l.to)}</ram:EndDateTime></ram:BillingSpecifiedPeriod>` : ''
        let priceXml: string
        let adjustments = ''
        if (exact === undefined && l.grossMinor === undefined) {
          // a whole line at a price in minor units: written as always
          priceXml = `<ram:ChargeAmount>${m(negative ? -l.unitPriceMinor : l.unitPriceMinor)}</ram:ChargeAmount>`
        } else {
          // the facts of the line: quantity x exact price (the whole line's), then allowances or charges
          // so that LineTotalAmount = round(quantity x price) - allowances + charges, exactly
          const price = exact !== undefined ? Money.of(exact.trim(), doc.currency).abs() : Money.fromMinor(negative ? -l.unitPriceMinor : l.unitPriceMinor, doc.currency)
          const parts = priceParts(price.amount, digits)
          priceXml = `<ram:ChargeAmount>${parts.chargeAmount}</ram:ChargeAmount>${parts.basis !== undefined ? `<ram:BasisQuantity unitCode="C62">${parts.basis}</ram:BasisQuantity>` : ''}`
          const net = price.times(quantity).round('halfUp').toMinor()
          const gross = l.grossMinor ?? l.amountMinor
          const reasons = doc.lineReasons ?? LINE_REASONS
          // the part other debtors pay, then what rounding (the office's mode, a line billed in parts) left
          for (const [diff, reason, field] of [[gross - l.amountMinor, reasons.share, `doc.lineReasons.share`], [net - gross, reasons.rounding, `doc.lineReasons.rounding`]] as const) {
            if (diff !== 0n) adjustments += lineAllowance(diff < 0n, m(diff < 0n ? -diff : diff), reason, field)
          }
        }
        out.push(
          `<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>${i + 1}</ram:LineID></ram:AssociatedDocumentLineDocument>`,
          `<ram:SpecifiedTradeProduct>${fx.profile === 'EN16931' ? `<ram:SellerAssignedID>${esc(Array.from(l.id).slice(0, 100).join(''), `doc.lines.${i}.id`)}</ram:SellerAssignedID>` : ''}<ram:Name>${esc(l.name, `doc.lines.${i}.name`)}</ram:Name></ram:SpecifiedTradeProduct>`,
          `<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>${priceXml}</ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>`,
          `<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">${quantity}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>`,
          `<ram:SpecifiedLineTradeSettlement>${lineTax}${period}${adjustments}<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${m(l.amountMinor)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>`,
          '</ram:IncludedSupplyChainTradeLineItem>\n',
        )
      })
    }
    out.push(
      '<ram:ApplicableHeaderTradeAgreement>',
      fx.buyer.reference ? `<ram:BuyerReference>${esc(fx.buyer.reference, 'fx.buyer.reference')}</ram:BuyerReference>` : '',
      party('SellerTradeParty', doc.seller, fx.seller, full, { doc: 'doc.seller', fx: 'fx.seller' }, fx.seller.taxRegistrationId),
      party('BuyerTradeParty', doc.buyer, fx.buyer, full, { doc: 'doc.buyer', fx: 'fx.buyer' }),
      '</ram:ApplicableHeaderTradeAgreement>\n',
      '<ram:ApplicableHeaderTradeDelivery/>\n',
      '<ram:ApplicableHeaderTradeSettlement>',
    )
    const due = doc.kind === 'invoice' ? doc.totalMinor : doc.totalMinor
    if (full) {
      const dd = doc.payment && 'directDebit' in doc.payment ? doc.payment.directDebit : undefined
      if (dd) out.push(`<ram:CreditorReferenceID>${esc(dd.creditorId, 'doc.payment.directDebit.creditorId')}</ram:CreditorReferenceID>`)
      if (doc.paymentReference) out.push(`<ram:PaymentReference>${esc(remittance(doc.paymentReference), 'doc.paymentReference')}</ram:PaymentReference>`)
      out.push(`<ram:InvoiceCurrencyCode>${doc.currency}</ram:InvoiceCurrencyCode>`)
      if (dd) out.push('<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>59</ram:TypeCode></ram:SpecifiedTradeSettlementPaymentMeans>')
      else if (doc.payment && 'iban' in doc.payment && doc.payment.iban !== undefined && doc.kind === 'invoice') {
        const iban = doc.payment.iban.replace(/\s+/g, '').toUpperCase()
        out.push(
          `<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode><ram:PayeePartyCreditorFinancialAccount><ram:IBANID>${esc(iban, 'doc.payment.iban')}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>`,
          fx.profile === 'EN16931' && doc.payment.bic ? `<ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>${esc(doc.payment.bic, 'doc.payment.bic')}</ram:BICID></ram:PayeeSpecifiedCreditorFinancialInstitution>` : '',
          '</ram:SpecifiedTradeSettlementPaymentMeans>',
        )
      }
      out.push(
        `<ram:ApplicableTradeTax><ram:CalculatedAmount>${m(0n)}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:ExemptionReason>${esc(fx.vat.exemptionReason, 'fx.vat.exemptionReason')}</ram:ExemptionReason>`,
        `<ram:BasisAmount>${m(doc.totalMinor)}</ram:BasisAmount><ram:CategoryCode>${fx.vat.category}</ram:CategoryCode><ram:ExemptionReasonCode>${fx.vat.exemptionCode}</ram:ExemptionReasonCode>${rate}</ram:ApplicableTradeTax>`,
      )
      if (doc.period) out.push(`<ram:BillingSpecifiedPeriod><ram:StartDateTime>${date102(doc.period.from)}</ram:StartDateTime><ram:EndDateTime>${date102(doc.period.to)}</ram:EndDateTime></ram:BillingSpecifiedPeriod>`)
      for (const [i, a] of doc.allowances.entries()) {
        if (a.amountMinor === 0n) continue
        const charge = a.amountMinor > 0n
        out.push(
          `<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>${charge}</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>${m(charge ? a.amountMinor : -a.amountMinor)}</ram:ActualAmount>`,
          `<ram:Reason>${esc(a.reason, `doc.allowances.${i}.reason`)}</ram:Reason><ram:CategoryTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>${fx.vat.category}</ram:CategoryCode>${rate}</ram:CategoryTradeTax></ram:SpecifiedTradeAllowanceCharge>`,
        )
      }
      if (doc.dueDate || dd) {
        out.push(`<ram:SpecifiedTradePaymentTerms>${doc.dueDate ? `<ram:DueDateDateTime>${date102(doc.dueDate)}</ram:DueDateDateTime>` : ''}${dd ? `<ram:DirectDebitMandateID>${esc(dd.mandate, 'doc.payment.directDebit.mandate')}</ram:DirectDebitMandateID>` : ''}</ram:SpecifiedTradePaymentTerms>`)
      }
      out.push(
        `<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:LineTotalAmount>${m(linesTotal)}</ram:LineTotalAmount><ram:ChargeTotalAmount>${m(chargeTotal)}</ram:ChargeTotalAmount><ram:AllowanceTotalAmount>${m(allowanceTotal)}</ram:AllowanceTotalAmount>`,
        `<ram:TaxBasisTotalAmount>${m(doc.totalMinor)}</ram:TaxBasisTotalAmount><ram:TaxTotalAmount currencyID="${doc.currency}">${m(0n)}</ram:TaxTotalAmount><ram:GrandTotalAmount>${m(doc.totalMinor)}</ram:GrandTotalAmount><ram:DuePayableAmount>${m(due)}</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>`,
      )
      if (doc.precedingInvoice) {
        out.push(`<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>${esc(doc.precedingInvoice.number, 'doc.precedingInvoice.number')}</ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString format="102">${doc.precedingInvoice.issueDate.replace(/-/g, '')}</qdt:DateTimeString></ram:FormattedIssueDateTime></ram:InvoiceReferencedDocument>`)
      }
    } else {
      out.push(
        `<ram:InvoiceCurrencyCode>${doc.currency}</ram:InvoiceCurrencyCode>`,
        `<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:TaxBasisTotalAmount>${m(doc.totalMinor)}</ram:TaxBasisTotalAmount><ram:TaxTotalAmount currencyID="${doc.currency}">${m(0n)}</ram:TaxTotalAmount>`,
        `<ram:GrandTotalAmount>${m(doc.totalMinor)}</ram:GrandTotalAmount><ram:DuePayableAmount>${m(due)}</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>`,
      )
    }
    out.push('</ram:ApplicableHeaderTradeSettlement>\n</rsm:SupplyChainTradeTransaction>\n</rsm:CrossIndustryInvoice>\n')
    return out.join('')
  } catch (error) {
    throw asInputError(error, 'facturXXml', { doc: [doc, 'object', 'the invoice or credit note to describe'], fx: [fx, 'object', 'the checked Factur-X options (from checkFacturXOptions)'] })
  }
}

/**
 * The XMP packet part that declares a Factur-X document: the `fx` properties (document file
 * name `factur-x.xml`, type INVOICE, version 1.0, the conformance level) and the PDF/A
 * extension schema that describes them (PDF/A-3 accepts only described properties).
 *
 * @example
 * facturXXmp('EN16931').includes('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>') //=> true
 */
export function facturXXmp(profile: FacturXProfile): string {
  try {
    const prop = (name: string, description: string) =>
      `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>${description}</pdfaProperty:description></rdf:li>`
    return `
        <rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
            <fx:DocumentType>INVOICE</fx:DocumentType>
            <fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>
            <fx:Version>1.0</fx:Version>
            <fx:ConformanceLevel>${XMP_LEVEL[profile]}</fx:ConformanceLevel>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
            <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
                <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
                <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
                <pdfaSchema:prefix>fx</pdfaSchema:prefix>
                <pdfaSchema:property><rdf:Seq>
                    ${prop('DocumentFileName', 'name of the embedded XML invoice file')}
                    ${prop('DocumentType', 'INVOICE')}
                    ${prop('Version', 'The actual version of the Factur-X XML schema')}
                    ${prop('ConformanceLevel', 'The conformance level of the embedded Factur-X data')}
                </rdf:Seq></pdfaSchema:property>
            </rdf:li></rdf:Bag></pdfaExtension:schemas>
        </rdf:Description>
        `
  } catch (error) {
    throw asInputError(error, 'facturXXmp', { profile: [profile, 'string', 'a Factur-X profile (MINIMUM, BASIC, EN16931)'] })
  }
}

/**
 * Embeds the Factur-X XML in a PDF/A-3 document being written: the file `factur-x.xml`
 * (`text/xml`, with its modification date), listed in the catalogue's `AF` array and the
 * embedded files, with the relationship the Factur-X specification gives (`Alternative` for
 * BASIC and EN 16931, whose XML is the invoice in another form; `Data` for MINIMUM), and the
 * XMP metadata that declares it.
 *
 * @example
 * embedFacturX(layout.doc, xml, 'EN16931', new Date('2027-01-04T12:00:00Z'))
 */
export function embedFacturX(doc: PDFKit.PDFDocument, xml: string, profile: FacturXProfile, modified: Date): void {
  try {
    const d = doc as unknown as {
      file(src: Uint8Array, options: object): unknown
      appendXML(xml: string): void
    }
    d.file(new TextEncoder().encode(xml), {
      name: 'factur-x.xml',
      type: 'text/xml',
      relationship: profile === 'MINIMUM' ? 'Data' : 'Alternative',
      description: 'Factur-X invoice',
      creationDate: modified,
      modifiedDate: modified,
    })
    d.appendXML(facturXXmp(profile))
  } catch (error) {
    throw asInputError(error, 'embedFacturX', { doc: [doc, 'object', 'the pdfkit document being written'], xml: [xml, 'string', 'the Factur-X XML'], profile: [profile, 'string', 'a Factur-X profile (MINIMUM, BASIC, EN16931)'], modified: [modified, 'instant', 'the modification date'] })
  }
}

import * as z from 'zod'
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools'
import { CurrencySchema, RoundingModeSchema } from '../money'
import { InvoiceNumberingSchema } from '../invoicing/numbering'
import { isValid as isValidCreditorId } from '../references/creditor-id'
import type { PaymentReferenceScheme } from '../references/reference-allocator'
import { EmailSchema, PostalAddressSchema, RecordIdSchema, optionalText, requiredString } from './fields'

/**
 * Payment-reference schemes a billing office puts on invoices and wallet top-ups: Belgian
 * structured communication (`ogm`), ISO 11649 (`rf`), Italian pagoPA notice (`pagoPa`).
 */
export const PAYMENT_REFERENCE_SCHEMES = ['ogm', 'rf', 'pagoPa'] as const satisfies readonly PaymentReferenceScheme[]

/**
 * Schema of a billing office ("régie"): the office that invoices and collects, with its own
 * currency, rounding mode (half-up per line by default), invoice-number series (the invoicing
 * module's `InvoiceNumberingSchema`: prefix, yearly reset, digits), SEPA creditor
 * identifier, bank account (IBAN, stored in electronic form, and BIC) and payment-reference scheme.
 * A pagoPA office needs its 2-digit segregation code.
 *
 * @example
 * BillingOfficeSchema.parse({ id: 'bo1', siteId: 's1', name: 'Régie cantine', iban: 'BE15 7326 6455 4630', paymentReference: 'ogm' }).iban //=> 'BE15732664554630'
 */
export const BillingOfficeSchema = z
  .strictObject({
    id: RecordIdSchema,
    siteId: RecordIdSchema,
    /** Name printed on invoices. */
    name: requiredString(200),
    /** Currency of everything it invoices. */
    currency: CurrencySchema.default('EUR'),
    /** Rounding to the minor unit, per line. */
    roundingMode: RoundingModeSchema.default('halfUp'),
    /** Invoice-number series. */
    invoiceNumbering: InvoiceNumberingSchema.prefault({}),
    /** SEPA creditor identifier (ICS), for direct debits, upper-cased without spaces. */
    creditorId: optionalText(
      z
        .string()
        .transform((s) => s.replace(/\s+/g, '').toUpperCase())
        .refine((s) => isValidCreditorId(s), { message: 'must be a SEPA creditor identifier with valid check digits, e.g. FR72ZZZ123456' }),
    ),
    /** Account families pay to, in electronic form. */
    iban: optionalText(
      z
        .string()
        .transform((s) => electronicFormatIBAN(s) ?? s)
        .refine((s) => isValidIBAN(s), { message: 'must be a valid IBAN' }),
    ),
    /** BIC of the account. */
    bic: optionalText(
      z
        .string()
        .transform((s) => s.replace(/\s+/g, '').toUpperCase())
        .refine((s) => isValidBIC(s), { message: 'must be a valid BIC (8 or 11 characters)' }),
    ),
    /** Reference scheme for invoices and top-ups. */
    paymentReference: z.enum(PAYMENT_REFERENCE_SCHEMES),
    /** pagoPA segregation code (2 digits), required with `pagoPa`. */
    pagoPaSegregationCode: optionalText(z.string().regex(/^\d{2}$/, 'must be 2 digits')),
    /** Contact e-mail printed on invoices. */
    email: optionalText(EmailSchema),
    /** Postal address printed on invoices. */
    address: PostalAddressSchema.default({}),
  })
  .superRefine((b, ctx) => {
    if (b.paymentReference === 'pagoPa' && b.pagoPaSegregationCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['pagoPaSegregationCode'], message: 'is required with the pagoPa payment reference' })
    }
  })
/** A billing office as its form sends it. */
export type BillingOfficeInput = z.input<typeof BillingOfficeSchema>
/** A billing office, validated. */
export type BillingOffice = z.output<typeof BillingOfficeSchema>

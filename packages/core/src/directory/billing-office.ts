import { z } from 'zod'
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools'
import { CurrencySchema, RoundingModeSchema } from '../money'
import { EmailSchema, PostalAddressSchema, RecordIdSchema, optionalText, requiredString } from './fields'

/** Payment-reference schemes a billing office puts on invoices and wallet top-ups. */
export const PAYMENT_REFERENCE_SCHEMES = ['ogm', 'rf', 'pagoPa'] as const
/** A payment-reference scheme: Belgian structured communication, ISO 11649 RF, or Italian pagoPA notice. */
export type PaymentReferenceScheme = (typeof PAYMENT_REFERENCE_SCHEMES)[number]

const CREDITOR_ID_SHAPE = /^[A-Z]{2}\d{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$/

/**
 * Schema of an invoice-number series: a prefix, whether numbering restarts every year, and the
 * digits of the sequence (`FAC-2026-000123` with prefix `FAC-`, yearly reset, 6 digits).
 *
 * @example
 * InvoiceNumberingSchema.parse({ prefix: 'FAC-' }) //=> { prefix: 'FAC-', yearlyReset: true, digits: 6 }
 */
export const InvoiceNumberingSchema = z.object({
  /** Printed before the number (letters, digits, `-`, `_`, `/`, `.`); may be empty. */
  prefix: z
    .string()
    .trim()
    .max(20, 'must be at most 20 characters')
    .regex(/^[A-Za-z0-9_./-]*$/, 'may only hold letters, digits, -, _, / and .')
    .default(''),
  /** Whether the sequence restarts at 1 every calendar year (the year is then printed). */
  yearlyReset: z.boolean().default(true),
  /** Digits of the sequence, zero-padded. */
  digits: z.number().int().min(1).max(12).default(6),
})
/** An invoice-number series. */
export type InvoiceNumbering = z.output<typeof InvoiceNumberingSchema>

/**
 * Schema of a billing office ("régie"): the office that invoices and collects, with its own
 * currency, rounding mode (half-up per line by default), invoice-number series, SEPA creditor
 * identifier, bank account (IBAN, stored in electronic form, and BIC) and payment-reference scheme.
 * A pagoPA office needs its 2-digit segregation code.
 *
 * @example
 * BillingOfficeSchema.parse({ id: 'bo1', siteId: 's1', name: 'Régie cantine', iban: 'BE15 7326 6455 4630', paymentReference: 'ogm' }).iban //=> 'BE15732664554630'
 */
export const BillingOfficeSchema = z
  .object({
    id: RecordIdSchema,
    siteId: RecordIdSchema,
    /** Name printed on invoices. */
    name: requiredString(200),
    /** Currency of everything it invoices. */
    currency: CurrencySchema.default('EUR'),
    /** Rounding to the minor unit, per line. */
    roundingMode: RoundingModeSchema.default('halfUp'),
    /** Invoice-number series. */
    invoiceNumbering: InvoiceNumberingSchema.default({ prefix: '', yearlyReset: true, digits: 6 }),
    /** SEPA creditor identifier (ICS), for direct debits, upper-cased without spaces. */
    creditorId: optionalText(
      z
        .string()
        .transform((s) => s.replace(/\s+/g, '').toUpperCase())
        .refine((s) => CREDITOR_ID_SHAPE.test(s), { message: 'must be a SEPA creditor identifier such as FR72ZZZ123456' }),
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

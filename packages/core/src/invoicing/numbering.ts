import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import type { LocalDate } from '../time'
import { asInputError } from '../input-error'

/**
 * A billing office's numbering settings: a prefix (where `{YYYY}` stands for the issue year),
 * the digits of the zero-padded sequence, and whether the sequence restarts at 1 every year.
 */
export const InvoiceNumberingSchema = z.strictObject({
  prefix: z.string().max(20).regex(/^[A-Za-z0-9{}/_-]*$/, 'may hold letters, digits, - / _ and {YYYY}').default('F{YYYY}-'),
  creditNotePrefix: z.string().max(20).regex(/^[A-Za-z0-9{}/_-]*$/, 'may hold letters, digits, - / _ and {YYYY}').default('AV{YYYY}-'),
  digits: z.number().int().min(1).max(12).default(6),
  yearlyReset: z.boolean().default(true),
})

/** What callers pass for numbering settings. */
export type InvoiceNumberingInput = z.input<typeof InvoiceNumberingSchema>
/** Checked numbering settings. */
export type InvoiceNumbering = z.output<typeof InvoiceNumberingSchema>

/** The two numbered series of a billing office. */
export type NumberSeries = 'invoice' | 'creditNote'

/**
 * Identifies one counter row: billing office, series and year (0 when the series never resets).
 *
 * @example
 * const key: InvoiceCounterKey = { billingOfficeId: 'regie', series: 'invoice', year: 2027 }
 */
export interface InvoiceCounterKey {
  /** The billing office owning the series. */
  billingOfficeId: string
  /** Invoices or credit notes. */
  series: NumberSeries
  /** Issue year for a yearly series, 0 for a continuous one. */
  year: number
}

/**
 * Checks numbering settings.
 *
 * @example
 * defineInvoiceNumbering({ prefix: 'CANT-{YYYY}-', digits: 4 }).yearlyReset //=> true
 * @throws EcoleError `INVALID_INPUT`.
 */
export function defineInvoiceNumbering(input: InvoiceNumberingInput = {}): InvoiceNumbering {
  return parseInput(InvoiceNumberingSchema, input, 'numbering')
}

/**
 * The counter row a number issued on `issueDate` is taken from.
 *
 * @example
 * invoiceCounterKey(defineInvoiceNumbering(), 'regie', 'invoice', '2027-01-05') //=> { billingOfficeId: 'regie', series: 'invoice', year: 2027 }
 */
export function invoiceCounterKey(numbering: InvoiceNumbering, billingOfficeId: string, series: NumberSeries, issueDate: LocalDate): InvoiceCounterKey {
  try {
    return { billingOfficeId, series, year: numbering.yearlyReset ? Number(issueDate.slice(0, 4)) : 0 }
  } catch (error) {
    throw asInputError(error, 'invoiceCounterKey', { numbering: [numbering, 'object', 'the invoice numbering'], billingOfficeId: [billingOfficeId, 'string'], series: [series, 'string', 'a number series'], issueDate: [issueDate, 'date'] })
  }
}

/**
 * The printed number: prefix (with `{YYYY}` replaced by the issue year) and the zero-padded sequence.
 *
 * @example
 * formatInvoiceNumber(defineInvoiceNumbering(), 'invoice', '2027-01-05', 42) //=> 'F2027-000042'
 * @throws EcoleError `INVALID_SEQUENCE` for a sequence below 1; `INVALID_INPUT`.
 */
export function formatInvoiceNumber(numbering: InvoiceNumbering, series: NumberSeries, issueDate: LocalDate, sequence: number): string {
  try {
    if (!Number.isSafeInteger(sequence) || sequence < 1) throw new EcoleError('INVALID_SEQUENCE', `sequence must be an integer from 1, got ${sequence}`, { details: { sequence } })
    const prefix = (series === 'invoice' ? numbering.prefix : numbering.creditNotePrefix).replaceAll('{YYYY}', issueDate.slice(0, 4))
    return prefix + String(sequence).padStart(numbering.digits, '0')
  } catch (error) {
    throw asInputError(error, 'formatInvoiceNumber', { numbering: [numbering, 'object', 'the invoice numbering'], series: [series, 'string', 'a number series'], issueDate: [issueDate, 'date'], sequence: [sequence, 'number'] })
  }
}

/**
 * The counter row's key as the storage counter port names it: `<billingOfficeId>/<series>/<year>`
 * (year 0 for a continuous series).
 *
 * @example
 * invoiceSeriesKey({ billingOfficeId: 'regie', series: 'invoice', year: 2027 }) //=> 'regie/invoice/2027'
 */
export function invoiceSeriesKey(key: InvoiceCounterKey): string {
  try {
    return `${key.billingOfficeId}/${key.series}/${key.year}`
  } catch (error) {
    throw asInputError(error, 'invoiceSeriesKey', { key: [key, 'object', 'an invoice counter key'] })
  }
}

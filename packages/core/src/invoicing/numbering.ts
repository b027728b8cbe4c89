import * as z from 'zod'
import { checkOptions, type OptionKinds } from '../check-options'
import { EcoleError, parseInput } from '../errors'
import { LocalDateSchema, type LocalDate } from '../time'
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

const NUMBERING_KINDS: OptionKinds<InvoiceNumbering> = { prefix: 'string', creditNotePrefix: 'string', digits: 'integer', yearlyReset: 'boolean' }

/**
 * @internal Checks numbering settings a function is given (checked ones, as
 * {@link defineInvoiceNumbering} returns them): every key known and of its kind, `digits` from 1 to
 * 12, so a misspelt key (`digts`) or a string (`digits: '3'`, `yearlyReset: 'false'`) is refused
 * instead of numbering with a default or the wrong reading.
 *
 * @example
 * checkInvoiceNumbering('formatInvoiceNumber', 'numbering', { ...defineInvoiceNumbering(), digts: 3 })
 * // throws EcoleError INVALID_INPUT: '[ecole] formatInvoiceNumber: numbering.digts: unknown key `digts` in `numbering`: did you mean `digits`?'
 * @throws EcoleError `INVALID_INPUT` naming the key under `param`.
 */
export function checkInvoiceNumbering(fn: string, param: string, value: unknown): InvoiceNumbering {
  // undefined is not "no settings": every key is then named as missing
  const numbering = checkOptions<InvoiceNumbering>(fn, param, value === undefined ? {} : value, NUMBERING_KINDS)
  if (numbering.digits < 1 || numbering.digits > 12) throw EcoleError.invalidInput(`${param}.digits`, `must be an integer from 1 to 12, got ${numbering.digits}`, { function: fn })
  return numbering
}

/**
 * The counter row a number issued on `issueDate` is taken from: the issue year for a series that
 * restarts every year, 0 for a continuous one.
 *
 * @example
 * invoiceCounterKey(defineInvoiceNumbering(), 'regie', 'invoice', '2027-01-05') //=> { billingOfficeId: 'regie', series: 'invoice', year: 2027 }
 * @throws EcoleError `INVALID_INPUT` naming the key of `numbering` that is unknown or not of its
 * kind (a misspelt key, `yearlyReset: 'false'`), or `issueDate` when it is not a calendar day
 * written `YYYY-MM-DD`.
 */
export function invoiceCounterKey(numbering: InvoiceNumbering, billingOfficeId: string, series: NumberSeries, issueDate: LocalDate): InvoiceCounterKey {
  try {
    const { yearlyReset } = checkInvoiceNumbering('invoiceCounterKey', 'numbering', numbering)
    parseInput(LocalDateSchema, issueDate, 'issueDate')
    return { billingOfficeId, series, year: yearlyReset ? Number(issueDate.slice(0, 4)) : 0 }
  } catch (error) {
    throw asInputError(error, 'invoiceCounterKey', { numbering: [numbering, 'object', 'the invoice numbering'], billingOfficeId: [billingOfficeId, 'string'], series: [series, 'string', 'a number series'], issueDate: [issueDate, 'date'] })
  }
}

/**
 * The printed number: prefix (with `{YYYY}` replaced by the issue year) and the zero-padded sequence.
 *
 * @example
 * formatInvoiceNumber(defineInvoiceNumbering(), 'invoice', '2027-01-05', 42) //=> 'F2027-000042'
 * @throws EcoleError `INVALID_SEQUENCE` for a sequence below 1; `INVALID_INPUT` naming the key of
 * `numbering` that is unknown or not of its kind (`digts`, `digits: '3'`, digits outside 1-12), or
 * `issueDate` when it is not a calendar day written `YYYY-MM-DD`.
 */
export function formatInvoiceNumber(numbering: InvoiceNumbering, series: NumberSeries, issueDate: LocalDate, sequence: number): string {
  try {
    checkInvoiceNumbering('formatInvoiceNumber', 'numbering', numbering)
    parseInput(LocalDateSchema, issueDate, 'issueDate')
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

import * as z from 'zod'
import { checkOptions, type OptionKinds } from '../check-options'
import { EcoleError, parseInput } from '../errors'
import { LocalDateSchema, type LocalDate } from '../time'
import { asInputError } from '../input-error'

/**
 * A billing office's numbering settings: a prefix (where `{YYYY}` stands for the issue year),
 * the digits of the zero-padded sequence, and whether the sequence restarts at 1 every year.
 *
 * Every number must be issued once: a series that restarts every year needs `{YYYY}` in its
 * prefix (else January's `FAC-000001` repeats last January's), and the invoice and credit-note
 * prefixes must not be able to print the same number (their counters are separate: `F{YYYY}-`
 * for both would issue `F2027-000001` twice). Both are refused, naming the field.
 *
 * @example
 * InvoiceNumberingSchema.parse({ prefix: 'FAC-{YYYY}-' }).creditNotePrefix //=> 'AV{YYYY}-'
 * InvoiceNumberingSchema.safeParse({ prefix: 'FAC-' }).success //=> false (prefix: add {YYYY}, or yearlyReset: false)
 * InvoiceNumberingSchema.safeParse({ prefix: 'FAC-', creditNotePrefix: 'AV-', yearlyReset: false }).success //=> true
 * InvoiceNumberingSchema.safeParse({ prefix: 'F{YYYY}-', creditNotePrefix: 'F{YYYY}-' }).success //=> false
 */
export const InvoiceNumberingSchema = z
  .strictObject({
    prefix: z.string().max(20).regex(/^[A-Za-z0-9{}/_-]*$/, 'may hold letters, digits, - / _ and {YYYY}').default('F{YYYY}-'),
    creditNotePrefix: z.string().max(20).regex(/^[A-Za-z0-9{}/_-]*$/, 'may hold letters, digits, - / _ and {YYYY}').default('AV{YYYY}-'),
    digits: z.number().int().min(1).max(12).default(6),
    yearlyReset: z.boolean().default(true),
  })
  .superRefine((n, ctx) => {
    for (const p of numberingProblems(n)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message })
  })

const YEAR = '{YYYY}'

/**
 * What would make a numbering issue the same number twice: a yearly series whose prefix has no
 * year, or an invoice and a credit-note prefix that can print the same number.
 */
function numberingProblems(n: { prefix: string; creditNotePrefix: string; digits: number; yearlyReset: boolean }): Array<{ field: 'prefix' | 'creditNotePrefix'; message: string }> {
  const out: Array<{ field: 'prefix' | 'creditNotePrefix'; message: string }> = []
  if (n.yearlyReset) {
    for (const field of ['prefix', 'creditNotePrefix'] as const) {
      const prefix = n[field]
      if (prefix.includes(YEAR)) continue
      const example = prefix === '' ? `{YYYY}-` : /[-/_]$/.test(prefix) ? `${prefix}{YYYY}-` : `${prefix}{YYYY}`
      out.push({ field, message: `has no {YYYY} while the sequence restarts every year (yearlyReset): each year would issue ${prefix}${'1'.padStart(n.digits, '0')} again; write the year in it (e.g. '${example}') or set yearlyReset: false` })
    }
  }
  if (mayPrintTheSame(n.prefix, n.creditNotePrefix)) {
    const same = n.prefix === n.creditNotePrefix ? `is the invoice prefix too (prefix: '${n.prefix}')` : `can print the same numbers as the invoice prefix '${n.prefix}'`
    out.push({ field: 'creditNotePrefix', message: `${same}: each series has its own counter, so an invoice and a credit note would share a number; give each series its own prefix (the defaults are 'F{YYYY}-' and 'AV{YYYY}-'; to set the credit notes' prefix alone, pass creditNotePrefix, not prefix)` })
  }
  return out
}

/**
 * Whether two prefixes (of series with the same `digits`) can print the same number: `{YYYY}`
 * stands for 4 digits and the sequence for exactly `digits` digits, or more without a leading zero
 * (past 10^digits - 1).
 */
function mayPrintTheSame(a: string, b: string): boolean {
  // a pattern: a literal character, or 'D' for any digit
  const pattern = (prefix: string): string[] => {
    const out: string[] = []
    for (let i = 0; i < prefix.length; ) {
      if (prefix.startsWith(YEAR, i)) {
        out.push('D', 'D', 'D', 'D')
        i += YEAR.length
      } else out.push(prefix[i++] as string)
    }
    return out
  }
  const isDigit = (c: string): boolean => c === 'D' || (c >= '0' && c <= '9')
  const meet = (x: string, y: string): boolean => x === y || (x === 'D' && isDigit(y)) || (y === 'D' && isDigit(x))
  let [short, long] = [pattern(a), pattern(b)]
  if (short.length > long.length) [short, long] = [long, short]
  for (let i = 0; i < short.length; i++) if (!meet(short[i] as string, long[i] as string)) return false
  if (short.length === long.length) return true
  // the longer prefix's extra characters fall in the shorter one's sequence: digits only, and that
  // sequence is then longer than `digits`, so it has no leading zero
  const extra = long.slice(short.length)
  return extra.every(isDigit) && extra[0] !== '0'
}

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
 * Checks numbering settings ({@link InvoiceNumberingSchema}).
 *
 * @example
 * defineInvoiceNumbering({ prefix: 'CANT-{YYYY}-', digits: 4 }).yearlyReset //=> true
 * defineInvoiceNumbering({ prefix: 'CANT-', yearlyReset: false }).prefix //=> 'CANT-'
 * defineInvoiceNumbering({ prefix: 'CANT-' })
 * // throws INVALID_INPUT: numbering.prefix: has no {YYYY} while the sequence restarts every year (yearlyReset): ...
 * @throws EcoleError `INVALID_INPUT` naming the field: a yearly series whose prefix has no
 * `{YYYY}`, a credit-note prefix that can print the same number as the invoice prefix.
 */
export function defineInvoiceNumbering(input: InvoiceNumberingInput = {}): InvoiceNumbering {
  return parseInput(InvoiceNumberingSchema, input, 'numbering')
}

const NUMBERING_KINDS: OptionKinds<InvoiceNumbering> = { prefix: 'string', creditNotePrefix: 'string', digits: 'integer', yearlyReset: 'boolean' }

/**
 * @internal Checks numbering settings a function is given (checked ones, as
 * {@link defineInvoiceNumbering} returns them): every key known and of its kind, `digits` from 1 to
 * 12, so a misspelt key (`digts`) or a string (`digits: '3'`, `yearlyReset: 'false'`) is refused
 * instead of numbering with a default or the wrong reading; and, as {@link InvoiceNumberingSchema},
 * no yearly series without `{YYYY}` and no credit-note prefix that can print an invoice's number.
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
  const problem = numberingProblems(numbering)[0]
  if (problem !== undefined) throw EcoleError.invalidInput(`${param}.${problem.field}`, problem.message, { function: fn })
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

import { checkOptions, type OptionKinds } from '../check-options'
import { EcoleError, parseInput } from '../errors'
import { allocateMinor } from '../money'
import { addMonths, LocalDateSchema, type LocalDate } from '../time'
import { assertInvoiceDraft } from './draft-guard'
import type { Instalment, Invoice } from './invoice'
import { asInputError } from '../input-error'

const OPTION_KINDS: OptionKinds<Parameters<typeof withInstalmentSchedule>[1]> = { count: 'integer', firstDueDate: 'date', everyMonths: 'integer?' }

/**
 * Splits a draft's total into `count` instalments, `everyMonths` apart (1 by default) from
 * `firstDueDate` (largest remainder: they add up to the total exactly), and returns the draft
 * with the schedule.
 *
 * Rules: from 1 to 60 instalments, at least a month apart. The options are checked key by key: a
 * misspelt key (`everyMonth`) is refused rather than read as absent (which scheduled monthly).
 *
 * @example
 * // draft.totalMinor is 10000n
 * withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15' }).instalments.map((i) => i.amountMinor)
 * //=> [3334n, 3333n, 3333n]
 * @throws EcoleError `INVOICE_NOT_DRAFT`; `INVALID_INPUT` naming the option that is unknown,
 * missing or not of its kind (`options.everyMonth`, `options.everyMonths: '2'`, `options.count`
 * absent), a count outside 1-60, an `everyMonths` below 1, an `options.firstDueDate` that is not
 * a calendar day (`2027-02-31`).
 */
export function withInstalmentSchedule(invoice: Invoice, options: { count: number; firstDueDate: LocalDate; everyMonths?: number }): Invoice {
  try {
    const opts = checkOptions<Parameters<typeof withInstalmentSchedule>[1]>('withInstalmentSchedule', 'options', options === undefined ? {} : options, OPTION_KINDS)
    const { count, everyMonths = 1 } = opts
    if (count < 1 || count > 60) throw EcoleError.invalidInput('options.count', `must be an integer from 1 to 60, got ${count}`, { function: 'withInstalmentSchedule' })
    if (everyMonths < 1) throw EcoleError.invalidInput('options.everyMonths', `must be an integer from 1, got ${everyMonths}`, { function: 'withInstalmentSchedule' })
    const firstDueDate = parseInput(LocalDateSchema, opts.firstDueDate, 'options.firstDueDate')
    assertInvoiceDraft(invoice)
    const parts = allocateMinor(invoice.totalMinor, new Array<number>(count).fill(1))
    return { ...invoice, instalments: parts.map((amountMinor, i) => ({ dueDate: addMonths(firstDueDate, i * everyMonths), amountMinor })) }
  } catch (error) {
    throw asInputError(error, 'withInstalmentSchedule', { invoice: [invoice, 'object', 'a stored invoice'], options: [options, 'object', 'the instalment options'] })
  }
}

/**
 * The next instalment due given what was paid: the first instalment not fully covered by the
 * payments (applied to instalments in date order), with what remains of it; null when all are
 * paid. An invoice without a schedule has one implicit instalment on its due date.
 *
 * @example
 * nextInstalmentDue(invoice, 3334n) //=> { dueDate: '2027-02-15', amountMinor: 3333n }
 */
export function nextInstalmentDue(invoice: Invoice, paidMinor: bigint): Instalment | null {
  try {
    const schedule = invoice.instalments.length > 0 ? invoice.instalments : [{ dueDate: invoice.dueDate, amountMinor: invoice.totalMinor }]
    let left = paidMinor
    for (const i of schedule) {
      if (left >= i.amountMinor) { left -= i.amountMinor; continue }
      return { dueDate: i.dueDate, amountMinor: i.amountMinor - left }
    }
    return null
  } catch (error) {
    throw asInputError(error, 'nextInstalmentDue', { invoice: [invoice, 'object', 'a stored invoice'], paidMinor: [paidMinor, 'bigint'] })
  }
}

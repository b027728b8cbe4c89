import { EcoleError } from '../errors'
import { allocateMinor } from '../money'
import { addMonths, type LocalDate } from '../time'
import { assertInvoiceDraft } from './draft-guard'
import type { Instalment, Invoice } from './invoice'
import { asInputError } from '../input-error'

/**
 * Splits a draft's total into `count` instalments, `everyMonths` apart from `firstDueDate`
 * (largest remainder: they add up to the total exactly), and returns the draft with the schedule.
 *
 * @example
 * // draft.totalMinor is 10000n
 * withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15' }).instalments.map((i) => i.amountMinor)
 * //=> [3334n, 3333n, 3333n]
 * @throws EcoleError `INVOICE_NOT_DRAFT`, `INVALID_INPUT`.
 */
export function withInstalmentSchedule(invoice: Invoice, options: { count: number; firstDueDate: LocalDate; everyMonths?: number }): Invoice {
  try {
    assertInvoiceDraft(invoice)
    const { count, firstDueDate } = options
    if (!Number.isSafeInteger(count) || count < 1 || count > 60) throw new EcoleError('INVALID_INPUT', `instalments.count must be an integer from 1 to 60, got ${count}`)
    const parts = allocateMinor(invoice.totalMinor, new Array<number>(count).fill(1))
    const every = options.everyMonths ?? 1
    return { ...invoice, instalments: parts.map((amountMinor, i) => ({ dueDate: addMonths(firstDueDate, i * every), amountMinor })) }
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

import * as z from 'zod'
import { EcoleError } from '../errors'
import { asInputError } from '../input-error'
import { addDays, asLocalDate, daysBetween, type LocalDate } from './local-date'
import { LocalDateSchema } from './local-date-schema'

/** Days `from`..`to`, both included. */
export interface DateRange {
  /** First day, included. */
  from: LocalDate
  /** Last day, included. */
  to: LocalDate
}

/**
 * Schema of a {@link DateRange}: two days with `from` on or before `to`.
 *
 * @example
 * DateRangeSchema.parse({ from: '2026-09-01', to: '2027-07-03' })
 */
export const DateRangeSchema = z
  .strictObject({ from: LocalDateSchema, to: LocalDateSchema })
  .refine((r) => r.from <= r.to, { message: 'from must be on or before to', path: ['to'] })

/**
 * A checked range.
 *
 * @example
 * dateRange('2026-12-21', '2027-01-03') //=> { from: '2026-12-21', to: '2027-01-03' }
 * @throws EcoleError `INVALID_RANGE` when `to` is before `from`.
 */
export function dateRange(from: LocalDate, to: LocalDate): DateRange {
  asLocalDate(from, 'from')
  asLocalDate(to, 'to')
  if (to < from) throw new EcoleError('INVALID_RANGE', `range ends (${to}) before it starts (${from})`, { details: { from, to } })
  return { from, to }
}

/**
 * Whether `date` is inside `range` (both ends included). An open end (`to` undefined) runs forever.
 *
 * @example
 * inRange('2026-12-31', { from: '2026-12-21', to: '2027-01-03' }) //=> true
 */
export function inRange(date: LocalDate, range: { from: LocalDate; to?: LocalDate | undefined | null }): boolean {
  try {
    return date >= range.from && (range.to == null || date <= range.to)
  } catch (error) {
    throw asInputError(error, 'inRange', { date: [date, 'date', 'a day'], range: [range, 'object', 'a range ({ from, to? })'] })
  }
}

/**
 * Whether two ranges share at least one day (open ends run forever).
 *
 * @example
 * rangesOverlap({ from: '2026-01-01', to: '2026-01-31' }, { from: '2026-01-31', to: '2026-02-28' }) //=> true
 */
export function rangesOverlap(
  a: { from: LocalDate; to?: LocalDate | undefined | null },
  b: { from: LocalDate; to?: LocalDate | undefined | null },
): boolean {
  try {
    return (a.to == null || b.from <= a.to) && (b.to == null || a.from <= b.to)
  } catch (error) {
    throw asInputError(error, 'rangesOverlap', { a: [a, 'object', 'a range ({ from, to? })'], b: [b, 'object', 'a range ({ from, to? })'] })
  }
}

/**
 * Number of days in a range (both ends counted).
 *
 * @example
 * rangeLength({ from: '2026-03-02', to: '2026-03-06' }) //=> 5
 */
export function rangeLength(range: DateRange): number {
  try {
    return daysBetween(range.from, range.to) + 1
  } catch (error) {
    throw asInputError(error, 'rangeLength', { range: [range, 'object', 'a date range ({ from, to })'] })
  }
}

/**
 * Every day of a range, in order.
 *
 * @example
 * eachDay({ from: '2026-02-27', to: '2026-03-02' }) //=> ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']
 */
export function eachDay(range: DateRange): LocalDate[] {
  try {
    const out: LocalDate[] = []
    const n = rangeLength(range)
    for (let i = 0; i < n; i++) out.push(addDays(range.from, i))
    return out
  } catch (error) {
    throw asInputError(error, 'eachDay', { range: [range, 'object', 'a date range ({ from, to })'] })
  }
}

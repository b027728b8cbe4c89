import fc from 'fast-check'
import type { DateRange, LocalDate } from '@ecole/core'
import { checkInteger, inputCheckedArb } from '../input-errors'
import { fromEpochDay, toEpochDay } from './epoch-days'

/**
 * Calendar days between two days (both included), 1970-01-01..2100-12-31 by default.
 *
 * @example
 * fc.sample(localDateArb({ from: '2026-09-01', to: '2027-07-03' }), 1)[0] //=> '2026-11-17' (for instance)
 */
export function localDateArb(range: Partial<DateRange> = {}): fc.Arbitrary<LocalDate> {
  return inputCheckedArb('localDateArb', { range: [range, 'object?', 'a range of days ({ from?, to? })'] }, () => {
    const from = toEpochDay(range.from ?? '1970-01-01')
    const to = toEpochDay(range.to ?? '2100-12-31')
    return fc.integer({ min: from, max: to }).map(fromEpochDay)
  })
}

/**
 * Ranges of days inside a window, at most `maxLength` days long.
 *
 * @example
 * fc.sample(dateRangeArb(), 1)[0]!.from <= fc.sample(dateRangeArb(), 1)[0]!.to //=> true
 */
export function dateRangeArb(window: Partial<DateRange> = {}, maxLength = 400): fc.Arbitrary<DateRange> {
  const args = { window: [window, 'object?', 'a window of days ({ from?, to? })'], maxLength: [maxLength, 'number?', 'the most days of a range'] } as const
  return inputCheckedArb('dateRangeArb', args, () => {
    checkInteger('dateRangeArb', 'maxLength', maxLength, 1)
    return fc
      .tuple(localDateArb(window), fc.integer({ min: 0, max: maxLength - 1 }))
      .map(([from, len]) => {
        const last = toEpochDay(window.to ?? '2100-12-31')
        return { from, to: fromEpochDay(Math.min(toEpochDay(from) + len, last)) }
      })
  })
}

/**
 * Instants (as `Date`, UTC) in a window, to the second.
 *
 * @example
 * fc.sample(instantArb('2026-01-01T00:00:00Z', '2027-12-31T23:59:59Z'), 1)[0] instanceof Date //=> true
 */
export function instantArb(from = '1971-01-01T00:00:00Z', to = '2099-12-31T23:59:59Z'): fc.Arbitrary<Date> {
  const args = { from: [from, 'string?', 'the first instant (ISO 8601)'], to: [to, 'string?', 'the last instant (ISO 8601)'] } as const
  return inputCheckedArb('instantArb', args, () => fc.integer({ min: Date.parse(from) / 1000, max: Date.parse(to) / 1000 }).map((s) => new Date(s * 1000)))
}

/**
 * The time zones @ecole's sites live in most often.
 *
 * @example
 * fc.sample(siteTimeZoneArb(), 1)[0] //=> 'Europe/Rome' (for instance)
 */
export function siteTimeZoneArb(): fc.Arbitrary<string> {
  return fc.constantFrom('Europe/Paris', 'Europe/Brussels', 'Europe/Rome', 'Europe/Luxembourg', 'Indian/Reunion', 'America/Guadeloupe')
}

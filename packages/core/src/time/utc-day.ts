import { asLocalDate, type LocalDate } from './local-date'

/**
 * A `Date` whose local fields are its UTC fields, so that date-fns (which reads `getFullYear`,
 * `getMonth`, `getDate`, `getDay`...) prints the day it holds whatever the host's time zone. A
 * day built in the host's zone is wrong on the days that zone skipped (Pacific/Apia has no
 * 30 December 2011, Pacific/Kiritimati no 31 December 1994): `new Date(2011, 11, 30, 12)` there
 * is 31 December.
 *
 * @internal
 */
export class UtcDay extends Date {
  override getFullYear(): number { return this.getUTCFullYear() }
  override getMonth(): number { return this.getUTCMonth() }
  override getDate(): number { return this.getUTCDate() }
  override getDay(): number { return this.getUTCDay() }
  override getHours(): number { return this.getUTCHours() }
  override getMinutes(): number { return this.getUTCMinutes() }
  override getSeconds(): number { return this.getUTCSeconds() }
  override getMilliseconds(): number { return this.getUTCMilliseconds() }
  override getTimezoneOffset(): number { return 0 }
}

/**
 * Noon UTC of the day `year-month-day` as a {@link UtcDay}, for date-fns' `format`. Years 0 to 99
 * stay themselves (`Date.UTC` would read them as 1900 to 1999).
 *
 * @example
 * format(utcDay(2011, 12, 30), 'yyyy-MM-dd') //=> '2011-12-30', on any host zone
 * format(utcDay(99, 6, 15), 'yyyy-MM-dd') //=> '0099-06-15'
 * @internal
 */
export function utcDay(year: number, month: number, day: number): UtcDay {
  const date = new UtcDay(Date.UTC(2000, 0, 1, 12))
  date.setUTCFullYear(year, month - 1, day)
  return date
}

/**
 * The day `date` as a `Date` that prints as that day on any host time zone: noon UTC of the day,
 * with its local fields read in UTC. For date-fns' `format` and anything else
 * that reads a `Date`'s local fields (`getFullYear`, `getDate`, `getDay`...): a day built with
 * `new Date(y, m - 1, d)` is the wrong day on hosts whose zone skipped it, and `Date.UTC` reads
 * years 0 to 99 as 1900 to 1999.
 *
 * @example
 * format(printableDay('2011-12-30'), 'EEEE d MMMM yyyy', { locale: fr }) //=> 'vendredi 30 décembre 2011', on any host zone
 * printableDay('2026-02-30') // throws EcoleError INVALID_DATE
 * @throws EcoleError `INVALID_DATE` naming `date` when it is not a real `'YYYY-MM-DD'` day.
 */
export function printableDay(date: LocalDate): Date {
  const day = asLocalDate(date, 'date')
  return utcDay(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10)))
}

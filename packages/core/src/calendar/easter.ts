import { expectInteger } from '../describe-value'
import { EcoleError } from '../errors'
import { localDate, type LocalDate } from '../time'

/**
 * Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
 *
 * The movable public holidays (Good Friday, Easter Monday, Ascension, Whit Monday) are computed
 * from it, so no year needs a table.
 *
 * @example
 * easterSunday(2026) //=> '2026-04-05'
 * easterSunday(2027) //=> '2027-03-28'
 * @throws EcoleError `INVALID_INPUT` for a year outside 1583..9999.
 */
export function easterSunday(year: number): LocalDate {
  expectInteger(year, 'year', 1583, 9999)
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new EcoleError('INVALID_INPUT', `year must be an integer between 1583 and 9999, got ${String(year)}`, { details: { field: 'year', value: year } })
  }
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return localDate(year, month, day)
}

import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import { addDays, isLocalDate, weekday, type LocalDate } from '../time'
import { easterSunday } from './easter'

/**
 * Whether a day is a TARGET business day, the days SEPA payments settle on: every weekday but
 * the TARGET closing days the European Central Bank sets (New Year's Day, Good Friday, Easter
 * Monday, 1 May, 25 and 26 December). A direct debit due on another day settles on the next
 * TARGET day, which may fall in the next month or year.
 *
 * @example
 * isTargetDay('2027-03-26') //=> false — Good Friday
 * isTargetDay('2027-12-24') //=> true
 * isTargetDay('2027-01-16') //=> false — a Saturday
 * @throws EcoleError `INVALID_INPUT` naming `date` when it is not a real `YYYY-MM-DD` day (or its year is outside 1583..9999).
 */
export function isTargetDay(date: LocalDate): boolean {
  if (!isLocalDate(date)) throw EcoleError.invalidInput('date', `must be a calendar day written YYYY-MM-DD, got ${describeValue(date)}`, { function: 'isTargetDay' })
  if (weekday(date) >= 6) return false
  const md = date.slice(5)
  if (md === '01-01' || md === '05-01' || md === '12-25' || md === '12-26') return false
  const easter = easterSunday(Number(date.slice(0, 4)))
  return date !== addDays(easter, -2) && date !== addDays(easter, 1)
}

/**
 * The first TARGET business day on or after `date` ({@link isTargetDay}): the day a direct debit
 * due on `date` settles.
 *
 * @example
 * nextTargetDay('2027-12-25') //=> '2027-12-27'
 * nextTargetDay('2027-12-31') //=> '2027-12-31'
 * nextTargetDay('2028-12-30') //=> '2029-01-02' — a Saturday, then Sunday and New Year's Day
 * @throws EcoleError `INVALID_INPUT` naming `date` when it is not a real `YYYY-MM-DD` day.
 */
export function nextTargetDay(date: LocalDate): LocalDate {
  let day = date
  while (!isTargetDay(day)) day = addDays(day, 1)
  return day
}

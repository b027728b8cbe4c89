import { describeValue } from '../describe-value'
import { expectInteger } from '../describe-value'
import { EcoleError } from '../errors'
import { addDays, epochDayOfJan1, isLeapYear, toEpochDay, weekday, yearOfEpochDay, type LocalDate } from './local-date'

/** An ISO 8601 week: its week-numbering year and its number (1-53). */
export interface IsoWeek {
  /** The ISO week-numbering year (may differ from the calendar year around New Year). */
  year: number
  /** Week number, 1 to 52 or 53. */
  week: number
}

/**
 * The ISO 8601 week of a day: weeks start on Monday, and week 1 is the week with the year's first
 * Thursday. So 2025-12-29 is in 2026-W01 and 2027-01-01 in 2026-W53.
 *
 * @example
 * isoWeek('2025-12-29') //=> { year: 2026, week: 1 }
 * isoWeek('2027-01-01') //=> { year: 2026, week: 53 }
 */
export function isoWeek(date: LocalDate): IsoWeek {
  const key = isoWeekKeyOfEpochDay(toEpochDay(date)) // toEpochDay checks the day (INVALID_DATE naming `date`)
  return { year: Math.floor(key / 100), week: key % 100 }
}

/**
 * The epoch day (days since 1970-01-01) of the Monday of the ISO week holding `epochDay`.
 *
 * @example
 * fromEpochDay(mondayOfEpochDay(toEpochDay('2027-01-01'))) //=> '2026-12-28'
 */
export function mondayOfEpochDay(epochDay: number): number {
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays
  return epochDay - ((((epochDay + 3) % 7) + 7) % 7)
}

/**
 * The ISO week of an epoch day, packed as `year * 100 + week` (2026-W53 is `202653`): the
 * allocation-free form of {@link isoWeek} that hot paths use.
 *
 * @example
 * isoWeekKeyOfEpochDay(toEpochDay('2027-01-01')) //=> 202653
 */
export function isoWeekKeyOfEpochDay(epochDay: number): number {
  const thursday = mondayOfEpochDay(epochDay) + 3
  const year = yearOfEpochDay(thursday)
  return year * 100 + Math.floor((thursday - epochDayOfJan1(year)) / 7) + 1
}

/**
 * Number of ISO weeks in an ISO year: 53 when the year starts on a Thursday, or is a leap year
 * starting on a Wednesday; 52 otherwise (2020, 2026 and 2032 have 53).
 *
 * @example
 * isoWeeksInYear(2026) //=> 53
 * isoWeeksInYear(2027) //=> 52
 */
export function isoWeeksInYear(year: number): number {
  expectInteger(year, 'year', 1, 9999)
  const jan1 = weekday(`${String(year).padStart(4, '0')}-01-01` as LocalDate)
  return jan1 === 4 || (jan1 === 3 && isLeapYear(year)) ? 53 : 52
}

/**
 * The Monday of an ISO week.
 *
 * @example
 * isoWeekMonday(2026, 53) //=> '2026-12-28'
 * isoWeekMonday(2026, 1) //=> '2025-12-29'
 * @throws EcoleError `INVALID_WEEK` when the year has no such week.
 */
export function isoWeekMonday(year: number, week: number): LocalDate {
  expectInteger(year, 'year', 1, 9999)
  if (typeof week !== 'number' || !Number.isInteger(week) || week < 1 || week > isoWeeksInYear(year)) {
    throw new EcoleError('INVALID_WEEK', `ISO year ${year} has no week ${describeValue(week)}`, { details: { year, week: describeValue(week) } })
  }
  const jan4 = `${String(year).padStart(4, '0')}-01-04` as LocalDate
  const week1Monday = addDays(jan4, 1 - weekday(jan4))
  return addDays(week1Monday, (week - 1) * 7)
}

/**
 * An ISO week written `YYYY-Www`.
 *
 * @example
 * formatIsoWeek({ year: 2026, week: 5 }) //=> '2026-W05'
 */
export function formatIsoWeek(week: IsoWeek): string {
  if (typeof week !== 'object' || week === null) throw EcoleError.invalidInput('week', 'must be { year, week }')
  expectInteger(week.year, 'week.year', 1, 9999)
  expectInteger(week.week, 'week.week', 1, 53)
  return `${week.year}-W${String(week.week).padStart(2, '0')}`
}

import { describeValue, expectInteger } from '../describe-value'
import { EcoleError } from '../errors'
import { asInputError } from '../input-error'

/**
 * A calendar day, `'YYYY-MM-DD'`, with no time and no zone. Never a `Date`: a day is the same
 * day on every host. Build one from a runtime string with {@link asLocalDate} (which checks it).
 */
export type LocalDate = `${number}-${number}-${number}`

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/
/** {@link SHAPE} without captures, for a bare test on the hot paths. */
const SHAPE_TEST = /^\d{4}-\d{2}-\d{2}$/

/**
 * Whether `year` is a leap year of the proleptic Gregorian calendar.
 *
 * @example
 * isLeapYear(2028) //=> true
 * isLeapYear(2100) //=> false
 */
export function isLeapYear(year: number): boolean {
  expectInteger(year, 'year')
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/**
 * Number of days in a month (1-12) of a year.
 *
 * @example
 * daysInMonth(2028, 2) //=> 29
 */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
}

/**
 * Whether `value` is a real calendar day written `'YYYY-MM-DD'` (leap days included, 2026-02-29 not),
 * in years 0001 to 9999 (there is no year 0000 in the Gregorian calendar, and PostgreSQL refuses it).
 *
 * @example
 * isLocalDate('2028-02-29') //=> true
 * isLocalDate('2026-02-29') //=> false
 * isLocalDate('0000-01-01') //=> false
 */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false
  const m = SHAPE.exec(value)
  if (!m) return false
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)
}

/**
 * `value` as a {@link LocalDate}, checked.
 *
 * @example
 * asLocalDate('2026-03-02') //=> '2026-03-02'
 * @throws EcoleError `INVALID_DATE` naming `field` when it is not a real `'YYYY-MM-DD'` day.
 */
export function asLocalDate(value: string, field = 'date'): LocalDate {
  if (!isLocalDate(value)) throw invalidDate(value, field)
  return value
}

/** The `INVALID_DATE` error for `value`, not a calendar day, naming `field`. */
function invalidDate(value: unknown, field: string): EcoleError<'INVALID_DATE'> {
  if (typeof field !== 'string') field = 'date'
  return new EcoleError('INVALID_DATE', `${field} must be a calendar day written YYYY-MM-DD, got ${describeValue(value)}`, { details: { field, value } })
}

/** The first and last days a {@link LocalDate} can be, as epoch days: 0001-01-01 and 9999-12-31. */
const MIN_EPOCH_DAY = -719162
const MAX_EPOCH_DAY = 2932896

/**
 * The epoch day of `date`, checked: an `INVALID_DATE` naming `field` unless it is a real
 * `'YYYY-MM-DD'` day of years 0001-9999. The one check of the day helpers, kept cheap for their
 * hot paths (one regex test and integer comparisons; no schema, no allocation beyond the slices).
 */
function checkedEpochDay(date: unknown, field: string): number {
  if (typeof date !== 'string' || !SHAPE_TEST.test(date)) throw invalidDate(date, field)
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7))
  const d = Number(date.slice(8, 10))
  if (y < 1 || m < 1 || m > 12 || d < 1 || (d > 28 && d > daysInMonth(y, m))) throw invalidDate(date, field)
  return epochDayOfCivil(y, m, d)
}

/** `value` as a whole number of days (or months), else an `INVALID_INPUT` naming `field`. */
function checkedCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw EcoleError.invalidInput(field, `must be a whole number, got ${describeValue(value)}`)
  return value
}

/** The `INVALID_INPUT` for a count that moves `date` outside years 0001-9999, naming `field`. */
function outOfRange(date: string, count: number, field: string): EcoleError<'INVALID_INPUT'> {
  return EcoleError.invalidInput(field, `${count} moves ${date} outside years 0001-9999`)
}

/**
 * Days since 1970-01-01 (negative before), computed arithmetically (no `Date`, no zone).
 *
 * @example
 * toEpochDay('1970-01-02') //=> 1
 * @throws EcoleError `INVALID_DATE` naming `date` when it is not a real `'YYYY-MM-DD'` day of years 0001-9999.
 */
export function toEpochDay(date: LocalDate): number {
  return checkedEpochDay(date, 'date')
}

/** Days since 1970-01-01 of a checked year, month (1-12) and day. */
function epochDayOfCivil(y0: number, m: number, d: number): number {
  // days-from-civil (H. Hinnant's algorithm)
  const y = m <= 2 ? y0 - 1 : y0
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** Civil date of an epoch day packed as `year * 10000 + month * 100 + day` (H. Hinnant's civil-from-days; no allocation). */
function civilFromEpochDay(epochDay: number): number {
  const z0 = epochDay + 719468
  const era = Math.floor(z0 / 146097)
  const doe = z0 - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return (yoe + era * 400 + (m <= 2 ? 1 : 0)) * 10000 + m * 100 + d
}

/**
 * The day `epochDay` days after 1970-01-01.
 *
 * @example
 * fromEpochDay(0) //=> '1970-01-01'
 * @throws EcoleError `INVALID_INPUT` naming `epochDay` when it is not a whole number, or falls outside years 0001-9999.
 */
export function fromEpochDay(epochDay: number): LocalDate {
  if (typeof epochDay !== 'number' || !Number.isInteger(epochDay) || epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
    throw EcoleError.invalidInput('epochDay', `must be a whole number from ${MIN_EPOCH_DAY} (0001-01-01) to ${MAX_EPOCH_DAY} (9999-12-31), got ${describeValue(epochDay)}`)
  }
  const c = civilFromEpochDay(epochDay)
  const y = Math.floor(c / 10000)
  const m = Math.floor(c / 100) % 100
  const d = c % 100
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as LocalDate
}

/**
 * The calendar year of an epoch day (no strings, no `Date`): the allocation-free form hot paths use.
 *
 * @example
 * yearOfEpochDay(toEpochDay('2027-01-01')) //=> 2027
 */
export function yearOfEpochDay(epochDay: number): number {
  return Math.floor(civilFromEpochDay(epochDay) / 10000)
}

/**
 * The epoch day of 1 January of `year`.
 *
 * @example
 * epochDayOfJan1(1970) //=> 0
 */
export function epochDayOfJan1(year: number): number {
  const y = year - 1
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + 306 // 1 January counted from 1 March
  return era * 146097 + doe - 719468
}

/**
 * The day `days` days after `date` (before, when negative).
 *
 * @example
 * addDays('2028-02-28', 1) //=> '2028-02-29'
 * @throws EcoleError `INVALID_DATE` naming `date` when it is not a real `'YYYY-MM-DD'` day;
 * `INVALID_INPUT` naming `days` when it is not a whole number or the result falls outside years 0001-9999.
 */
export function addDays(date: LocalDate, days: number): LocalDate {
  const from = checkedEpochDay(date, 'date')
  const epochDay = from + checkedCount(days, 'days')
  if (epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) throw outOfRange(date, days, 'days')
  return fromEpochDay(epochDay)
}

/**
 * Whole days from `from` to `to` (negative when `to` is earlier).
 *
 * @example
 * daysBetween('2026-03-02', '2026-03-05') //=> 3
 * @throws EcoleError `INVALID_DATE` naming `from` or `to` when it is not a real `'YYYY-MM-DD'` day.
 */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return checkedEpochDay(to, 'to') - checkedEpochDay(from, 'from')
}

/**
 * ISO weekday of a day: 1 = Monday ... 7 = Sunday.
 *
 * @example
 * weekday('2026-03-02') //=> 1
 * @throws EcoleError `INVALID_DATE` naming `date` when it is not a real `'YYYY-MM-DD'` day.
 */
export function weekday(date: LocalDate): Weekday {
  // 1970-01-01 was a Thursday (4)
  return ((((checkedEpochDay(date, 'date') + 3) % 7) + 7) % 7 + 1) as Weekday
}

/**
 * Compares two days: negative, zero or positive (string order is date order).
 *
 * @example
 * ['2026-03-02', '2025-12-31'].sort(compareDates) //=> ['2025-12-31', '2026-03-02']
 */
export function compareDates(a: LocalDate, b: LocalDate): number {
  try {
    return a < b ? -1 : a > b ? 1 : 0
  } catch (error) {
    throw asInputError(error, 'compareDates', { a: [a, 'date', 'a day'], b: [b, 'date', 'a day'] })
  }
}

/**
 * The same day `months` months later, clamped to the end of the month (31 Jan + 1 month = 28 or 29 Feb).
 *
 * @example
 * addMonths('2026-01-31', 1) //=> '2026-02-28'
 * @throws EcoleError `INVALID_DATE` naming `date` when it is not a real `'YYYY-MM-DD'` day;
 * `INVALID_INPUT` naming `months` when it is not a whole number or the result falls outside years 0001-9999.
 */
export function addMonths(date: LocalDate, months: number): LocalDate {
  checkedEpochDay(date, 'date')
  checkedCount(months, 'months')
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7)) - 1 + months
  const year = y + Math.floor(m / 12)
  if (year < 1 || year > 9999) throw outOfRange(date, months, 'months')
  const month = (((m % 12) + 12) % 12) + 1
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(year, month))
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as LocalDate
}

/**
 * The first day of the month of `date`.
 *
 * @example
 * startOfMonth('2026-03-17') //=> '2026-03-01'
 * @throws EcoleError `INVALID_DATE` naming `date` when it is not a real `'YYYY-MM-DD'` day.
 */
export function startOfMonth(date: LocalDate): LocalDate {
  checkedEpochDay(date, 'date')
  return `${date.slice(0, 8)}01` as LocalDate
}

/**
 * The last day of the month of `date`.
 *
 * @example
 * endOfMonth('2028-02-10') //=> '2028-02-29'
 * @throws EcoleError `INVALID_DATE` naming `date` when it is not a real `'YYYY-MM-DD'` day.
 */
export function endOfMonth(date: LocalDate): LocalDate {
  checkedEpochDay(date, 'date')
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7))
  return `${date.slice(0, 8)}${String(daysInMonth(y, m)).padStart(2, '0')}` as LocalDate
}

/**
 * A day from its year, month (1-12) and day of month.
 *
 * @example
 * localDate(2026, 3, 2) //=> '2026-03-02'
 * @throws EcoleError `INVALID_DATE` when the day does not exist.
 */
export function localDate(year: number, month: number, day: number): LocalDate {
  expectInteger(year, 'year', 1, 9999)
  expectInteger(month, 'month', 1, 12)
  expectInteger(day, 'day', 1, 31)
  return asLocalDate(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`)
}

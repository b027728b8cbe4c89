/**
 * `@ecole/core`: the pure domain of canteen, after-school and fee billing. No I/O, no clock, no
 * randomness: every function takes what it needs (including `now` and the site's time zone).
 *
 * @module @ecole/core
 */
export * from './errors'
export * from './input-error'
export * from './check-options'
export { describeValue } from './describe-value'
export * from './idempotency'
export * from './error-catalogue'
export * from './money'
// the time module minus its epoch-day helpers (toEpochDay, fromEpochDay...): core's hot paths count
// days as integers internally; callers work on LocalDate (addDays, daysBetween, isoWeek, isoWeekMonday)
export {
  DateRangeSchema, dateRange, eachDay, inRange, rangeLength, rangesOverlap, type DateRange,
  formatIsoWeek, isoWeek, isoWeekMonday, isoWeeksInYear, type IsoWeek,
  addDays, addMonths, asLocalDate, compareDates, daysBetween, daysInMonth, endOfMonth, isLeapYear, isLocalDate, localDate,
  startOfMonth, weekday, type LocalDate, type Weekday,
  printableDay,
  LocalDateSchema,
  COUNTRY_TIME_ZONES, TimeZoneSchema, isTimeZone, localDateOf, timeZoneForCountry, zonedDateTime, zonedInstant,
  type Disambiguation, type LocalTime, type TimeZone, type ZonedDateTime,
} from './time'
export * from './directory'
export * from './calendar'
export * from './billing'
export * from './booking'
export * from './ledger'
export * from './invoicing'
export * from './references'
export * from './access'
export * from './messaging'
export * from './exports'

export { DateRangeSchema, dateRange, eachDay, inRange, rangeLength, rangesOverlap, type DateRange } from './date-range'
export { formatIsoWeek, isoWeek, isoWeekMonday, isoWeeksInYear, type IsoWeek } from './iso-week'
export {
  LocalDateSchema, addDays, addMonths, asLocalDate, compareDates, daysBetween, daysInMonth, endOfMonth, fromEpochDay,
  isLeapYear, isLocalDate, localDate, startOfMonth, toEpochDay, weekday, type LocalDate, type Weekday,
} from './local-date'
export {
  COUNTRY_TIME_ZONES, TimeZoneSchema, isTimeZone, localDateOf, timeZoneForCountry, zonedDateTime, zonedInstant,
  type Disambiguation, type LocalTime, type TimeZone, type ZonedDateTime,
} from './time-zone'

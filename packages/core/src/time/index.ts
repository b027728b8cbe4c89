export { DateRangeSchema, dateRange, eachDay, inRange, rangeLength, rangesOverlap, type DateRange } from './date-range'
export { formatIsoWeek, isoWeek, isoWeekKeyOfEpochDay, isoWeekMonday, isoWeeksInYear, mondayOfEpochDay, type IsoWeek } from './iso-week'
export {
  addDays, addMonths, asLocalDate, compareDates, daysBetween, daysInMonth, endOfMonth, epochDayOfJan1, fromEpochDay,
  isLeapYear, isLocalDate, localDate, startOfMonth, toEpochDay, weekday, yearOfEpochDay, type LocalDate, type Weekday,
} from './local-date'
export { LocalDateSchema } from './local-date-schema'
export {
  COUNTRY_TIME_ZONES, TimeZoneSchema, isTimeZone, localDateOf, timeZoneForCountry, zonedDateTime, zonedInstant,
  type Disambiguation, type LocalTime, type TimeZone, type ZonedDateTime,
} from './time-zone'
export { printableDay } from './utc-day'

export { closureImpact, type ClosableBooking, type ClosureImpact } from './closure-impact'
export { easterSunday } from './easter'
export { isTargetDay, nextTargetDay } from './target-days'
export {
  parseFrenchSchoolCalendar, type FrenchSchoolCalendar, type FrenchSchoolCalendarSource, type FrenchSchoolHoliday, type OpenEndedSchoolHoliday,
} from './french-school-calendar'
export { generateSchoolPeriods, type GenerateSchoolPeriodsOptions } from './generate-school-periods'
export { MAX_PERIOD_DAYS, definePeriod, periodsOf, type PeriodOrigin, type PeriodRecord, type PeriodRecordInput } from './period-record'
export { PeriodSchema, PeriodScopeSchema, periodCoversPlace, type Period, type PeriodScope, type ServicePlace } from './period'
export {
  PublicHolidayRegionSchema, publicHolidayDates, publicHolidays,
  type BelgianCommunity, type HolidayCountry, type PublicHoliday, type PublicHolidayRegion,
} from './public-holidays'
export type { SchoolHolidayOrigin } from './school-holiday-types'
export {
  SCHOOL_HOLIDAY_DATA_ATTRIBUTION, SCHOOL_HOLIDAY_DATA_NOTES, SchoolYearSchema, frenchZoneOfAcademie, schoolHolidayCalendarId,
  schoolHolidayCalendars, schoolHolidays,
  type SchoolHoliday, type SchoolHolidayCalendarId, type SchoolHolidayCalendarInfo, type SchoolYear,
} from './school-holidays'
export {
  ServiceCalendar, ServiceCalendarInputSchema, ServiceScheduleSchema,
  type ClosureCause, type ServiceCalendarInput, type ServiceSchedule,
} from './service-calendar'
export type { PeriodScopeInput, PeriodInput } from './period'
export type { ServiceScheduleInput, ServiceCalendarFormInput } from './service-calendar'
export type { SchoolYearInput } from './school-holidays'
export type { PublicHolidayRegionInput } from './public-holidays'

/**
 * Where a shipped school-holiday row comes from: taken as-is from the source (`source`), fixed
 * (`corrected`), added from the official texts (`added`), or with an end date not yet published
 * and given provisionally (`provisional`).
 */
export type SchoolHolidayOrigin = 'source' | 'corrected' | 'added' | 'provisional'

/**
 * One row of the shipped table: `[calendar, schoolYear, from, to, name, nameEn, origin]`, dates
 * inclusive at both ends. Read it through {@link schoolHolidays}.
 */
export type SchoolHolidayRowData = readonly [
  calendar: string,
  schoolYear: string,
  from: string,
  to: string,
  name: string,
  nameEn: string,
  origin: SchoolHolidayOrigin,
]

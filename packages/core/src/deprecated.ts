// Names that leave the root export of @ecole/core at 0.2.0 (issue 13): internals kept as
// deprecated aliases so code written against 0.0.x still compiles. Inside core, import the
// originals from their module.
import {
  epochDayOfJan1 as epochDayOfJan1Internal, fromEpochDay as fromEpochDayInternal, isoWeekKeyOfEpochDay as isoWeekKeyOfEpochDayInternal,
  mondayOfEpochDay as mondayOfEpochDayInternal, toEpochDay as toEpochDayInternal, yearOfEpochDay as yearOfEpochDayInternal,
  type LocalDate,
} from './time'

/**
 * Days since 1970-01-01 of a calendar day: the representation of core's hot paths.
 *
 * @deprecated Internal (leaves the root export at 0.2.0). Use {@link daysBetween} and {@link addDays} on `LocalDate`s.
 * @example
 * daysBetween('1970-01-01', '2026-09-01') //=> 20697 (what toEpochDay('2026-09-01') gives)
 */
export const toEpochDay: (date: LocalDate) => number = toEpochDayInternal

/**
 * The calendar day of an epoch day.
 *
 * @deprecated Internal (leaves the root export at 0.2.0). Use {@link addDays}: `addDays('1970-01-01', n)`.
 * @example
 * addDays('1970-01-01', 20697) //=> '2026-09-01' (what fromEpochDay(20697) gives)
 */
export const fromEpochDay: (epochDay: number) => LocalDate = fromEpochDayInternal

/**
 * The year of an epoch day.
 *
 * @deprecated Internal (leaves the root export at 0.2.0). Use `addDays('1970-01-01', n).slice(0, 4)`.
 * @example
 * Number(addDays('1970-01-01', 20697).slice(0, 4)) //=> 2026
 */
export const yearOfEpochDay: (epochDay: number) => number = yearOfEpochDayInternal

/**
 * The epoch day of 1 January of a year.
 *
 * @deprecated Internal (leaves the root export at 0.2.0). Use `daysBetween('1970-01-01', `${year}-01-01`)`.
 * @example
 * daysBetween('1970-01-01', '2026-01-01') //=> 20454
 */
export const epochDayOfJan1: (year: number) => number = epochDayOfJan1Internal

/**
 * The epoch day of the Monday of an epoch day's ISO week.
 *
 * @deprecated Internal (leaves the root export at 0.2.0). Use {@link isoWeekMonday} on a `LocalDate`.
 * @example
 * isoWeekMonday(2026, 36) //=> '2026-08-31'
 */
export const mondayOfEpochDay: (epochDay: number) => number = mondayOfEpochDayInternal

/**
 * The ISO week of an epoch day packed as `year * 100 + week`.
 *
 * @deprecated Internal (leaves the root export at 0.2.0). Use {@link isoWeek} on a `LocalDate`.
 * @example
 * isoWeek('2026-09-03') //=> { year: 2026, week: 36 }
 */
export const isoWeekKeyOfEpochDay: (epochDay: number) => number = isoWeekKeyOfEpochDayInternal

import { addDays, daysBetween, type LocalDate } from '@ecole/core'

// Days counted from 1970-01-01, for the arbitraries' integer ranges (core keeps its own epoch-day
// helpers internal). Not exported from the package.
const EPOCH = '1970-01-01' as LocalDate

/** Days since 1970-01-01. */
export function toEpochDay(date: LocalDate): number {
  return daysBetween(EPOCH, date)
}

/** The day `n` days after 1970-01-01. */
export function fromEpochDay(n: number): LocalDate {
  return addDays(EPOCH, n)
}

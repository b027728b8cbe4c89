import type { LocalDate } from '@ecole/core'

/**
 * The same wiring with its clock at noon UTC of `day`: what a clerk does on a later day (records a
 * return the bank reported on the 14th) in a test whose clock is frozen at the collection.
 *
 * @example
 * await recordDirectDebitReturn(onDay(d, '2027-01-14'), { siteId, endToEndId, reasonCode: 'AM04', date: '2027-01-14' })
 */
export function onDay<D extends { clock: { now(): Date } }>(deps: D, day: LocalDate | string): D {
  const at = new Date(`${day}T12:00:00Z`)
  return { ...deps, clock: { now: () => at } }
}

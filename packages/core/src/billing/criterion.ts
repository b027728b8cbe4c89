import { match } from 'ts-pattern'
import { toEpochDay, type LocalDate } from '../time'
import type { BillingCriterion } from './billing-rule'

/** Days since 1970-01-01 of the Monday of the ISO week containing `epochDay`. */
function mondayOf(epochDay: number): number {
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays
  return epochDay - ((((epochDay + 3) % 7) + 7) % 7)
}

/** Civil year of an epoch day (no strings, no Date). */
function yearOfEpochDay(epochDay: number): number {
  const z0 = epochDay + 719468
  const era = Math.floor(z0 / 146097)
  const doe = z0 - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  return yoe + era * 400 + (mp >= 10 ? 1 : 0)
}

/** Epoch day of January 1st of `year`. */
function jan1(year: number): number {
  const y = year - 1
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = 306 // 1 January counted from 1 March of the year before
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/**
 * The ISO week of an epoch day, packed as `year * 100 + week` (2026-W53 is `202653`): the
 * allocation-free form the hot paths use.
 *
 * @example
 * isoWeekKeyOfEpochDay(toEpochDay('2027-01-01')) //=> 202653
 */
export function isoWeekKeyOfEpochDay(epochDay: number): number {
  const thursday = mondayOf(epochDay) + 3
  const year = yearOfEpochDay(thursday)
  return year * 100 + Math.floor((thursday - jan1(year)) / 7) + 1
}

/**
 * A criterion compiled for hot paths: a predicate on epoch days (days since 1970-01-01).
 * Obtain one with {@link compileCriterion}.
 */
export type CriterionPredicate = (epochDay: number) => boolean

/**
 * Compiles a criterion into a predicate on epoch days, so that evaluating it on millions of
 * charges allocates nothing and parses nothing.
 *
 * @example
 * const odd = compileCriterion({ kind: 'isoParity', parity: 'odd', week53: 'odd' })
 * odd(toEpochDay('2026-12-28')) //=> true (2026-W53)
 * odd(toEpochDay('2027-01-04')) //=> true (2027-W01)
 */
export function compileCriterion(criterion: BillingCriterion): CriterionPredicate {
  return match(criterion)
    .with({ kind: 'always' }, (): CriterionPredicate => () => true)
    .with({ kind: 'isoParity' }, (c): CriterionPredicate => {
      const wanted = c.parity === 'odd' ? 1 : 0
      const week53: boolean = match(c.week53)
        .with('odd', () => c.parity === 'odd')
        .with('even', () => c.parity === 'even')
        .with('none', () => false)
        .exhaustive()
      return (day) => {
        const week = isoWeekKeyOfEpochDay(day) % 100
        return week === 53 ? week53 : week % 2 === wanted
      }
    })
    .with({ kind: 'anchored' }, (c): CriterionPredicate => {
      const ref = toEpochDay(c.referenceMonday)
      const wanted = c.week === 'reference' ? 0 : 1
      return (day) => ((Math.floor((day - ref) / 7) % 2) + 2) % 2 === wanted
    })
    .with({ kind: 'weekList' }, (c): CriterionPredicate => {
      const keys = new Set(c.weeks.map((w) => w.year * 100 + w.week))
      return (day) => keys.has(isoWeekKeyOfEpochDay(day))
    })
    .exhaustive()
}

/**
 * Whether a criterion selects `date` (the rule's period is checked separately).
 *
 * @example
 * criterionSelects({ kind: 'isoParity', parity: 'even', week53: 'odd' }, '2026-12-28') //=> false
 * criterionSelects({ kind: 'anchored', referenceMonday: '2026-08-31', week: 'reference' }, '2026-09-14') //=> true
 */
export function criterionSelects(criterion: BillingCriterion, date: LocalDate): boolean {
  return compileCriterion(criterion)(toEpochDay(date))
}

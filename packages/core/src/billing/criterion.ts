import { match } from 'ts-pattern'
import { isoWeekKeyOfEpochDay, toEpochDay, type LocalDate } from '../time'
import type { BillingCriterion } from './billing-rule'
import { asInputError } from '../input-error'

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
  try {
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
  } catch (error) {
    throw asInputError(error, 'compileCriterion', { criterion: [criterion, 'object', 'a billing criterion'] })
  }
}

/**
 * Whether a criterion selects `date` (the rule's period is checked separately).
 *
 * @example
 * criterionSelects({ kind: 'isoParity', parity: 'even', week53: 'odd' }, '2026-12-28') //=> false
 * criterionSelects({ kind: 'anchored', referenceMonday: '2026-08-31', week: 'reference' }, '2026-09-14') //=> true
 */
export function criterionSelects(criterion: BillingCriterion, date: LocalDate): boolean {
  try {
    return compileCriterion(criterion)(toEpochDay(date))
  } catch (error) {
    throw asInputError(error, 'criterionSelects', { criterion: [criterion, 'object', 'a billing criterion'], date: [date, 'date'] })
  }
}

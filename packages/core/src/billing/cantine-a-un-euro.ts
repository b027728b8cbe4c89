import { match } from 'ts-pattern'
import { Money } from '../money'
import { quotientToHundredths, type Tariff } from './tariff'
import { asInputError } from '../input-error'

/**
 * Why a canteen tariff does not qualify for the French state aid "cantine à 1 €":
 *
 * - `NOT_QUOTIENT_BRACKETS`: the tariff is not priced by family-quotient brackets;
 * - `NOT_EUR`: its prices are not in euros;
 * - `FEWER_THAN_THREE_BRACKETS`: it has fewer than 3 brackets;
 * - `NO_BRACKET_AT_ONE_EURO`: no bracket costs 1 EUR or less;
 * - `ONE_EURO_BRACKET_ABOVE_QF_1000`: a bracket at 1 EUR or less also serves quotients above 1000.
 */
export type CantineAUnEuroIssue =
  | 'NOT_QUOTIENT_BRACKETS'
  | 'NOT_EUR'
  | 'FEWER_THAN_THREE_BRACKETS'
  | 'NO_BRACKET_AT_ONE_EURO'
  | 'ONE_EURO_BRACKET_ABOVE_QF_1000'

const ONE_EURO = Money.of('1', 'EUR')
/** QF 1000 is the highest quotient a 1 EUR bracket may serve: its `max` is at most 1000.01. */
const MAX_BOUND = 100_001

/**
 * Checks a canteen tariff against the conditions of the "cantine à 1 €" state aid
 * (solidarites.gouv.fr): priced by family quotient with at least three brackets, one of them at
 * 1 EUR or less, and such brackets reserved for families with a QF of 1000 or less. An empty
 * list means the tariff qualifies.
 *
 * @example
 * checkCantineAUnEuro(TariffSchema.parse({ kind: 'quotientBrackets', noQuotientPrice: { amount: '4.50', currency: 'EUR' },
 *   brackets: [{ min: 0, max: 700, price: { amount: '1.00', currency: 'EUR' } },
 *     { min: 700, max: 1200, price: { amount: '2.50', currency: 'EUR' } }, { min: 1200, price: { amount: '4.00', currency: 'EUR' } }] }))
 * //=> []
 */
export function checkCantineAUnEuro(tariff: Tariff): CantineAUnEuroIssue[] {
  try {
    return match(tariff)
      .with({ kind: 'quotientBrackets' }, (t): CantineAUnEuroIssue[] => {
        if (t.noQuotientPrice.currency !== 'EUR') return ['NOT_EUR']
        const issues: CantineAUnEuroIssue[] = []
        if (t.brackets.length < 3) issues.push('FEWER_THAN_THREE_BRACKETS')
        const cheap = t.brackets.filter((b) => !b.price.greaterThan(ONE_EURO))
        if (cheap.length === 0) issues.push('NO_BRACKET_AT_ONE_EURO')
        if (cheap.some((b) => b.max === undefined || quotientToHundredths(b.max) > MAX_BOUND)) issues.push('ONE_EURO_BRACKET_ABOVE_QF_1000')
        return issues
      })
      .with({ kind: 'fixed' }, { kind: 'effortRate' }, { kind: 'siblingRank' }, (): CantineAUnEuroIssue[] => ['NOT_QUOTIENT_BRACKETS'])
      .exhaustive()
  } catch (error) {
    throw asInputError(error, 'checkCantineAUnEuro', { tariff: [tariff, 'object', 'a tariff'] })
  }
}

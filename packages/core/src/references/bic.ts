import { describeValue } from '../describe-value'
/**
 * BIC (SWIFT code) checks, through `ibantools`: 8 or 11 characters, bank code, ISO country,
 * location and optional branch. Import it as the `bic` namespace of `@ecole/core`.
 *
 * @module
 */
import { isValidBIC } from 'ibantools'
import { EcoleError } from '../errors'

function compact(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase()
}

/**
 * Whether `input` is a well-formed BIC (spaces and lower case accepted).
 *
 * @example
 * bic.isValid('GEBABEBB') //=> true
 * bic.isValid('gkcc be bb') //=> true
 * bic.isValid('GEBA1EBB') //=> false
 */
export function isValid(input: string): boolean {
  return typeof input === 'string' && isValidBIC(compact(input))
}

/**
 * A valid BIC in upper case without spaces.
 *
 * @example
 * bic.normalize('gebabebb') //=> 'GEBABEBB'
 * @throws EcoleError `INVALID_BIC` when the input is not a well-formed BIC.
 */
export function normalize(input: string): string {
  if (!isValid(input)) throw new EcoleError('INVALID_BIC', `not a valid BIC (8 or 11 characters: bank, country, location, branch): ${describeValue(input)}`, { details: { value: input } })
  return compact(input)
}

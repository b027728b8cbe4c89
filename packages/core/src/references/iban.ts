import { describeValue } from '../describe-value'
/**
 * IBAN checks, through `ibantools` (country lengths and formats, ISO 7064 check digits, national
 * checksums where ibantools knows them). Import it as the `iban` namespace of `@ecole/core`.
 *
 * @module
 */
import { electronicFormatIBAN, extractIBAN, friendlyFormatIBAN, isValidIBAN } from 'ibantools'
import { EcoleError } from '../errors'

/**
 * Whether `input` is a valid IBAN; spaces, dashes and lower case are accepted (as typed or
 * printed), since the input is brought to its electronic form first.
 *
 * @example
 * iban.isValid('BE15 7326 6455 4630') //=> true
 * iban.isValid('be15732664554630') //=> true
 * iban.isValid('BE16732664554630') //=> false
 */
export function isValid(input: string): boolean {
  if (typeof input !== 'string') return false
  const e = electronicFormatIBAN(input)
  return e !== null && isValidIBAN(e)
}

/**
 * The electronic form of a valid IBAN (upper case, no spaces), as bank files carry it.
 *
 * @example
 * iban.normalize('be15 7326 6455 4630') //=> 'BE15732664554630'
 * @throws EcoleError `INVALID_IBAN` when the input is not a valid IBAN.
 */
export function normalize(input: string): string {
  const e = typeof input === 'string' ? electronicFormatIBAN(input) : null
  if (e === null || !isValidIBAN(e)) {
    throw new EcoleError('INVALID_IBAN', `not a valid IBAN: ${describeValue(input)}`, { details: { value: input } })
  }
  return e
}

/**
 * The print form of a valid IBAN: groups of four separated by spaces.
 *
 * @example
 * iban.format('BE15732664554630') //=> 'BE15 7326 6455 4630'
 * @throws EcoleError `INVALID_IBAN` when the input is not a valid IBAN.
 */
export function format(input: string): string {
  return friendlyFormatIBAN(normalize(input)) ?? normalize(input)
}

/**
 * The national bank identifier inside a valid IBAN (the bank code at the positions the SWIFT IBAN
 * registry gives for its country, as ibantools tabulates them), prefixed with the country code
 * so that codes of two countries never compare equal; `undefined` when the registry gives no bank
 * identifier for the country. Two IBANs with the same identifier are at the same bank (in Germany,
 * the same Bankleitzahl); different identifiers may still be one bank (a group with several codes).
 *
 * @example
 * iban.bankIdentifier('FR1420041010050500013M02606') //=> 'FR20041'
 * iban.bankIdentifier('BE71 0961 2345 6769') //=> 'BE096'
 * @throws EcoleError `INVALID_IBAN` when the input is not a valid IBAN.
 */
export function bankIdentifier(input: string): string | undefined {
  const e = normalize(input)
  const bank = extractIBAN(e).bankIdentifier
  return bank === undefined || bank === '' ? undefined : `${e.slice(0, 2)}${bank}`
}

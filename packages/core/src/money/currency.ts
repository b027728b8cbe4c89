import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'

/**
 * Minor units (digits after the decimal separator) of the currencies `@ecole` is used with, after
 * ISO 4217. EUR first; a few neighbours (CHF, GBP, SEK...) and zero- or three-decimal currencies
 * so code never assumes two decimals.
 */
export const CURRENCY_MINOR_UNITS: Readonly<Record<string, number>> = Object.freeze({
  EUR: 2, CHF: 2, GBP: 2, USD: 2, SEK: 2, DKK: 2, NOK: 2, PLN: 2, CZK: 2, HUF: 2, RON: 2, BGN: 2,
  XPF: 0, XOF: 0, XAF: 0, JPY: 0, KMF: 0, TND: 3, KWD: 3, BHD: 3,
})

/** An ISO 4217 alphabetic currency code `@ecole` knows the minor units of, e.g. `EUR`. */
export type CurrencyCode = string

/**
 * Number of minor units of `currency` (2 for EUR: cents).
 *
 * @example
 * minorUnits('EUR') //=> 2
 * minorUnits('XPF') //=> 0
 * @throws EcoleError `UNKNOWN_CURRENCY` for a code not in {@link CURRENCY_MINOR_UNITS}.
 */
export function minorUnits(currency: CurrencyCode): number {
  const digits = typeof currency === 'string' && Object.hasOwn(CURRENCY_MINOR_UNITS, currency) ? CURRENCY_MINOR_UNITS[currency] : undefined
  if (digits === undefined) {
    throw new EcoleError('UNKNOWN_CURRENCY', `currency ${describeValue(currency)} is not an ISO 4217 code @ecole knows`, { details: { currency } })
  }
  return digits
}

import Decimal from 'decimal.js'
import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'

/**
 * How an exact amount is brought to the currency's minor unit.
 *
 * - `halfUp`: to the nearest, halves away from zero (2.345 -> 2.35, -2.345 -> -2.35). The default,
 *   and what French and Belgian invoices expect per line.
 * - `halfEven`: to the nearest, halves to the even neighbour (banker's rounding: 2.345 -> 2.34).
 * - `up`: away from zero (2.341 -> 2.35).
 * - `down`: towards zero, truncation (2.349 -> 2.34).
 */
export type RoundingMode = 'halfUp' | 'halfEven' | 'up' | 'down'

/** The rounding modes, for forms and schemas. */
export const ROUNDING_MODES = ['halfUp', 'halfEven', 'up', 'down'] as const satisfies readonly RoundingMode[]

/** @internal decimal.js constant of a rounding mode. */
export function decimalRounding(mode: RoundingMode): Decimal.Rounding {
  switch (mode) {
    case 'halfUp':
      return Decimal.ROUND_HALF_UP
    case 'halfEven':
      return Decimal.ROUND_HALF_EVEN
    case 'up':
      return Decimal.ROUND_UP
    case 'down':
      return Decimal.ROUND_DOWN
    default: {
      const never: never = mode
      throw EcoleError.invalidInput('mode', `must be one of ${ROUNDING_MODES.join(', ')}, got ${describeValue(never)}`)
    }
  }
}

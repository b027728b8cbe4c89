import { EcoleError } from '@ecole/core'

const TWO_DECIMALS = /^(-)?(\d{1,11})\.(\d{2})$/
const DECIMAL = /^-?\d{1,12}(\.\d{1,8})?$/

function malformed(field: string, value: string, rule: string): EcoleError {
  return new EcoleError('FATTURAPA_MALFORMED', `${field}: ${JSON.stringify(value)} ${rule}`, { details: { field, value } })
}

/**
 * An amount written with exactly two decimals (`Amount2DecimalType`: `-12.50`) in minor units.
 * @internal
 *
 * @example
 * toMinor('12.50', 'ImportoTotaleDocumento') //=> 1250n
 */
export function toMinor(value: string, field: string): bigint {
  const m = TWO_DECIMALS.exec(value)
  if (!m) throw malformed(field, value, 'must be an amount with two decimals (12.50)')
  const minor = BigInt(m[2]!) * 100n + BigInt(m[3]!)
  return m[1] ? -minor : minor
}

/**
 * A decimal as the file writes it (quantities, prices, rates), checked and kept as a string.
 * @internal
 *
 * @example
 * decimal('1.00000000', 'PrezzoUnitario') //=> '1.00000000'
 */
export function decimal(value: string, field: string): string {
  if (!DECIMAL.test(value)) throw malformed(field, value, 'must be a decimal number with at most 8 decimals')
  return value
}

/**
 * A decimal string in units of 10^-8, to add line totals exactly. @internal
 *
 * @example
 * toNano('1.5') //=> 150000000n
 */
export function toNano(value: string): bigint {
  const negative = value.startsWith('-')
  const [int, frac = ''] = (negative ? value.slice(1) : value).split('.')
  const n = BigInt(int!) * 100_000_000n + BigInt((frac + '00000000').slice(0, 8))
  return negative ? -n : n
}

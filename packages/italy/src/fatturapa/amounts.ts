import { EcoleError } from '@ecole/core'

const TWO_DECIMALS = /^(-)?(\d{1,11})\.(\d{2})$/
const DECIMAL = /^-?\d{1,12}(\.\d{1,8})?$/

function malformed(field: string, value: string, rule: string): EcoleError {
  return new EcoleError('FATTURAPA_MALFORMED', `${field}: ${JSON.stringify(value)} ${rule}`, { details: { field, value } })
}

/** The currency of an amount and its minor units (2 for EUR, 0 for JPY, 3 for TND). @internal */
export interface AmountCurrency {
  code: string
  digits: number
}

const EURO: AmountCurrency = { code: 'EUR', digits: 2 }

/**
 * An amount written with exactly two decimals (`Amount2DecimalType`: `-12.50`) in minor units of
 * its currency: cents for EUR, yen for JPY (`1100.00` is 1100 yen; `1100.50` has more decimals
 * than the yen allows and is refused), thousandths for TND. @internal
 *
 * @example
 * toMinor('12.50', 'ImportoTotaleDocumento') //=> 1250n
 * toMinor('1100.00', 'ImportoTotaleDocumento', { code: 'JPY', digits: 0 }) //=> 1100n
 * @throws EcoleError `FATTURAPA_MALFORMED` naming the field for an amount not written with two decimals,
 * or with a fraction its currency cannot hold.
 */
export function toMinor(value: string, field: string, currency: AmountCurrency = EURO): bigint {
  const m = TWO_DECIMALS.exec(value)
  if (!m) throw malformed(field, value, 'must be an amount with two decimals (12.50)')
  const hundredths = BigInt(m[2]!) * 100n + BigInt(m[3]!)
  let minor: bigint
  if (currency.digits >= 2) {
    minor = hundredths * 10n ** BigInt(currency.digits - 2)
  } else {
    const per = 10n ** BigInt(2 - currency.digits)
    if (hundredths % per !== 0n) throw malformed(field, value, `has more decimals than ${currency.code} allows (${currency.digits})`)
    minor = hundredths / per
  }
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

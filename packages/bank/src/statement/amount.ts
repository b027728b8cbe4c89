import { CURRENCY_MINOR_UNITS } from '@ecole/core'

const DECIMAL = /^(\d{1,18})(?:\.(\d{1,18}))?$/

/**
 * A non-negative decimal amount as bank files write it (`'8.85'`, `'200000'`) in minor units
 * of `currency`, or a string saying what is wrong (unknown currency, not a decimal, more
 * decimals than the currency has that are not zeros).
 */
export function decimalToMinor(text: string, currency: string): bigint | string {
  const digits = CURRENCY_MINOR_UNITS[currency]
  if (digits === undefined) return `currency ${JSON.stringify(currency)} is not an ISO 4217 code @ecole knows`
  const m = DECIMAL.exec(text)
  if (!m) return `${JSON.stringify(text)} is not a non-negative decimal amount`
  const frac = m[2] ?? ''
  if (frac.length > digits && !/^0*$/.test(frac.slice(digits))) {
    return `${JSON.stringify(text)} has more decimals than ${currency} allows (${digits})`
  }
  return BigInt(m[1] as string) * 10n ** BigInt(digits) + BigInt((frac.slice(0, digits) || '0').padEnd(digits, '0') || '0')
}

/** Minor units as a decimal string of `currency` (`1234n` EUR -> `'12.34'`). */
export function minorToDecimal(minor: bigint, currency: string): string {
  const digits = CURRENCY_MINOR_UNITS[currency] ?? 2
  const neg = minor < 0n
  const abs = (neg ? -minor : minor).toString().padStart(digits + 1, '0')
  const s = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`
  return neg ? `-${s}` : s
}

import { describeValue } from '../describe-value'
import * as z from 'zod'
import { EcoleError } from '../errors'
import { minorUnits, type CurrencyCode } from './currency'
import { Money, isMoney } from './money'

/** Locales whose way of writing amounts {@link parseAmount} and {@link formatMoney} know. */
export type AmountLocale = 'fr-FR' | 'fr-BE' | 'nl-BE' | 'it-IT' | 'en'

/** The supported amount locales. */
export const AMOUNT_LOCALES = ['fr-FR', 'fr-BE', 'nl-BE', 'it-IT', 'en'] as const satisfies readonly AmountLocale[]

/** Schema of an {@link AmountLocale}. @example AmountLocaleSchema.parse('fr-BE') //=> 'fr-BE' */
export const AmountLocaleSchema = z.enum(AMOUNT_LOCALES)

const SPACES = [' ', '\u00a0', '\u202f']
const CONVENTIONS: Record<AmountLocale, { decimal: string; groups: string[] }> = {
  'fr-FR': { decimal: ',', groups: SPACES },
  'fr-BE': { decimal: ',', groups: [...SPACES, '.'] },
  'nl-BE': { decimal: ',', groups: [...SPACES, '.'] },
  'it-IT': { decimal: ',', groups: [...SPACES, '.'] },
  en: { decimal: '.', groups: [...SPACES, ','] },
}

function fail(input: string, locale: AmountLocale, why: string): never {
  throw new EcoleError('INVALID_AMOUNT', `cannot read ${describeValue(input)} as an amount in ${locale}: ${why}`, { details: { input, locale, reason: why } })
}

/** Checks digit grouping ("1 234 567": 1-3 digits, then groups of 3) and returns the digits. */
function ungroup(integer: string, groupChars: string[], input: string, locale: AmountLocale): string {
  const used = new Set([...integer].filter((c) => groupChars.includes(c)))
  if (used.size === 0) return integer
  const normalized = [...integer].map((c) => (SPACES.includes(c) ? ' ' : c)).join('')
  const seps = new Set([...normalized].filter((c) => !/\d/.test(c)))
  if (seps.size > 1) fail(input, locale, 'mixes several digit-group separators')
  const [sep] = [...seps] as [string]
  const groups = normalized.split(sep)
  if (!/^\d{1,3}$/.test(groups[0] ?? '') || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) {
    fail(input, locale, `digit groups separated by "${sep === ' ' ? 'space' : sep}" must have three digits`)
  }
  return groups.join('')
}

/**
 * Reads an amount typed by a person in `locale` ("1 234,56" in French with ordinary, no-break or
 * narrow no-break spaces, "1.234,56" in Italian or Belgian Dutch, "1,234.56" or "1234.56" in
 * English), exactly.
 *
 * A dot in a comma-decimal locale where the dot is not a group separator (fr-FR) is read as the
 * decimal point ("12.50"), except before exactly three digits ("1.234"), which could mean either and
 * is refused as ambiguous. More decimals than the currency has are refused, never rounded.
 *
 * @example
 * parseAmount('1 234,56', 'fr-FR', 'EUR').amount //=> '1234.56'
 * parseAmount('1.234,56', 'it-IT', 'EUR').amount //=> '1234.56'
 * parseAmount('-12.5', 'en', 'EUR').amount //=> '-12.50'
 * @throws EcoleError `INVALID_AMOUNT` naming the input, the locale and the reason.
 */
export function parseAmount(input: string, locale: AmountLocale, currency: CurrencyCode): Money {
  if (typeof locale !== 'string' || !Object.hasOwn(CONVENTIONS, locale)) {
    throw new EcoleError('INVALID_INPUT', `locale: must be one of ${AMOUNT_LOCALES.join(', ')}, got ${describeValue(locale)}`, {
      details: { issues: [{ path: 'locale', code: 'invalid_value', message: `must be one of ${AMOUNT_LOCALES.join(', ')}` }] },
    })
  }
  const conv = CONVENTIONS[locale]
  if (typeof input !== 'string') throw new EcoleError('INVALID_AMOUNT', `cannot read ${describeValue(input)} as an amount: expected a string`, { details: { locale, reason: 'not a string' } })
  let s = input.trim().replace(/\s*(€|EUR)\s*$/i, '').replace(/^(€|EUR)\s*/i, '').trim()
  let sign = ''
  if (s.startsWith('-') || s.startsWith('+') || s.startsWith('\u2212')) {
    sign = s.startsWith('+') ? '' : '-'
    s = s.slice(1).trim()
  }
  if (s === '') fail(input, locale, 'no digits')
  const allowed = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', conv.decimal, ...conv.groups, '.', ','])
  for (const c of s) if (!allowed.has(c)) fail(input, locale, `unexpected character ${describeValue(c)}`)

  let integer: string
  let fraction = ''
  const decimalCount = s.split(conv.decimal).length - 1
  if (decimalCount > 1) fail(input, locale, `more than one decimal separator "${conv.decimal}"`)
  if (decimalCount === 1) {
    const at = s.lastIndexOf(conv.decimal)
    integer = s.slice(0, at)
    fraction = s.slice(at + 1)
    if (!/^\d+$/.test(fraction)) fail(input, locale, 'the decimals must be digits only')
    if (integer === '') integer = '0'
    integer = ungroup(integer, conv.groups, input, locale)
  } else {
    const other = conv.decimal === ',' ? '.' : ','
    if (s.includes(other) && !conv.groups.includes(other)) {
      const parts = s.split(other)
      if (parts.length > 2) fail(input, locale, `"${other}" appears several times`)
      const [i = '', f = ''] = parts
      if (f.length === 3) fail(input, locale, `"${s}" is ambiguous: "${other}" could separate thousands or decimals`)
      if (!/^\d+$/.test(f)) fail(input, locale, 'the decimals must be digits only')
      integer = ungroup(i === '' ? '0' : i, conv.groups, input, locale)
      fraction = f
    } else {
      integer = ungroup(s, conv.groups, input, locale)
    }
  }
  if (!/^\d+$/.test(integer)) fail(input, locale, 'the integer part must be digits only')
  const digits = minorUnits(currency)
  if (fraction.length > digits) fail(input, locale, `${currency} has ${digits} decimals, got ${fraction.length}`)
  return Money.of(`${sign}${integer}${fraction ? `.${fraction}` : ''}`, currency)
}

/**
 * Formats money for people with Intl (exactly: the decimal string is formatted, not a float).
 *
 * @example
 * formatMoney(Money.of('1234.5', 'EUR'), 'fr-FR') //=> '1 234,50 €' (with narrow no-break spaces)
 * formatMoney(Money.of('1234.5', 'EUR'), 'en') //=> '€1,234.50'
 */
export function formatMoney(money: Money, locale: AmountLocale | string = 'fr-FR'): string {
  if (!isMoney(money)) throw new EcoleError('INVALID_AMOUNT', `formatMoney: expected Money, got ${describeValue(money)}`, { details: { field: 'money' } })
  const digits = minorUnits(money.currency)
  const [whole = '0', fraction = ''] = money.amount.split('.')
  // Intl knows at most 20 decimals: format the amount cut (not rounded) to 20, then put every decimal back
  const shown = Math.min(Math.max(digits, fraction.length), MAX_INTL_DECIMALS)
  let nf: Intl.NumberFormat
  try {
    if (typeof locale !== 'string' || locale.trim() === '') throw new RangeError('empty locale')
    nf = numberFormat(locale, money.currency, digits, shown)
  } catch (error) {
    throw new EcoleError('INVALID_INPUT', `locale: ${describeValue(locale)} is not a BCP 47 locale this runtime knows`, {
      details: { issues: [{ path: 'locale', code: 'invalid_value', message: 'is not a BCP 47 locale this runtime knows' }] },
      cause: error,
    })
  }
  const cut = fraction.length > MAX_INTL_DECIMALS ? `${whole}.${fraction.slice(0, MAX_INTL_DECIMALS)}` : money.amount
  const parts = nf.formatToParts(cut as unknown as number)
  if (fraction.length <= MAX_INTL_DECIMALS) return parts.map((p) => p.value).join('')
  return parts.map((p) => (p.type === 'fraction' ? fraction : p.value)).join('')
}

const MAX_INTL_DECIMALS = 20

// Building an Intl.NumberFormat costs far more than formatting with it (a page of amounts spent
// most of its time there): the formats are kept, at most a few hundred (locale, currency, digits)
const numberFormats = new Map<string, Intl.NumberFormat>()
function numberFormat(locale: string, currency: string, digits: number, shown: number): Intl.NumberFormat {
  const key = `${locale}|${currency}|${digits}|${shown}`
  let nf = numberFormats.get(key)
  if (nf === undefined) {
    nf = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: shown })
    if (numberFormats.size >= 256) numberFormats.clear()
    numberFormats.set(key, nf)
  }
  return nf
}

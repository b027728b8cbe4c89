import { AMOUNT_LOCALES, EcoleError, minorUnits, type AmountLocale, type CurrencyCode, type LocalDate } from '@ecole/core'
import { format as formatDate } from 'date-fns'
import { enGB, fr, it, nl, type Locale } from 'date-fns/locale'
import type { Language } from './language'

const DATE_LOCALES: Record<Language, Locale> = { fr, en: enGB, it, nl }

/**
 * The amount locale a language uses unless told otherwise: fr-FR, en, it-IT, nl-BE.
 *
 * @example
 * DEFAULT_AMOUNT_LOCALE.nl //=> 'nl-BE'
 */
export const DEFAULT_AMOUNT_LOCALE: Readonly<Record<Language, AmountLocale>> = { fr: 'fr-FR', en: 'en', it: 'it-IT', nl: 'nl-BE' }

const formatters = new Map<string, Intl.NumberFormat>()

/**
 * An amount in minor units written as the project writes money for people (the same text as
 * `formatMoney` of `@ecole/core`: Intl currency formatting of the exact decimal string), with
 * the formatter cached per locale and currency so a long document does not build one per amount.
 *
 * @example
 * formatMinor(123456n, 'EUR', 'en') //=> '€1,234.56'
 */
export function formatMinor(minor: bigint, currency: CurrencyCode, locale: AmountLocale): string {
  const digits = minorUnits(currency)
  const key = `${locale}|${currency}`
  let nf = formatters.get(key)
  if (!nf) {
    nf = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits })
    formatters.set(key, nf)
  }
  const negative = minor < 0n
  const abs = negative ? -minor : minor
  const scale = 10n ** BigInt(digits)
  const text = digits === 0 ? `${abs}` : `${abs / scale}.${String(abs % scale).padStart(digits, '0')}`
  return nf.format(`${negative ? '-' : ''}${text}` as unknown as number)
}

/**
 * Dates and amounts written for the readers of one document.
 *
 * @example
 * const f: Formatter = createFormatter('it')
 * f.date('2027-01-04') //=> '4 gennaio 2027'
 */
export interface Formatter {
  /** The language of the document. */
  language: Language
  /** The amount locale. */
  amountLocale: AmountLocale
  /** An amount in minor units. */
  money(minor: bigint, currency: CurrencyCode): string
  /** A date written in full: "4 janvier 2027". */
  date(date: LocalDate): string
  /** A short date: "04/01/2027". */
  shortDate(date: LocalDate): string
}

/**
 * A `Date` whose local fields are its UTC fields, so that date-fns prints the day it holds on any
 * host zone, even one that skipped that day (Pacific/Kiritimati has no 31 December 1994: a day
 * built there with `new Date(1994, 11, 31)` is 1 January 1995).
 */
class UtcDay extends Date {
  override getFullYear(): number { return this.getUTCFullYear() }
  override getMonth(): number { return this.getUTCMonth() }
  override getDate(): number { return this.getUTCDate() }
  override getDay(): number { return this.getUTCDay() }
  override getHours(): number { return this.getUTCHours() }
  override getMinutes(): number { return this.getUTCMinutes() }
  override getSeconds(): number { return this.getUTCSeconds() }
  override getMilliseconds(): number { return this.getUTCMilliseconds() }
  override getTimezoneOffset(): number { return 0 }
}

function localDate(d: LocalDate): Date {
  // noon UTC of that day; setUTCFullYear keeps years 0 to 99 (Date.UTC reads them as 19xx)
  const date = new UtcDay(Date.UTC(2000, 0, 1, 12))
  date.setUTCFullYear(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)))
  return date
}

/**
 * The formatter of a document in `language` (dates through date-fns and its fr/en/it/nl
 * locales; amounts in `amountLocale`, by default the language's).
 *
 * @example
 * createFormatter('fr').date('2027-01-04') //=> '4 janvier 2027'
 * @throws EcoleError `INVALID_INPUT` for an amount locale the project does not know.
 */
export function createFormatter(language: Language, amountLocale: AmountLocale = DEFAULT_AMOUNT_LOCALE[language]): Formatter {
  if (!(AMOUNT_LOCALES as readonly string[]).includes(amountLocale)) {
    throw new EcoleError('INVALID_INPUT', `amountLocale: must be one of ${AMOUNT_LOCALES.join(', ')}, got ${JSON.stringify(amountLocale)}`, { details: { field: 'amountLocale' } })
  }
  const locale = DATE_LOCALES[language]
  const long = language === 'en' ? 'd MMMM yyyy' : 'd MMMM yyyy'
  // the locale's short date ('P') with a four-digit year: its 'y' writes the year 99 as "99"
  const short = (locale.formatLong?.date({ width: 'short' }) ?? 'dd/MM/yyyy').replace(/y+/, 'yyyy')
  return {
    language,
    amountLocale,
    money: (minor, currency) => formatMinor(minor, currency, amountLocale),
    date: (d) => formatDate(localDate(d), long, { locale }),
    shortDate: (d) => formatDate(localDate(d), short, { locale }),
  }
}

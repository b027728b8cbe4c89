import { asInputError, AMOUNT_LOCALES, EcoleError, minorUnits, printableDay, type AmountLocale, type CurrencyCode, type LocalDate } from '@ecole/core'
import { format as formatDate } from 'date-fns'
import { enGB, fr, it, nl, type Locale } from 'date-fns/locale'
import { LANGUAGES, type Language } from './language'

const DATE_LOCALES: Record<Language, Locale> = { fr, en: enGB, it, nl }

/**
 * The short date of a Dutch document. Its readers are in Belgium (the amounts are nl-BE too), and
 * Belgian Dutch writes a short date with slashes: CLDR's nl_BE short date is `d/MM/y` ("4/01/2027"),
 * where date-fns's `nl` (the Netherlands) writes `dd-MM-y` ("04-01-2027") and its `nlBE` `dd.MM.y`.
 * The day has two digits, as the other languages' short dates and the family portal's (nl-BE,
 * day and month 2-digit: "04/01/2027") have.
 */
const BELGIAN_DUTCH_SHORT_DATE = 'dd/MM/yyyy'

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
  try {
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
  } catch (error) {
    throw asInputError(error, 'formatMinor', { minor: [minor, 'bigint', 'an amount in minor units'], currency: [currency, 'string', 'a currency code'], locale: [locale, 'string', 'an amount locale'] })
  }
}

/** The most decimals a quantity is printed or written with. */
const QUANTITY_DECIMALS = 4

/**
 * A quantity as an exact decimal string (`.` as separator), rounded to at most 4 decimals with
 * the trailing zeros dropped: what a quantity summed in binary floating point (0.1 + 0.2 =
 * 0.30000000000000004) means, without its noise. This is the text of Factur-X `BilledQuantity`
 * and what {@link Formatter.quantity} prints.
 *
 * @example
 * decimalQuantity(0.1 + 0.2) //=> '0.3'
 * decimalQuantity(1.75) //=> '1.75'
 * decimalQuantity(3) //=> '3'
 * decimalQuantity(2 / 3) //=> '0.6667'
 * @throws EcoleError `INVALID_INPUT` naming `quantity` when it is not a finite number.
 */
export function decimalQuantity(quantity: number): string {
  if (typeof quantity !== 'number' || !Number.isFinite(quantity)) {
    throw EcoleError.invalidInput('quantity', `must be a finite number, got ${shown(quantity)}`, { function: 'decimalQuantity' })
  }
  const text = Math.abs(quantity).toFixed(QUANTITY_DECIMALS).replace(/\.?0+$/, '')
  return quantity < 0 && text !== '0' ? `-${text}` : text
}

const quantityFormatters = new Map<string, Intl.NumberFormat>()

/**
 * Dates, amounts and quantities written for the readers of one document.
 *
 * @example
 * const f: Formatter = createFormatter('it')
 * f.date('2027-01-04') //=> '4 gennaio 2027'
 * f.quantity(1.75) //=> '1,75'
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
  /** A short date: "04/01/2027" (in every language, Dutch as Belgium writes it). */
  shortDate(date: LocalDate): string
  /** A quantity in the amount locale, with the decimals it needs and at most 4: "1,75", "0,3", "2". */
  quantity(quantity: number): string
}

/** A value as an error message shows it: a string quoted, anything else by its type. */
const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : typeof value)

/**
 * The formatter of a document in `language` (dates through date-fns and its fr/en/it/nl
 * locales; amounts in `amountLocale`, by default the language's).
 *
 * @example
 * createFormatter('fr').date('2027-01-04') //=> '4 janvier 2027'
 * @throws EcoleError `INVALID_INPUT` for a language or an amount locale the project does not know.
 */
export function createFormatter(language: Language, amountLocale?: AmountLocale): Formatter {
  if (!(LANGUAGES as readonly unknown[]).includes(language)) {
    throw EcoleError.invalidInput('language', `must be one of ${LANGUAGES.join(', ')}, got ${shown(language)}`, { field: 'language' })
  }
  if (amountLocale === undefined) amountLocale = DEFAULT_AMOUNT_LOCALE[language]
  if (!(AMOUNT_LOCALES as readonly unknown[]).includes(amountLocale)) {
    throw new EcoleError('INVALID_INPUT', `amountLocale: must be one of ${AMOUNT_LOCALES.join(', ')}, got ${shown(amountLocale)}`, { details: { field: 'amountLocale' } })
  }
  let nq = quantityFormatters.get(amountLocale)
  if (!nq) {
    nq = new Intl.NumberFormat(amountLocale, { minimumFractionDigits: 0, maximumFractionDigits: QUANTITY_DECIMALS })
    quantityFormatters.set(amountLocale, nq)
  }
  const quantities = nq
  const locale = DATE_LOCALES[language]
  const long = language === 'en' ? 'd MMMM yyyy' : 'd MMMM yyyy'
  // the locale's short date ('P') with a four-digit year: its 'y' writes the year 99 as "99";
  // Dutch documents are read in Belgium, whose short date has slashes (see BELGIAN_DUTCH_SHORT_DATE)
  const short = language === 'nl' ? BELGIAN_DUTCH_SHORT_DATE : (locale.formatLong?.date({ width: 'short' }) ?? 'dd/MM/yyyy').replace(/y+/, 'yyyy')
  return {
    language,
    amountLocale,
    money: (minor, currency) => formatMinor(minor, currency, amountLocale),
    date: (d) => formatDate(printableDay(d), long, { locale }),
    shortDate: (d) => formatDate(printableDay(d), short, { locale }),
    // the exact decimal string, so Intl rounds nothing again
    quantity: (q) => quantities.format(decimalQuantity(q) as unknown as number),
  }
}

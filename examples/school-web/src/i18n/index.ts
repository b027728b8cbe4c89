/**
 * The portal's languages: one message catalogue per language (fr is the reference), and the
 * formatting of dates and amounts for people reading that language. Dates are `LocalDate`
 * strings formatted in UTC (a calendar day has no zone), so the host's zone never shows.
 */
import { Money, formatMoney, type LocalDate } from '@ecole/core'
import { en } from './en'
import { fr, type MessageKey } from './fr'
import { it } from './it'
import { nl } from './nl'

export type { MessageKey }

/** The portal's languages. */
export const LANGUAGES = ['fr', 'en', 'it', 'nl'] as const
/** A portal language. */
export type Lang = (typeof LANGUAGES)[number]

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { fr, en, it, nl }
/** The locale used for numbers and dates in each language (Belgian Dutch: the portal's Dutch readers are in Belgium). */
export const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB', it: 'it-IT', nl: 'nl-BE' }
/** Each language's own name, for the language menu. */
export const LANGUAGE_NAMES: Record<Lang, string> = { fr: 'Français', en: 'English', it: 'Italiano', nl: 'Nederlands' }

/** Whether a string is one of the portal's languages. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

/** A message in a language, `{name}` placeholders replaced (the views escape the result). */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = CATALOGUES[lang][key]
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
}

/** The language a browser asks for (Accept-Language), or French. */
export function negotiate(acceptLanguage: string | undefined): Lang {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().slice(0, 2).toLowerCase()
    if (isLang(tag)) return tag
  }
  return 'fr'
}

const dateFormats = new Map<string, Intl.DateTimeFormat>()
function dateFormat(lang: Lang, style: 'short' | 'long' | 'month'): Intl.DateTimeFormat {
  const key = `${lang}:${style}`
  let f = dateFormats.get(key)
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === 'short' ? { day: '2-digit', month: '2-digit', year: 'numeric' } : style === 'long' ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } : { month: 'long', year: 'numeric' }
    f = new Intl.DateTimeFormat(LOCALES[lang], { ...options, timeZone: 'UTC' })
    dateFormats.set(key, f)
  }
  return f
}

/** A calendar day for people: `08/03/2027` (short), `lundi 8 mars 2027` (long), `mars 2027` (month). */
export function formatDate(lang: Lang, date: LocalDate | string, style: 'short' | 'long' | 'month' = 'short'): string {
  return dateFormat(lang, style).format(new Date(`${date.slice(0, 10)}T00:00:00Z`))
}

/** A site's wall-clock time `YYYY-MM-DDTHH:MM` for people, with the zone named: `06/03/2027 10:00 (Europe/Paris)`. */
export function formatLocalDateTime(lang: Lang, local: string, timeZone: string): string {
  return `${formatDate(lang, local.slice(0, 10))} ${local.slice(11, 16)} (${timeZone})`
}

// The same amounts come back on every page (prices, balances): each is formatted once and kept,
// at most FORMATTED_MAX of them (then the memory starts again empty)
const formatted = new Map<string, string>()
const FORMATTED_MAX = 10_000

/** An amount in minor units for people, exactly (no float): `10,45 €`, `€10.45`. */
export function formatAmount(lang: Lang, minor: bigint, currency = 'EUR'): string {
  const key = `${lang}|${currency}|${minor}`
  let text = formatted.get(key)
  if (text === undefined) {
    text = formatMoney(Money.fromMinor(minor, currency as 'EUR'), LOCALES[lang])
    if (formatted.size >= FORMATTED_MAX) formatted.clear()
    formatted.set(key, text)
  }
  return text
}

const quantityFormats = new Map<Lang, Intl.NumberFormat>()

/**
 * A quantity for people, as the PDF prints it: the language's separators, the decimals it needs
 * and at most 4 (`17`, `1,75`; a sum of floats such as 0.1 + 0.2 shows as `0,3`).
 */
export function formatQuantity(lang: Lang, quantity: number): string {
  let f = quantityFormats.get(lang)
  if (!f) {
    f = new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: 0, maximumFractionDigits: 4 })
    quantityFormats.set(lang, f)
  }
  return f.format(quantity)
}

import { describeValue, expectString } from '../describe-value'
import { checkOptions, type OptionKinds } from '../check-options'
import { EcoleError } from '../errors'
/** How {@link toSepaText} converts letters outside the SEPA basic Latin set. */
export type SepaTextStyle = 'epc' | 'german'

/** Options of {@link toSepaText}. */
export interface SepaTextOptions {
  /**
   * `'epc'` (default): the EPC best-practice conversion (EPC217-08 conversion table) — every
   * accented letter to its base letter (é→e, ä→a, ü→u), ß→s, Æ→AE, Œ→OE, Ø→O.
   * `'german'`: as `'epc'`, but umlauts as in German usage (Ä→AE, Ö→OE, Ü→UE, ä→ae, ö→oe, ü→ue) and
   * ß→ss, the alternative the German banks' character-set rules allow.
   */
  style?: SepaTextStyle
  /** Cut the result to at most this many characters (e.g. 70 for a name, 140 for remittance text). */
  maxLength?: number
  /** What a character with no sensible conversion becomes; a full stop by default, as the EPC recommends. */
  replacement?: string
}

const SEPA_TEXT_OPTION_KINDS: OptionKinds<SepaTextOptions> = { style: 'string?', maxLength: 'integer?', replacement: 'string?' }

/** The options of {@link toSepaText}, checked key by key. */
function checkSepaTextOptions(options: unknown): SepaTextOptions {
  const checked = checkOptions<SepaTextOptions>('toSepaText', 'options', options, SEPA_TEXT_OPTION_KINDS)
  const style: unknown = checked.style
  if (style !== undefined && style !== 'epc' && style !== 'german') {
    throw EcoleError.invalidInput('options.style', `must be 'epc' or 'german', got ${describeValue(style)}`, { function: 'toSepaText' })
  }
  if (checked.maxLength !== undefined && checked.maxLength < 0) {
    throw EcoleError.invalidInput('options.maxLength', `must be a whole number from 0, got ${describeValue(checked.maxLength)}`, { function: 'toSepaText' })
  }
  return checked
}

/** The SEPA basic Latin set: `A-Z a-z 0-9 / - ? : ( ) . , ' +` and space. */
const SEPA_CHAR = /^[A-Za-z0-9/\-?:().,'+ ]$/

const COMMON: Record<string, string> = {
  Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', Ø: 'O', ø: 'o', Đ: 'D', đ: 'd', Ð: 'D', ð: 'd', Ł: 'L', ł: 'l',
  Þ: 'TH', þ: 'th', ı: 'i', ß: 's', ẞ: 'S', Ĳ: 'IJ', ĳ: 'ij', Ŀ: 'L', ŀ: 'l', '\u2044': '/',
  '&': '+', _: '-', ';': ',', '!': '.', '[': '(', ']': ')', '{': '(', '}': ')', '<': '(', '>': ')',
  '"': "'", '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u201c': "'", '\u201d': "'", '\u201e': "'",
  '\u00ab': "'", '\u00bb': "'", '\u2039': "'", '\u203a': "'", '`': "'", '\u00b4': "'",
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u2026': '...', '\u20ac': 'EUR',
}

const GERMAN: Record<string, string> = { Ä: 'AE', Ö: 'OE', Ü: 'UE', ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ẞ: 'SS' }

/**
 * Whether `text` uses only the SEPA basic Latin set (`A-Z a-z 0-9 / - ? : ( ) . , ' +` and
 * space), the characters every SEPA bank must accept.
 *
 * @example
 * isSepaText("Ecole Saint-Joseph (cantine) 03/2026") //=> true
 * isSepaText('Hélène') //=> false
 */
export function isSepaText(text: string): boolean {
  return typeof text === 'string' && /^[A-Za-z0-9/\-?:().,'+ ]*$/.test(text)
}

/**
 * Transliterates a name or a text to the SEPA basic Latin set, for pain.008 names, remittance
 * information and EPC QR codes.
 *
 * The default follows the EPC best practice (EPC217-08 conversion table): accented letters lose
 * their accent (é→e, ç→c, ü→u), ß→s, ligatures are spelled out (Œ→OE, Æ→AE, Ĳ→IJ, ﬁ→fi), typographic quotes
 * become `'`, dashes `-`, `&` becomes `+`; any other character becomes a full stop (or
 * `replacement`). White space runs become one space and the ends are trimmed. With
 * `style: 'german'`, umlauts become AE/OE/UE and ß becomes ss. The result always satisfies
 * {@link isSepaText}.
 *
 * @example
 * toSepaText('Hélène Œuvre-Müller') //=> 'Helene OEuvre-Muller'
 * toSepaText('Hélène Œuvre-Müller', { style: 'german' }) //=> 'Helene OEuvre-Mueller'
 * toSepaText('Cantine & garderie — mars', { maxLength: 20 }) //=> 'Cantine + garderie -'
 * @throws EcoleError `INVALID_INPUT` when `text` is not a string, or `options` is not an object,
 *   has a misspelt key (`maxlength`, `stye`), a `style` other than `'epc'` or `'german'`, a
 *   `maxLength` that is not a whole number from 0 or a `replacement` that is not a string.
 */
export function toSepaText(text: string, options: SepaTextOptions = {}): string {
  expectString(text, 'text')
  options = checkSepaTextOptions(options)
  const style = options.style ?? 'epc'
  const replacement = options.replacement ?? '.'
  let out = ''
  for (const ch of String(text ?? '').normalize('NFC')) {
    if (SEPA_CHAR.test(ch)) {
      out += ch
      continue
    }
    if (/\s/.test(ch)) {
      out += ' '
      continue
    }
    const mapped = (style === 'german' ? GERMAN[ch] : undefined) ?? COMMON[ch]
    if (mapped !== undefined) {
      out += mapped
      continue
    }
    // compatibility decomposition: a ligature or a presentation form is spelled out (ﬁ→fi, ﬂ→fl,
    // full-width Ａ→A, ²→2), an accented letter loses its accent
    const base = ch.normalize('NFKD').replace(/\p{M}+/gu, '')
    const spelt = [...base].map((c) => (SEPA_CHAR.test(c) ? c : COMMON[c]))
    out += base.length > 0 && spelt.every((c) => c !== undefined) ? spelt.join('') : replacement
  }
  out = out.replace(/ {2,}/g, ' ').trim()
  if (options.maxLength !== undefined && out.length > options.maxLength) out = out.slice(0, options.maxLength).trimEnd()
  return isSepaText(out) ? out : [...out].map((c) => (SEPA_CHAR.test(c) ? c : '.')).join('')
}

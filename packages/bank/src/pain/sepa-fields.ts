import { EcoleError, toSepaText } from '@ecole/core'

/**
 * Cyrillic to Latin, ISO 9:1995 (one Latin letter, possibly with a diacritic, per Cyrillic letter;
 * the diacritics are then dropped for the SEPA set, the hard and soft signs are dropped).
 */
const ISO9: Record<string, string> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Ґ: 'G̀', Д: 'D', Ѓ: 'Ǵ', Ђ: 'Đ', Е: 'E', Ё: 'Ë', Є: 'Ê', Ж: 'Ž', З: 'Z', Ѕ: 'Ẑ', И: 'I', І: 'Ì', Ї: 'Ï',
  Й: 'J', Ј: 'J̌', К: 'K', Л: 'L', Љ: 'L̂', М: 'M', Н: 'N', Њ: 'N̂', О: 'O', П: 'P', Р: 'R', С: 'S', Т: 'T', Ќ: 'Ḱ', Ћ: 'Ć', У: 'U',
  Ў: 'Ǔ', Ф: 'F', Х: 'H', Ц: 'C', Ч: 'Č', Џ: 'D̂', Ш: 'Š', Щ: 'Ŝ', Ъ: '', Ы: 'Y', Ь: '', Э: 'È', Ю: 'Û', Я: 'Â', Ѣ: 'Ě', Ѫ: 'Ǎ', Ѳ: 'F̀', Ѵ: 'Ỳ',
}
for (const [upper, latin] of Object.entries(ISO9)) ISO9[upper.toLowerCase()] = latin.toLowerCase()

/** Greek to Latin, ELOT 743 (ISO 843 type 2), letter by letter; the digraphs are handled in {@link greek}. */
const ELOT: Record<string, string> = {
  Α: 'A', Β: 'V', Γ: 'G', Δ: 'D', Ε: 'E', Ζ: 'Z', Η: 'I', Θ: 'TH', Ι: 'I', Κ: 'K', Λ: 'L', Μ: 'M', Ν: 'N', Ξ: 'X', Ο: 'O', Π: 'P', Ρ: 'R',
  Σ: 'S', Τ: 'T', Υ: 'Y', Φ: 'F', Χ: 'CH', Ψ: 'PS', Ω: 'O',
}
/** Greek letters after which ΑΥ, ΕΥ, ΗΥ are read AF, EF, IF (voiceless consonants); elsewhere AV, EV, IV. */
const VOICELESS = new Set(['Θ', 'Κ', 'Ξ', 'Π', 'Σ', 'Τ', 'Φ', 'Χ', 'Ψ'])

const isGreek = (c: string | undefined) => c !== undefined && /[\u0370-\u03ff\u1f00-\u1fff]/.test(c)
const isUpper = (c: string | undefined) => c !== undefined && c !== c.toLowerCase()

/** One Greek word (a run of Greek letters) in ELOT 743. */
function greek(word: string): string {
  const chars = [...word]
  // accents and diaeresis off, final sigma as sigma: the rules look at bare capital letters
  const bare = chars.map((c) => c.normalize('NFD').replace(/\p{M}+/gu, '').toUpperCase())
  const allUpper = chars.length > 1 && chars.every((c) => !/\p{L}/u.test(c) || isUpper(c))
  let out = ''
  for (let i = 0; i < bare.length; i++) {
    const c = bare[i] as string
    const next = bare[i + 1]
    const upper = isUpper(chars[i])
    let latin: string
    let used = 1
    const diaeresis = chars[i + 1] !== undefined && /\u0308/.test((chars[i + 1] as string).normalize('NFD'))
    if ((c === 'Α' || c === 'Ε' || c === 'Η') && next === 'Υ' && !diaeresis) {
      const after = bare[i + 2]
      latin = `${ELOT[c]}${after === undefined || VOICELESS.has(after) ? 'F' : 'V'}`
      used = 2
    } else if (c === 'Ο' && next === 'Υ' && !diaeresis) {
      latin = 'OU'
      used = 2
    } else if (c === 'Μ' && next === 'Π') {
      latin = i === 0 || i + 2 === bare.length ? 'B' : 'MB'
      used = 2
    } else if (c === 'Ν' && next === 'Τ') {
      latin = i === 0 ? 'D' : 'ND'
      used = 2
    } else if (c === 'Γ' && next === 'Κ') {
      latin = i === 0 ? 'G' : 'NG'
      used = 2
    } else if (c === 'Γ' && (next === 'Γ' || next === 'Ξ' || next === 'Χ')) {
      latin = `N${ELOT[next] as string}`
      used = 2
    } else {
      latin = ELOT[c] ?? c
    }
    // capitals: all-capital words stay capital, a capital letter in a word gives one capital (Th, Ch, Ps)
    out += allUpper || (upper && used === 1 && latin.length === 1) ? latin : upper ? latin[0] + latin.slice(1).toLowerCase() : latin.toLowerCase()
    i += used - 1
  }
  return out
}

/**
 * `text` with Greek (ELOT 743) and Cyrillic (ISO 9) letters in Latin; anything else unchanged.
 *
 * @example
 * transliterate('Γιώργος Παπαδόπουλος') //=> 'Giorgos Papadopoulos'
 * transliterate('Мария Иванова') //=> 'Mariâ Ivanova' (and 'Maria Ivanova' in the SEPA set)
 */
export function transliterate(text: string): string {
  if (typeof text !== 'string') throw EcoleError.invalidInput('text', 'must be a string')
  if (!/[\u0370-\u03ff\u1f00-\u1fff\u0400-\u04ff]/.test(text)) return text
  let out = ''
  let word = ''
  for (const ch of text.normalize('NFC')) {
    if (isGreek(ch)) {
      word += ch
      continue
    }
    if (word !== '') {
      out += greek(word)
      word = ''
    }
    out += ISO9[ch] ?? ch
  }
  return word === '' ? out : out + greek(word)
}

/**
 * A text changed to fit its field, reported in the result's warnings: cut to the field's limit,
 * or with characters that have no equivalent in the SEPA set (emoji, CJK, Arabic...) written as
 * `.` (`replaced` lists them), or both. A name written `..` has lost every letter: the warning
 * lets a finance team see the debtors whose names the file does not carry. A text that leaves
 * nothing in the SEPA set (a lone `Ъ`, a variation selector, a combining accent) is written as one
 * `.`, never as an empty element that the ISO 20022 schema refuses (and with it the whole file).
 */
export interface TextCut {
  /** The field (`debits.3.debtor.name`). */
  field: string
  /** The field's limit, in characters. */
  limit: number
  /** The text as given. */
  given: string
  /** What was written (transliterated to the SEPA set, then cut). */
  written: string
  /**
   * The characters of `given` that have no SEPA equivalent and were written as `.`, each once, in
   * order of appearance; absent when none was (the warning is then only a cut). For a text that
   * leaves nothing (written `.`), the characters of `given` that vanished.
   */
  replaced?: string[]
}

const SEPA_ONLY = /^[A-Za-z0-9/\-?:().,'+ ]*$/

/** A text in the SEPA set, and the characters that could only be written as a replacement. */
interface SepaText {
  text: string
  replaced: string[] | undefined
}

/**
 * The characters of `text` (once transliterated) that `toSepaText` can only write as its
 * replacement: those for which another replacement gives another result.
 */
function replacedCharacters(transliterated: string): string[] | undefined {
  let found: Set<string> | undefined
  for (const ch of transliterated.normalize('NFC')) {
    if (SEPA_ONLY.test(ch)) continue
    if (toSepaText(ch, { replacement: '?' }) !== toSepaText(ch)) (found ??= new Set()).add(ch)
  }
  return found === undefined ? undefined : [...found]
}

/**
 * `toSepaText(transliterate(text))` and the characters replaced, with a fast path for the common
 * case of Latin letters with accents: once decomposed and stripped of its marks, a text made only
 * of SEPA characters, single spaces and no space at either end is exactly what `toSepaText` gives.
 */
function toSepa(text: string): SepaText {
  const sepa = toSepaOrEmpty(text)
  return sepa.text === '' ? nothingLeft(text) : sepa
}

/**
 * A text that leaves nothing in the SEPA set: one `.` (the EPC's replacement character), naming
 * the characters of `text` that vanished. An empty element is refused by the ISO 20022 schema
 * (`Max70Text`, `Max140Text`... have `minLength` 1), and with it the whole file: one family's name
 * must not stop the collection of the others.
 */
function nothingLeft(text: string): SepaText {
  const gone = [...new Set(text.normalize('NFC'))].filter((c) => !/\s/.test(c))
  return { text: '.', replaced: gone.length > 0 ? gone : [text] }
}

function toSepaOrEmpty(text: string): SepaText {
  const stripped = text.normalize('NFD').replace(/\p{M}+/gu, '')
  if (SEPA_ONLY.test(stripped) && stripped.indexOf('  ') === -1 && stripped.charCodeAt(0) !== 0x20 && stripped.charCodeAt(stripped.length - 1) !== 0x20) return { text: stripped, replaced: undefined }
  const latin = transliterate(text)
  return { text: toSepaText(latin), replaced: replacedCharacters(latin) }
}

/** Transliterations already made in this process (families share towns, streets and post codes); bounded. */
const CACHE = new Map<string, SepaText>()

/**
 * `text` as a SEPA field of at most `limit` characters: Greek and Cyrillic transliterated, then
 * the SEPA character set (`toSepaText`), then cut to `limit` characters (code points, not UTF-16
 * units); every cut and every character written as `.` for want of a SEPA equivalent reported
 * in `warnings` (`field` may be a function, called only then). Never empty: a text that leaves
 * nothing is written `.` with a `replaced` warning. @internal
 */
export function sepaField(text: string, limit: number, field: string | (() => string), warnings: TextCut[], cache = true): string {
  let full = cache ? CACHE.get(text) : undefined
  if (full === undefined) {
    full = toSepa(text)
    if (cache) {
      if (CACHE.size >= 20_000) CACHE.clear()
      CACHE.set(text, full)
    }
  }
  // the SEPA set is ASCII: one UTF-16 unit per character
  if (full.text.length <= limit && full.replaced === undefined) return full.text
  const written = full.text.length <= limit ? full.text : full.text.slice(0, limit).trimEnd()
  const warning: TextCut = { field: typeof field === 'string' ? field : field(), limit, given: text, written }
  if (full.replaced !== undefined) warning.replaced = [...full.replaced]
  warnings.push(warning)
  return written
}

import { asInputError } from '@ecole/core'

/** The eight code points where ISO 8859-15 (Latin-9) differs from ISO 8859-1, and their bytes. */
const LATIN9_SPECIAL: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0xa4], // €
  [0x160, 0xa6], // Š
  [0x161, 0xa8], // š
  [0x17d, 0xb4], // Ž
  [0x17e, 0xb8], // ž
  [0x152, 0xbc], // Œ
  [0x153, 0xbd], // œ
  [0x178, 0xbe], // Ÿ
])
/** The Latin-1 bytes that Latin-9 gives to other characters (¤ ¦ ¨ ´ ¸ ¼ ½ ¾): not encodable. */
const LATIN1_REPLACED = new Set([0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe])

/**
 * Typographic characters Latin-9 lacks, and the plain ones that stand for them (a word processor's
 * or a phone's apostrophe, quotes, dashes, ellipsis, thin spaces).
 */
const TYPOGRAPHIC: ReadonlyMap<number, string> = new Map([
  [0x2018, "'"], [0x2019, "'"], [0x201a, "'"], [0x201b, "'"], [0x2032, "'"], // ‘ ’ ‚ ‛ ′
  [0x201c, '"'], [0x201d, '"'], [0x201e, '"'], [0x201f, '"'], [0x2033, '"'], // “ ” „ ‟ ″
  [0x2010, '-'], [0x2011, '-'], [0x2012, '-'], [0x2013, '-'], [0x2014, '-'], [0x2015, '-'], [0x2212, '-'], // hyphens, – — ―, minus
  [0x2026, '...'], // …
  [0x2002, ' '], [0x2003, ' '], [0x2009, ' '], [0x200a, ' '], // en, em, thin, hair spaces
  [0x202f, '\u00a0'], [0x2007, '\u00a0'], // narrow and figure no-break spaces (before ; : ! ? in French)
])

// eslint-disable-next-line no-control-regex
const BEYOND_LATIN_LETTERS = /[^\u0000-\u02ff]/

/**
 * Encodes text as ISO 8859-15 (Latin-9), the character set article A47 A-1 of the LPF names
 * for the FEC.
 *
 * The text is composed first (Unicode NFC), so a letter typed as a base and a combining accent
 * (`e` + U+0301, as macOS sends it) is written as the one Latin-9 letter (`é`). A typographic
 * character Latin-9 lacks becomes its plain equivalent: ’ ‘ → `'`, “ ” → `"`, – — → `-`,
 * … → `...`, a narrow no-break space → a no-break space. Any other character Latin-9 cannot carry
 * becomes `?` and is counted in `unmappable`.
 *
 * @example
 * encodeLatin9('Œuvre 12 €').bytes //=> Uint8Array [0xbc, 0x75, ...]
 * encodeLatin9('Ame\u0301lie l’a dit…') // bytes of "Amélie l'a dit...", unmappable 0
 * encodeLatin9('日本').unmappable //=> 2
 */
export function encodeLatin9(text: string): { bytes: Uint8Array; unmappable: number } {
  try {
    if (typeof text !== 'string') throw new TypeError('text is not a string')
    // text without any character from U+0300 on is already composed: skip the normalisation's cost
    const composed = BEYOND_LATIN_LETTERS.test(text) ? text.normalize('NFC') : text
    // one byte per UTF-16 unit is enough, but for the three of each ellipsis
    const ellipses = composed.includes('\u2026') ? composed.split('\u2026').length - 1 : 0
    const out = new Uint8Array(composed.length + 2 * ellipses)
    let n = 0
    let unmappable = 0
    for (let i = 0; i < composed.length; i++) {
      const c = composed.charCodeAt(i)
      if (c < 0x80 || (c <= 0xff && !LATIN1_REPLACED.has(c))) {
        out[n++] = c
        continue
      }
      const special = LATIN9_SPECIAL.get(c)
      if (special !== undefined) {
        out[n++] = special
        continue
      }
      const plain = TYPOGRAPHIC.get(c)
      if (plain !== undefined) {
        for (let k = 0; k < plain.length; k++) out[n++] = plain.charCodeAt(k)
        continue
      }
      // a surrogate pair is one character
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < composed.length) i++
      out[n++] = 0x3f
      unmappable++
    }
    return { bytes: out.subarray(0, n), unmappable }
  } catch (error) {
    throw asInputError(error, 'encodeLatin9', { text: [text, 'string'] })
  }
}

const LATIN9_DECODE: ReadonlyMap<number, string> = new Map([...LATIN9_SPECIAL].map(([cp, byte]) => [byte, String.fromCharCode(cp)]))

/**
 * Decodes ISO 8859-15 (Latin-9) or ISO 8859-1 (Latin-1) bytes, the character sets of the SIECLE
 * exports and the FEC (Node 20's TextDecoder is not relied on for them).
 *
 * @example
 * decodeLatin(new Uint8Array([0xbc, 0x75]), 'iso-8859-15') //=> 'Œu'
 */
export function decodeLatin(bytes: Uint8Array, charset: 'iso-8859-15' | 'iso-8859-1'): string {
  const parts: string[] = []
  let chunk = ''
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    chunk += (charset === 'iso-8859-15' ? LATIN9_DECODE.get(b) : undefined) ?? String.fromCharCode(b)
    if (chunk.length >= 8192) {
      parts.push(chunk)
      chunk = ''
    }
  }
  parts.push(chunk)
  return parts.join('')
}

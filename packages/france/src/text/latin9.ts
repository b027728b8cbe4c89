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
 * Encodes text as ISO 8859-15 (Latin-9), the character set article A47 A-1 of the LPF names
 * for the FEC. A character Latin-9 cannot carry becomes `?` and is counted.
 *
 * @example
 * encodeLatin9('Œuvre 12 €').bytes //=> Uint8Array [0xbc, 0x75, ...]
 */
export function encodeLatin9(text: string): { bytes: Uint8Array; unmappable: number } {
  try {
    const out = new Uint8Array(text.length)
    let n = 0
    let unmappable = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c < 0x80 || (c <= 0xff && !LATIN1_REPLACED.has(c))) {
        out[n++] = c
        continue
      }
      const special = LATIN9_SPECIAL.get(c)
      if (special !== undefined) {
        out[n++] = special
        continue
      }
      // a surrogate pair is one character
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) i++
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

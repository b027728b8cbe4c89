/**
 * Windows-1252 differs from ISO-8859-1 only in bytes 0x80..0x9F (the euro sign, curly quotes,
 * dashes, Š, Ž, Œ...). Node 20's `TextDecoder('windows-1252')` decodes those as ISO-8859-1 (the
 * euro sign is lost), and iconv-lite costs 490 KB in a bundle: this is the WHATWG table
 * (encoding.spec.whatwg.org, index-windows-1252) for those 32 bytes.
 */
const HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
]

/**
 * Decodes Windows-1252 bytes (every byte is a character). @internal
 *
 * @example
 * decodeWindows1252(new Uint8Array([0x80, 0xe9])) //=> '€é'
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192)
    const codes = new Array<number>(chunk.length)
    for (let j = 0; j < chunk.length; j++) {
      const b = chunk[j]!
      codes[j] = b >= 0x80 && b <= 0x9f ? HIGH[b - 0x80]! : b
    }
    out += String.fromCharCode(...codes)
  }
  return out
}

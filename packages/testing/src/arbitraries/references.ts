import fc from 'fast-check'
import type { ReferenceSpaceInput } from '@ecole/core'
import { inputCheckedArb } from '../input-errors'

// The valid references below are built with BigInt arithmetic written here, independently of
// @ecole/core's own generators, so that core's property tests check one against the other.

function digitString(length: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...'0123456789'), { minLength: length, maxLength: length }).map((a) => a.join(''))
}

function numeric(alnum: string): bigint {
  return BigInt([...alnum].map((c) => (c >= 'A' && c <= 'Z' ? String(c.charCodeAt(0) - 55) : c)).join('') || '0')
}

/**
 * Ten-digit OGM bases (strings, leading zeros kept).
 *
 * @example
 * fc.sample(ogmBaseArb(), 1)[0]!.length //=> 10
 */
export function ogmBaseArb(): fc.Arbitrary<string> {
  return digitString(10)
}

/**
 * Valid Belgian structured communications as twelve digits (base + base mod 97, 0 written 97).
 *
 * @example
 * fc.sample(ogmDigitsArb(), 1)[0]!.length //=> 12
 */
export function ogmDigitsArb(): fc.Arbitrary<string> {
  return ogmBaseArb().map((base) => {
    const r = Number(BigInt(base) % 97n)
    return base + String(r === 0 ? 97 : r).padStart(2, '0')
  })
}

/**
 * Valid structured communications in one of the spellings people and banks use: `+++ddd/dddd/ddddd+++`,
 * `***...***`, bare twelve digits, slashes without delimiters, or 3-4-5 groups separated by spaces.
 *
 * @example
 * fc.sample(ogmSpellingArb(), 1)[0] //=> e.g. '***123/4567/89002***'
 */
export function ogmSpellingArb(): fc.Arbitrary<{ digits: string; text: string }> {
  return fc.tuple(ogmDigitsArb(), fc.integer({ min: 0, max: 4 })).map(([d, style]) => {
    const [a, b, c] = [d.slice(0, 3), d.slice(3, 7), d.slice(7)]
    const text = [`+++${a}/${b}/${c}+++`, `***${a}/${b}/${c}***`, d, `${a}/${b}/${c}`, `${a} ${b} ${c}`][style]!
    return { digits: d, text }
  })
}

/**
 * ISO 11649 RF reference bodies: 1 to 21 upper-case letters or digits (numeric only when `numeric` is set).
 *
 * @example
 * fc.sample(rfBodyArb(), 1)[0]!.length <= 21 //=> true
 */
export function rfBodyArb(options: { numeric?: boolean; maxLength?: number } = {}): fc.Arbitrary<string> {
  return inputCheckedArb('rfBodyArb', { options: [options, 'object?', 'the options ({ numeric?, maxLength? })'] }, () => {
    const chars = options.numeric ? '0123456789' : '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
    return fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: options.maxLength ?? 21 }).map((a) => a.join(''))
  })
}

/**
 * Valid RF references in electronic form (`RF` + check digits + body).
 *
 * @example
 * fc.sample(rfArb(), 1)[0]!.startsWith('RF') //=> true
 */
export function rfArb(options: { numeric?: boolean; maxLength?: number } = {}): fc.Arbitrary<string> {
  return inputCheckedArb('rfArb', { options: [options, 'object?', 'the options ({ numeric?, maxLength? })'] }, () => {
    return rfBodyArb(options).map((body) => {
      const check = 98n - ((numeric(body) * 1_000_000n + 271_500n) % 97n)
      return `RF${String(check).padStart(2, '0')}${body}`
    })
  })
}

/**
 * Two-digit pagoPA segregation codes.
 *
 * @example
 * fc.sample(segregationCodeArb(), 1)[0]!.length //=> 2
 */
export function segregationCodeArb(): fc.Arbitrary<string> {
  return digitString(2)
}

/**
 * Valid pagoPA notice numbers of any aux digit (0 to 3), each with the parts it is made of.
 *
 * @example
 * fc.sample(pagoPaNoticeArb(), 1)[0]!.notice.length //=> 18
 */
export function pagoPaNoticeArb(): fc.Arbitrary<{ auxDigit: 0 | 1 | 2 | 3; notice: string; code?: string; iuvBase: string; iuv: string }> {
  const check = (head: string): string => String(BigInt(head) % 93n).padStart(2, '0')
  return fc.oneof(
    fc.tuple(digitString(2), digitString(13)).map(([code, base]) => {
      const c = check(`0${code}${base}`)
      return { auxDigit: 0 as const, notice: `0${code}${base}${c}`, code, iuvBase: base, iuv: `${base}${c}` }
    }),
    digitString(17).map((base) => ({ auxDigit: 1 as const, notice: `1${base}`, iuvBase: base, iuv: base })),
    digitString(15).map((base) => {
      const c = check(`2${base}`)
      return { auxDigit: 2 as const, notice: `2${base}${c}`, iuvBase: base, iuv: `${base}${c}` }
    }),
    fc.tuple(digitString(2), digitString(13)).map(([code, base]) => {
      const c = check(`3${code}${base}`)
      return { auxDigit: 3 as const, notice: `3${code}${base}${c}`, code, iuvBase: base, iuv: `${code}${base}${c}` }
    }),
  )
}

/**
 * Valid SEPA creditor identifiers of random countries, business codes and national ids.
 *
 * @example
 * fc.sample(creditorIdArb(), 1)[0]!.length <= 35 //=> true
 */
export function creditorIdArb(): fc.Arbitrary<string> {
  const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ')
  const alnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')
  return fc
    .tuple(
      fc.array(upper, { minLength: 2, maxLength: 2 }).map((a) => a.join('')),
      fc.array(alnum, { minLength: 3, maxLength: 3 }).map((a) => a.join('')),
      fc.array(alnum, { minLength: 1, maxLength: 28 }).map((a) => a.join('')),
    )
    .map(([country, business, national]) => {
      const check = 98n - ((numeric(`${national}${country}`) * 100n) % 97n)
      return `${country}${String(check).padStart(2, '0')}${business}${national}`
    })
}

/**
 * Valid French UAI codes (7 digits + check letter).
 *
 * @example
 * fc.sample(uaiArb(), 1)[0]!.length //=> 8
 */
export function uaiArb(): fc.Arbitrary<string> {
  return digitString(7).map((d) => d + 'ABCDEFGHJKLMNPRSTUVWXYZ'[Number(d) % 23])
}

/**
 * Valid SEPA mandate references (RUM): 1-35 characters of the SEPA set, no leading or trailing
 * slash or space, no double slash.
 *
 * @example
 * fc.sample(mandateReferenceArb(), 1)[0]!.length <= 35 //=> true
 */
export function mandateReferenceArb(): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-?:().,'+ ")), { minLength: 1, maxLength: 35 })
    .map((a) => a.join(''))
    .filter((s) => !s.startsWith('/') && !s.endsWith('/') && !s.includes('//') && !s.startsWith(' ') && !s.endsWith(' '))
}

/**
 * Free text as a bank statement's unstructured remittance line or a parent's message may hold
 * it: letters (some accented), digits, spaces and punctuation.
 *
 * @example
 * typeof fc.sample(remittanceTextArb(), 1)[0] //=> 'string'
 */
export function remittanceTextArb(maxLength = 60): fc.Arbitrary<string> {
  return inputCheckedArb('remittanceTextArb', { maxLength: [maxLength, 'number?', 'the longest text'] }, () => {
    return fc
      .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèàçü0123456789 ,.:;/-+*()\'"€&'), { maxLength })
      .map((a) => a.join(''))
  })
}

/**
 * Numbering spaces for the reference allocator, of every scheme.
 *
 * @example
 * fc.sample(referenceSpaceArb(), 1)[0]!.scheme //=> 'ogm' (for instance)
 */
export function referenceSpaceArb(): fc.Arbitrary<ReferenceSpaceInput> {
  return fc.oneof(
    digitString(3).map((siteCode) => ({ scheme: 'ogm' as const, siteCode })),
    fc.tuple(digitString(4), fc.integer({ min: 1, max: 16 })).map(([siteCode, sequenceDigits]) => ({ scheme: 'rf' as const, siteCode, sequenceDigits })),
    fc.tuple(digitString(3), segregationCodeArb()).map(([siteCode, segregationCode]) => ({ scheme: 'pagoPa' as const, siteCode, segregationCode })),
  )
}

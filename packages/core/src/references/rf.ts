import { describeValue } from '../describe-value'
/**
 * ISO 11649 structured creditor reference ("RF reference"): `RF`, two check digits and 1 to 21
 * letters or digits, e.g. `RF18 5390 0754 7034`. Import it as the `rf` namespace of `@ecole/core`.
 *
 * @module
 */
import { EcoleError } from '../errors'
import { mod97Alnum, mod97CheckAlnum } from './mod97'

const BODY = /^[A-Z0-9]{1,21}$/
/** What may separate the groups of a print-form reference inside a text: one space, tab, no-break space, dash, slash or dot. */
const GROUP_GAP = new Set([' ', '\t', '\u00a0', '-', '/', '.'])

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}
const ELECTRONIC = /^RF(\d{2})([A-Z0-9]{1,21})$/

function compact(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase()
}

/**
 * The electronic form of the RF reference built on `reference` (1 to 21 letters or digits; spaces
 * are dropped and letters upper-cased).
 *
 * Check digits = 98 − ((reference + "RF00", letters as A=10..Z=35) mod 97), on two digits.
 *
 * @example
 * rf.generate('539007547034') //=> 'RF18539007547034'
 * rf.generate('inv 2026 42') //=> 'RF47INV202642'
 * @throws EcoleError `INVALID_INPUT` when the reference is empty, longer than 21 characters or
 * holds anything but letters and digits.
 */
export function generate(reference: string): string {
  const body = typeof reference === 'string' ? compact(reference) : ''
  if (!BODY.test(body)) {
    throw new EcoleError('INVALID_INPUT', `rf reference: must be 1 to 21 letters (A-Z) or digits, got ${describeValue(reference)}`, {
      details: { field: 'reference', value: reference },
    })
  }
  return `RF${mod97CheckAlnum(`${body}RF`)}${body}`
}

function electronicOf(input: string): string | undefined {
  if (typeof input !== 'string') return undefined
  return checkCompact(compact(input))
}

/** `s` when it is a valid electronic-form reference (already upper case, no spaces). */
function checkCompact(s: string): string | undefined {
  const m = ELECTRONIC.exec(s)
  if (!m) return undefined
  const check = Number(m[1])
  if (check < 2 || check > 98) return undefined
  return mod97Alnum(`${m[2]}RF${m[1]}`) === 1 ? s : undefined
}

/**
 * Whether `input` is a valid RF reference: `RF` + check digits (02..98) + 1-21 letters/digits,
 * with (reference + "RF" + check digits) mod 97 = 1. Spaces and lower case are accepted.
 *
 * @example
 * rf.isValid('RF18 5390 0754 7034') //=> true
 * rf.isValid('rf18539007547034') //=> true
 * rf.isValid('RF19 5390 0754 7034') //=> false
 */
export function isValid(input: string): boolean {
  return electronicOf(input) !== undefined
}

/**
 * The electronic form (upper case, no spaces) of a valid RF reference, as bank files carry it
 * (`CdtrRefInf/Ref` with issuer `ISO`).
 *
 * @example
 * rf.normalize('rf18 5390 0754 7034') //=> 'RF18539007547034'
 * @throws EcoleError `INVALID_RF` when the input is not a valid RF reference.
 */
export function normalize(input: string): string {
  const s = electronicOf(input)
  if (s === undefined) {
    throw new EcoleError('INVALID_RF', `not a valid ISO 11649 RF reference (RF + 2 check digits + 1-21 letters/digits, mod 97 = 1): ${describeValue(input)}`, {
      details: { value: input },
    })
  }
  return s
}

/**
 * The print form of a valid RF reference: upper case, in groups of four separated by one space
 * (the last group may be shorter).
 *
 * @example
 * rf.format('RF18539007547034') //=> 'RF18 5390 0754 7034'
 * rf.format('rf18 5390 0754 7034') //=> 'RF18 5390 0754 7034'
 * @throws EcoleError `INVALID_RF` when the input is not a valid RF reference.
 */
export function format(input: string): string {
  return normalize(input).replace(/(.{4})(?=.)/g, '$1 ')
}

/**
 * The valid RF references found in free text, in electronic form, in order of appearance,
 * without duplicates.
 *
 * A candidate starts with `RF` (any case) and two digits, not glued to a preceding letter or
 * digit (one space, dash, slash or dot may stand between `RF` and the digits: `RF 18 …`), and
 * goes on with letters and digits, possibly in groups separated by a single space (the print
 * form), dash, slash or dot. The longest run of whole groups that gives a valid reference wins,
 * so words that follow the reference ("RF18 5390 0754 7034 merci") are not swallowed.
 *
 * @example
 * rf.findIn('Paiement RF18 5390 0754 7034 merci') //=> ['RF18539007547034']
 * rf.findIn('ref:rf18539007547034.') //=> ['RF18539007547034']
 * rf.findIn('virement RF 18 5390-0754-7034') //=> ['RF18539007547034']
 * rf.findIn('RF00 nothing') //=> []
 */
export function findIn(text: string): string[] {
  if (typeof text !== 'string') return []
  const found: string[] = []
  const start = /(?<![A-Za-z0-9])[Rr][Ff][ \t\u00a0\-/.]?(\d{2})/g
  let m: RegExpExecArray | null
  while ((m = start.exec(text)) !== null) {
    // groups: the rest of the first token (electronic form), then tokens after single spaces
    const candidates: string[] = []
    let body = ''
    let i = m.index + m[0].length
    for (;;) {
      let j = i
      while (j < text.length && isAlnum(text.charCodeAt(j))) j++
      body += text.slice(i, j).toUpperCase()
      if (body.length > 21) break
      if (j > i) candidates.push(body)
      if (j + 1 < text.length && GROUP_GAP.has(text[j]!) && isAlnum(text.charCodeAt(j + 1))) i = j + 1
      else break
    }
    let best: string | undefined
    for (let k = candidates.length - 1; k >= 0 && best === undefined; k--) {
      best = checkCompact(`RF${m[1]}${candidates[k]}`)
    }
    if (best !== undefined && !found.includes(best)) found.push(best)
  }
  return found
}

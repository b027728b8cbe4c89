import { describeValue } from '../describe-value'
/**
 * Belgian structured communication (OGM, "gestructureerde mededeling" / VCS): ten digits and two
 * check digits, printed `+++123/4567/89002+++`. Import it as the `ogm` namespace of `@ecole/core`.
 *
 * @module
 */
import { EcoleError } from '../errors'
import { mod97 } from './mod97'

/** The whole input is one OGM: optional `+`/`*` delimiters, 3-4-5 digits with optional slashes. */
const WHOLE = /^(?:[+*]{1,3})?(\d{3})\/?(\d{4})\/?(\d{5})(?:[+*]{1,3})?$/

/**
 * An OGM inside free text: 3-4-5 digits, each gap being nothing, a slash, a dot or a dash with
 * optional white space around it, or white space alone; never glued to other digits.
 */
const IN_TEXT = /(?<!\d)(\d{3})(?:\s*[/.-]\s*|\s*)(\d{4})(?:\s*[/.-]\s*|\s*)(\d{5})(?!\d)/g
/** A communication between `+++` or `***` whose first group lost its leading zeros (`+++42/1000/01735+++`): a spreadsheet read it as a number. */
const DELIMITED_SHORT = /(?:\+{3}|\*{3})\s*(\d{1,2})\s*[/.-]?\s*(\d{4})\s*[/.-]?\s*(\d{5})\s*(?:\+{3}|\*{3})/g
/** A field holding nothing but 10 or 11 digits: a structured communication whose leading zeros were dropped. */
const ALONE_SHORT = /^\s*(\d{10,11})\s*$/

/**
 * The two check digits of a ten-digit base: `base mod 97`, with 0 written 97.
 *
 * @example
 * ogm.checkDigits('1234567890') //=> '02'
 * ogm.checkDigits('0000000000') //=> '97'
 * @throws EcoleError `INVALID_INPUT` when `base` is not exactly ten digits.
 */
export function checkDigits(base: string): string {
  if (typeof base !== 'string' || !/^\d{10}$/.test(base)) {
    throw new EcoleError('INVALID_INPUT', `ogm base: must be exactly 10 digits (leading zeros kept, as a string), got ${describeValue(base)}`, {
      details: { field: 'base', value: base },
    })
  }
  const r = mod97(base)
  return String(r === 0 ? 97 : r).padStart(2, '0')
}

/**
 * The structured communication of a ten-digit base, in its printed form `+++ddd/dddd/ddddd+++`.
 *
 * The check digits are the base modulo 97, 97 when that is 0. Keep the base as a string: its
 * leading zeros are part of it.
 *
 * @example
 * ogm.generate('1234567890') //=> '+++123/4567/89002+++'
 * ogm.generate('0000000000') //=> '+++000/0000/00097+++'
 * @throws EcoleError `INVALID_INPUT` when `base` is not exactly ten digits.
 */
export function generate(base: string): string {
  return format12(base + checkDigits(base))
}

function format12(d: string): string {
  return `+++${d.slice(0, 3)}/${d.slice(3, 7)}/${d.slice(7)}+++`
}

function digitsOf(input: string): string | undefined {
  if (typeof input !== 'string') return undefined
  const m = WHOLE.exec(input.replace(/\s+/g, ''))
  if (!m) return undefined
  const d = `${m[1]}${m[2]}${m[3]}`
  return hasValidCheck(d) ? d : undefined
}

function hasValidCheck(twelve: string): boolean {
  const r = mod97(twelve.slice(0, 10))
  return Number(twelve.slice(10)) === (r === 0 ? 97 : r)
}

/**
 * Whether `input` is a structured communication with correct check digits.
 *
 * Tolerant of what people type and banks print: white space anywhere, `+++` or `***` delimiters
 * (or none), slashes present or missing (only between the 3-4-5 digit groups).
 *
 * @example
 * ogm.isValid('+++123/4567/89002+++') //=> true
 * ogm.isValid('***123/4567/89002***') //=> true
 * ogm.isValid(' 123 4567 89002 ') //=> true
 * ogm.isValid('123456789002') //=> true
 * ogm.isValid('+++123/4567/89003+++') //=> false
 */
export function isValid(input: string): boolean {
  return digitsOf(input) !== undefined
}

/**
 * The twelve digits of a structured communication (the form bank files carry, e.g. CODA and
 * `CdtrRefInf/Ref` with issuer `BBA`).
 *
 * @example
 * ogm.normalize('+++123/4567/89002+++') //=> '123456789002'
 * ogm.normalize('***000/0000/00097***') //=> '000000000097'
 * @throws EcoleError `INVALID_OGM` when the input is not a valid structured communication.
 */
export function normalize(input: string): string {
  const d = digitsOf(input)
  if (d === undefined) {
    throw new EcoleError('INVALID_OGM', `not a valid Belgian structured communication (12 digits, last two = first ten mod 97): ${describeValue(input)}`, {
      details: { value: input },
    })
  }
  return d
}

/**
 * The printed form `+++ddd/dddd/ddddd+++` of any accepted spelling of a structured communication.
 *
 * @example
 * ogm.format('123456789002') //=> '+++123/4567/89002+++'
 * ogm.format('*** 123 4567 89002 ***') //=> '+++123/4567/89002+++'
 * @throws EcoleError `INVALID_OGM` when the input is not a valid structured communication.
 */
export function format(input: string): string {
  return format12(normalize(input))
}

/**
 * The valid structured communications found in free text (a bank's unstructured remittance
 * line, a transfer message typed by a parent), as twelve digits each, in order of appearance,
 * without duplicates.
 *
 * A candidate is 3, 4 and 5 digits, separated by nothing, slashes, dots, dashes or spaces, with
 * or without `+++`/`***` around, not glued to other digits; only candidates whose check digits
 * are right are returned (a random twelve-digit number passes with probability 1/97, so a match
 * found this way is a lead for reconciliation, not a proof). A communication whose leading zeros
 * were dropped (a spreadsheet read it as a number) is found where nothing else can be meant:
 * between `+++` or `***` (`+++42/1000/01735+++`), or as a text of 10 or 11 digits alone.
 *
 * @example
 * ogm.findIn('Facture 202303 +++123/4567/89002+++ merci') //=> ['123456789002']
 * ogm.findIn('COMMUNICATION: 123 4567 89002') //=> ['123456789002']
 * ogm.findIn('+++12/3456/78939+++') //=> ['012345678939']
 * ogm.findIn('no reference here') //=> []
 */
export function findIn(text: string): string[] {
  if (typeof text !== 'string') return []
  const found: string[] = []
  const re = new RegExp(IN_TEXT.source, 'g')
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) {
    const d = `${m[1]}${m[2]}${m[3]}`
    if (hasValidCheck(d)) {
      if (!found.includes(d)) found.push(d)
    } else {
      // a wrong candidate may hide a right one starting inside it
      re.lastIndex = m.index + 1
    }
  }
  // leading zeros dropped: only where nothing else can be meant (between +++ or ***, or a field of digits alone)
  for (const short of [...text.matchAll(DELIMITED_SHORT)].map((x) => `${x[1]}${x[2]}${x[3]}`).concat(ALONE_SHORT.exec(text)?.[1] ?? [])) {
    const d = short.padStart(12, '0')
    if (hasValidCheck(d) && !found.includes(d)) found.push(d)
  }
  return found
}

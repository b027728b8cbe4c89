import { entityFiscalCode } from '@ecole/core'
import * as z from 'zod'

// An entity's fiscal code (11 digits) is checked by @ecole/core's `entityFiscalCode`, the one
// implementation @ecole/pdf uses too for the creditor of a pagoPA invoice.
export { EntityFiscalCodeSchema } from '@ecole/core'

/** Values of a character in an odd position (1st, 3rd... 15th) of a personal fiscal code: the Agenzia's table, digits as A-J. */
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]

/** A digit 0-9, or a letter A-Z, as 0-25 (digits share the values of A-J in both tables). */
function index(char: string): number {
  const c = char.charCodeAt(0)
  return c <= 57 ? c - 48 : c - 65
}

/**
 * The check letter of a personal fiscal code (codice fiscale di persona fisica), from its first 15
 * characters (capitals and digits, omocodia letters included as written), by the official tables of
 * the Ministero delle Finanze (DM 23 December 1976): each character in an odd position (1st, 3rd...
 * 15th) counts by the odd table (0/A=1, 1/B=0, 2/C=5, 3/D=7, ... Z=23), each in an even position by
 * its rank (0/A=0, 1/B=1, ... Z=25); the check letter is the sum modulo 26 as a letter (0 = A).
 *
 * @example
 * personalFiscalCodeCheckLetter('RSSMRA80A01H501') //=> 'U'
 * @throws RangeError when `first15` is not 15 capitals or digits (callers check the form first).
 */
export function personalFiscalCodeCheckLetter(first15: string): string {
  if (!/^[A-Z0-9]{15}$/.test(first15)) throw new RangeError('personalFiscalCodeCheckLetter: needs the first 15 characters, capitals or digits')
  let sum = 0
  for (let i = 0; i < 15; i++) {
    const v = index(first15[i]!)
    sum += i % 2 === 0 ? ODD_VALUES[v]! : v
  }
  return String.fromCharCode(65 + (sum % 26))
}

/** The letters of the months, January to December. */
const MONTHS = 'ABCDEHLMPRST'
/** The omocodia letters standing for 0-9 in the numeric positions. */
const OMOCODIA = 'LMNPQRSTUV'
/** A numeric position of a personal code: a digit or its omocodia letter. */
const NUMERIC = /^[0-9LMNPQRSTUV]$/

/** The digit an omocodia letter stands for, or the digit itself. */
function digitOf(char: string): number {
  const o = OMOCODIA.indexOf(char)
  return o >= 0 ? o : char.charCodeAt(0) - 48
}

/** The month names, January to December, for the refusals. */
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
/** The days of each month, January to December; February with its 29th (see {@link personalFiscalCodeProblem}). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * Why the day of birth (characters 10-11, omocodia letters decoded) is no day of the month of
 * birth (character 9) in the year (characters 7-8), or `undefined`. The form of those characters
 * is checked first.
 */
function birthDateProblem(code: string): string | undefined {
  const written = code.slice(9, 11)
  const dd = `${digitOf(code[9]!)}${digitOf(code[10]!)}`
  const got = `got ${dd}${dd === written ? '' : ` (written ${written})`}`
  const value = Number(dd)
  if (!((value >= 1 && value <= 31) || (value >= 41 && value <= 71))) {
    return `characters 10-11 (day of birth) must be 01-31, or 41-71 for a woman, ${got}`
  }
  const month = MONTHS.indexOf(code[8]!)
  const day = value > 40 ? value - 40 : value
  const last = MONTH_DAYS[month]!
  if (day > last) {
    return `characters 10-11 (day of birth) must be a day of ${MONTH_NAMES[month]} (character 9 is ${code[8]}): 01-${last}, or 41-${40 + last} for a woman, ${got}`
  }
  const yy = `${digitOf(code[6]!)}${digitOf(code[7]!)}`
  if (month === 1 && day === 29 && Number(yy) % 4 !== 0) {
    const year = yy === code.slice(6, 8) ? yy : `${yy} (written ${code.slice(6, 8)})`
    return `characters 10-11 (day of birth) cannot be 29 February in a year ending in ${year} (characters 7-8), never a leap year in any century: 01-28, or 41-68 for a woman, ${got}`
  }
  return undefined
}

/**
 * Why `code` is not an entity's fiscal code (11 digits with a valid check digit), in words, or
 * `undefined` when it is one. `00000000000` passes the check but is nobody's code (a
 * placeholder): it is refused. `code` is taken as given (trim it first). The check is
 * `entityFiscalCode.problem` of `@ecole/core`, which `@ecole/pdf` uses for the creditor of a
 * pagoPA invoice too.
 *
 * @example
 * entityFiscalCodeProblem('02438750586') //=> undefined
 * entityFiscalCodeProblem('02438750587') //=> 'has a wrong check digit: the 11th digit must be 6, not 7 (the codice fiscale / partita IVA check of the first 10)'
 */
export function entityFiscalCodeProblem(code: string): string | undefined {
  return entityFiscalCode.problem(code)
}

/**
 * Why `code` is not a personal fiscal code (16 characters), in words, or `undefined` when it is
 * one. The form: 6 letters (surname, name); the year (2 digits); the month letter (A B C D E H L M P
 * R S T for January to December); the day (2 digits: the day of birth, plus 40 for a woman); the
 * municipality or country of birth (a letter and 3 digits); the check letter. In the 7 numeric
 * positions a digit may be written as its omocodia letter (0-9 → L M N P Q R S T U V), as the
 * Agenzia does to tell apart people whose data give the same code; the check letter is computed on
 * the characters as written, the date is read with the letters decoded.
 *
 * The day must exist in the month: 01-31 in January, 01-30 in April, 01-29 in February (41-71,
 * 41-70, 41-69 for a woman), so 31 February, 31 April, day 00, 32-40 and above 71 are refused.
 * The code gives only the last two digits of the year, not the century, so 29 February is accepted
 * whenever some century makes that year a leap year: for a year ending in a multiple of 4 (00
 * included: 2000 was a leap year, though 1900 was not). A year ending in any other two digits is
 * never a leap year, in any century, and 29 February in it is refused.
 *
 * `code` is taken as given (trim and capitalise it first).
 *
 * @example
 * personalFiscalCodeProblem('RSSMRA80A01H501U') //=> undefined
 * personalFiscalCodeProblem('RSSMRA80A01H501X') //=> 'has a wrong check letter: the 16th character must be U, not X (codice fiscale check)'
 * personalFiscalCodeProblem('RSSMRA80B31H501W') //=> 'characters 10-11 (day of birth) must be a day of February (character 9 is B): 01-29, or 41-69 for a woman, got 31'
 */
export function personalFiscalCodeProblem(code: string): string | undefined {
  if (typeof code !== 'string') return `must be a fiscal code written as text (a string), got ${code === null ? 'null' : Array.isArray(code) ? 'an array' : typeof code}`
  if (!/^[A-Z0-9]{16}$/.test(code)) return 'must be a personal fiscal code of 16 letters and digits'
  if (!/^[A-Z]{6}$/.test(code.slice(0, 6))) return `characters 1-6 (surname and name) must be letters, got ${code.slice(0, 6)}`
  const numeric = (i: number, what: string) => (NUMERIC.test(code[i]!) ? undefined : `character ${i + 1} (${what}) must be a digit or its omocodia letter (L M N P Q R S T U V for 0-9), got ${code[i]}`)
  const year = numeric(6, 'year of birth') ?? numeric(7, 'year of birth')
  if (year !== undefined) return year
  if (!MONTHS.includes(code[8]!)) return `character 9 (month of birth) must be one of A B C D E H L M P R S T, got ${code[8]}`
  const dayForm = numeric(9, 'day of birth') ?? numeric(10, 'day of birth')
  if (dayForm !== undefined) return dayForm
  const date = birthDateProblem(code)
  if (date !== undefined) return date
  if (!/^[A-Z]$/.test(code[11]!)) return `character 12 (municipality of birth) must be a letter, got ${code[11]}`
  const place = numeric(12, 'municipality of birth') ?? numeric(13, 'municipality of birth') ?? numeric(14, 'municipality of birth')
  if (place !== undefined) return place
  const expected = personalFiscalCodeCheckLetter(code.slice(0, 15))
  if (code[15] !== expected) return `has a wrong check letter: the 16th character must be ${expected}, not ${code[15]} (codice fiscale check)`
  return undefined
}

/**
 * Why `code` is neither a personal fiscal code (16 characters) nor an entity's (11 digits), or
 * `undefined` when it is one of them: the debtor of a pagoPA payment may be a person or a body.
 *
 * @example
 * fiscalCodeProblem('RSSMRA80A01H501U') //=> undefined
 * fiscalCodeProblem('06363391001') //=> undefined
 * fiscalCodeProblem('AAAAAAAAAAAAAAAA') //=> 'character 7 (year of birth) must be a digit or its omocodia letter (L M N P Q R S T U V for 0-9), got A'
 */
export function fiscalCodeProblem(code: string): string | undefined {
  if (typeof code !== 'string') return `must be a fiscal code written as text (a string), got ${code === null ? 'null' : Array.isArray(code) ? 'an array' : typeof code}`
  if (/^\d{11}$/.test(code)) return entityFiscalCodeProblem(code)
  if (code.length === 16) return personalFiscalCodeProblem(code)
  return 'must be a fiscal code: 16 characters for a person, or 11 digits for an entity (codice fiscale / partita IVA)'
}

/**
 * A fiscal code of a person (16 characters, see {@link personalFiscalCodeProblem}) or of an entity
 * (11 digits, see {@link entityFiscalCodeProblem}), check character included. Spaces around are
 * dropped and letters capitalised. The refusal names the rule broken and, for a wrong check
 * character, the expected one.
 *
 * @example
 * FiscalCodeSchema.parse('rssmra80a01h501u') //=> 'RSSMRA80A01H501U'
 * FiscalCodeSchema.safeParse('AAAAAAAAAAAAAAAA').success //=> false
 */
export const FiscalCodeSchema = z.string().trim().toUpperCase().superRefine((code, ctx) => {
  const problem = fiscalCodeProblem(code)
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: code })
})

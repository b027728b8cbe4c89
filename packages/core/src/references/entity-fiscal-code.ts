import { describeValue } from '../describe-value'
/**
 * Italian fiscal code of an entity (codice fiscale of a body, or partita IVA): 11 digits whose
 * last is a check digit of the first 10. The creditor of a pagoPA payment is named by it, so a
 * wrong digit makes the notice unpayable. Import it as the `entityFiscalCode` namespace of
 * `@ecole/core`; `@ecole/italy` and `@ecole/pdf` both check with it.
 *
 * @module
 */
import { EcoleError } from '../errors'

/**
 * The check digit of an entity's fiscal code from its first 10 digits, by the Agenzia delle
 * Entrate's rule: add the digits in odd positions (1st, 3rd... 9th); double each digit in an even
 * position (2nd... 10th), taking 9 off a result above 9, and add those; the check digit is
 * (10 − sum mod 10) mod 10.
 *
 * @example
 * entityFiscalCode.checkDigit('0636339100') //=> '1' (the Agenzia delle Entrate's own partita IVA, 06363391001)
 * entityFiscalCode.checkDigit('0243875058') //=> '6' (Roma Capitale, 02438750586)
 * @throws EcoleError `INVALID_INPUT` when `first10` is not exactly 10 digits.
 */
export function checkDigit(first10: string): string {
  if (typeof first10 !== 'string' || !/^\d{10}$/.test(first10)) {
    throw new EcoleError('INVALID_INPUT', `entityFiscalCode first10: must be exactly 10 digits, got ${describeValue(first10)}`, { details: { field: 'first10', value: first10 } })
  }
  let sum = 0
  for (let i = 0; i < 10; i++) {
    let d = first10.charCodeAt(i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return String((10 - (sum % 10)) % 10)
}

/**
 * Why `code` is not an entity's fiscal code (11 digits, the last the check digit of the first 10,
 * see `entityFiscalCode.checkDigit`), in words, or `undefined` when it is one. `00000000000`
 * passes the check but is nobody's code (a placeholder): it is refused. `code` is taken as given
 * (trim it first); a value that is not a string gets a problem too, never an exception.
 *
 * @example
 * entityFiscalCode.problem('02438750586') //=> undefined
 * entityFiscalCode.problem('02438750587') //=> 'has a wrong check digit: the 11th digit must be 6, not 7 (the codice fiscale / partita IVA check of the first 10)'
 * entityFiscalCode.problem('2438750586') //=> 'must be the 11-digit fiscal code of an entity (codice fiscale / partita IVA)'
 */
export function problem(code: string): string | undefined {
  if (typeof code !== 'string') return `must be a fiscal code written as text (a string), got ${code === null ? 'null' : Array.isArray(code) ? 'an array' : typeof code}`
  if (!/^\d{11}$/.test(code)) return 'must be the 11-digit fiscal code of an entity (codice fiscale / partita IVA)'
  if (code === '00000000000') return 'must be a real fiscal code, not 00000000000'
  const expected = checkDigit(code.slice(0, 10))
  if (code[10] !== expected) return `has a wrong check digit: the 11th digit must be ${expected}, not ${code[10]} (the codice fiscale / partita IVA check of the first 10)`
  return undefined
}

/**
 * Whether `input` is an entity's fiscal code with the right check digit (spaces around
 * accepted), the placeholder `00000000000` excluded.
 *
 * @example
 * entityFiscalCode.isValid('06363391001') //=> true
 * entityFiscalCode.isValid(' 02438750586 ') //=> true
 * entityFiscalCode.isValid('02438750587') //=> false
 */
export function isValid(input: string): boolean {
  return typeof input === 'string' && problem(input.trim()) === undefined
}

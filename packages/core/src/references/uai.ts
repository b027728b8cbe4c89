import { describeValue } from '../describe-value'
/**
 * French establishment code UAI (ex-RNE): 7 digits (3-digit département, 620/720 for Corsica
 * 2A/2B, then a serial) and a check letter. Import it as the `uai` namespace of `@ecole/core`.
 *
 * @module
 */
import { EcoleError } from '../errors'

/** The 23 check letters (no I, O or Q), indexed by the first seven digits modulo 23. */
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ'

/**
 * The check letter of the first seven digits of a UAI: `LETTERS[int(digits) % 23]` with
 * LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ'.
 *
 * @example
 * uai.checkLetter('0751234') //=> 'J'
 * @throws EcoleError `INVALID_INPUT` when `digits` is not exactly seven digits.
 */
export function checkLetter(digits: string): string {
  if (typeof digits !== 'string' || !/^\d{7}$/.test(digits)) {
    throw new EcoleError('INVALID_INPUT', `uai digits: must be exactly 7 digits, got ${describeValue(digits)}`, { details: { field: 'digits', value: digits } })
  }
  return LETTERS[Number(digits) % 23]!
}

/**
 * Whether `input` is a UAI with the right check letter (surrounding spaces and a lower-case
 * letter accepted).
 *
 * Rule as published in open-source French administration code (mission-apprentissage, citing
 * blog.juliendelmas.fr on the RNE code).
 *
 * @example
 * uai.isValid('0751234J') //=> true
 * uai.isValid('0751234j') //=> true
 * uai.isValid('0010856B') //=> false
 */
export function isValid(input: string): boolean {
  if (typeof input !== 'string') return false
  const s = input.trim().toUpperCase()
  const m = /^(\d{7})([A-Z])$/.exec(s)
  return m !== null && checkLetter(m[1]!) === m[2]
}

/**
 * The UAI in upper case without surrounding spaces.
 *
 * @example
 * uai.normalize(' 0751234j ') //=> '0751234J'
 * @throws EcoleError `INVALID_UAI` when the input is not a valid UAI.
 */
export function normalize(input: string): string {
  if (!isValid(input)) {
    throw new EcoleError('INVALID_UAI', `not a valid UAI (7 digits + check letter ABCDEFGHJKLMNPRSTUVWXYZ[digits mod 23]): ${describeValue(input)}`, {
      details: { value: input },
    })
  }
  return input.trim().toUpperCase()
}

import { describeValue } from '../describe-value'
/**
 * SEPA direct-debit mandate reference (RUM, "référence unique du mandat"; `MndtId` in pain.008).
 * Import it as the `mandateReference` namespace of `@ecole/core`.
 *
 * @module
 */
import { EcoleError } from '../errors'

/** Why a mandate reference is refused. */
export type MandateReferenceProblemCode =
  | 'EMPTY' | 'BLANK' | 'TOO_LONG' | 'INVALID_CHARACTERS' | 'LEADING_SPACE' | 'TRAILING_SPACE' | 'LEADING_SLASH' | 'TRAILING_SLASH' | 'DOUBLE_SLASH'

/** One reason a mandate reference is refused, with what a UI needs to explain it. */
export interface MandateReferenceProblem {
  /** Stable code of the rule broken. */
  code: MandateReferenceProblemCode
  /** The rule in plain English. */
  message: string
  /** The offending characters (for `INVALID_CHARACTERS`). */
  characters?: string[]
  /** The length found (for `TOO_LONG`). */
  length?: number
}

/** The result of {@link check}: valid, or every rule the reference breaks. */
export type MandateReferenceCheck = { valid: true } | { valid: false; problems: MandateReferenceProblem[] }

/** Maximum length of a mandate reference (`Max35Text`). */
export const MANDATE_REFERENCE_MAX_LENGTH = 35

const SEPA_CHAR = /[A-Za-z0-9/\-?:().,'+ ]/

/**
 * Every rule a mandate reference breaks: 1 to 35 characters of the SEPA set
 * `A-Z a-z 0-9 / - ? : ( ) . , ' + space`, not starting or ending with `/`, no `//` inside
 * (the EPC's rules for identifiers, which the French RUM follows), and not blank nor starting or
 * ending with a space: the bank matches the reference character for character, so a padded
 * reference is refused rather than silently trimmed.
 *
 * @example
 * mandateReference.check('RUM-2026-000042') //=> { valid: true }
 * mandateReference.check('/RUM//é') //=> { valid: false, problems: [INVALID_CHARACTERS ['é'], LEADING_SLASH, DOUBLE_SLASH] }
 * mandateReference.check(' RUM-1') //=> { valid: false, problems: [LEADING_SPACE] }
 */
export function check(input: string): MandateReferenceCheck {
  if (typeof input !== 'string' || input.length === 0) {
    return { valid: false, problems: [{ code: 'EMPTY', message: 'a mandate reference must have 1 to 35 characters' }] }
  }
  if (input.trim().length === 0) {
    return { valid: false, problems: [{ code: 'BLANK', message: 'a mandate reference must not be made only of spaces' }] }
  }
  const problems: MandateReferenceProblem[] = []
  const chars = [...input]
  if (chars.length > MANDATE_REFERENCE_MAX_LENGTH) {
    problems.push({ code: 'TOO_LONG', message: `a mandate reference has at most 35 characters, this one has ${chars.length}`, length: chars.length })
  }
  const bad = [...new Set(chars.filter((c) => !SEPA_CHAR.test(c)))]
  if (bad.length > 0) {
    problems.push({
      code: 'INVALID_CHARACTERS',
      message: `only A-Z a-z 0-9 / - ? : ( ) . , ' + and space are allowed, found ${bad.map((c) => describeValue(c)).join(', ')}`,
      characters: bad,
    })
  }
  if (/^\s/.test(input)) problems.push({ code: 'LEADING_SPACE', message: 'a mandate reference must not start with a space (the bank matches it character for character)' })
  if (/\s$/.test(input)) problems.push({ code: 'TRAILING_SPACE', message: 'a mandate reference must not end with a space (the bank matches it character for character)' })
  if (input.startsWith('/')) problems.push({ code: 'LEADING_SLASH', message: 'a mandate reference must not start with "/"' })
  if (input.endsWith('/')) problems.push({ code: 'TRAILING_SLASH', message: 'a mandate reference must not end with "/"' })
  if (input.includes('//')) problems.push({ code: 'DOUBLE_SLASH', message: 'a mandate reference must not contain "//"' })
  return problems.length === 0 ? { valid: true } : { valid: false, problems }
}

/**
 * Whether `input` is an acceptable mandate reference (see {@link check} for the reasons).
 *
 * @example
 * mandateReference.isValid('RUM-2026-000042') //=> true
 * mandateReference.isValid('RUM//42') //=> false
 */
export function isValid(input: string): boolean {
  return check(input).valid
}

/**
 * Returns `input` when it is an acceptable mandate reference, or throws naming every problem.
 *
 * @example
 * mandateReference.assertValid('RUM-2026-000042') //=> 'RUM-2026-000042'
 * @throws EcoleError `INVALID_MANDATE_REFERENCE` with `details.problems`.
 */
export function assertValid(input: string): string {
  const c = check(input)
  if (!c.valid) {
    throw new EcoleError('INVALID_MANDATE_REFERENCE', `mandate reference ${describeValue(input)}: ${c.problems.map((p) => p.message).join('; ')}`, {
      details: { value: input, problems: c.problems },
    })
  }
  return input
}

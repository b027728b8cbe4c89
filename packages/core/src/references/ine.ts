/**
 * French pupil / student identifier INE (identifiant national élève / étudiant), 11 characters.
 * No public check-key algorithm is published, so only the published formats are checked (as
 * open-source French administration validators do); no key is invented. Import it as the `ine`
 * namespace of `@ecole/core`.
 *
 * @module
 */

/** The published INE formats. */
export type IneFormat = 'rnie' | 'bea' | 'higherEducation' | 'apprenticeship'

const FORMATS: ReadonlyArray<readonly [IneFormat, RegExp]> = [
  ['rnie', /^\d{9}[A-HJK]{2}$/],
  ['bea', /^\d{10}[A-HJ-NPR-Z]$/],
  ['higherEducation', /^[0-9A-Z]{10}\d$/],
  ['apprenticeship', /^\d{4}A\d{5}[A-HJ-NPR-Z]$/],
]

/**
 * Which published format `input` has, or undefined: INE-RNIE `^\d{9}[A-HJK]{2}$` (since 2018),
 * INE-BEA `^\d{10}[A-HJ-NPR-Z]$`, higher education `^[0-9A-Z]{10}\d$`, apprenticeship
 * `^\d{4}A\d{5}[A-HJ-NPR-Z]$`. Surrounding spaces and lower case are accepted.
 *
 * @example
 * ine.formatOf('123456789AB') //=> 'rnie'
 * ine.formatOf('1234567890A') //=> 'bea'
 * ine.formatOf('1234A12345B') //=> 'apprenticeship'
 * ine.formatOf('12345') //=> undefined
 */
export function formatOf(input: string): IneFormat | undefined {
  if (typeof input !== 'string') return undefined
  const s = input.trim().toUpperCase()
  return FORMATS.find(([, re]) => re.test(s))?.[0]
}

/**
 * Whether `input` has one of the published INE formats (see {@link formatOf}).
 *
 * @example
 * ine.isValid('123456789AB') //=> true
 * ine.isValid('123456789AI') //=> false (I is not used)
 */
export function isValid(input: string): boolean {
  return formatOf(input) !== undefined
}

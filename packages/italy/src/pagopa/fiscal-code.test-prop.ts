import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { NUMERIC_POSITIONS, encodePersonalFiscalCode, referenceCheckLetter as referencePersonalCheck, someCenturyHasDate } from '../test-support/encode-fiscal-code'
import { entityFiscalCodeProblem, fiscalCodeProblem, personalFiscalCodeProblem } from './fiscal-code'

// Reference check characters written another way than the module's, so they are not the code under test in disguise.

/**
 * Partita IVA check digit as T = x + 2y + z: x the sum of the odd-position digits, y the sum of the
 * even-position digits, z how many even-position digits are 5 or more (doubling d >= 5 gives
 * 2d - 9, one more than 2d modulo 10); check = (10 - T mod 10) mod 10.
 */
function referenceEntityCheck(first10: string): string {
  const d = [...first10].map(Number)
  const x = d.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0)
  const even = d.filter((_, i) => i % 2 === 1)
  const t = x + 2 * even.reduce((a, b) => a + b, 0) + even.filter((v) => v >= 5).length
  return String((10 - (t % 10)) % 10)
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const CHARS = `${LETTERS}0123456789`
const OMOCODIA = 'LMNPQRSTUV'

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''))
const letters = (n: number) => fc.array(fc.constantFrom(...LETTERS), { minLength: n, maxLength: n }).map((a) => a.join(''))

/** An entity's code with its check digit (not the placeholder 00000000000). */
const entityCode = digits(10).filter((d) => d !== '0000000000').map((first10) => first10 + referenceEntityCheck(first10))

/** A real date of birth, 1900-01-01 to 2099-12-31, as the Date calendar spells a day count (no table of month lengths). */
const birthDate = fc.integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: Date.UTC(2099, 11, 31) / 86_400_000 }).map((days) => {
  const d = new Date(days * 86_400_000)
  return { yy: d.getUTCFullYear() % 100, month: d.getUTCMonth() + 1, day: d.getUTCDate() }
})

/** A person's code without omocodia, from a real date of birth: surname and name letters, year, month, day (+40 for a woman), place, no check letter. */
const plainPersonalFirst15 = fc.tuple(letters(6), birthDate, fc.boolean(), fc.constantFrom(...LETTERS), digits(3))
  .map(([names, date, woman, place, placeDigits]) => encodePersonalFiscalCode({ names, yy: date.yy, month: date.month, dayField: date.day + (woman ? 40 : 0), place: place + placeDigits }).slice(0, 15))

/** Writes the numeric positions picked by `mask` as their omocodia letters. */
function omocodia(first15: string, mask: boolean[]): string {
  const chars = [...first15]
  NUMERIC_POSITIONS.forEach((p, i) => {
    if (mask[i]) chars[p] = OMOCODIA[Number(chars[p])]!
  })
  return chars.join('')
}

const mask = fc.array(fc.boolean(), { minLength: 7, maxLength: 7 })
/** Any year ending, month and day 1-31 (real or not in that month; the month's end drawn often), a man or a woman, any omocodia: the encoder writes what it is given. */
const anyDayOfAnyMonth = fc.record({
  names: letters(6), yy: fc.integer({ min: 0, max: 99 }), month: fc.integer({ min: 1, max: 12 }), day: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 28, max: 31 })), woman: fc.boolean(),
  place: fc.tuple(fc.constantFrom(...LETTERS), digits(3)).map(([l, d]) => l + d), omocodia: mask,
})
/** A person's code, any of its numeric positions possibly written as omocodia letters, with its check letter. */
const personalCode = fc.tuple(plainPersonalFirst15, mask).map(([first15, m]) => omocodia(first15, m)).map((first15) => first15 + referencePersonalCheck(first15))

/** A code with one character replaced by another letter or digit. */
function withOneChange(code: fc.Arbitrary<string>, length: number): fc.Arbitrary<[string, string]> {
  return fc.tuple(code, fc.integer({ min: 0, max: length - 1 }), fc.integer({ min: 1, max: CHARS.length - 1 })).map(([c, at, shift]) => {
    const replaced = CHARS[(CHARS.indexOf(c[at]!) + shift) % CHARS.length]!
    return [c, c.slice(0, at) + replaced + c.slice(at + 1)]
  })
}

describe('fiscal code properties', () => {
  test.prop([entityCode], { numRuns: 500 })('every 11-digit code whose last digit is the check digit of the first 10 is accepted', (code) => {
    expect(entityFiscalCodeProblem(code)).toBeUndefined()
    expect(fiscalCodeProblem(code)).toBeUndefined()
  })

  test.prop([withOneChange(entityCode, 11)], { numRuns: 1000 })('changing any one character of a valid entity code is refused', ([, changed]) => {
    expect(entityFiscalCodeProblem(changed)).toBeDefined()
    expect(fiscalCodeProblem(changed)).toBeDefined()
  })

  test.prop([personalCode], { numRuns: 500 })('every well-formed personal code with its check letter is accepted, its numeric positions written as digits or omocodia letters', (code) => {
    expect(personalFiscalCodeProblem(code)).toBeUndefined()
    expect(fiscalCodeProblem(code)).toBeUndefined()
  })

  test.prop([plainPersonalFirst15, mask, fc.constantFrom(...LETTERS)], { numRuns: 1000 })('an omocodia variant is accepted exactly when its check letter is the one computed on the letters written', (first15, m, check) => {
    const variant = omocodia(first15, m)
    expect(personalFiscalCodeProblem(variant + check) === undefined).toBe(check === referencePersonalCheck(variant))
  })

  test.prop([plainPersonalFirst15, fc.integer({ min: 0, max: 6 })], { numRuns: 500 })('writing one digit as its omocodia letter without recomputing the check letter is refused', (first15, at) => {
    const variant = omocodia(first15, NUMERIC_POSITIONS.map((_, i) => i === at))
    // each omocodia letter has, in its position, a value that no digit has: the check letter always changes
    expect(personalFiscalCodeProblem(variant + referencePersonalCheck(first15))).toMatch(/wrong check letter/)
  })

  test.prop([fc.tuple(letters(6), birthDate, fc.boolean(), fc.constantFrom(...LETTERS), digits(3), mask)], { numRuns: 1000 })('a code encoded from a real date of birth is accepted, a man\'s or a woman\'s, whatever its omocodia letters', ([names, date, woman, place, placeDigits, m]) => {
    const code = encodePersonalFiscalCode({ names, yy: date.yy, month: date.month, dayField: date.day + (woman ? 40 : 0), place: place + placeDigits, omocodia: m })
    expect(personalFiscalCodeProblem(code)).toBeUndefined()
    expect(fiscalCodeProblem(code)).toBeUndefined()
  })

  test.prop([anyDayOfAnyMonth], { numRuns: 3000 })('a code encoded from a day 1-31 of any month is accepted exactly when that date exists in some century for its year ending (31 April, 30 February, 29 February 1981 never do)', (p) => {
    const code = encodePersonalFiscalCode({ ...p, dayField: p.day + (p.woman ? 40 : 0) })
    const problem = personalFiscalCodeProblem(code)
    if (someCenturyHasDate(p.yy, p.month, p.day)) expect(problem).toBeUndefined()
    else expect(problem).toMatch(/^characters 10-11 \(day of birth\) (must be a day of|cannot be 29 February)/)
  })

  test.prop([anyDayOfAnyMonth, fc.constantFrom(0, 32, 33, 34, 35, 36, 37, 38, 39, 40, 72, 80, 99)], { numRuns: 500 })('a day field of 00, 32-40 or above 71 is refused in any month, omocodia letters read as digits', (p, dayField) => {
    const code = encodePersonalFiscalCode({ ...p, dayField })
    expect(personalFiscalCodeProblem(code)).toMatch(new RegExp(`^characters 10-11 \\(day of birth\\) must be 01-31, or 41-71 for a woman, got ${String(dayField).padStart(2, '0')}`))
  })

  test.prop([withOneChange(personalCode, 16)], { numRuns: 2000 })('changing any one character of a valid personal code is refused', ([, changed]) => {
    // no single change keeps both the form and the check letter: the tables give every character of a position its own value
    // (digits share the values of A-J, which the form keeps apart, and a digit's omocodia letter has another value)
    expect(personalFiscalCodeProblem(changed)).toBeDefined()
    expect(fiscalCodeProblem(changed)).toBeDefined()
  })
})

import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { entityFiscalCode } from './index'

/**
 * The check digit written another way than the module's: T = x + 2y + z, x the sum of the
 * odd-position digits, y the sum of the even-position digits, z how many even-position digits
 * are 5 or more (doubling d >= 5 gives 2d - 9, one more than 2d modulo 10); check = (10 - T mod 10) mod 10.
 */
function referenceCheck(first10: string): string {
  const d = [...first10].map(Number)
  const x = d.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0)
  const even = d.filter((_, i) => i % 2 === 1)
  const t = x + 2 * even.reduce((a, b) => a + b, 0) + even.filter((v) => v >= 5).length
  return String((10 - (t % 10)) % 10)
}

const first10 = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }).map((a) => a.join(''))

describe('entityFiscalCode properties', () => {
  test.prop([first10], { numRuns: 1000 })('the check digit is the reference computation\'s, and the code it makes is valid (but for 00000000000)', (f) => {
    expect(entityFiscalCode.checkDigit(f)).toBe(referenceCheck(f))
    expect(entityFiscalCode.isValid(f + referenceCheck(f))).toBe(f !== '0000000000')
  })

  test.prop([first10, fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 9 })], { numRuns: 1000 })('changing any one digit of a valid code is refused', (f, at, shift) => {
    const code = f + referenceCheck(f)
    const changed = code.slice(0, at) + String((Number(code[at]) + shift) % 10) + code.slice(at + 1)
    expect(entityFiscalCode.problem(changed)).toBeDefined()
  })
})

import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { mandateReference } from './index'

const codes = (s: string): string[] => {
  const c = mandateReference.check(s)
  return c.valid ? [] : c.problems.map((p) => p.code)
}

describe('mandateReference (SEPA RUM)', () => {
  it('accepts up to 35 characters of the SEPA set', () => {
    expect(mandateReference.isValid('RUM-2026-000042')).toBe(true)
    expect(mandateReference.isValid("A/b-c?d:e(f).g,h'i+j k")).toBe(true)
    expect(mandateReference.isValid('X'.repeat(35))).toBe(true)
  })

  it('refuses 36 characters, saying how many there are', () => {
    const c = mandateReference.check('X'.repeat(36))
    expect(c.valid).toBe(false)
    if (!c.valid) expect(c.problems).toEqual([expect.objectContaining({ code: 'TOO_LONG', length: 36 })])
  })

  it('refuses characters outside the SEPA set, listing each once', () => {
    const c = mandateReference.check('RUM_é_é&1')
    expect(c.valid).toBe(false)
    if (!c.valid) expect(c.problems[0]).toMatchObject({ code: 'INVALID_CHARACTERS', characters: ['_', 'é', '&'] })
  })

  it('refuses a leading or trailing slash and a double slash, giving every reason', () => {
    expect(codes('/RUM')).toEqual(['LEADING_SLASH'])
    expect(codes('RUM/')).toEqual(['TRAILING_SLASH'])
    expect(codes('RUM//1')).toEqual(['DOUBLE_SLASH'])
    expect(codes('/RUM//é/')).toEqual(['INVALID_CHARACTERS', 'LEADING_SLASH', 'TRAILING_SLASH', 'DOUBLE_SLASH'])
  })

  it('refuses an empty reference', () => {
    expect(codes('')).toEqual(['EMPTY'])
  })

  it('refuses a reference made only of spaces', () => {
    expect(codes(' ')).toEqual(['BLANK'])
    expect(codes('   ')).toEqual(['BLANK'])
  })

  it('refuses a reference starting or ending with a space instead of trimming it (the bank matches it character for character)', () => {
    expect(codes(' RUM-1')).toEqual(['LEADING_SPACE'])
    expect(codes('RUM-1 ')).toEqual(['TRAILING_SPACE'])
    expect(codes(' RUM-1 ')).toEqual(['LEADING_SPACE', 'TRAILING_SPACE'])
    expect(codes('RUM 1')).toEqual([])
  })

  it('throws INVALID_MANDATE_REFERENCE with the problems when asserting', () => {
    expect(mandateReference.assertValid('RUM-1')).toBe('RUM-1')
    try {
      mandateReference.assertValid('RUM//1')
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e) && e.code === 'INVALID_MANDATE_REFERENCE' && Array.isArray(e.details.problems)).toBe(true)
    }
  })
})

import { describe, expect, it } from 'vitest'
import { ine, uai } from './index'

describe('uai (French establishment code)', () => {
  it('accepts 0751234J: 751234 = 23 x 32662 + 8, and letter 8 of ABCDEFGHJKLMNPRSTUVWXYZ is J (DOMAIN.md 9b)', () => {
    expect(uai.isValid('0751234J')).toBe(true)
    expect(uai.checkLetter('0751234')).toBe('J')
  })

  it('rejects 0010856B: 10856 = 23 x 472, so the letter must be A', () => {
    expect(uai.isValid('0010856B')).toBe(false)
    expect(uai.isValid('0010856A')).toBe(true)
  })

  it('accepts a lower-case letter and surrounding spaces, and normalises them', () => {
    expect(uai.isValid(' 0751234j ')).toBe(true)
    expect(uai.normalize(' 0751234j ')).toBe('0751234J')
  })

  it('rejects letters I, O and Q, wrong lengths and letters among the digits', () => {
    for (const s of ['0751234I', '075123J', '07512345J', '075A234J', '']) expect(uai.isValid(s)).toBe(false)
    expect(() => uai.normalize('0010856B')).toThrowError(/\[ecole\].*UAI/)
  })

  it('computes the letter of a Corsican (620) code by the same rule', () => {
    // 6200001 = 23 x 269565 + 6 -> G
    expect(uai.checkLetter('6200001')).toBe('G')
  })
})

describe('ine (French pupil identifier)', () => {
  it('recognises the four published formats', () => {
    expect(ine.formatOf('123456789AB')).toBe('rnie')
    expect(ine.formatOf('1234567890A')).toBe('bea')
    expect(ine.formatOf('12345ABCDE1')).toBe('higherEducation')
    expect(ine.formatOf('1234A12345B')).toBe('apprenticeship')
  })

  it('accepts lower case and spaces around', () => {
    expect(ine.isValid(' 123456789ab ')).toBe(true)
  })

  it('rejects letters the formats exclude and wrong lengths', () => {
    expect(ine.isValid('123456789AL')).toBe(false) // RNIE letters are A-H, J, K
    expect(ine.isValid('1234567890I')).toBe(false) // BEA excludes I, O, Q
    expect(ine.isValid('1234567890O')).toBe(false)
    expect(ine.isValid('123456789A')).toBe(false)
    expect(ine.isValid('')).toBe(false)
  })
})

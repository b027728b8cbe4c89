import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { rf } from './index'

/** Independent oracle: ISO 7064 mod 97 over (body + 'RF' + check) with A=10..Z=35, via BigInt. */
function oracleNumeric(s: string): bigint {
  return BigInt([...s].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join(''))
}
function oracleGenerate(body: string): string {
  const check = 98n - (oracleNumeric(`${body}RF00`) % 97n)
  return `RF${String(check).padStart(2, '0')}${body}`
}

describe('rf (ISO 11649 creditor reference)', () => {
  it('generates RF18539007547034 for 539007547034 (DOMAIN.md 9)', () => {
    expect(rf.generate('539007547034')).toBe('RF18539007547034')
  })

  it('formats the electronic form as RF18 5390 0754 7034', () => {
    expect(rf.format('RF18539007547034')).toBe('RF18 5390 0754 7034')
  })

  it('accepts lower case and spaces, and normalises them away', () => {
    expect(rf.isValid('rf18 5390 0754 7034')).toBe(true)
    expect(rf.normalize('rf18 5390 0754 7034')).toBe('RF18539007547034')
  })

  it('agrees with the BigInt oracle on references with letters', () => {
    for (const body of ['INV202642', 'A', '0', 'ZZZZZZZZZZZZZZZZZZZZZ', '000000000000000000001', 'SCHOOL42X']) {
      const expected = oracleGenerate(body)
      expect(rf.generate(body)).toBe(expected)
      expect(oracleNumeric(`${body}RF${expected.slice(2, 4)}`) % 97n).toBe(1n)
      expect(rf.isValid(expected)).toBe(true)
    }
  })

  it('rejects wrong check digits, bodies over 21 characters and foreign characters', () => {
    expect(rf.isValid('RF19 5390 0754 7034')).toBe(false)
    expect(rf.isValid('RF18')).toBe(false)
    expect(rf.isValid('RF18 5390-0754-7034')).toBe(false)
    expect(rf.isValid(`RF00${'1'.repeat(22)}`)).toBe(false)
    expect(rf.isValid('XX18539007547034')).toBe(false)
  })

  it('rejects check digits outside 02..98 even when the remainder works out (99 = 02 mod 97)', () => {
    // find a body whose check digits are 02 to exercise the rule for sure
    let found: string | undefined
    for (let n = 0; n < 5000 && !found; n++) if (oracleGenerate(String(n)).startsWith('RF02')) found = String(n)
    expect(found).toBeDefined()
    expect(rf.isValid(`RF02${found}`)).toBe(true)
    expect(rf.isValid(`RF99${found}`)).toBe(false)
  })

  it('refuses to generate from an empty, too long or non-alphanumeric reference, naming the field', () => {
    for (const bad of ['', '1'.repeat(22), 'AB-12', 'é']) {
      try {
        rf.generate(bad)
        expect.unreachable()
      } catch (e) {
        expect(isEcoleError(e) && e.code === 'INVALID_INPUT' && e.message.includes('reference')).toBe(true)
      }
    }
  })

  it('throws INVALID_RF when formatting an invalid reference', () => {
    expect(() => rf.format('RF19539007547034')).toThrowError(/\[ecole\].*RF reference/)
  })

  it('finds RF references in free text in print or electronic form, without swallowing following words', () => {
    expect(rf.findIn('Paiement RF18 5390 0754 7034 merci')).toEqual(['RF18539007547034'])
    expect(rf.findIn('ref:rf18539007547034.')).toEqual(['RF18539007547034'])
    expect(rf.findIn('RF00 nothing, XRF18539007547034')).toEqual([])
    expect(rf.findIn(`a ${oracleGenerate('INV202642')} b RF18 5390 0754 7034`)).toEqual([oracleGenerate('INV202642'), 'RF18539007547034'])
  })
  it('finds a reference typed with a space after RF, or grouped with dashes, slashes or dots, and still stops before the next word', () => {
    expect(rf.findIn('paiement RF 18 5390 0754 7034')).toEqual(['RF18539007547034'])
    expect(rf.findIn('RF18-5390-0754-7034')).toEqual(['RF18539007547034'])
    expect(rf.findIn('rf18/5390/0754/7034 cantine')).toEqual(['RF18539007547034'])
    expect(rf.findIn('RF18.5390.0754.7034.Merci')).toEqual(['RF18539007547034'])
    expect(rf.findIn('RF-18 5390 0754 7034')).toEqual(['RF18539007547034'])
    expect(rf.findIn('REF 18 5390 0754 7034')).toEqual([]) // not RF
    expect(rf.findIn('RF  18 5390 0754 7034')).toEqual([]) // two spaces: not one reference
  })
})

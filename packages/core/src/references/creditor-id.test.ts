import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { creditorId } from './index'

/** Independent oracle: ISO 7064 mod 97-10 over national id + country + '00', via BigInt. */
function oracleCheck(country: string, nationalId: string): string {
  const n = BigInt([...`${nationalId}${country}00`].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join(''))
  return String(98n - (n % 97n)).padStart(2, '0')
}

describe('creditorId (SEPA creditor identifier)', () => {
  it('accepts FR72ZZZ123456 (DOMAIN.md 9)', () => {
    expect(creditorId.isValid('FR72ZZZ123456')).toBe(true)
  })

  it('accepts the Bundesbank sample DE98ZZZ09999999999 and a Belgian one computed by the oracle', () => {
    expect(creditorId.isValid('DE98ZZZ09999999999')).toBe(true)
    expect(creditorId.isValid(`BE${oracleCheck('BE', '0123456789')}ZZZ0123456789`)).toBe(true)
  })

  it('ignores the business code in the check', () => {
    expect(creditorId.isValid('FR72ABC123456')).toBe(true)
    expect(creditorId.isValid('FR72001123456')).toBe(true)
  })

  it('accepts spaces and lower case', () => {
    expect(creditorId.isValid('fr72 zzz 123456')).toBe(true)
    expect(creditorId.normalize('fr72 zzz 123456')).toBe('FR72ZZZ123456')
  })

  it('rejects wrong check digits, a changed national id, a bad shape', () => {
    for (const s of ['FR73ZZZ123456', 'FR72ZZZ123457', 'FR72ZZ', 'F172ZZZ123456', `FR72ZZZ${'1'.repeat(29)}`, '']) {
      expect(creditorId.isValid(s)).toBe(false)
    }
    expect(() => creditorId.normalize('FR73ZZZ123456')).toThrowError(/\[ecole\].*creditor identifier/)
  })

  it('generates the identifier with the oracle check digits, ZZZ by default', () => {
    expect(creditorId.generate({ country: 'FR', nationalId: '123456' })).toBe('FR72ZZZ123456')
    expect(creditorId.generate({ country: 'it', businessCode: 'abc', nationalId: '00123450789' })).toBe(`IT${oracleCheck('IT', '00123450789')}ABC00123450789`)
  })

  it('refuses to generate from a bad country, naming the field', () => {
    try {
      creditorId.generate({ country: 'FRA', nationalId: '1' })
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e) && e.code === 'INVALID_INPUT' && e.details.field === 'country').toBe(true)
    }
  })
})

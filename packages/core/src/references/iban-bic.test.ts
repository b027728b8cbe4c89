import { describe, expect, it } from 'vitest'
import { bic, iban } from './index'

/** Independent oracle: an IBAN is valid when (BBAN + country + check, letters A=10..Z=35) mod 97 = 1. */
function ibanMod97(s: string): bigint {
  const r = s.slice(4) + s.slice(0, 4)
  return BigInt([...r].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('')) % 97n
}

describe('iban and bic (through ibantools)', () => {
  it('accepts the IBAN of seed 004 in any spelling', () => {
    expect(ibanMod97('BE15732664554630')).toBe(1n)
    expect(iban.isValid('BE15732664554630')).toBe(true)
    expect(iban.isValid('be15 7326 6455 4630')).toBe(true)
    expect(iban.normalize('be15 7326 6455 4630')).toBe('BE15732664554630')
    expect(iban.format('BE15732664554630')).toBe('BE15 7326 6455 4630')
  })

  it('rejects a changed check digit', () => {
    expect(ibanMod97('BE16732664554630')).not.toBe(1n)
    expect(iban.isValid('BE16732664554630')).toBe(false)
    expect(() => iban.normalize('BE16732664554630')).toThrowError(/\[ecole\].*IBAN/)
  })

  it('accepts French and Italian IBANs checked by the oracle', () => {
    for (const s of ['FR7630006000011234567890189', 'IT60X0542811101000000123456']) {
      expect(ibanMod97(s)).toBe(1n)
      expect(iban.isValid(s)).toBe(true)
    }
  })

  it('reads the national bank identifier at its registry positions, with the country, so that two IBANs of one bank compare equal', () => {
    // by hand: FR bank code = BBAN 1-5, BE = BBAN 1-3, IT ABI = BBAN 2-6 (after the CIN letter), DE Bankleitzahl = BBAN 1-8
    expect(iban.bankIdentifier('FR14 2004 1010 0505 0001 3M02 606')).toBe('FR20041')
    expect(iban.bankIdentifier('FR7620041010050001234567835')).toBe('FR20041')
    expect(iban.bankIdentifier('BE71096123456769')).toBe('BE096')
    expect(iban.bankIdentifier('IT60X0542811101000000123456')).toBe('IT05428')
    expect(iban.bankIdentifier('DE89370400440532013000')).toBe('DE37040044')
    // Poland: the registry table gives no bank identifier
    expect(iban.bankIdentifier('PL61109010140000071219812874')).toBeUndefined()
    expect(() => iban.bankIdentifier('BE16732664554630')).toThrowError(/\[ecole\].*IBAN/)
  })

  it('checks BICs of 8 and 11 characters', () => {
    expect(bic.isValid('GKCCBEBB')).toBe(true)
    expect(bic.isValid('gkcc bebb xxx')).toBe(true)
    expect(bic.normalize('gkccbebb')).toBe('GKCCBEBB')
    expect(bic.isValid('GKCC1EBB')).toBe(false)
    expect(bic.isValid('GKCCBEB')).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { enterpriseNumber, nationalNumber } from './identifiers'

describe('nationalNumber', () => {
  it('accepts a number whose check digits are 97 minus the first nine digits mod 97, with separators', () => {
    // 850730033 mod 97 = 69, 97 - 69 = 28
    expect(nationalNumber.isValid('85.07.30-033.28')).toBe(true)
    expect(nationalNumber.normalize('85.07.30-033.28')).toBe('85073003328')
    expect(nationalNumber.isValid('85073003329')).toBe(false)
  })
  it('prefixes 2 to the nine digits for a birth in 2000 or later, and reads the century from it', () => {
    // 2170730033 mod 97 = 13, 97 - 13 = 84; without the prefix the check would be 91
    expect(nationalNumber.isValid('17073003384')).toBe(true)
    expect(nationalNumber.birthDate('17073003384')).toBe('2017-07-30')
    expect(nationalNumber.birthDate('85073003328')).toBe('1985-07-30')
  })
  it('reads a bis number (month + 20 or + 40), and gives no birth date when it is not known', () => {
    // 852730033 -> 97 - (852730033 mod 97)
    const bis = `852730033${String(97 - (852730033 % 97)).padStart(2, '0')}`
    expect(nationalNumber.birthDate(bis)).toBe('1985-07-30')
    const unknown = `850000033${String(97 - (850000033 % 97)).padStart(2, '0')}`
    expect(nationalNumber.isValid(unknown)).toBe(true)
    expect(nationalNumber.birthDate(unknown)).toBeUndefined()
  })
  it('refuses a number whose first six digits are not a birth date the register writes, whatever its check digits (month 13-19, 33-39, 53+; day 32+; 30 February; 29 February of a common year)', () => {
    const withCheck = (nine: string, born2000 = false) => `${nine}${String(97 - Number((BigInt(nine) + (born2000 ? 2_000_000_000n : 0n)) % 97n)).padStart(2, '0')}`
    for (const nine of ['859930033', '853530033', '851530033', '855530033', '850745033', '850230033', '850229033']) expect([nine, nationalNumber.isValid(withCheck(nine))]).toEqual([nine, false])
    expect(nationalNumber.isValid(withCheck('040229033', true))).toBe(true)
    expect(nationalNumber.isValid(withCheck('050229033', true))).toBe(false)
    // month or day 00 (not known), and bis months, stay valid
    for (const nine of ['850000033', '850700033', '852000033', '854731033', '855231033']) expect([nine, nationalNumber.isValid(withCheck(nine))]).toEqual([nine, true])
  })
  it('refuses anything that is not eleven digits', () => {
    for (const bad of ['', '8507300332', '850730033280', 'abcdefghijk', '85073003328x']) expect(nationalNumber.isValid(bad)).toBe(false)
  })
})

describe('enterpriseNumber', () => {
  it('accepts ten digits starting with 0 or 1 whose last two are 97 minus the first eight mod 97', () => {
    // 04031707 mod 97 = 96, 97 - 96 = 1
    expect(enterpriseNumber.isValid('0403.170.701')).toBe(true)
    expect(enterpriseNumber.normalize('BE 0403 170 701')).toBe('0403170701')
    expect(enterpriseNumber.normalize('403170701')).toBe('0403170701')
    expect(enterpriseNumber.isValid('0403170702')).toBe(false)
    expect(enterpriseNumber.isValid('2403170701')).toBe(false)
  })
})

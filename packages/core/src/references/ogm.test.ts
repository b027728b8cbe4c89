import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { ogm } from './index'

/** Independent oracle: check digits of a 10-digit base with BigInt, 0 written 97. */
function oracleCheck(base: string): string {
  const r = Number(BigInt(base) % 97n)
  return String(r === 0 ? 97 : r).padStart(2, '0')
}

describe('ogm (Belgian structured communication)', () => {
  it('prints base 1234567890 as +++123/4567/89002+++ (DOMAIN.md 9)', () => {
    expect(ogm.generate('1234567890')).toBe('+++123/4567/89002+++')
  })

  it('writes a zero remainder as 97: base 0000000000 -> +++000/0000/00097+++', () => {
    expect(ogm.generate('0000000000')).toBe('+++000/0000/00097+++')
  })

  it('keeps leading zeros of the base', () => {
    const base = '0000012345'
    expect(ogm.generate(base)).toBe(`+++000/0012/345${oracleCheck(base)}+++`)
  })

  it('gives the check digits of the BigInt mod-97 oracle for hand-picked bases', () => {
    for (const base of ['9999999999', '0000000097', '0000000001', '5000000000', '0123456789', '9700000000']) {
      expect(ogm.checkDigits(base)).toBe(oracleCheck(base))
      expect(ogm.normalize(ogm.generate(base))).toBe(base + oracleCheck(base))
    }
  })

  it('computes 9700000000 -> check 97 (a multiple of 97)', () => {
    // 97 * 100000000 = 9700000000, remainder 0 -> 97
    expect(ogm.checkDigits('9700000000')).toBe('97')
  })

  it('refuses a base that is not ten digits, naming the field', () => {
    for (const bad of ['123', '12345678901', '12345abcde', '']) {
      try {
        ogm.generate(bad)
        expect.unreachable()
      } catch (e) {
        expect(isEcoleError(e) && e.code === 'INVALID_INPUT' && e.message.includes('base')).toBe(true)
      }
    }
  })

  it('accepts +++ and *** delimiters, spaces and missing slashes', () => {
    for (const s of ['+++123/4567/89002+++', '***123/4567/89002***', '123/4567/89002', '123456789002', ' +++ 123 / 4567 / 89002 +++ ', '+++1234567/89002+++', '123 4567 89002']) {
      expect(ogm.isValid(s)).toBe(true)
      expect(ogm.normalize(s)).toBe('123456789002')
      expect(ogm.format(s)).toBe('+++123/4567/89002+++')
    }
  })

  it('rejects wrong check digits, check digits 00, wrong lengths and misplaced slashes', () => {
    for (const s of ['+++123/4567/89003+++', '+++000/0000/00000+++', '12345678900', '1234567890022', '1234/567/89002', 'abc/defg/hijkl', '']) {
      expect(ogm.isValid(s)).toBe(false)
    }
  })

  it('throws INVALID_OGM when normalising an invalid communication', () => {
    expect(() => ogm.normalize('+++123/4567/89003+++')).toThrowError(/\[ecole\].*structured communication/)
  })

  it('finds a structured communication inside free text', () => {
    expect(ogm.findIn('Facture 202303 +++123/4567/89002+++ merci')).toEqual(['123456789002'])
    expect(ogm.findIn('communication ***000/0000/00097*** et 123456789002')).toEqual(['000000000097', '123456789002'])
    expect(ogm.findIn('COMMUNICATION: 123 4567 89002')).toEqual(['123456789002'])
    expect(ogm.findIn('BE15732664554630 rien')).toEqual([])
  })

  it('finds a communication whose leading zeros a spreadsheet dropped, between +++ or *** or as a field of digits alone, and nowhere else', () => {
    expect(ogm.findIn('+++42/1000/01735+++')).toEqual(['042100001735'])
    expect(ogm.findIn('paiement ***12/3456/78939*** merci')).toEqual(['012345678939'])
    expect(ogm.findIn('+++1/2345/67448+++')).toEqual([]) // 0012345674 48: wrong check digits once padded
    expect(ogm.findIn('+++/1234/56748+++')).toEqual([])
    expect(ogm.findIn('123456748')).toEqual([]) // nine digits: too short to be one
    expect(ogm.findIn(' 12345678939 ')).toEqual(['012345678939'])
    expect(ogm.findIn('1234567489')).toEqual([])
    expect(ogm.findIn('commande 12345678939 du 3 mars')).toEqual([]) // eleven digits inside a sentence: not a communication
    expect(ogm.findIn('42/1000/01735')).toEqual([]) // no delimiters: the zeros are not guessed
    expect(ogm.findIn('')).toEqual([])
  })

  it('does not read digits glued to a longer number as a communication', () => {
    expect(ogm.findIn('91234567890021')).toEqual([])
  })

  it('finds a valid communication right after an invalid candidate that overlaps it', () => {
    // "123 4567 89003" is wrong; the valid one starts after it
    expect(ogm.findIn('123 4567 89003 000 0000 00097')).toEqual(['000000000097'])
  })
})

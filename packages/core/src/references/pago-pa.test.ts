import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { pagoPa } from './index'

/** Independent oracle: the check digits of a head of digits, BigInt mod 93 on two digits. */
const check93 = (head: string): string => String(BigInt(head) % 93n).padStart(2, '0')

describe('pagoPa notice numbers', () => {
  it('generates 301000000000000144 for segregation 01, base 0000000000001 (DOMAIN.md 9)', () => {
    expect(pagoPa.generateNotice({ segregationCode: '01', base: '0000000000001' })).toBe('301000000000000144')
  })

  it('computes the check digits as (3, segregation, base) mod 93', () => {
    for (const [seg, base] of [['00', '0000000000000'], ['49', '9999999999999'], ['99', '1234567890123'], ['12', '0000000000093']] as const) {
      const head = `3${seg}${base}`
      expect(pagoPa.generateNotice({ segregationCode: seg, base })).toBe(head + check93(head))
    }
  })

  it('left-pads a short base to thirteen digits', () => {
    expect(pagoPa.generateNotice({ segregationCode: '01', base: '1' })).toBe('301000000000000144')
  })

  it('refuses a segregation code or base of the wrong shape, naming the field', () => {
    for (const [args, field] of [
      [{ segregationCode: '1', base: '1' }, 'segregationCode'],
      [{ segregationCode: '01', base: '12345678901234' }, 'base'],
      [{ segregationCode: '01', base: '' }, 'base'],
    ] as const) {
      try {
        pagoPa.generateNotice(args)
        expect.unreachable()
      } catch (e) {
        expect(isEcoleError(e) && e.code === 'INVALID_INPUT' && e.details.field === field && e.message.includes(field)).toBe(true)
      }
    }
  })

  it('takes an aux-3 notice apart: segregation code, IUV base, check digits and the 17-digit IUV', () => {
    expect(pagoPa.parseNotice('3010 0000 0000 0001 44')).toEqual({
      notice: '301000000000000144',
      auxDigit: 3,
      segregationCode: '01',
      iuvBase: '0000000000001',
      checkDigits: '44',
      iuv: '01000000000000144',
    })
  })

  it('takes an aux-0 notice apart: application code and a 15-digit IUV', () => {
    const head = '0' + '07' + '1234567890123'
    const n = head + check93(head)
    expect(pagoPa.parseNotice(n)).toEqual({ notice: n, auxDigit: 0, applicationCode: '07', iuvBase: '1234567890123', checkDigits: check93(head), iuv: n.slice(3) })
    expect(pagoPa.iuvOf(n)).toHaveLength(15)
  })

  it('takes an aux-1 notice apart: a 17-digit IUV without check digits', () => {
    expect(pagoPa.parseNotice('112345678901234567')).toEqual({ notice: '112345678901234567', auxDigit: 1, iuvBase: '12345678901234567', iuv: '12345678901234567' })
  })

  it('takes an aux-2 notice apart: 15-digit base + check digits over (2, base)', () => {
    const head = '2' + '123456789012345'
    const n = head + check93(head)
    expect(pagoPa.parseNotice(n)).toMatchObject({ auxDigit: 2, iuvBase: '123456789012345', checkDigits: check93(head), iuv: n.slice(1) })
  })

  it('rejects a wrong check, an aux digit above 3, and a wrong length', () => {
    expect(pagoPa.isValidNotice('301000000000000145')).toBe(false)
    expect(pagoPa.isValidNotice('401000000000000144')).toBe(false)
    expect(pagoPa.isValidNotice('30100000000000014')).toBe(false)
    expect(() => pagoPa.parseNotice('301000000000000145')).toThrowError(/\[ecole\].*pagoPA/)
  })

  it('prints a notice in groups of four digits', () => {
    expect(pagoPa.formatNotice('301000000000000144')).toBe('3010 0000 0000 0001 44')
    expect(pagoPa.normalizeNotice('3010 0000 0000 0001 44')).toBe('301000000000000144')
  })
})

import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { Money, isMoney } from './money'
import { MoneyInputSchema } from './money-schemas'

describe('Money', () => {
  it('multiplies a 4.15 EUR meal by 17 to exactly 70.55 EUR (not the 70.49 a peer printed)', () => {
    expect(Money.of('4.15', 'EUR').times(17).amount).toBe('70.55')
  })

  it('adds 0.10 and 0.20 to exactly 0.30, which a float does not', () => {
    expect(Money.of('0.10', 'EUR').plus(Money.of('0.20', 'EUR')).equals(Money.of('0.30', 'EUR'))).toBe(true)
  })

  it('keeps an exact product until it is rounded, then rounds half up by default', () => {
    const vat = Money.of('10.05', 'EUR').times('0.5')
    expect(vat.amount).toBe('5.025')
    expect(vat.round().amount).toBe('5.03')
    expect(vat.round('halfEven').amount).toBe('5.02')
    expect(vat.round('down').amount).toBe('5.02')
    expect(vat.round('up').amount).toBe('5.03')
  })

  it('refuses an unknown rounding mode with INVALID_INPUT naming the mode, even on an amount already rounded', () => {
    for (const amount of ['5.025', '5.02']) {
      try {
        Money.of(amount, 'EUR').round('bankers' as never)
        expect.unreachable()
      } catch (e) {
        expect(isEcoleError(e, 'INVALID_INPUT') && e.details.issues[0]?.path).toBe('mode')
      }
    }
  })

  it('rounds negative halves away from zero in halfUp mode', () => {
    expect(Money.of('-2.345', 'EUR').round().amount).toBe('-2.35')
  })

  it('converts to and from integer cents', () => {
    expect(Money.of('12.34', 'EUR').toMinor()).toBe(1234n)
    expect(Money.fromMinor(-5n, 'EUR').amount).toBe('-0.05')
    expect(Money.fromMinor(1234n, 'XPF').amount).toBe('1234')
    expect(Money.fromMinor(1234n, 'TND').amount).toBe('1.234')
  })

  it('refuses to convert an amount with more precision than the currency has', () => {
    expect(() => Money.of('1.005', 'EUR').toMinor()).toThrowError(/TOO_PRECISE|more than the 2 decimals/)
    try {
      Money.of('1.005', 'EUR').toMinor()
    } catch (e) {
      expect(isEcoleError(e) && e.code).toBe('TOO_PRECISE')
    }
  })

  it('refuses a float factor, naming it', () => {
    expect(() => Money.of('10', 'EUR').times(0.1)).toThrowError(/factor must be an integer or a decimal string/)
  })

  it('refuses to mix currencies', () => {
    expect(() => Money.of('1', 'EUR').plus(Money.of('1', 'CHF'))).toThrowError(/cannot mix EUR and CHF/)
  })

  it('refuses an unknown currency', () => {
    expect(() => Money.of('1', 'XYZ')).toThrowError(/XYZ/)
  })

  it('splits 100 EUR in three as 33.34 + 33.33 + 33.33, the earlier share taking the extra cent', () => {
    expect(Money.of('100', 'EUR').allocate([1, 1, 1]).map((m) => m.amount)).toEqual(['33.34', '33.33', '33.33'])
  })

  it('splits 10 EUR 1:2 between two guardians as 3.33 and 6.67', () => {
    expect(Money.of('10', 'EUR').allocate([1, 2]).map((m) => m.amount)).toEqual(['3.33', '6.67'])
  })

  it('computes a percentage exactly', () => {
    expect(Money.of('80', 'EUR').percentage('12.5').amount).toBe('10.00')
    expect(Money.of('3.99', 'EUR').percentage(15).amount).toBe('0.5985')
  })

  it('reads its JSON form back through its schema', () => {
    const m = Money.of('12.5', 'EUR')
    const back = MoneyInputSchema.parse(JSON.parse(JSON.stringify(m)))
    expect(back.equals(m)).toBe(true)
  })

  it('schema refuses a number amount and a malformed string, naming the field', () => {
    expect(MoneyInputSchema.safeParse({ amount: 12.5, currency: 'EUR' }).success).toBe(false)
    const bad = MoneyInputSchema.safeParse({ amount: '12,5', currency: 'EUR' })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.path).toEqual(['amount'])
  })

  it('is recognised by isMoney, and a look-alike object is not', () => {
    expect(isMoney(Money.zero('EUR'))).toBe(true)
    expect(isMoney({ amount: '1.00', currency: 'EUR' })).toBe(false)
  })

  it('is recognised by the global symbol brand, as a copy from the other build would be', () => {
    const m = Money.zero('EUR') as unknown as Record<symbol, unknown>
    expect(m[Symbol.for('@ecole/core/Money')]).toBe(true)
  })

  it('compares amounts', () => {
    const a = Money.of('1', 'EUR')
    const b = Money.of('2', 'EUR')
    expect(a.compare(b)).toBe(-1)
    expect(Money.min(a, b)).toBe(a)
    expect(Money.max(a, b)).toBe(b)
    expect(a.minus(b).isNegative()).toBe(true)
    expect(Money.sum([a, b], 'EUR').amount).toBe('3.00')
  })
})

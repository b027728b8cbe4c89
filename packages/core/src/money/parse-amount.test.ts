import { describe, expect, it } from 'vitest'
import { Money } from './money'
import { formatMoney, parseAmount } from './parse-amount'

describe('parseAmount', () => {
  it('reads French amounts with ordinary, no-break and narrow no-break spaces', () => {
    expect(parseAmount('1 234,56', 'fr-FR', 'EUR').amount).toBe('1234.56')
    expect(parseAmount('1\u00a0234,56', 'fr-FR', 'EUR').amount).toBe('1234.56')
    expect(parseAmount('1\u202f234\u202f567,5 €', 'fr-FR', 'EUR').amount).toBe('1234567.50')
  })
  it('reads Italian and Belgian amounts with dots between thousands', () => {
    expect(parseAmount('1.234,56', 'it-IT', 'EUR').amount).toBe('1234.56')
    expect(parseAmount('1.234,56', 'nl-BE', 'EUR').amount).toBe('1234.56')
    expect(parseAmount('1.234', 'fr-BE', 'EUR').amount).toBe('1234.00')
  })
  it('reads English amounts', () => {
    expect(parseAmount('1,234.56', 'en', 'EUR').amount).toBe('1234.56')
    expect(parseAmount('1234.56', 'en', 'EUR').amount).toBe('1234.56')
    expect(parseAmount('-12.5', 'en', 'EUR').amount).toBe('-12.50')
  })
  it('reads "12.50" typed in France as twelve euros fifty', () => {
    expect(parseAmount('12.50', 'fr-FR', 'EUR').amount).toBe('12.50')
  })
  it('refuses "1.234" in France: thousands or decimals?', () => {
    expect(() => parseAmount('1.234', 'fr-FR', 'EUR')).toThrowError(/ambiguous/)
  })
  it('refuses "1,234" in Italy: thousands are grouped with dots there, and three decimals are too many', () => {
    expect(() => parseAmount('1,234', 'it-IT', 'EUR')).toThrowError(/EUR has 2 decimals/)
  })
  it('refuses badly grouped digits', () => {
    expect(() => parseAmount('12 34,00', 'fr-FR', 'EUR')).toThrowError(/three digits/)
    expect(() => parseAmount('1.23.456', 'it-IT', 'EUR')).toThrowError(/three digits/)
  })
  it('refuses letters, empty input and two decimal separators', () => {
    expect(() => parseAmount('12a', 'en', 'EUR')).toThrowError(/unexpected character/)
    expect(() => parseAmount('  ', 'en', 'EUR')).toThrowError(/no digits/)
    expect(() => parseAmount('1,2,3', 'fr-FR', 'EUR')).toThrowError(/more than one decimal separator/)
  })
})

describe('formatMoney', () => {
  it('formats with the locale conventions, exactly', () => {
    expect(formatMoney(Money.of('1234.5', 'EUR'), 'en')).toBe('€1,234.50')
    expect(formatMoney(Money.of('1234.5', 'EUR'), 'fr-FR').replace(/\s/g, ' ')).toBe('1 234,50 €')
    expect(formatMoney(Money.of('90071992547409.93', 'EUR'), 'en')).toBe('€90,071,992,547,409.93')
  })
})

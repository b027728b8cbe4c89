import { describe, expect, it } from 'vitest'
import { checkCantineAUnEuro } from './cantine-a-un-euro'
import { TariffSchema } from './tariff'

const eur = (amount: string) => ({ amount, currency: 'EUR' })
const brackets = (...list: Array<[number | string, number | string | undefined, string]>) =>
  TariffSchema.parse({ kind: 'quotientBrackets', noQuotientPrice: eur('4.50'), brackets: list.map(([min, max, price]) => ({ min, max, price: eur(price) })) })

describe('checkCantineAUnEuro', () => {
  it('accepts three brackets with a 1 EUR bracket for QF up to 1000', () => {
    expect(checkCantineAUnEuro(brackets([0, 700, '1.00'], [700, 1200, '2.50'], [1200, undefined, '4.00']))).toEqual([])
    expect(checkCantineAUnEuro(brackets([0, '1000.01', '0.80'], ['1000.01', 1500, '2.50'], [1500, undefined, '4.00']))).toEqual([])
  })

  it('refuses a 1 EUR bracket that also serves a QF above 1000', () => {
    expect(checkCantineAUnEuro(brackets([0, 1100, '1.00'], [1100, 1500, '2.50'], [1500, undefined, '4.00']))).toEqual(['ONE_EURO_BRACKET_ABOVE_QF_1000'])
  })

  it('refuses fewer than three brackets and no bracket at 1 EUR or less', () => {
    expect(checkCantineAUnEuro(brackets([0, 700, '1.01'], [700, undefined, '4.00']))).toEqual(['FEWER_THAN_THREE_BRACKETS', 'NO_BRACKET_AT_ONE_EURO'])
  })

  it('refuses a tariff not priced by family quotient', () => {
    expect(checkCantineAUnEuro(TariffSchema.parse({ kind: 'fixed', price: eur('1.00') }))).toEqual(['NOT_QUOTIENT_BRACKETS'])
  })
})

import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { Money } from './money'
import { MoneyInputSchema } from './money-schemas'

describe('Money as console.log and JSON show it', () => {
  it('console.log shows the amount and the currency (the amount is a private field it would not show)', () => {
    expect(inspect(Money.of('12.5', 'EUR'))).toBe('Money(12.50 EUR)')
    expect(inspect({ meal: Money.of('4.15', 'EUR'), fee: Money.of('-3', 'CHF') })).toBe('{ meal: Money(4.15 EUR), fee: Money(-3.00 CHF) }')
  })

  it('keeps every digit of an unrounded amount in what it shows', () => {
    expect(inspect(Money.of('4.15', 'EUR').times('0.5'))).toBe('Money(2.075 EUR)')
  })

  it('writes JSON that MoneyInputSchema reads back to an equal amount', () => {
    const price = Money.of('1234.5', 'EUR')
    const json = JSON.stringify({ price })
    expect(json).toBe('{"price":{"amount":"1234.50","currency":"EUR"}}')
    expect(MoneyInputSchema.parse(JSON.parse(json).price).equals(price)).toBe(true)
  })
})

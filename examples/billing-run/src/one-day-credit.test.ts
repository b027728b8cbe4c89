import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { oneDayCredit } from './one-day-credit'

describe('oneDayCredit: what one day of a line cost its debtor', () => {
  it('gives back a whole day of a line at a price in cents: 17 meals at 4.15 (70.55) credit 4.15 a day', () => {
    expect(oneDayCredit({ quantity: 17, amountMinor: 7055n }, 'EUR')).toBe('4.15')
  })

  it("gives back a payer's half of a day, never the whole day: her half of 17 meals (35.28) credits 2.07, his (35.27) 2.07", () => {
    expect(oneDayCredit({ quantity: 17, amountMinor: 3528n }, 'EUR')).toBe('2.07')
    expect(oneDayCredit({ quantity: 17, amountMinor: 3527n }, 'EUR')).toBe('2.07')
  })

  it('gives back a day at an exact price as billed, rounded down: 3 × 3.333 = 10.00 credits 3.33', () => {
    expect(oneDayCredit({ quantity: 3, amountMinor: 1000n }, 'EUR')).toBe('3.33')
  })

  it('refuses a line without whole units or without an amount to credit, naming the field', () => {
    const field = (run: () => unknown) => {
      try {
        run()
      } catch (e) {
        expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
        return (e as Error).message.split(':')[0]
      }
      return 'accepted'
    }
    expect(field(() => oneDayCredit({ quantity: 1.5, amountMinor: 300n }, 'EUR'))).toBe('[ecole] line.quantity')
    expect(field(() => oneDayCredit({ quantity: 0, amountMinor: 300n }, 'EUR'))).toBe('[ecole] line.quantity')
    expect(field(() => oneDayCredit({ quantity: 2, amountMinor: 0n }, 'EUR'))).toBe('[ecole] line.amountMinor')
  })
})

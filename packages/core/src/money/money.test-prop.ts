import { fc, test } from '@fast-check/vitest'
import { eurosArb, exactEurosArb, minorUnitsArb, roundingModeArb } from '@ecole/testing'
import { expect } from 'vitest'
import { Money } from './money'
import { MoneyInputSchema } from './money-schemas'

test.prop([exactEurosArb(), roundingModeArb()])('rounding a rounded amount changes nothing', (m, mode) => {
  const once = m.round(mode)
  expect(once.round(mode).equals(once)).toBe(true)
  expect(once.isRounded()).toBe(true)
})

test.prop([exactEurosArb(), roundingModeArb()])('rounding moves an amount by less than one cent', (m, mode) => {
  expect(m.round(mode).minus(m).abs().lessThan(Money.of('0.01', 'EUR'))).toBe(true)
})

test.prop([minorUnitsArb()])('minor units round-trip exactly', (cents) => {
  expect(Money.fromMinor(cents, 'EUR').toMinor()).toBe(cents)
})

test.prop([eurosArb()])('an amount round-trips through its JSON form', (m) => {
  expect(MoneyInputSchema.parse(JSON.parse(JSON.stringify(m))).equals(m)).toBe(true)
})

test.prop([eurosArb(), eurosArb()])('addition is exact: (a + b) - b = a, in cents as in Money', (a, b) => {
  expect(a.plus(b).minus(b).equals(a)).toBe(true)
  expect(a.plus(b).toMinor()).toBe(a.toMinor() + b.toMinor())
})

test.prop([eurosArb(), fc.integer({ min: -1000, max: 1000 })])('multiplying by a quantity equals repeated cents', (a, q) => {
  expect(a.times(q).toMinor()).toBe(a.toMinor() * BigInt(q))
})

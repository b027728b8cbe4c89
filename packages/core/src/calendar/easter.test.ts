import { describe, expect, it } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { isEcoleError } from '../errors'
import { weekday } from '../time'
import { easterSunday } from './easter'

describe('easterSunday', () => {
  // dates from published Easter tables
  it.each([
    [1818, '1818-03-22'], [2000, '2000-04-23'], [2024, '2024-03-31'], [2025, '2025-04-20'], [2026, '2026-04-05'],
    [2027, '2027-03-28'], [2038, '2038-04-25'], [2285, '2285-03-22'],
  ] as const)('puts Easter %i on %s', (year, date) => {
    expect(easterSunday(year)).toBe(date)
  })

  it('refuses a year before the Gregorian reform, naming the field', () => {
    try {
      easterSunday(1500)
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e) && e.code === 'INVALID_INPUT' && e.message.includes('year')).toBe(true)
    }
  })
})

test.prop([fc.integer({ min: 1583, max: 4099 })])('Easter is a Sunday between 22 March and 25 April', (year) => {
  const d = easterSunday(year)
  expect(weekday(d)).toBe(7)
  expect(d.slice(5) >= '03-22' && d.slice(5) <= '04-25').toBe(true)
})

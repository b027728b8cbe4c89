import { bench, describe } from 'vitest'
import { addDays, daysBetween, fromEpochDay, toEpochDay, weekday } from './local-date'
import { isoWeek } from './iso-week'

const days = Array.from({ length: 10_000 }, (_, i) => fromEpochDay(toEpochDay('2024-09-01') + i))

describe('isoWeek', () => {
  bench('isoWeek, 10,000 consecutive days', () => {
    for (const d of days) isoWeek(d)
  })
})

// the day helpers a billing run calls per day (checked arguments: a regex and an integer test each)
describe('day helpers', () => {
  bench('addDays(d, 1), 10,000 days', () => {
    for (const d of days) addDays(d, 1)
  })
  bench('daysBetween(first, d), 10,000 days', () => {
    const first = days[0]!
    for (const d of days) daysBetween(first, d)
  })
  bench('weekday(d), 10,000 days', () => {
    for (const d of days) weekday(d)
  })
})

import { bench, describe } from 'vitest'
import { fromEpochDay, toEpochDay } from './local-date'
import { isoWeek } from './iso-week'

const days = Array.from({ length: 10_000 }, (_, i) => fromEpochDay(toEpochDay('2024-09-01') + i))

describe('isoWeek', () => {
  bench('isoWeek, 10,000 consecutive days', () => {
    for (const d of days) isoWeek(d)
  })
})

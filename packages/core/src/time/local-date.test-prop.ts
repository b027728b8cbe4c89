import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { isEcoleError } from '../errors'
import { addDays, daysBetween, fromEpochDay, isLocalDate, toEpochDay } from './local-date'

const FIRST = toEpochDay('0001-01-01')
const LAST = toEpochDay('9999-12-31')
const dayArb = fc.integer({ min: FIRST, max: LAST }).map(fromEpochDay)

test.prop([dayArb, fc.integer({ min: -4_000_000, max: 4_000_000 })])(
  'adding n days to a day gives a day n days later, or an INVALID_INPUT naming days when it leaves years 0001-9999',
  (day, n) => {
    const target = toEpochDay(day) + n
    if (target < FIRST || target > LAST) {
      let path: string | undefined
      try { addDays(day, n) } catch (e) { path = isEcoleError(e, 'INVALID_INPUT') ? e.details.issues[0]?.path : 'another error' }
      expect(path).toBe('days')
      return
    }
    const later = addDays(day, n)
    expect(isLocalDate(later)).toBe(true)
    expect(daysBetween(day, later)).toBe(n)
  },
)

test.prop([fc.string({ maxLength: 12 })])('a string the day helpers accept is a LocalDate, and any other is refused with INVALID_DATE', (s) => {
  let accepted = true
  try { toEpochDay(s as never) } catch (e) {
    expect(isEcoleError(e, 'INVALID_DATE')).toBe(true)
    accepted = false
  }
  expect(accepted).toBe(isLocalDate(s))
})

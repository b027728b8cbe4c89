import { describe, expect, it } from 'vitest'
import { addDays, isoWeek, localDateOf, weekday } from './index'

describe('the host time zone', () => {
  it('is really the zone this test project was started with', () => {
    const expected = process.env.TZ
    expect(expected).toBeTruthy()
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(expected === 'UTC' ? 'UTC' : expected)
  })

  it('changes no result of the date functions', () => {
    // new Date('2026-03-02') read in local time would give 1 March behind UTC
    expect(weekday('2026-03-02')).toBe(1)
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29')
    expect(isoWeek('2026-03-29')).toEqual({ year: 2026, week: 13 })
    expect(localDateOf('2026-03-02T00:30:00Z', 'Europe/Paris')).toBe('2026-03-02')
  })
})

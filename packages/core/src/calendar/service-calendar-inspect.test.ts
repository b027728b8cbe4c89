import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { Period } from './period'
import { ServiceCalendar } from './service-calendar'

const strike: Period = { id: 'strike', kind: 'closure', label: 'Grève', from: '2026-03-12', to: '2026-03-12', scopes: [{ serviceId: 'canteen' }] }
const input = { schedules: [{ serviceId: 'canteen', weekdays: [1, 2, 4, 5] }, { serviceId: 'care', weekdays: [1, 2, 3, 4, 5] }], periods: [strike], publicHolidays: ['2026-05-14'] }

describe('ServiceCalendar as console.log and JSON show it', () => {
  it('console.log says what the calendar holds, not its indexes', () => {
    expect(inspect(ServiceCalendar.from(input))).toBe('ServiceCalendar(2 services, 1 period, 1 public holiday)')
  })

  it('writes the data it was built from as JSON, and a calendar read back from it answers the same', () => {
    const cal = ServiceCalendar.from(input)
    const back = ServiceCalendar.from(JSON.parse(JSON.stringify(cal)))
    const place = { serviceId: 'canteen', schoolId: 's', classId: 'c' }
    for (const day of ['2026-03-11', '2026-03-12', '2026-05-14', '2026-03-18'] as const) {
      expect(back.closure(place, day)).toEqual(cal.closure(place, day))
    }
    expect(back.closure(place, '2026-03-12')).toEqual({ cause: 'closurePeriod', periodId: 'strike', label: 'Grève' })
  })
})

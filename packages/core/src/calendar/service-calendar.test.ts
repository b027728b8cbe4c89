import { describe, expect, it } from 'vitest'
import { ServiceCalendar } from './service-calendar'
import type { Period } from './period'

const place = { serviceId: 'canteen', schoolId: 'jaures', classId: 'cp-a' }
const strike: Period = { id: 'strike', kind: 'closure', label: 'Grève', from: '2026-03-12', to: '2026-03-12', scopes: [{ serviceId: 'canteen', schoolId: 'jaures', classIds: ['cp-a'] }] }
const cal = (periods: Period[] = [], extra: object = {}) =>
  ServiceCalendar.from({ schedules: [{ serviceId: 'canteen', weekdays: [1, 2, 4, 5], ...extra }], periods, publicHolidays: ['2026-05-14'] })

describe('ServiceCalendar', () => {
  it('runs on the weekdays of the service only', () => {
    expect(cal().isOpen(place, '2026-03-09')).toBe(true) // Monday
    expect(cal().closure(place, '2026-03-11')).toEqual({ cause: 'weekday', weekday: 3 }) // Wednesday
  })

  it('closes on a public holiday', () => {
    expect(cal().closure(place, '2026-05-14')).toEqual({ cause: 'publicHoliday', date: '2026-05-14' })
  })

  it('closes during a closure period for the classes it names only', () => {
    expect(cal([strike]).closure(place, '2026-03-12')).toEqual({ cause: 'closurePeriod', periodId: 'strike', label: 'Grève' })
    expect(cal([strike]).isOpen({ ...place, classId: 'cp-b' }, '2026-03-12')).toBe(true)
    expect(cal([strike]).isOpen({ ...place, schoolId: 'ferry' }, '2026-03-12')).toBe(true)
  })

  it('opens a service that runs only during openings on the opening days', () => {
    const july: Period = { id: 'alsh', kind: 'opening', label: 'Centre de loisirs', from: '2026-07-06', to: '2026-07-31', scopes: [{ serviceId: 'canteen' }] }
    const c = cal([july], { openingsOnly: true })
    expect(c.isOpen(place, '2026-07-06')).toBe(true)
    expect(c.closure(place, '2026-06-29')).toEqual({ cause: 'noOpening' })
  })

  it('does not depend on the order of the periods', () => {
    const other: Period = { ...strike, id: 'a-works', label: 'Travaux' }
    expect(cal([strike, other]).closure(place, '2026-03-12')).toEqual(cal([other, strike]).closure(place, '2026-03-12'))
  })

  it('refuses a schedule with no weekday, naming the field', () => {
    expect(() => ServiceCalendar.from({ schedules: [{ serviceId: 'x', weekdays: [] }], periods: [], publicHolidays: [] })).toThrow(/weekdays/)
  })
})

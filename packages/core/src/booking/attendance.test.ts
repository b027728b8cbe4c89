import { describe, expect, it } from 'vitest'
import { checkAttendance } from './attendance'
import { prepareBookingContext } from './booking-context'

const ctx = prepareBookingContext({
  timeZone: 'Europe/Paris',
  services: [{ id: 'canteen', weekdays: [1, 2, 4, 5], startsAt: '11:30' }],
  offers: [{ serviceId: 'canteen', schoolId: 's' }],
  children: [
    { id: 'lea', enrolments: [{ schoolId: 's', classId: 'k', from: '2026-01-01' }] },
    { id: 'tom', enrolments: [{ schoolId: 's', classId: 'k', from: '2026-01-01' }] },
  ],
  bookings: [{ beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09' }],
})

describe('checkAttendance', () => {
  it('refuses attendance before the service has started (NOT_STARTED), as the seed says', () => {
    expect(checkAttendance(ctx, { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09', status: 'present', at: '2026-03-09T10:29:59Z' })).toEqual({
      ok: false, reasons: [{ code: 'NOT_STARTED', instant: '2026-03-09T10:30:00.000Z', local: '2026-03-09T11:30', timeZone: 'Europe/Paris' }],
    })
  })

  it('accepts attendance once the service has started', () => {
    expect(checkAttendance(ctx, { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09', status: 'present', at: '2026-03-09T10:30:00Z' })).toEqual({ ok: true, withoutBooking: false })
  })

  it('flags a child present without a booking, for the surcharge rule', () => {
    expect(checkAttendance(ctx, { beneficiaryId: 'tom', serviceId: 'canteen', date: '2026-03-09', status: 'present', at: '2026-03-09T12:00:00Z' })).toEqual({ ok: true, withoutBooking: true })
    expect(checkAttendance(ctx, { beneficiaryId: 'tom', serviceId: 'canteen', date: '2026-03-09', status: 'excused', at: '2026-03-09T12:00:00Z' })).toEqual({ ok: true, withoutBooking: false })
  })

  it('refuses attendance on a day the service does not run', () => {
    const r = checkAttendance(ctx, { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-11', status: 'present', at: '2026-03-11T12:00:00Z' })
    expect(r.ok ? [] : r.reasons.map((x) => x.code)).toEqual(['CLOSED'])
  })
})

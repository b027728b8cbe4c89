import { expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { bookingRequestArb, bookingSchoolArb, weekTemplateArb } from '@ecole/testing'
import { toEpochDay, weekday, type LocalDate } from '../time'
import { prepareBookingContext, type BookingContextInput } from './booking-context'
import { checkBooking } from './check-booking'
import { planWeekTemplate } from './week-template'

/** The same data with every list (and nested list) in reverse order. */
function reversed(input: BookingContextInput): BookingContextInput {
  const rev = <T>(xs: T[] | undefined) => (xs === undefined ? undefined : [...xs].reverse())
  return {
    ...input,
    services: rev(input.services)!,
    offers: rev(input.offers),
    periods: rev(input.periods)?.map((p) => ({ ...p, scopes: [...(p.scopes ?? [])].reverse() })),
    publicHolidays: rev(input.publicHolidays),
    children: rev(input.children)!.map((c) => ({ ...c, enrolments: rev(c.enrolments), subscriptions: rev(c.subscriptions), groupIds: rev(c.groupIds) })),
    billingRules: rev(input.billingRules),
    consents: rev(input.consents),
    consentsGiven: rev(input.consentsGiven),
    wallets: rev(input.wallets),
    debts: rev(input.debts),
    bookings: rev(input.bookings),
  }
}

test.prop([bookingSchoolArb(), bookingRequestArb()])('a refused booking always has at least one reason', (school, request) => {
  const res = checkBooking(prepareBookingContext(school), request)
  expect(res.ok || res.reasons.length > 0).toBe(true)
})

test.prop([bookingSchoolArb(), fc.array(bookingRequestArb(), { minLength: 1, maxLength: 8 })])(
  "the result does not depend on the order of the context's lists",
  (school, requests) => {
    const a = prepareBookingContext(school)
    const b = prepareBookingContext(reversed(school))
    for (const r of requests) expect(checkBooking(b, r)).toEqual(checkBooking(a, r))
  },
)

/** Independent oracle: is a day certainly closed for the child whatever its enrolment? */
function certainlyClosed(school: BookingContextInput, beneficiaryId: string, serviceId: string, date: LocalDate): boolean {
  const svc = school.services.find((s) => s.id === serviceId)!
  if (!svc.weekdays.includes(weekday(date))) return true
  if ((school.publicHolidays ?? []).includes(date)) return true
  const child = school.children.find((c) => c.id === beneficiaryId)!
  const covering = (child.enrolments ?? []).filter((e) => e.from <= date && (e.to == null || date <= e.to))
  return (school.periods ?? []).some(
    (p) =>
      p.kind === 'closure' && p.from <= date && date <= p.to &&
      (p.scopes ?? []).some(
        (s) =>
          s.serviceId === serviceId &&
          (s.schoolId === undefined ||
            (covering.length === 1 && s.schoolId === covering[0]!.schoolId && (s.classIds === undefined || s.classIds.includes(covering[0]!.classId)))),
      ),
  )
}

test.prop([bookingSchoolArb(), weekTemplateArb({ beneficiaryId: 'lea', serviceId: 'canteen' })])('a week template never books a closed day', (school, template) => {
  const r = planWeekTemplate(prepareBookingContext(school), template, { at: '2026-08-01T00:00:00Z', actor: { kind: 'backOffice' } })
  for (const d of r.days) if (d.status === 'booked') expect(certainlyClosed(school, 'lea', 'canteen', d.date)).toBe(false)
  for (const d of r.days) if (d.status === 'refused') expect(d.reasons!.length).toBeGreaterThan(0)
})

test.prop([bookingSchoolArb(), weekTemplateArb({ beneficiaryId: 'lea', serviceId: 'canteen' }), fc.constantFrom<'backOffice' | 'mum'>('backOffice', 'mum')])(
  'replace mode never touches a billed booking',
  (school, template, who) => {
    const r = planWeekTemplate(prepareBookingContext(school), { ...template, mode: 'replace' }, {
      at: '2026-08-01T00:00:00Z', actor: who === 'backOffice' ? { kind: 'backOffice' } : { kind: 'guardian', guardianId: 'mum' },
    })
    const billed = (school.bookings ?? []).filter((b) => b.beneficiaryId === 'lea' && b.serviceId === 'canteen' && b.billed && b.date >= template.from && b.date <= template.to)
    const cancelled = new Set<string>(r.cancellations.filter((c) => c.status === 'cancelled').map((c) => c.date))
    for (const b of billed) {
      expect(cancelled.has(b.date)).toBe(false)
      const kept = (r.billedKept as string[]).includes(b.date) || r.days.some((d) => d.date === b.date && d.status === 'kept')
      expect(kept).toBe(true)
    }
  },
)

test.prop([bookingSchoolArb(), weekTemplateArb({ beneficiaryId: 'tom', serviceId: 'care' })])('a week template lists every day it names exactly once', (school, template) => {
  const r = planWeekTemplate(prepareBookingContext(school), template, { at: '2026-08-01T00:00:00Z', actor: { kind: 'backOffice' } })
  const dates = r.days.map((d) => d.date)
  expect(new Set(dates).size).toBe(dates.length)
  expect([...dates].sort((a, b) => toEpochDay(a) - toEpochDay(b))).toEqual(dates)
  expect(r.counts.booked + r.counts.kept + r.counts.refused).toBe(dates.length)
})

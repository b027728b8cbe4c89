import { expect } from 'vitest'
import { test } from '@fast-check/vitest'
import { BookingRequestSchema, CutoffRuleSchema, PeriodSchema, WeekTemplateSchema, checkBooking, prepareBookingContext } from '@ecole/core'
import { bookingRequestArb, bookingSchoolArb, cutoffRuleArb, periodArb, weekTemplateArb } from './calendar'

test.prop([periodArb()])('every generated period passes PeriodSchema', (p) => {
  expect(PeriodSchema.safeParse(p).success).toBe(true)
})

test.prop([cutoffRuleArb()])('every generated cut-off passes CutoffRuleSchema', (r) => {
  expect(CutoffRuleSchema.safeParse(r).success).toBe(true)
})

test.prop([weekTemplateArb({ beneficiaryId: 'lea', serviceId: 'canteen' })])('every generated week template passes WeekTemplateSchema', (t) => {
  expect(WeekTemplateSchema.safeParse(t).success).toBe(true)
})

test.prop([bookingSchoolArb(), bookingRequestArb()])('every generated school prepares, and its requests are valid and checkable', (school, request) => {
  expect(BookingRequestSchema.safeParse(request).success).toBe(true)
  const result = checkBooking(prepareBookingContext(school), request)
  expect(typeof result.ok).toBe('boolean')
})

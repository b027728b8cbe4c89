import { describe, expect, it } from 'vitest'
import { BookingContextInputSchema, prepareBookingContext } from '../booking/booking-context'
import { bookingServicesOf, directoryForBooking } from './booking-input'
import { checkBooking } from '../booking/check-booking'
import { bookingReservations } from '../booking/reservations'
import { emptyDirectory, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { enrol, setAdultBooking, subscribeToService } from './enrolment-operations'
import { createHousehold } from './household-operations'
import { archiveChild } from './archive'
import { SchoolClassSchema, SchoolSchema } from './school'
import { ServiceSchema } from './service'

function ok(r: DirectoryOutcome): DirectoryState {
  if (!r.ok) throw new Error(JSON.stringify(r.refusal))
  return r.state
}

describe('directoryForBooking', () => {
  let s: DirectoryState = {
    ...emptyDirectory('s1'),
    schools: { sc1: SchoolSchema.parse({ id: 'sc1', siteId: 's1', name: 'École' }), staff: SchoolSchema.parse({ id: 'staff', siteId: 's1', name: 'Adultes', kind: 'adults' }) },
    classes: {
      cpa: SchoolClassSchema.parse({ id: 'cpa', siteId: 's1', schoolId: 'sc1', name: 'CP A' }),
      ad: SchoolClassSchema.parse({ id: 'ad', siteId: 's1', schoolId: 'staff', name: 'Adulte' }),
    },
    services: {
      meal: ServiceSchema.parse({ id: 'meal', siteId: 's1', name: 'Repas', billing: 'invoiced', billingOfficeId: 'bo', offeredTo: [{ schoolId: 'sc1' }, { schoolId: 'staff', classIds: ['ad'] }] }),
    },
  }
  s = ok(createHousehold(s, {
    household: { id: 'h1', name: 'Famille Dupont' },
    guardian: { id: 'marie', firstName: 'Marie', lastName: 'Dupont' },
    child: { newChild: { id: 'lea', firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14' }, relationship: 'mother' },
    today: '2026-09-01',
  }))
  s = ok(enrol(s, { id: 'e1', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01', to: '2027-07-03' }, { maxPupils: null }))
  s = ok(subscribeToService(s, { id: 'r1', beneficiaryId: 'lea', serviceId: 'meal', from: '2026-09-07' }))
  s = ok(setAdultBooking(s, 'marie', true))
  s = ok(enrol(s, { id: 'e2', beneficiaryId: 'marie', beneficiaryKind: 'adult', schoolId: 'staff', classId: 'ad', from: '2026-09-01' }, { maxPupils: null }))
  s = ok(archiveChild(s, 'lea', { on: '2027-07-04' }))

  it('gives booking the offers and every beneficiary with enrolments, rights and groups', () => {
    expect(directoryForBooking(s)).toEqual({
      offers: [
        { serviceId: 'meal', schoolId: 'sc1' },
        { serviceId: 'meal', schoolId: 'staff', classIds: ['ad'] },
      ],
      children: [
        { id: 'lea', archived: true, groupIds: ['cpa', 'sc1'], enrolments: [{ schoolId: 'sc1', classId: 'cpa', from: '2026-09-01', to: '2027-07-03' }], subscriptions: [{ serviceId: 'meal', from: '2026-09-07', to: undefined }] },
        { id: 'marie', archived: false, groupIds: ['ad', 'staff'], enrolments: [{ schoolId: 'staff', classId: 'ad', from: '2026-09-01', to: undefined }], subscriptions: [] },
      ],
    })
  })

  it('is accepted by the booking context schema', () => {
    const parsed = BookingContextInputSchema.safeParse({ timeZone: 'Europe/Paris', services: [], ...directoryForBooking(s) })
    expect(parsed.success).toBe(true)
  })
})

describe('bookingServicesOf: the booking settings kept on the stored service records', () => {
  const cutoff = { kind: 'daysBefore', days: 2, count: 'weekdays', at: '10:00' } as const
  const state: DirectoryState = {
    ...emptyDirectory('s1'),
    services: {
      snack: ServiceSchema.parse({ id: 'snack', siteId: 's1', name: 'Goûter', billing: 'prepaid', billingOfficeId: 'bo', weekdays: [1, 2, 4, 5], startTime: '16:30', bookingCutoff: cutoff, price: { amount: '0.8', currency: 'EUR' } }),
      meal: ServiceSchema.parse({ id: 'meal', siteId: 's1', name: 'Repas', billing: 'invoiced', billingOfficeId: 'bo', capacity: 60, bookingCutoff: cutoff, cancellationCutoff: { kind: 'none' } }),
      centre: ServiceSchema.parse({ id: 'centre', siteId: 's1', name: 'Centre de loisirs', billing: 'invoiced', billingOfficeId: 'bo', openingsOnly: true }),
    },
  }

  it('gives each service its weekdays, payment, price, start, cut-offs, capacity and opening rule, in id order', () => {
    expect(bookingServicesOf(state)).toEqual([
      { id: 'centre', weekdays: [1, 2, 3, 4, 5], payment: 'invoiced', openingsOnly: true },
      { id: 'meal', weekdays: [1, 2, 3, 4, 5], payment: 'invoiced', bookingCutoff: cutoff, cancellationCutoff: { kind: 'none' }, capacity: 60 },
      { id: 'snack', weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, startsAt: '16:30', bookingCutoff: cutoff },
    ])
  })

  it('prepares a booking context that applies them (the cut-off, the prepaid price)', () => {
    const ctx = prepareBookingContext({
      timeZone: 'Europe/Paris',
      services: bookingServicesOf(state),
      offers: [{ serviceId: 'meal', schoolId: 'sc' }, { serviceId: 'snack', schoolId: 'sc' }],
      children: [{ id: 'lea', enrolments: [{ schoolId: 'sc', classId: 'cp', from: '2026-09-01' }], subscriptions: [{ serviceId: 'meal', from: '2026-09-01' }, { serviceId: 'snack', from: '2026-09-01' }] }],
      billingRules: [{ id: 'r1', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'snack' }, { beneficiaryId: 'lea', serviceId: 'meal' }] }],
    })
    // Thursday 10 September: two weekdays before at 10:00 is Tuesday 8 September, 10:00 in Paris
    const late = checkBooking(ctx, { beneficiaryId: 'lea', serviceId: 'meal', date: '2026-09-10', at: '2026-09-08T08:00:01Z', actor: { kind: 'guardian', guardianId: 'mum' } })
    expect(late.ok ? [] : late.reasons.map((r) => r.code)).toEqual(['CUTOFF_PASSED'])
    expect(bookingReservations(ctx, { beneficiaryId: 'lea', serviceId: 'snack', date: '2026-09-10' })).toEqual([{ guardianId: 'mum', amount: { minor: 80n, currency: 'EUR' } }])
  })

  it('leaves a prepaid service without a price to the booking context, which refuses it naming the field', () => {
    const noPrice = { ...state, services: { snack: ServiceSchema.parse({ id: 'snack', siteId: 's1', name: 'Goûter', billing: 'prepaid', billingOfficeId: 'bo' }) } }
    expect(() => prepareBookingContext({ timeZone: 'Europe/Paris', services: bookingServicesOf(noPrice), children: [] })).toThrow(/services\.0\.price.*prepaid service needs a price/)
  })

  it('refuses a price that is not a decimal amount, naming the field', () => {
    const r = ServiceSchema.safeParse({ id: 'snack', siteId: 's1', name: 'Goûter', billing: 'prepaid', billingOfficeId: 'bo', price: { amount: 0.8, currency: 'EUR' } })
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toEqual(['price.amount'])
  })
})

import { describe, expect, it } from 'vitest'
import { prepareBookingContext, type BookingContextInput } from './booking-context'
import { checkBooking } from './check-booking'
import { bookingReservations } from './reservations'

// A prepaid snack at 0.80 EUR, paid by mum (and, in some tests, dad).
const site = (over: Partial<BookingContextInput> = {}): BookingContextInput => ({
  timeZone: 'Europe/Paris',
  services: [{ id: 'snack', weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, bookingCutoff: { kind: 'none' } }],
  offers: [{ serviceId: 'snack', schoolId: 'jaures' }],
  children: [{ id: 'lea', enrolments: [{ schoolId: 'jaures', classId: 'cp', from: '2026-09-01' }], subscriptions: [{ serviceId: 'snack', from: '2026-09-01' }] }],
  billingRules: [{ id: 'r', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'snack' }] }],
  wallets: [{ guardianId: 'mum', available: { amount: '10.00', currency: 'EUR' } }, { guardianId: 'dad', available: { amount: '0.00', currency: 'EUR' } }],
  ...over,
})
const payers = (list: Array<{ guardianId: string; weight: number }>) =>
  site({ billingRules: [{ id: 'r', from: '2026-09-01', criterion: { kind: 'always' }, payers: list, covers: [{ beneficiaryId: 'lea', serviceId: 'snack' }] }] })
const snack = (over: Record<string, unknown>) => site({ services: [{ id: 'snack', weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, bookingCutoff: { kind: 'none' }, ...over }] })

/** The INVALID_INPUT an input gets, with the fields it names (or the error's code when it is another). */
function refusal(input: BookingContextInput): { code: string; paths: string[] } {
  try {
    prepareBookingContext(input)
  } catch (e) {
    const err = e as { code: string; details?: { issues?: Array<{ path: string }> } }
    return { code: err.code, paths: (err.details?.issues ?? []).map((i) => i.path) }
  }
  return { code: 'none', paths: [] }
}

describe('prepareBookingContext refuses a bad configuration, naming the field', () => {
  it('refuses a price with more decimals than its currency (0.805 EUR) as INVALID_INPUT at services.0.price', () => {
    expect(refusal(snack({ price: { amount: '0.805', currency: 'EUR' } }))).toEqual({ code: 'INVALID_INPUT', paths: ['booking context.services.0.price'] })
  })

  it('refuses a negative prepaid price at services.0.price', () => {
    expect(refusal(snack({ price: { amount: '-0.80', currency: 'EUR' } }))).toEqual({ code: 'INVALID_INPUT', paths: ['booking context.services.0.price'] })
  })

  it('refuses a negative payer weight at billingRules.0.payers.1.weight', () => {
    expect(refusal(payers([{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: -1 }]))).toEqual({ code: 'INVALID_INPUT', paths: ['booking context.billingRules.0.payers.1.weight'] })
  })

  it('refuses a rule whose weights add up to zero (charge lines never bill it) at billingRules.0.payers', () => {
    expect(refusal(payers([{ guardianId: 'mum', weight: 0 }]))).toEqual({ code: 'INVALID_INPUT', paths: ['booking context.billingRules.0.payers'] })
  })

  it('refuses an enrolment or a subscription that ends before it starts, at its to', () => {
    const enrolment = site({ children: [{ id: 'lea', enrolments: [{ schoolId: 'jaures', classId: 'cp', from: '2026-09-01', to: '2026-08-01' }], subscriptions: [] }] })
    expect(refusal(enrolment)).toEqual({ code: 'INVALID_INPUT', paths: ['booking context.children.0.enrolments.0.to'] })
    const subscription = site({ children: [{ id: 'lea', enrolments: [], subscriptions: [{ serviceId: 'snack', from: '2026-09-01', to: '2026-08-31' }] }] })
    expect(refusal(subscription)).toEqual({ code: 'INVALID_INPUT', paths: ['booking context.children.0.subscriptions.0.to'] })
  })

  it('accepts a one-day enrolment and a free prepaid service', () => {
    expect(refusal(site({ children: [{ id: 'lea', enrolments: [{ schoolId: 'jaures', classId: 'cp', from: '2026-10-05', to: '2026-10-05' }] }] })).code).toBe('none')
    expect(refusal(snack({ price: { amount: '0.00', currency: 'EUR' } })).code).toBe('none')
  })
})

describe('bookingReservations', () => {
  const day = { beneficiaryId: 'lea', serviceId: 'snack', date: '2026-10-05' as const }

  it('reserves nothing from a payer weighted 0: the other payer reserves the whole price', () => {
    const ctx = prepareBookingContext(payers([{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 0 }]))
    expect(bookingReservations(ctx, day)).toEqual([{ guardianId: 'mum', amount: { minor: 80n, currency: 'EUR' } }])
    // dad's empty wallet does not refuse the day: his share is nothing
    expect(checkBooking(ctx, { ...day, at: '2026-09-28T08:00:00Z', actor: { kind: 'backOffice' } })).toEqual({ ok: true })
  })

  it('reserves nothing for a free prepaid day', () => {
    expect(bookingReservations(prepareBookingContext(snack({ price: { amount: '0.00', currency: 'EUR' } })), day)).toEqual([])
  })
})

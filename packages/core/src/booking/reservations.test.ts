import { describe, expect, it } from 'vitest'
import { prepareBookingContext, type BookingContextInput } from './booking-context'
import { bookingReservations } from './reservations'

const input = (payment: 'invoiced' | 'prepaid'): BookingContextInput => ({
  timeZone: 'Europe/Brussels',
  services: [{ id: 'canteen', weekdays: [1, 2, 4, 5], payment, price: { amount: '4.15', currency: 'EUR' } }],
  children: [{ id: 'lea' }],
  billingRules: [{
    id: 'r', from: '2026-09-01', to: '2027-06-30', criterion: { kind: 'always' },
    payers: [{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }],
  }],
})

describe('bookingReservations', () => {
  it('reserves the price split between the payers, the cents adding up to the price', () => {
    // 4.15 split 1:1 = 2.075 each: largest remainder gives the odd cent to the first payer
    expect(bookingReservations(prepareBookingContext(input('prepaid')), { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-10-05' })).toEqual([
      { guardianId: 'mum', amount: { minor: 208n, currency: 'EUR' } },
      { guardianId: 'dad', amount: { minor: 207n, currency: 'EUR' } },
    ])
  })

  it('reserves nothing for an invoiced service or a day no rule covers', () => {
    expect(bookingReservations(prepareBookingContext(input('invoiced')), { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-10-05' })).toEqual([])
    expect(bookingReservations(prepareBookingContext(input('prepaid')), { beneficiaryId: 'lea', serviceId: 'canteen', date: '2027-07-05' })).toEqual([])
  })
})

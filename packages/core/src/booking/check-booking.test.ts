import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { prepareBookingContext, type BookingContextInput } from './booking-context'
import { checkBooking, type BookingRequest } from './check-booking'
import type { BookingRefusal } from './refusal'

// A small French school, canteen Mon/Tue/Thu/Fri, booking closes 2 working days before at 10:00.
// Monday 2026-03-09 is the day booked in most tests; its cut-off is Thursday 2026-03-05 10:00 Paris (09:00Z).
const base = (): BookingContextInput & Required<Pick<BookingContextInput, 'children' | 'services'>> => ({
  timeZone: 'Europe/Paris',
  services: [{ id: 'canteen', weekdays: [1, 2, 4, 5], bookingCutoff: { kind: 'daysBefore', days: 2, count: 'weekdays', at: '10:00' } }],
  offers: [{ serviceId: 'canteen', schoolId: 'jaures', classIds: ['cp'] }],
  publicHolidays: ['2026-05-14'],
  children: [
    {
      id: 'lea', groupIds: ['maternelle'],
      enrolments: [{ schoolId: 'jaures', classId: 'cp', from: '2025-09-01', to: '2026-07-04' }],
      subscriptions: [{ serviceId: 'canteen', from: '2025-09-01' }],
    },
  ],
  billingRules: [
    { id: 'r1', from: '2025-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'mum', weight: 1 }], jointDebtorIds: ['granny'], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }] },
  ],
})
const req = (over: Partial<BookingRequest> = {}): BookingRequest => ({
  beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09', at: '2026-03-02T08:00:00Z', actor: { kind: 'guardian', guardianId: 'mum' }, ...over,
})
const codes = (input: BookingContextInput, r: BookingRequest) => {
  const res = checkBooking(prepareBookingContext(input), r)
  return res.ok ? [] : res.reasons.map((x) => x.code)
}
const reasons = (input: BookingContextInput, r: BookingRequest): BookingRefusal[] => {
  const res = checkBooking(prepareBookingContext(input), r)
  return res.ok ? [] : res.reasons
}

describe('checkBooking', () => {
  it('allows a subscribed, enrolled child on an open day before the cut-off, booked by the payer', () => {
    expect(checkBooking(prepareBookingContext(base()), req())).toEqual({ ok: true })
  })

  it('refuses an archived child (CHILD_ARCHIVED)', () => {
    const input = base()
    input.children[0]!.archived = true
    expect(reasons(input, req())).toEqual([{ code: 'CHILD_ARCHIVED', childId: 'lea' }])
  })

  it('refuses a day no enrolment covers (NOT_ENROLLED): the seed says check the current or coming cursus', () => {
    expect(reasons(base(), req({ date: '2026-09-07', at: '2026-09-01T08:00:00Z' }))).toContainEqual({ code: 'NOT_ENROLLED', childId: 'lea', date: '2026-09-07' })
  })

  it("refuses a service not linked to the child's class (SERVICE_NOT_OFFERED)", () => {
    const input = base()
    input.offers = [{ serviceId: 'canteen', schoolId: 'jaures', classIds: ['ce1'] }]
    expect(reasons(input, req())).toEqual([{ code: 'SERVICE_NOT_OFFERED', serviceId: 'canteen', schoolId: 'jaures', classId: 'cp' }])
  })

  it('refuses a child with no rights to the service that day (NOT_SUBSCRIBED): the seed says check the services', () => {
    const input = base()
    input.children[0]!.subscriptions = [{ serviceId: 'canteen', from: '2026-04-01' }]
    expect(codes(input, req())).toEqual(['NOT_SUBSCRIBED'])
  })

  it('refuses a day inside a holiday period (CLOSED): the seed says create the holiday periods', () => {
    const input = base()
    input.periods = [{ id: 'winter', kind: 'closure', label: "Vacances d'hiver", from: '2026-02-21', to: '2026-03-08', scopes: [{ serviceId: 'canteen' }] }]
    expect(reasons(input, req({ date: '2026-03-06', at: '2026-02-01T08:00:00Z' }))).toEqual([
      { code: 'CLOSED', date: '2026-03-06', closure: { cause: 'closurePeriod', periodId: 'winter', label: "Vacances d'hiver" } },
    ])
  })

  it('refuses a public holiday and a weekday the service does not run (CLOSED)', () => {
    expect(reasons(base(), req({ date: '2026-05-14', at: '2026-05-01T08:00:00Z' }))).toEqual([{ code: 'CLOSED', date: '2026-05-14', closure: { cause: 'publicHoliday', date: '2026-05-14' } }])
    expect(reasons(base(), req({ date: '2026-03-11' }))).toEqual([{ code: 'CLOSED', date: '2026-03-11', closure: { cause: 'weekday', weekday: 3 } }])
  })

  it("refuses a day outside the billing rule's dates (NO_BILLING_RULE): the seed says check the rules' application dates", () => {
    const input = base()
    input.billingRules![0]!.to = '2026-02-28'
    expect(reasons(input, req())).toEqual([{ code: 'NO_BILLING_RULE', reason: 'RULE_STOPPED', ruleIds: ['r1'] }])
  })

  it("refuses the other parent's week (NO_BILLING_RULE): the seed says check for an even/odd week criterion", () => {
    const input = base()
    // 2026-03-09 is in ISO week 11 (odd)
    input.billingRules![0]!.criterion = { kind: 'isoParity', parity: 'even', week53: 'odd' }
    expect(reasons(input, req())).toEqual([{ code: 'NO_BILLING_RULE', reason: 'CRITERION_EXCLUDES_DATE', ruleIds: ['r1'] }])
  })

  it('refuses a portal guardian who is neither payer nor joint debtor (NOT_PAYER): the seed says the login must be on the payer', () => {
    expect(reasons(base(), req({ actor: { kind: 'guardian', guardianId: 'dad' } }))).toEqual([
      { code: 'NOT_PAYER', guardianId: 'dad', payerIds: ['mum'], jointDebtorInPrepaid: false },
    ])
  })

  it('lets the joint debtor book an invoiced service', () => {
    expect(codes(base(), req({ actor: { kind: 'guardian', guardianId: 'granny' } }))).toEqual([])
  })

  it('refuses the joint debtor in prepaid-basket mode (NOT_PAYER), as the seed warns', () => {
    const input = base()
    input.services[0] = { ...input.services[0]!, payment: 'prepaid', price: { amount: '4.15', currency: 'EUR' } }
    input.wallets = [{ guardianId: 'mum', available: { amount: '100.00', currency: 'EUR' } }]
    expect(reasons(input, req({ actor: { kind: 'guardian', guardianId: 'granny' } }))).toEqual([
      { code: 'NOT_PAYER', guardianId: 'granny', payerIds: ['mum'], jointDebtorInPrepaid: true },
    ])
  })

  it('lets the back office book for any family', () => {
    expect(codes(base(), req({ actor: { kind: 'backOffice' } }))).toEqual([])
  })

  it('refuses a portal guardian who has not given a required consent (CONSENT_MISSING), not the back office', () => {
    const input = base()
    input.consents = [
      { id: 'rules', label: 'Règlement de la cantine', serviceIds: ['canteen'] },
      { id: 'photo', label: 'Droit à l’image', groupIds: ['elementaire'] },
      { id: 'given', label: 'Charte' },
    ]
    input.consentsGiven = [{ consentId: 'given', guardianId: 'mum' }]
    expect(reasons(input, req())).toEqual([{ code: 'CONSENT_MISSING', consentId: 'rules', label: 'Règlement de la cantine' }])
    expect(codes(input, req({ actor: { kind: 'backOffice' } }))).toEqual([])
  })

  it('refuses after the cut-off with the deadline in the site zone (CUTOFF_PASSED)', () => {
    expect(reasons(base(), req({ at: '2026-03-05T09:00:00Z' }))).toEqual([
      { code: 'CUTOFF_PASSED', action: 'book', instant: '2026-03-05T09:00:00.000Z', local: '2026-03-05T10:00', timeZone: 'Europe/Paris' },
    ])
    expect(codes(base(), req({ at: '2026-03-05T08:59:59Z' }))).toEqual([])
  })

  it('applies the cut-off to the back office too: it is enforced wherever a booking is written', () => {
    expect(codes(base(), req({ at: '2026-03-06T08:00:00Z', actor: { kind: 'backOffice' } }))).toEqual(['CUTOFF_PASSED'])
  })

  it('refuses a prepaid booking the wallet cannot cover, with the shortfall (INSUFFICIENT_BALANCE)', () => {
    const input = base()
    input.services[0] = { ...input.services[0]!, payment: 'prepaid', price: { amount: '4.15', currency: 'EUR' } }
    input.wallets = [{ guardianId: 'mum', available: { amount: '1.80', currency: 'EUR' } }]
    expect(reasons(input, req())).toEqual([
      {
        code: 'INSUFFICIENT_BALANCE', guardianId: 'mum', price: { amount: '4.15', currency: 'EUR' },
        available: { amount: '1.80', currency: 'EUR' }, shortfall: { amount: '2.35', currency: 'EUR' },
      },
    ])
  })

  it("checks each payer's share against their own wallet when a rule splits 1:2", () => {
    const input = base()
    input.services[0] = { ...input.services[0]!, payment: 'prepaid', price: { amount: '3.00', currency: 'EUR' } }
    input.billingRules![0]!.payers = [{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 2 }]
    input.wallets = [{ guardianId: 'mum', available: { amount: '1.00', currency: 'EUR' } }, { guardianId: 'dad', available: { amount: '1.50', currency: 'EUR' } }]
    expect(reasons(input, req())).toEqual([
      { code: 'INSUFFICIENT_BALANCE', guardianId: 'dad', price: { amount: '2.00', currency: 'EUR' }, available: { amount: '1.50', currency: 'EUR' }, shortfall: { amount: '0.50', currency: 'EUR' } },
    ])
  })

  it("refuses a payer whose unpaid debt is above the site's threshold (DEBT_LIMIT)", () => {
    const input = { ...base(), debtLimit: { amount: '50.00', currency: 'EUR' }, debts: [{ guardianId: 'mum', unpaid: { amount: '50.01', currency: 'EUR' } }] }
    expect(reasons(input, req())).toEqual([{ code: 'DEBT_LIMIT', guardianId: 'mum', debt: { amount: '50.01', currency: 'EUR' }, limit: { amount: '50.00', currency: 'EUR' } }])
    expect(codes({ ...input, debts: [{ guardianId: 'mum', unpaid: { amount: '50.00', currency: 'EUR' } }] }, req())).toEqual([])
  })

  it('refuses when every place of the day is taken (FULL)', () => {
    const input = base()
    input.services[0] = { ...input.services[0]!, capacity: 1 }
    input.children.push({ id: 'tom', enrolments: [{ schoolId: 'jaures', classId: 'cp', from: '2025-09-01' }] })
    input.bookings = [{ beneficiaryId: 'tom', serviceId: 'canteen', date: '2026-03-09' }]
    expect(reasons(input, req())).toEqual([{ code: 'FULL', capacity: 1, booked: 1 }])
  })

  it('refuses a day already booked (ALREADY_BOOKED)', () => {
    const input = { ...base(), bookings: [{ beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09' }] }
    expect(reasons(input, req())).toEqual([{ code: 'ALREADY_BOOKED', date: '2026-03-09' }])
  })

  it('refuses to cancel a billed booking (ALREADY_BILLED) or after the cancellation cut-off', () => {
    const input = { ...base(), bookings: [{ beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09', billed: true }] }
    expect(codes(input, req({ action: 'cancel' }))).toEqual(['ALREADY_BILLED'])
    expect(codes(input, req({ action: 'cancel', at: '2026-03-08T08:00:00Z' }))).toEqual(['CUTOFF_PASSED', 'ALREADY_BILLED'])
  })

  it('refuses to cancel a day the child is not booked on (NOT_BOOKED): there is nothing to cancel', () => {
    expect(reasons(base(), req({ action: 'cancel' }))).toEqual([{ code: 'NOT_BOOKED', date: '2026-03-09' }])
    const booked = { ...base(), bookings: [{ beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09' }] }
    expect(checkBooking(prepareBookingContext(booked), req({ action: 'cancel' }))).toEqual({ ok: true })
  })

  it('refuses a portal guardian cancelling a booked day no billing rule covers (NOT_PAYER, no payer): a stopped rule makes no guardian its payer, the back office cancels it', () => {
    const booked = { ...base(), bookings: [{ beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09' }] }
    booked.billingRules![0]!.to = '2026-03-08'
    for (const guardianId of ['mum', 'stranger']) {
      expect(reasons(booked, req({ action: 'cancel', actor: { kind: 'guardian', guardianId } }))).toEqual([{ code: 'NOT_PAYER', guardianId, payerIds: [], jointDebtorInPrepaid: false }])
    }
    expect(checkBooking(prepareBookingContext(booked), req({ action: 'cancel', actor: { kind: 'backOffice' } }))).toEqual({ ok: true })
  })

  it('uses the separate cancellation cut-off when one is given', () => {
    const input = base()
    input.services[0] = { ...input.services[0]!, cancellationCutoff: { kind: 'daysBefore', days: 0, count: 'calendar', at: '09:00' } }
    input.bookings = [{ beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09' }]
    expect(codes(input, req({ action: 'cancel', at: '2026-03-09T07:59:00Z' }))).toEqual([])
    expect(reasons(input, req({ action: 'cancel', at: '2026-03-09T08:00:00Z' }))).toEqual([
      { code: 'CUTOFF_PASSED', action: 'cancel', instant: '2026-03-09T08:00:00.000Z', local: '2026-03-09T09:00', timeZone: 'Europe/Paris' },
    ])
  })

  it('returns every reason that applies, in the documented order', () => {
    const input = base()
    input.children[0]!.archived = true
    input.children[0]!.subscriptions = []
    expect(codes(input, req({ date: '2026-03-11', at: '2026-03-10T12:00:00Z', actor: { kind: 'guardian', guardianId: 'dad' } }))).toEqual([
      'CHILD_ARCHIVED', 'NOT_SUBSCRIBED', 'CLOSED', 'NOT_PAYER', 'CUTOFF_PASSED',
    ])
  })

  it('throws for a child or service the context does not know', () => {
    const ctx = prepareBookingContext(base())
    for (const r of [req({ beneficiaryId: 'nobody' }), req({ serviceId: 'pool' })]) {
      try {
        checkBooking(ctx, r)
        expect.unreachable()
      } catch (e) {
        expect(isEcoleError(e) && ['UNKNOWN_CHILD', 'UNKNOWN_SERVICE'].includes(e.code)).toBe(true)
      }
    }
  })

  it('refuses to prepare a context with invalid data, naming the field', () => {
    expect(() => prepareBookingContext({ ...base(), timeZone: 'Europe/Atlantis' })).toThrow(/timeZone/)
    expect(() => prepareBookingContext({ ...base(), services: [{ id: 'x', weekdays: [1], payment: 'prepaid' }] })).toThrow(/price/)
  })
})

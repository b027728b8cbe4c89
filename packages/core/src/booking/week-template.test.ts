import { describe, expect, it } from 'vitest'
import { prepareBookingContext, type BookingContextInput } from './booking-context'
import { planWeekTemplate, planWeekTemplates, weekTemplateDates, weekTemplateRRule, WeekTemplateSchema, type WeekTemplate } from './week-template'
import { RRule } from './rrule-shim'
import { parseInput } from '../errors'

const input = (over: Partial<BookingContextInput> = {}): BookingContextInput => ({
  timeZone: 'Europe/Paris',
  services: [{ id: 'canteen', weekdays: [1, 2, 4, 5], bookingCutoff: { kind: 'daysBefore', days: 1, count: 'calendar', at: '10:00' } }],
  offers: [{ serviceId: 'canteen', schoolId: 's' }],
  publicHolidays: ['2026-11-11'],
  periods: [{ id: 'toussaint', kind: 'closure', label: 'Toussaint', from: '2026-10-17', to: '2026-11-01', scopes: [{ serviceId: 'canteen' }] }],
  children: [{ id: 'lea', enrolments: [{ schoolId: 's', classId: 'k', from: '2026-09-01' }], subscriptions: [{ serviceId: 'canteen', from: '2026-09-01' }] }],
  billingRules: [{ id: 'r', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }] }],
  ...over,
})
const tpl = (over: Partial<WeekTemplate> = {}): WeekTemplate => ({
  beneficiaryId: 'lea', serviceId: 'canteen', weekdays: [1, 2, 4, 5], from: '2026-10-12', to: '2026-11-13', recurrence: { kind: 'everyWeek' }, mode: 'add', ...over,
})
const opts = { at: '2026-09-01T08:00:00Z', actor: { kind: 'backOffice' as const } }

describe('weekTemplateDates', () => {
  it('lists the chosen weekdays of every week of the period', () => {
    expect(weekTemplateDates({ weekdays: [2, 4], from: '2026-09-01', to: '2026-09-10', recurrence: { kind: 'everyWeek' } })).toEqual([
      '2026-09-01', '2026-09-03', '2026-09-08', '2026-09-10',
    ])
  })

  it('takes every other week from the week of the first day, or from an anchor Monday', () => {
    expect(weekTemplateDates({ weekdays: [1], from: '2026-09-01', to: '2026-09-30', recurrence: { kind: 'everyOtherWeek' } })).toEqual(['2026-09-14', '2026-09-28'])
    expect(weekTemplateDates({ weekdays: [1], from: '2026-09-01', to: '2026-09-30', recurrence: { kind: 'everyOtherWeek', anchorMonday: '2026-09-07' } })).toEqual(['2026-09-07', '2026-09-21'])
  })

  it('takes only the listed ISO weeks, across the 2026-W53 year end', () => {
    expect(weekTemplateDates({ weekdays: [1, 5], from: '2026-12-01', to: '2027-01-31', recurrence: { kind: 'weekList', weeks: ['2026-W53', '2027-W02'] } })).toEqual([
      '2026-12-28', '2027-01-01', '2027-01-11', '2027-01-15',
    ])
  })

  it('refuses an anchor that is not a Monday, naming the field', () => {
    expect(() => weekTemplateDates({ weekdays: [1], from: '2026-09-01', to: '2026-09-30', recurrence: { kind: 'everyOtherWeek', anchorMonday: '2026-09-08' } })).toThrow(/anchorMonday/)
  })

  it('states weekly templates as an RRULE on UTC-floating dates', () => {
    expect(weekTemplateRRule({ weekdays: [1, 2, 4, 5], from: '2026-09-01', to: '2027-07-03', recurrence: { kind: 'everyOtherWeek' } })).toBe(
      'DTSTART:20260901T000000Z\nRRULE:FREQ=WEEKLY;INTERVAL=2;WKST=MO;BYDAY=MO,TU,TH,FR;UNTIL=20270703T000000Z',
    )
    expect(weekTemplateRRule({ weekdays: [1], from: '2026-09-01', to: '2027-07-03', recurrence: { kind: 'weekList', weeks: ['2026-W40'] } })).toBeUndefined()
  })

  it('states every other week in the anchor\'s weeks, and nothing before the first day', () => {
    const expand = (rule: string) => RRule.fromString(rule).all().map((d) => d.toISOString().slice(0, 10)) // UTC-floating dates
    // anchor after the first day, in the other week: Mondays 2026-09-07 and 2026-09-21 (not 09-14, 09-28)
    const later: Pick<WeekTemplate, 'weekdays' | 'from' | 'to' | 'recurrence'> = { weekdays: [1], from: '2026-09-01', to: '2026-09-30', recurrence: { kind: 'everyOtherWeek', anchorMonday: '2026-09-07' } }
    expect(weekTemplateDates(later)).toEqual(['2026-09-07', '2026-09-21'])
    expect(expand(weekTemplateRRule(later)!)).toEqual(['2026-09-07', '2026-09-21'])
    // anchor before the first day (2026-08-24, two weeks before 09-07): nothing before 2026-09-01
    const earlier: typeof later = { ...later, recurrence: { kind: 'everyOtherWeek', anchorMonday: '2026-08-24' } }
    expect(expand(weekTemplateRRule(earlier)!)).toEqual(['2026-09-07', '2026-09-21'])
  })

  it('refuses an ISO week the year does not have (2025-W53, 2026-W00, 2026-W60) as INVALID_INPUT naming it, and accepts 2026-W53', () => {
    const template = (weeks: string[]) => WeekTemplateSchema.safeParse({ beneficiaryId: 'lea', serviceId: 'canteen', weekdays: [1], from: '2026-09-01', to: '2027-06-30', recurrence: { kind: 'weekList', weeks }, mode: 'add' })
    for (const week of ['2025-W53', '2026-W00', '2026-W60']) {
      const parsed = template(['2026-W40', week])
      expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual(['recurrence.weeks.1'])
    }
    expect(template(['2026-W53']).success).toBe(true)
    try {
      parseInput(WeekTemplateSchema, { beneficiaryId: 'lea', serviceId: 'canteen', weekdays: [1], from: '2026-09-01', to: '2027-06-30', recurrence: { kind: 'weekList', weeks: ['2025-W53'] }, mode: 'add' }, 'template')
      expect.unreachable('2025-W53 was accepted')
    } catch (e) {
      expect((e as { code: string; details: { issues: Array<{ path: string }> } }).code).toBe('INVALID_INPUT')
      expect((e as { details: { issues: Array<{ path: string }> } }).details.issues.map((i) => i.path)).toEqual(['template.recurrence.weeks.0'])
    }
  })
})

describe('planWeekTemplate', () => {
  it('books every open day and refuses holidays and public holidays with their reasons', () => {
    const r = planWeekTemplate(prepareBookingContext(input()), tpl(), opts)
    // 12..16 Oct: Mon Tue Thu Fri = 4; Toussaint 17 Oct..1 Nov closed (8 template days); 2..13 Nov = 8 days, 11 Nov (Wed) is not a canteen day
    expect(r.counts).toEqual({ booked: 12, kept: 0, refused: 8, cancelled: 0 })
    expect(r.days).toHaveLength(20)
    expect(r.days.filter((d) => d.status === 'refused').every((d) => d.reasons?.[0]?.code === 'CLOSED')).toBe(true)
    expect(r.complete).toBe(false)
  })

  it('keeps existing bookings in add mode', () => {
    const r = planWeekTemplate(prepareBookingContext(input({ bookings: [{ beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-10-12' }] })), tpl({ to: '2026-10-16' }), opts)
    expect(r.days.map((d) => [d.date, d.status])).toEqual([['2026-10-12', 'kept'], ['2026-10-13', 'booked'], ['2026-10-15', 'booked'], ['2026-10-16', 'booked']])
    expect(r.complete).toBe(true)
  })

  it('replaces unbilled bookings the template drops, never billed ones', () => {
    const ctx = prepareBookingContext(
      input({
        bookings: [
          { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-10-13', billed: false },
          { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-10-15', billed: true },
          { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-10-12', billed: true },
        ],
      }),
    )
    const r = planWeekTemplate(ctx, tpl({ to: '2026-10-16', weekdays: [1, 5], mode: 'replace' }), opts)
    expect(r.cancellations).toEqual([{ date: '2026-10-13', status: 'cancelled' }])
    expect(r.billedKept).toEqual(['2026-10-15'])
    expect(r.days.map((d) => [d.date, d.status])).toEqual([['2026-10-12', 'kept'], ['2026-10-16', 'booked']])
  })

  it('says when a replacement cannot cancel a booking after the cancellation cut-off', () => {
    const ctx = prepareBookingContext(input({ bookings: [{ beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-10-13' }] }))
    const r = planWeekTemplate(ctx, tpl({ to: '2026-10-16', weekdays: [1], mode: 'replace' }), { ...opts, at: '2026-10-12T09:00:00Z' })
    expect(r.cancellations[0]).toMatchObject({ date: '2026-10-13', status: 'refused', reasons: [{ code: 'CUTOFF_PASSED', action: 'cancel' }] })
    expect(r.complete).toBe(false)
  })

  it('reserves each prepaid day in the wallet and refuses the days the balance no longer covers', () => {
    const ctx = prepareBookingContext(
      input({
        services: [{ id: 'canteen', weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: '4.15', currency: 'EUR' } }],
        wallets: [{ guardianId: 'mum', available: { amount: '10.00', currency: 'EUR' } }],
      }),
    )
    const r = planWeekTemplate(ctx, tpl({ to: '2026-10-16' }), { at: '2026-09-01T08:00:00Z', actor: { kind: 'guardian', guardianId: 'mum' } })
    expect(r.days.map((d) => d.status)).toEqual(['booked', 'booked', 'refused', 'refused'])
    expect(r.days[0]?.reservations).toEqual([{ guardianId: 'mum', amount: { minor: 415n, currency: 'EUR' } }])
    expect(r.days[2]?.reasons).toEqual([
      { code: 'INSUFFICIENT_BALANCE', guardianId: 'mum', price: { amount: '4.15', currency: 'EUR' }, available: { amount: '1.70', currency: 'EUR' }, shortfall: { amount: '2.45', currency: 'EUR' } },
    ])
  })

  it('does not change the context it plans on', () => {
    const ctx = prepareBookingContext(input())
    planWeekTemplate(ctx, tpl({ to: '2026-10-16' }), opts)
    expect(planWeekTemplate(ctx, tpl({ to: '2026-10-16' }), opts).counts.booked).toBe(4)
  })

  it('shares capacity between the templates of one run', () => {
    const ctx = prepareBookingContext(
      input({
        services: [{ id: 'canteen', weekdays: [1, 2, 4, 5], capacity: 1 }],
        children: [
          { id: 'lea', enrolments: [{ schoolId: 's', classId: 'k', from: '2026-09-01' }], subscriptions: [{ serviceId: 'canteen', from: '2026-09-01' }] },
          { id: 'tom', enrolments: [{ schoolId: 's', classId: 'k', from: '2026-09-01' }], subscriptions: [{ serviceId: 'canteen', from: '2026-09-01' }] },
        ],
        billingRules: [{ id: 'r', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }, { beneficiaryId: 'tom', serviceId: 'canteen' }] }],
      }),
    )
    const [a, b] = planWeekTemplates(ctx, [tpl({ to: '2026-10-12' }), tpl({ beneficiaryId: 'tom', to: '2026-10-12' })], opts)
    expect(a?.days[0]?.status).toBe('booked')
    expect(b?.days[0]?.reasons).toEqual([{ code: 'FULL', capacity: 1, booked: 1 }])
  })
})

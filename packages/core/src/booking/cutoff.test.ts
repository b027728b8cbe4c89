import { describe, expect, it } from 'vitest'
import { toEpochDay } from '../time'
import { prepareBookingContext } from './booking-context'
import { checkBooking } from './check-booking'
import { cutoffDay, cutoffInstant, type CutoffRule } from './cutoff'

const iso = (d: Date | undefined) => d?.toISOString()

describe('cutoffInstant across DST in Europe/Paris (clocks forward 2026-03-29, back 2026-10-25)', () => {
  const dayBefore: CutoffRule = { kind: 'daysBefore', days: 1, count: 'calendar', at: '10:00' }

  it('puts "the day before at 10:00" at 09:00Z in winter time and 08:00Z in summer time', () => {
    expect(iso(cutoffInstant(dayBefore, '2026-03-29', 'Europe/Paris'))).toBe('2026-03-28T09:00:00.000Z')
    expect(iso(cutoffInstant(dayBefore, '2026-03-30', 'Europe/Paris'))).toBe('2026-03-29T08:00:00.000Z')
    expect(iso(cutoffInstant(dayBefore, '2026-10-25', 'Europe/Paris'))).toBe('2026-10-24T08:00:00.000Z')
    expect(iso(cutoffInstant(dayBefore, '2026-10-26', 'Europe/Paris'))).toBe('2026-10-25T09:00:00.000Z')
  })

  it('moves a cut-off in the skipped hour forward by the gap (02:30 -> 03:30 CEST)', () => {
    expect(iso(cutoffInstant({ ...dayBefore, at: '02:30' }, '2026-03-30', 'Europe/Paris'))).toBe('2026-03-29T01:30:00.000Z')
  })

  it('takes the first 02:30 when the hour repeats', () => {
    expect(iso(cutoffInstant({ ...dayBefore, at: '02:30' }, '2026-10-26', 'Europe/Paris'))).toBe('2026-10-25T00:30:00.000Z')
  })

  it('puts "Thursday 10:00 of the previous week" on each side of the change at the right instant', () => {
    const thursday: CutoffRule = { kind: 'previousWeek', weekday: 4, at: '10:00' }
    expect(iso(cutoffInstant(thursday, '2026-03-30', 'Europe/Paris'))).toBe('2026-03-26T09:00:00.000Z')
    expect(iso(cutoffInstant(thursday, '2026-04-03', 'Europe/Paris'))).toBe('2026-03-26T09:00:00.000Z')
    expect(iso(cutoffInstant(thursday, '2026-04-06', 'Europe/Paris'))).toBe('2026-04-02T08:00:00.000Z')
  })
})

describe('cutoffInstant in Europe/Brussels', () => {
  it('reads "two working days before at 10:00" for Tuesday 10 March 2026 as Friday 6 March 10:00 (09:00Z)', () => {
    expect(iso(cutoffInstant({ kind: 'daysBefore', days: 2, count: 'weekdays', at: '10:00' }, '2026-03-10', 'Europe/Brussels'))).toBe('2026-03-06T09:00:00.000Z')
  })

  it('crosses the October change: Monday 26 October, one day before at 18:00 is 17:00Z', () => {
    expect(iso(cutoffInstant({ kind: 'daysBefore', days: 1, count: 'calendar', at: '18:00' }, '2026-10-26', 'Europe/Brussels'))).toBe('2026-10-25T17:00:00.000Z')
  })
})

describe('cutoffInstant refuses a rule that is not a CutoffRule', () => {
  const issuesOf = (run: () => unknown) => {
    try {
      run()
    } catch (e) {
      return { code: (e as { code?: string }).code, issues: (e as { details?: { issues?: unknown } }).details?.issues }
    }
    return undefined
  }
  it('names a misspelt key (time for at) and the keys it knows, not only the missing at', () => {
    const r = issuesOf(() => cutoffInstant({ kind: 'daysBefore', days: 1, count: 'calendar', time: '10:00' } as never, '2026-03-12', 'Europe/Paris'))
    expect(r?.code).toBe('INVALID_INPUT')
    expect(r?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'rule.time', code: 'unrecognized_keys', message: expect.stringMatching(/unknown key `time`.*known keys: kind, days, count, at/) })]))
  })
  it('names a time of day not written HH:MM', () => {
    const r = issuesOf(() => cutoffInstant({ kind: 'previousWeek', weekday: 4, at: '25:00' }, '2026-03-12', 'Europe/Paris'))
    expect(r).toEqual({ code: 'INVALID_INPUT', issues: [expect.objectContaining({ path: 'rule.at' })] })
  })
})

describe('cutoffDay', () => {
  it('skips weekends and public holidays when counting weekdays', () => {
    // Tuesday 26 May 2026, Whit Monday 25 May is a holiday: Friday 22, Thursday 21
    const holidays = new Set([toEpochDay('2026-05-25')])
    const d = cutoffDay({ kind: 'daysBefore', days: 2, count: 'weekdays', at: '10:00' }, toEpochDay('2026-05-26'), { isPublicHoliday: (x) => holidays.has(x), isSchoolDay: () => true })
    expect(d).toBe(toEpochDay('2026-05-21'))
  })

  it('counts only days the service runs when counting school days', () => {
    const wed = toEpochDay('2026-03-11')
    const d = cutoffDay({ kind: 'daysBefore', days: 1, count: 'schoolDays', at: '10:00' }, toEpochDay('2026-03-12'), { isPublicHoliday: () => false, isSchoolDay: (x) => x !== wed })
    expect(d).toBe(toEpochDay('2026-03-10'))
  })

  it('reads zero days before as the day itself', () => {
    expect(cutoffDay({ kind: 'daysBefore', days: 0, count: 'weekdays', at: '09:00' }, toEpochDay('2026-03-12'))).toBe(toEpochDay('2026-03-12'))
  })

  it('has no deadline for none', () => {
    expect(cutoffInstant({ kind: 'none' }, '2026-03-12', 'Europe/Paris')).toBeUndefined()
  })
})

describe('checkBooking cut-offs across DST', () => {
  const ctx = (zone: string, rule: CutoffRule) =>
    prepareBookingContext({
      timeZone: zone,
      services: [{ id: 'canteen', weekdays: [1, 2, 3, 4, 5], bookingCutoff: rule }],
      offers: [{ serviceId: 'canteen', schoolId: 's' }],
      children: [{ id: 'c', enrolments: [{ schoolId: 's', classId: 'k', from: '2026-01-01' }], subscriptions: [{ serviceId: 'canteen', from: '2026-01-01' }] }],
      billingRules: [{ id: 'r', from: '2026-01-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'g', weight: 1 }], covers: [{ beneficiaryId: 'c', serviceId: 'canteen' }] }],
    })
  const at = (zone: string, rule: CutoffRule, date: `${number}-${number}-${number}`, instant: string) =>
    checkBooking(ctx(zone, rule), { beneficiaryId: 'c', serviceId: 'canteen', date, at: instant, actor: { kind: 'guardian', guardianId: 'g' } }).ok

  for (const zone of ['Europe/Paris', 'Europe/Brussels']) {
    it(`accepts until the second before and refuses at the cut-off, on Sunday 29 March in ${zone}`, () => {
      const rule: CutoffRule = { kind: 'daysBefore', days: 1, count: 'calendar', at: '10:00' }
      expect(at(zone, rule, '2026-03-30', '2026-03-29T07:59:59Z')).toBe(true)
      expect(at(zone, rule, '2026-03-30', '2026-03-29T08:00:00Z')).toBe(false)
    })

    it(`accepts until the second before and refuses at the cut-off, on Sunday 25 October in ${zone}`, () => {
      const rule: CutoffRule = { kind: 'daysBefore', days: 1, count: 'calendar', at: '10:00' }
      expect(at(zone, rule, '2026-10-26', '2026-10-25T08:59:59Z')).toBe(true)
      expect(at(zone, rule, '2026-10-26', '2026-10-25T09:00:00Z')).toBe(false)
    })
  }

  it('gives the deadline on the site clock in the refusal', () => {
    const res = checkBooking(ctx('Europe/Brussels', { kind: 'previousWeek', weekday: 4, at: '10:00' }), {
      beneficiaryId: 'c', serviceId: 'canteen', date: '2026-03-30', at: '2026-03-27T12:00:00Z', actor: { kind: 'backOffice' },
    })
    expect(res).toEqual({ ok: false, reasons: [{ code: 'CUTOFF_PASSED', action: 'book', instant: '2026-03-26T09:00:00.000Z', local: '2026-03-26T10:00', timeZone: 'Europe/Brussels' }] })
  })
})

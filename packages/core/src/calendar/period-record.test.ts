import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { checkBooking, prepareBookingContext } from '../booking'
import { definePeriod, periodsOf, type PeriodRecordInput } from './period-record'

const strike: PeriodRecordInput = {
  id: 'strike', siteId: 'site-1', kind: 'closure', label: 'Grève', colour: '#D9822B', from: '2027-03-12', to: '2027-03-12',
  scopes: [{ serviceId: 'canteen', schoolId: 'jaures', classIds: ['cp-b', 'cp-a'] }, { serviceId: 'care' }],
}

function fieldsOf(f: () => unknown): string[] {
  try {
    f()
  } catch (e) {
    if (isEcoleError(e, 'INVALID_INPUT')) return e.details.issues.map((i) => i.path)
    throw e
  }
  throw new Error('did not throw')
}

describe('definePeriod', () => {
  it('stores a closure with its site, classes sorted, colour lower-case, scopes in service order', () => {
    expect(definePeriod({ ...strike, scopes: [...strike.scopes!].reverse() })).toEqual({
      id: 'strike', siteId: 'site-1', kind: 'closure', label: 'Grève', colour: '#d9822b', from: '2027-03-12', to: '2027-03-12',
      scopes: [{ serviceId: 'canteen', schoolId: 'jaures', classIds: ['cp-a', 'cp-b'] }, { serviceId: 'care' }],
    })
  })

  it('keeps the national calendar a generated period comes from', () => {
    expect(definePeriod({ ...strike, generatedFrom: { zone: 'FR-C', schoolYear: '2026-2027' } }).generatedFrom).toEqual({ zone: 'FR-C', schoolYear: '2026-2027' })
  })

  it('stores a period without services ("période sans prestations") with no scope', () => {
    const { scopes: _s, ...bare } = strike
    expect(definePeriod(bare).scopes).toEqual([])
  })

  it('treats null optional fields as absent (what a JSON form sends)', () => {
    const p = definePeriod({ ...strike, colour: null, generatedFrom: null, scopes: [{ serviceId: 'canteen', schoolId: null, classIds: null }] })
    expect(p).not.toHaveProperty('colour')
    expect(p).not.toHaveProperty('generatedFrom')
    expect(p.scopes).toEqual([{ serviceId: 'canteen' }])
  })

  it('refuses an end before the start, naming period.to', () => {
    expect(fieldsOf(() => definePeriod({ ...strike, to: '2027-03-11' }))).toEqual(['period.to'])
  })

  it('refuses a period longer than 366 days, naming period.to', () => {
    expect(fieldsOf(() => definePeriod({ ...strike, from: '2026-09-01', to: '2027-09-02' }))).toEqual(['period.to'])
    expect(definePeriod({ ...strike, from: '2026-09-01', to: '2027-09-01' }).to).toBe('2027-09-01')
  })

  it('refuses classes without their school, naming the scope\'s schoolId', () => {
    expect(fieldsOf(() => definePeriod({ ...strike, scopes: [{ serviceId: 'canteen', classIds: ['cp-a'] }] }))).toEqual(['period.scopes.0.schoolId'])
  })

  it('refuses an empty class list (it would close nothing)', () => {
    expect(fieldsOf(() => definePeriod({ ...strike, scopes: [{ serviceId: 'canteen', schoolId: 'jaures', classIds: [] }] }))).toEqual(['period.scopes.0.classIds'])
  })

  it('refuses the same service and school twice, naming the second scope', () => {
    expect(fieldsOf(() => definePeriod({ ...strike, scopes: [{ serviceId: 'care' }, { serviceId: 'care' }] }))).toEqual(['period.scopes.1'])
  })

  it('refuses a colour not written #RRGGBB, an empty label and a bad date, each by name', () => {
    expect(fieldsOf(() => definePeriod({ ...strike, colour: 'red', label: ' ', from: '2027-02-30' })).sort()).toEqual(['period.colour', 'period.from', 'period.label'])
  })
})

describe('periodsOf', () => {
  const records = [
    definePeriod({ ...strike, id: 'b', from: '2027-04-10', to: '2027-04-25' }),
    definePeriod({ ...strike, id: 'a', from: '2027-02-20', to: '2027-03-07', generatedFrom: { zone: 'FR-C', schoolYear: '2026-2027' } }),
  ]

  it('answers the periods in date order, without site or origin', () => {
    const periods = periodsOf(records)
    expect(periods.map((p) => p.id)).toEqual(['a', 'b'])
    expect(periods[0]).not.toHaveProperty('siteId')
    expect(periods[0]).not.toHaveProperty('generatedFrom')
  })

  it('keeps only the periods overlapping a range, both ends inclusive', () => {
    expect(periodsOf(records, { from: '2027-03-07', to: '2027-04-09' }).map((p) => p.id)).toEqual(['a'])
    expect(periodsOf(records, { from: '2027-03-08', to: '2027-04-09' })).toEqual([])
    expect(periodsOf(records, { from: '2027-04-25', to: '2027-05-01' }).map((p) => p.id)).toEqual(['b'])
  })

  it('refuses a record changed behind the library\'s back, naming it', () => {
    expect(fieldsOf(() => periodsOf([records[0]!, { ...records[1]!, to: '2027-01-01' }]))).toEqual(['periods.1.to'])
  })

  it('gives periods the booking context takes: a stored closure of the canteen refuses a day (CLOSED)', () => {
    const context = prepareBookingContext({
      timeZone: 'Europe/Paris', services: [{ id: 'canteen', weekdays: [1, 2, 4, 5] }], offers: [{ serviceId: 'canteen', schoolId: 'jaures' }],
      children: [{ id: 'lea', enrolments: [{ schoolId: 'jaures', classId: 'cp-a', from: '2026-09-01' }], subscriptions: [{ serviceId: 'canteen', from: '2026-09-01' }] }],
      billingRules: [{ id: 'r1', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }] }],
      periods: periodsOf([definePeriod(strike)]),
    })
    const request = { beneficiaryId: 'lea', serviceId: 'canteen', at: '2027-03-01T08:00:00Z', actor: { kind: 'guardian' as const, guardianId: 'mum' } }
    const closed = checkBooking(context, { ...request, date: '2027-03-12' })
    expect(closed.ok ? [] : closed.reasons.map((r) => r.code)).toEqual(['CLOSED'])
    expect(checkBooking(context, { ...request, date: '2027-03-11' }).ok).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import { addDays, addMonths, asLocalDate, daysBetween, endOfMonth, fromEpochDay, isLocalDate, localDate, startOfMonth, toEpochDay, weekday } from './local-date'
import { isoWeek } from './iso-week'
import { isEcoleError } from '../errors'
import { dateRange, eachDay, inRange, rangeLength, rangesOverlap } from './date-range'

describe('LocalDate', () => {
  it('accepts leap days of leap years only', () => {
    expect(isLocalDate('2028-02-29')).toBe(true)
    expect(isLocalDate('2000-02-29')).toBe(true)
    expect(isLocalDate('2026-02-29')).toBe(false)
    expect(isLocalDate('2100-02-29')).toBe(false)
  })
  it('refuses other shapes and impossible days, naming the field', () => {
    for (const bad of ['2026-3-2', '2026-13-01', '2026-04-31', '20260302', '2026-03-02T00:00', 20260302]) expect(isLocalDate(bad)).toBe(false)
    expect(() => asLocalDate('2026-02-30', 'enrolment.from')).toThrowError(/enrolment.from must be a calendar day/)
  })
  it('adds days across months, years and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(daysBetween('2026-09-01', '2027-07-03')).toBe(305)
  })
  it('knows 2 March 2026 is a Monday and 25 December 2026 a Friday', () => {
    expect(weekday('2026-03-02')).toBe(1)
    expect(weekday('2026-12-25')).toBe(5)
    expect(weekday('1970-01-01')).toBe(4)
  })
  it('adds months clamping to the end of the month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29')
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15')
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15')
    expect(startOfMonth('2026-03-17')).toBe('2026-03-01')
    expect(endOfMonth('2028-02-10')).toBe('2028-02-29')
    expect(localDate(2026, 3, 2)).toBe('2026-03-02')
  })
})

/** The code and the named field (details.field of INVALID_DATE, the issue path of INVALID_INPUT) of what `run` throws. */
function refusal(run: () => unknown): { code: string; field: unknown } | undefined {
  try {
    run()
  } catch (e) {
    if (!isEcoleError(e)) throw e
    const issues = (e.details as { issues?: Array<{ path: string }> }).issues
    return { code: e.code, field: e.code === 'INVALID_INPUT' ? issues?.[0]?.path : e.details['field'] }
  }
  return undefined
}

describe('the day helpers refuse what is not a day', () => {
  it('has no year 0000: the calendar starts on 0001-01-01', () => {
    expect(isLocalDate('0000-01-01')).toBe(false)
    expect(isLocalDate('0001-01-01')).toBe(true)
    expect(refusal(() => isoWeek('0000-01-01'))).toEqual({ code: 'INVALID_DATE', field: 'date' })
  })
  it('refuses a day that is not on the calendar, naming the argument, instead of rolling it over', () => {
    expect(refusal(() => addDays('2026-02-30' as never, 0))).toEqual({ code: 'INVALID_DATE', field: 'date' })
    expect(refusal(() => addDays(null as never, 1))).toEqual({ code: 'INVALID_DATE', field: 'date' })
    expect(refusal(() => weekday('xx' as never))).toEqual({ code: 'INVALID_DATE', field: 'date' })
    expect(refusal(() => daysBetween('a' as never, '2026-03-02'))).toEqual({ code: 'INVALID_DATE', field: 'from' })
    expect(refusal(() => daysBetween('2026-03-02', 'b' as never))).toEqual({ code: 'INVALID_DATE', field: 'to' })
    expect(refusal(() => toEpochDay('2026-1-15' as never))).toEqual({ code: 'INVALID_DATE', field: 'date' })
    expect(refusal(() => addMonths('2026-13-01' as never, 1))).toEqual({ code: 'INVALID_DATE', field: 'date' })
    expect(refusal(() => startOfMonth('2026-02-30' as never))).toEqual({ code: 'INVALID_DATE', field: 'date' })
    expect(refusal(() => endOfMonth('x' as never))).toEqual({ code: 'INVALID_DATE', field: 'date' })
  })
  it('refuses a count of days or months that is not a whole number, naming it', () => {
    expect(refusal(() => addDays('2026-01-01', Number.NaN))).toEqual({ code: 'INVALID_INPUT', field: 'days' })
    expect(refusal(() => addDays('2026-01-01', 1.5))).toEqual({ code: 'INVALID_INPUT', field: 'days' })
    expect(refusal(() => addDays('2026-01-01', '1' as never))).toEqual({ code: 'INVALID_INPUT', field: 'days' })
    expect(refusal(() => addMonths('2026-01-01', 0.5))).toEqual({ code: 'INVALID_INPUT', field: 'months' })
    expect(refusal(() => fromEpochDay(Number.NaN))).toEqual({ code: 'INVALID_INPUT', field: 'epochDay' })
  })
  it('refuses a result outside years 0001-9999 rather than writing a five-digit or zero year', () => {
    expect(refusal(() => addDays('9999-12-31', 1))).toEqual({ code: 'INVALID_INPUT', field: 'days' })
    expect(refusal(() => addDays('0001-01-01', -1))).toEqual({ code: 'INVALID_INPUT', field: 'days' })
    expect(refusal(() => addMonths('9999-12-01', 1))).toEqual({ code: 'INVALID_INPUT', field: 'months' })
    expect(refusal(() => fromEpochDay(toEpochDay('9999-12-31') + 1))).toEqual({ code: 'INVALID_INPUT', field: 'epochDay' })
    expect(addDays('9999-12-30', 1)).toBe('9999-12-31')
    expect(addDays('0001-01-02', -1)).toBe('0001-01-01')
  })
})

describe('DateRange', () => {
  it('includes both ends', () => {
    const christmas = dateRange('2026-12-19', '2027-01-03')
    expect(inRange('2026-12-19', christmas)).toBe(true)
    expect(inRange('2027-01-03', christmas)).toBe(true)
    expect(inRange('2027-01-04', christmas)).toBe(false)
    expect(rangeLength(christmas)).toBe(16)
    expect(eachDay({ from: '2026-02-27', to: '2026-03-02' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'])
  })
  it('treats a missing end as open', () => {
    expect(inRange('2099-01-01', { from: '2026-01-01' })).toBe(true)
    expect(rangesOverlap({ from: '2026-01-01' }, { from: '2030-01-01', to: '2030-01-02' })).toBe(true)
    expect(rangesOverlap({ from: '2026-01-01', to: '2026-01-31' }, { from: '2026-02-01' })).toBe(false)
  })
  it('refuses a range that ends before it starts', () => {
    expect(() => dateRange('2026-03-02', '2026-03-01')).toThrowError(/ends \(2026-03-01\) before it starts/)
  })
})

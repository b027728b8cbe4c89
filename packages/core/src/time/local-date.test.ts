import { describe, expect, it } from 'vitest'
import { addDays, addMonths, asLocalDate, daysBetween, endOfMonth, isLocalDate, localDate, startOfMonth, weekday } from './local-date'
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

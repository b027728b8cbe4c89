import { describe, expect, it } from 'vitest'
import { formatIsoWeek, isoWeek, isoWeekMonday, isoWeeksInYear } from './iso-week'
import { addDays, fromEpochDay, toEpochDay, type LocalDate } from './local-date'

/** Independent oracle: the ISO Thursday rule, with the host's UTC calendar (Date.UTC, getUTCDay). */
function oracle(date: LocalDate): { year: number; week: number } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(2000, 0, 1))
  t.setUTCFullYear(y, m - 1, d)
  const dow = t.getUTCDay() || 7
  t.setUTCDate(t.getUTCDate() + 4 - dow) // the Thursday of this week
  const year = t.getUTCFullYear()
  const jan1 = new Date(Date.UTC(2000, 0, 1))
  jan1.setUTCFullYear(year, 0, 1)
  return { year, week: Math.floor((t.getTime() - jan1.getTime()) / 86_400_000 / 7) + 1 }
}

describe('isoWeek', () => {
  it('puts Monday 2025-12-29 in 2026-W01', () => expect(isoWeek('2025-12-29')).toEqual({ year: 2026, week: 1 }))
  it('puts Friday 2027-01-01 in 2026-W53', () => expect(isoWeek('2027-01-01')).toEqual({ year: 2026, week: 53 }))
  it('puts Monday 2026-12-28 in 2026-W53 and Monday 2027-01-04 in 2027-W01 (both odd)', () => {
    expect(isoWeek('2026-12-28')).toEqual({ year: 2026, week: 53 })
    expect(isoWeek('2027-01-04')).toEqual({ year: 2027, week: 1 })
  })
  it('finds weeks 53 in 2020, 2026 and 2032 and none in the years between', () => {
    const with53 = []
    for (let y = 2020; y <= 2032; y++) if (isoWeeksInYear(y) === 53) with53.push(y)
    expect(with53).toEqual([2020, 2026, 2032])
  })
  it('agrees with the ISO Thursday rule on every day from 1970 to 2100', () => {
    const first = toEpochDay('1970-01-01')
    const last = toEpochDay('2100-12-31')
    let mismatches = 0
    for (let d = first; d <= last; d++) {
      const date = fromEpochDay(d)
      const a = isoWeek(date)
      const b = oracle(date)
      if (a.year !== b.year || a.week !== b.week) mismatches++
    }
    expect(mismatches).toBe(0)
  })
})

describe('isoWeekMonday', () => {
  it('gives the Monday of a week, across year ends', () => {
    expect(isoWeekMonday(2026, 53)).toBe('2026-12-28')
    expect(isoWeekMonday(2026, 1)).toBe('2025-12-29')
    expect(isoWeekMonday(2027, 1)).toBe('2027-01-04')
  })
  it('is the inverse of isoWeek on every Monday of 2020-2032', () => {
    for (let d: LocalDate = '2019-12-30'; d <= '2032-12-31'; d = addDays(d, 7)) {
      const w = isoWeek(d)
      expect(isoWeekMonday(w.year, w.week)).toBe(d)
    }
  })
  it('refuses week 53 of a 52-week year', () => {
    expect(() => isoWeekMonday(2027, 53)).toThrowError(/ISO year 2027 has no week 53/)
  })
  it('writes a week as YYYY-Www', () => expect(formatIsoWeek({ year: 2026, week: 5 })).toBe('2026-W05'))
})

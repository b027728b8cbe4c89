import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { addDays, weekday, type LocalDate } from '../time'
import {
  SCHOOL_HOLIDAY_DATA_ATTRIBUTION, frenchZoneOfAcademie, schoolHolidayCalendarId, schoolHolidayCalendars, schoolHolidays,
} from './school-holidays'
import { deriveSchoolHolidayRows, italianRegionNames, renderSchoolHolidayModule } from '../../scripts/derive-school-holidays'

const HOLIDAYS_DIR = fileURLToPath(new URL('../../../../../shared/data/holidays/', import.meta.url))
const present = existsSync(HOLIDAYS_DIR)
if (!present) console.log(`skipping the source comparisons: ${HOLIDAYS_DIR} is absent (../shared is not checked out here)`)
function readCsv(relative: string): Array<Record<string, string>> {
  const lines = readFileSync(HOLIDAYS_DIR + relative, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean)
  const header = (lines.shift() as string).split(';')
  return lines.map((l) => Object.fromEntries(header.map((h, i) => [h, l.split(';')[i] ?? ''])))
}
const covers = (calendar: string, day: LocalDate) => schoolHolidays(calendar).some((h) => h.from <= day && h.to >= day)

describe('shipped school holidays', () => {
  it('holds France A, B, C through 2026-2027, Corsica and the Belgian communities and Italian regions', () => {
    const cals = new Map(schoolHolidayCalendars().map((c) => [c.id, c.schoolYears]))
    for (const z of ['FR-A', 'FR-B', 'FR-C', 'BE-FR', 'BE-NL']) expect(cals.get(z)).toEqual(expect.arrayContaining(['2024-2025', '2025-2026', '2026-2027']))
    for (const z of ['FR-CORSE', 'BE-DE', 'IT-LO', 'IT-TR-BZ']) expect(cals.get(z)).toEqual(expect.arrayContaining(['2024-2025', '2025-2026']))
    expect(cals.get('BE-NL')).toContain('2028-2029')
  })

  it('has no class on the Ascension Fridays of 2024 to 2027 in every zone', () => {
    for (const friday of ['2024-05-10', '2025-05-30', '2026-05-15', '2027-05-07'] as const) {
      expect(weekday(friday)).toBe(5)
      for (const z of ['FR-A', 'FR-B', 'FR-C']) expect(covers(z, friday)).toBe(true)
    }
  })

  it('marks the 2024-2026 Ascension bridges as added from the official texts', () => {
    const bridge = schoolHolidays('FR-B', '2024-2025').find((h) => h.nameEn === 'Ascension Bridge')
    expect(bridge).toMatchObject({ from: '2025-05-29', to: '2025-06-01', origin: 'added' })
  })

  it('gives zone C (Montpellier and Toulouse included) its winter 2027 holidays', () => {
    expect(frenchZoneOfAcademie('Montpellier')).toBe('C')
    expect(frenchZoneOfAcademie('Toulouse')).toBe('C')
    const winter = schoolHolidays('FR-C', '2026-2027').find((h) => h.nameEn === 'Winter Holidays')
    expect(winter).toMatchObject({ from: '2027-02-07', to: '2027-02-21', origin: 'corrected' })
  })

  it('starts summer 2027 the day after the last lessons of Saturday 3 July, with a provisional end', () => {
    for (const z of ['FR-A', 'FR-B', 'FR-C']) {
      const summer = schoolHolidays(z, '2026-2027').find((h) => h.nameEn === 'Summer Holidays')
      expect(summer).toMatchObject({ from: addDays('2027-07-03', 1), origin: 'provisional' })
      expect(summer && summer.to >= '2027-08-01').toBe(true)
    }
  })

  it('keeps the last day of lessons of 2025-2026 a school day in every Italian region and starts summer the next day', () => {
    const lastLessons: Record<string, LocalDate> = { 'IT-CM': '2026-06-06', 'IT-LO': '2026-06-08', 'IT-AB': '2026-06-09', 'IT-BA': '2026-06-10', 'IT-LI': '2026-06-11', 'IT-TR-BZ': '2026-06-16' }
    for (const [calendar, day] of Object.entries(lastLessons)) {
      expect(covers(calendar, day)).toBe(false)
      const summer = schoolHolidays(calendar, '2025-2026').find((h) => h.nameEn === 'summer holidays')
      expect(summer).toMatchObject({ from: addDays(day, 1), to: '2026-08-31', origin: 'provisional' })
    }
    for (const c of schoolHolidayCalendars()) {
      if (!c.id.startsWith('IT-')) continue
      expect(schoolHolidays(c.id).filter((h) => h.nameEn === 'End of lessons')).toEqual([])
      for (const year of c.schoolYears) expect(schoolHolidays(c.id, year).some((h) => h.nameEn === 'summer holidays')).toBe(true)
    }
  })

  it('lists each holiday of a calendar once (the source names Basilicata twice on 2023-11-02)', () => {
    for (const c of schoolHolidayCalendars()) {
      const keys = schoolHolidays(c.id).map((h) => `${h.from}..${h.to} ${h.name}`)
      expect(new Set(keys).size).toBe(keys.length)
    }
    expect(schoolHolidays('IT-BA').filter((h) => h.from === '2023-11-02')).toHaveLength(1)
  })

  it('refuses a calendar it does not ship, naming the field and the nearest id', () => {
    for (const bad of ['FR-Z', null, undefined, 42, '']) {
      try {
        schoolHolidays(bad as never)
        expect.unreachable()
      } catch (e) {
        expect(isEcoleError(e, 'INVALID_INPUT') && e.details.issues[0]?.path).toBe('calendar')
      }
    }
    expect(() => schoolHolidays('FR-Z')).toThrow(/did you mean `FR-[ABC]`/)
  })

  it('refuses a school year not written YYYY-YYYY, naming the field, and gives no holiday for a year not shipped', () => {
    for (const bad of ['2026', 2026, '2026-2028', null]) {
      try {
        schoolHolidays('FR-A', bad as never)
        expect.unreachable()
      } catch (e) {
        expect(isEcoleError(e, 'INVALID_INPUT') && e.details.issues[0]?.path).toBe('schoolYear')
      }
    }
    expect(schoolHolidays('FR-A', '2040-2041')).toEqual([])
  })

  it('keeps every holiday inclusive and well ordered', () => {
    for (const c of schoolHolidayCalendars()) for (const h of schoolHolidays(c.id)) expect(h.from <= h.to).toBe(true)
  })

  it('carries the OpenHolidays attribution and its licence notice beside the data', () => {
    expect(SCHOOL_HOLIDAY_DATA_ATTRIBUTION).toBe('Data: OpenHolidays API (openholidaysapi.org), ODbL-1.0')
    const notice = readFileSync(fileURLToPath(new URL('./data/NOTICE.md', import.meta.url)), 'utf8')
    expect(notice).toContain('Data: OpenHolidays API (openholidaysapi.org), ODbL-1.0')
    expect(notice).toContain('Open Database License')
  })

  it('maps zones and académies to calendar ids', () => {
    expect(schoolHolidayCalendarId('a')).toBe('FR-A')
    expect(schoolHolidayCalendarId('Zone B')).toBe('FR-B')
    expect(schoolHolidayCalendarId('BE-NL')).toBe('BE-NL')
    expect(frenchZoneOfAcademie('Orléans-Tours')).toBe('B')
    expect(frenchZoneOfAcademie('Caen')).toBe('B')
    expect(frenchZoneOfAcademie('Guadeloupe')).toBeUndefined()
  })
})

describe.skipIf(!present)('the shipped table against its source', () => {
  it('shows the source lacks the 2024-2026 Ascension bridges that we add', () => {
    const rows = readCsv('fr/holidays/holidays.school.csv')
    for (const start of ['2024-05-09', '2025-05-29', '2026-05-14']) expect(rows.some((r) => r.StartDate === start)).toBe(false)
    expect(rows.some((r) => r.StartDate === '2027-05-06' && (r.Name ?? '').includes('Ascension'))).toBe(true)
  })

  it('shows the source zone C winter 2027 row lacks OC', () => {
    const row = readCsv('fr/holidays/holidays.school.csv').find((r) => r.StartDate === '2027-02-07')
    expect(row?.Subdivisions?.split(',')).toEqual(['ZC', 'IF'])
  })

  it('is exactly what the derivation script produces from the source today', () => {
    const shipped = readFileSync(fileURLToPath(new URL('./data/school-holidays.data.ts', import.meta.url)), 'utf8')
    expect(renderSchoolHolidayModule(deriveSchoolHolidayRows(HOLIDAYS_DIR), italianRegionNames(HOLIDAYS_DIR))).toBe(shipped)
  })

  it('keeps every source zone A holiday of 2024-2027 unchanged', () => {
    const rows = readCsv('fr/holidays/holidays.school.csv').filter(
      (r) => r.StartDate! >= '2024-08-15' && r.EndDate && (r.Subdivisions ?? '').split(',').includes('ZA'),
    )
    expect(rows.length).toBeGreaterThan(10)
    for (const r of rows) expect(schoolHolidays('FR-A').some((h) => h.from === r.StartDate && h.to === r.EndDate)).toBe(true)
  })
})

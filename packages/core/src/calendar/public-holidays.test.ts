import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { publicHolidayDates, publicHolidays } from './public-holidays'

const HOLIDAYS_DIR = fileURLToPath(new URL('../../../../../shared/data/holidays/', import.meta.url))
function readCsv(relative: string): Array<Record<string, string>> {
  const lines = readFileSync(HOLIDAYS_DIR + relative, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean)
  const header = (lines.shift() as string).split(';')
  return lines.map((l) => Object.fromEntries(header.map((h, i) => [h, l.split(';')[i] ?? ''])))
}

describe('publicHolidays', () => {
  it('lists the eleven French public holidays of 2026', () => {
    expect(publicHolidays({ country: 'FR' }, 2026).map((h) => h.date)).toEqual([
      '2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25',
      '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25',
    ])
  })

  it('adds Good Friday and 26 December in Alsace-Moselle', () => {
    const dates = publicHolidays({ country: 'FR', alsaceMoselle: true }, 2027).map((h) => h.date)
    expect(dates).toContain('2027-03-26') // Easter 2027-03-28 minus 2
    expect(dates).toContain('2027-12-26')
    expect(publicHolidays({ country: 'FR' }, 2027).map((h) => h.date)).not.toContain('2027-03-26')
  })

  it('closes Belgium on 21 July and on the community day', () => {
    expect(publicHolidays({ country: 'BE' }, 2026).map((h) => h.date)).toContain('2026-07-21')
    expect(publicHolidays({ country: 'BE', community: 'FR' }, 2026).find((h) => h.key === 'communityDay')?.date).toBe('2026-09-27')
    expect(publicHolidays({ country: 'BE', community: 'NL' }, 2026).find((h) => h.key === 'communityDay')?.date).toBe('2026-07-11')
    expect(publicHolidays({ country: 'BE', community: 'DE' }, 2026).find((h) => h.key === 'communityDay')?.date).toBe('2026-11-15')
    expect(publicHolidays({ country: 'BE' }, 2026).some((h) => h.key === 'communityDay')).toBe(false)
  })

  it('names Belgian holidays in the community language', () => {
    expect(publicHolidays({ country: 'BE', community: 'NL' }, 2026).find((h) => h.date === '2026-04-06')?.name).toBe('Paasmaandag')
  })

  it('makes 4 October a national holiday in Italy from 2026, not before', () => {
    expect(publicHolidays({ country: 'IT' }, 2026).map((h) => h.date)).toContain('2026-10-04')
    expect(publicHolidays({ country: 'IT' }, 2025).map((h) => h.date)).not.toContain('2025-10-04')
  })

  it('puts Italian Easter Monday the day after Easter', () => {
    expect(publicHolidays({ country: 'IT' }, 2026).find((h) => h.key === 'easterMonday')?.date).toBe('2026-04-06')
  })

  it('refuses an unknown country, naming the field', () => {
    expect(() => publicHolidays({ country: 'DE' } as never, 2026)).toThrow(/country/)
  })

  it('gives a flat sorted list over several years', () => {
    const dates = publicHolidayDates({ country: 'FR' }, 2026, 2027)
    expect(dates.length).toBe(22)
    expect([...dates].sort()).toEqual(dates)
  })
})

describe('publicHolidays against the OpenHolidays tables', () => {
  const present = existsSync(HOLIDAYS_DIR)
  if (!present) console.log(`skipping: ${HOLIDAYS_DIR} is absent (../shared is not checked out here)`)
  const years = [2024, 2025, 2026, 2027, 2028, 2029, 2030]
  const national = (country: string, file: string, year: number, keep: (r: Record<string, string>) => boolean = () => true) =>
    readCsv(file)
      .filter((r) => r.Country === country && r.StartDate?.startsWith(String(year)) && keep(r))
      .map((r) => r.StartDate as string)
      .sort()

  it.skipIf(!present)('agrees with the French national and Alsace-Moselle days', () => {
    for (const y of years) {
      expect(publicHolidays({ country: 'FR' }, y).map((h) => h.date)).toEqual(national('FR', 'fr/holidays/holidays.public.csv', y, (r) => r.RegionalScope === 'National'))
      const alsace = national('FR', 'fr/holidays/holidays.public.csv', y, (r) => r.RegionalScope === 'National' || (r.Subdivisions ?? '').includes('GE-MO'))
      expect(publicHolidays({ country: 'FR', alsaceMoselle: true }, y).map((h) => h.date)).toEqual(alsace)
    }
  })

  it.skipIf(!present)('agrees with the Belgian national days (Sundays aside)', () => {
    for (const y of years) {
      const table = national('BE', 'be/holidays/holidays.public.csv', y, (r) => !/^FR (Pâques|Pentecôte),/.test(r.Name ?? ''))
      expect(publicHolidays({ country: 'BE' }, y).map((h) => h.date)).toEqual(table)
    }
  })

  it.skipIf(!present)('agrees with the Italian national days, plus 4 October from 2026 which the table lacks', () => {
    for (const y of years) {
      const table = national('IT', 'it/holidays/holidays.public.csv', y, (r) => r.RegionalScope === 'National')
      const expected = y >= 2026 ? [...table, `${y}-10-04`].sort() : table
      expect(publicHolidays({ country: 'IT' }, y).map((h) => h.date)).toEqual(expected)
    }
  })
})

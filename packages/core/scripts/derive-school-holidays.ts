/**
 * Derives the school-holiday table that `@ecole/core` ships
 * (`packages/core/src/calendar/data/school-holidays.data.ts`) from the OpenHolidays API data
 * files (openpotato/openholidaysapi.data, ODbL-1.0) kept under `../shared/data/holidays/`.
 *
 * Run from the repository root:
 *
 *   npx tsx packages/core/scripts/derive-school-holidays.ts [holidaysDir] [outFile]
 *
 * The CSV files are read, never copied into the repository. The derived table keeps the
 * attribution "Data: OpenHolidays API (openholidaysapi.org), ODbL-1.0"; the licence notice lives
 * beside it (`src/calendar/data/NOTICE.md`). Known defects of the source are corrected here, each
 * correction named in `CORRECTIONS` and flagged in the output rows.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** One derived row (the shape of `SCHOOL_HOLIDAY_ROWS` in the generated file). */
export interface DerivedHolidayRow {
  calendar: string
  schoolYear: string
  from: string
  to: string
  name: string
  nameEn: string
  /** 'source' | 'corrected' | 'added' | 'provisional' */
  origin: 'source' | 'corrected' | 'added' | 'provisional'
  note?: string
}

/** First and last school years shipped (by the year they start). */
export const FIRST_YEAR = 2023
export const LAST_YEAR = 2028

/** French zones and the OpenHolidays subdivision codes (académie groups) that make them up. */
export const FRENCH_ZONE_CODES: Record<string, { zone: string; regions: string[] }> = {
  'FR-A': { zone: 'ZA', regions: ['AR', 'BF', 'NA'] },
  'FR-B': { zone: 'ZB', regions: ['BT', 'CV', 'GE', 'HF', 'NO', 'PC', 'PL'] },
  'FR-C': { zone: 'ZC', regions: ['IF', 'OC'] },
}

const ALL_FR_CODES = ['ZA', 'AR', 'BF', 'NA', 'ZB', 'BT', 'CV', 'GE', 'HF', 'NO', 'PC', 'PL', 'ZC', 'IF', 'OC']

/** The known defects of the source, fixed in what we ship (see ../shared/data/README.md). */
export const CORRECTIONS = {
  ascension: {
    note: 'Ascension bridge missing in the source; added from the arrêtés fixing the school calendars 2023-2024 to 2025-2026 (no class on the Friday after Ascension, all zones)',
    bridges: [
      { schoolYear: '2023-2024', from: '2024-05-09', to: '2024-05-12' },
      { schoolYear: '2024-2025', from: '2025-05-29', to: '2025-06-01' },
      { schoolYear: '2025-2026', from: '2026-05-14', to: '2026-05-17' },
    ],
  },
  zoneCWinter2027: {
    note: 'the source row lists ZC,IF but not OC (Montpellier and Toulouse académies are in zone C); OC added',
    from: '2027-02-07',
  },
  summerEnd: {
    note: 'the source gives only the end of lessons; summer holidays start the next day and their end (the rentrée) is not yet published: 31 August given provisionally',
  },
  italianSummerEnd: {
    note: "the source gives only the last day of lessons (a school day), with no summer row: summer holidays start the next day and end, provisionally, on 31 August (the end of the Italian school year); the region's first day of lessons of the next year is not in the source",
  },
  fwbSummer2027: {
    note: "the source gives only the first day of summer; the French-speaking community's reformed calendar resumes classes on the last Monday of August (2027-08-30): end given provisionally",
  },
} as const

function parseCsv(text: string): Array<Record<string, string>> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '')
  const header = (lines.shift() ?? '').split(';')
  return lines.map((line) => {
    const cells = line.split(';')
    const row: Record<string, string> = {}
    header.forEach((h, i) => {
      if (h) row[h] = cells[i] ?? ''
    })
    return row
  })
}

function names(field: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of field.split(/,(?=[A-Z]{2} )/)) out[part.slice(0, 2)] = part.slice(3).trim()
  return out
}

function schoolYearOf(date: string): number {
  const y = Number(date.slice(0, 4))
  return Number(date.slice(5, 7)) >= 8 ? y : y - 1
}

const yearLabel = (y: number) => `${y}-${y + 1}`

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

function lastMondayOfAugust(year: number): string {
  const d = new Date(Date.UTC(year, 7, 31))
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}

function inScope(date: string): boolean {
  const y = schoolYearOf(date)
  return y >= FIRST_YEAR && y <= LAST_YEAR
}

function frenchRows(dir: string): DerivedHolidayRow[] {
  const out: DerivedHolidayRow[] = []
  for (const row of parseCsv(readFileSync(join(dir, 'fr/holidays/holidays.school.csv'), 'utf8'))) {
    const from = row.StartDate ?? ''
    if (!inScope(from)) continue
    const n = names(row.Name ?? '')
    let codes = (row.Subdivisions ?? '').split(',').filter(Boolean)
    let origin: DerivedHolidayRow['origin'] = 'source'
    let note: string | undefined
    if (from === CORRECTIONS.zoneCWinter2027.from && codes.includes('ZC') && !codes.includes('OC')) {
      codes = [...codes, 'OC']
      origin = 'corrected'
      note = CORRECTIONS.zoneCWinter2027.note
    }
    let to = row.EndDate ?? ''
    const name = n.FR ?? ''
    const nameEn = n.EN ?? ''
    if (row.Type === 'EndOfLessons') {
      // lessons end that day: the summer holidays start the next day
      const start = addDays(from, 1)
      out.push(
        ...zonesOf(codes, from).map((calendar) => ({
          calendar, schoolYear: yearLabel(schoolYearOf(from)), from: start, to: `${from.slice(0, 4)}-08-31`,
          name: "Vacances d'été", nameEn: 'Summer Holidays', origin: 'provisional' as const, note: CORRECTIONS.summerEnd.note,
        })),
      )
      continue
    }
    if (!to) to = from
    for (const calendar of zonesOf(codes, from)) {
      out.push({ calendar, schoolYear: yearLabel(schoolYearOf(from)), from, to, name, nameEn, origin, ...(note ? { note } : {}) })
    }
  }
  return out
}

/** Adds the missing Ascension bridges, where no row of the calendar already covers them. */
function addAscensionBridges(rows: DerivedHolidayRow[]): DerivedHolidayRow[] {
  const out = [...rows]
  for (const b of CORRECTIONS.ascension.bridges) {
    for (const calendar of [...Object.keys(FRENCH_ZONE_CODES), 'FR-CORSE']) {
      if (rows.some((r) => r.calendar === calendar && r.from <= b.from && r.to >= b.to)) continue
      out.push({
        calendar, schoolYear: b.schoolYear, from: b.from, to: b.to, name: "Pont de l'Ascension", nameEn: 'Ascension Bridge',
        origin: 'added', note: CORRECTIONS.ascension.note,
      })
    }
  }
  return out
}

function corsicanRows(dir: string): DerivedHolidayRow[] {
  const out: DerivedHolidayRow[] = []
  for (const row of parseCsv(readFileSync(join(dir, 'fr/holidays/holidays.school.co.csv'), 'utf8'))) {
    const from = row.StartDate ?? ''
    if (!inScope(from)) continue
    const n = names(row.Name ?? '')
    if (row.Type === 'EndOfLessons') {
      out.push({
        calendar: 'FR-CORSE', schoolYear: yearLabel(schoolYearOf(from)), from: addDays(from, 1), to: `${from.slice(0, 4)}-08-31`,
        name: "Vacances d'été", nameEn: 'Summer Holidays', origin: 'provisional', note: CORRECTIONS.summerEnd.note,
      })
      continue
    }
    out.push({ calendar: 'FR-CORSE', schoolYear: yearLabel(schoolYearOf(from)), from, to: row.EndDate || from, name: n.FR ?? '', nameEn: n.EN ?? '', origin: 'source' })
  }
  return out
}

/** The zones a row applies to; fails when a row names only part of a zone (an unknown defect). */
function zonesOf(codes: string[], from: string): string[] {
  const unknown = codes.filter((c) => !ALL_FR_CODES.includes(c))
  if (unknown.length) throw new Error(`row starting ${from}: unknown subdivision codes ${unknown.join(',')}`)
  const zones: string[] = []
  for (const [calendar, { zone, regions }] of Object.entries(FRENCH_ZONE_CODES)) {
    const present = [zone, ...regions].filter((c) => codes.includes(c))
    if (present.length === 0) continue
    if (present.length !== regions.length + 1) {
      throw new Error(`row starting ${from} names only part of ${calendar} (${present.join(',')}): add a correction`)
    }
    zones.push(calendar)
  }
  return zones
}

function belgianRows(dir: string): DerivedHolidayRow[] {
  const out: DerivedHolidayRow[] = []
  for (const lang of ['fr', 'nl', 'de'] as const) {
    const calendar = `BE-${lang.toUpperCase()}`
    for (const row of parseCsv(readFileSync(join(dir, `be/holidays/holidays.school.${lang}.csv`), 'utf8'))) {
      const from = row.StartDate ?? ''
      if (!inScope(from)) continue
      const n = names(row.Name ?? '')
      const native = n[lang.toUpperCase()] ?? ''
      if (!row.EndDate && /^EN Start of Summer/.test(`EN ${n.EN ?? ''}`)) {
        out.push({
          calendar, schoolYear: yearLabel(schoolYearOf(from)), from, to: addDays(lastMondayOfAugust(Number(from.slice(0, 4))), -1),
          name: lang === 'fr' ? "Vacances d'été" : native, nameEn: 'Summer Holidays', origin: 'provisional', note: CORRECTIONS.fwbSummer2027.note,
        })
        continue
      }
      out.push({ calendar, schoolYear: yearLabel(schoolYearOf(from)), from, to: row.EndDate || from, name: native, nameEn: n.EN ?? '', origin: 'source' })
    }
  }
  return out
}

function italianRows(dir: string): DerivedHolidayRow[] {
  const out: DerivedHolidayRow[] = []
  for (const row of parseCsv(readFileSync(join(dir, 'it/holidays/holidays.school.csv'), 'utf8'))) {
    const from = row.StartDate ?? ''
    if (!inScope(from)) continue
    const n = names(row.Name ?? '')
    // a code listed twice in one row (BA on 2023-11-02) is one holiday
    const codes = [...new Set((row.Subdivisions ?? '').split(',').filter(Boolean))]
    if (row.Type === 'EndOfLessons') {
      // the last day of lessons is a school day: summer starts the next day, as in France
      for (const code of codes) {
        out.push({
          calendar: `IT-${code}`, schoolYear: yearLabel(schoolYearOf(from)), from: addDays(from, 1), to: `${from.slice(0, 4)}-08-31`,
          name: 'vacanze estive', nameEn: 'summer holidays', origin: 'provisional', note: CORRECTIONS.italianSummerEnd.note,
        })
      }
      continue
    }
    for (const code of codes) {
      out.push({ calendar: `IT-${code}`, schoolYear: yearLabel(schoolYearOf(from)), from, to: row.EndDate || from, name: n.IT ?? '', nameEn: n.EN ?? '', origin: 'source' })
    }
  }
  return out
}

/** Every shipped row, sorted by calendar then start date. */
export function deriveSchoolHolidayRows(holidaysDir: string): DerivedHolidayRow[] {
  const rows = [...addAscensionBridges([...frenchRows(holidaysDir), ...corsicanRows(holidaysDir)]), ...belgianRows(holidaysDir), ...italianRows(holidaysDir)]
  for (const r of rows) if (r.to < r.from) throw new Error(`${r.calendar} ${r.from}: ends before it starts`)
  return rows.sort((a, b) => (a.calendar < b.calendar ? -1 : a.calendar > b.calendar ? 1 : a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : 1))
}

/** The Italian region names, from the subdivision list (code -> Italian name). */
export function italianRegionNames(holidaysDir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const row of parseCsv(readFileSync(join(holidaysDir, 'it/subdivisions.csv'), 'utf8'))) {
    const code = row.ShortName ?? ''
    if (!row.Parent || row.Parent === 'TR') out[code] = names(row.Name ?? '').IT ?? code
  }
  return out
}

/** The TypeScript module text of the derived table. */
export function renderSchoolHolidayModule(rows: DerivedHolidayRow[], regions: Record<string, string>): string {
  const lines = rows.map((r) => `  ${JSON.stringify([r.calendar, r.schoolYear, r.from, r.to, r.name, r.nameEn, r.origin])},`)
  const notes = [...new Set(rows.map((r) => r.note).filter(Boolean))]
  const used = [...new Set(rows.filter((r) => r.calendar.startsWith('IT-')).map((r) => r.calendar.slice(3)))].sort()
  return `// GENERATED by packages/core/scripts/derive-school-holidays.ts — do not edit by hand.
// Data: OpenHolidays API (openholidaysapi.org), ODbL-1.0 — openpotato/openholidaysapi.data @ dd3dfa81 (2026-01-21).
// See NOTICE.md beside this file for the licence and the corrections applied.
/* eslint-disable */
import type { SchoolHolidayRowData } from '../school-holiday-types'

/** @internal Source attribution of {@link SCHOOL_HOLIDAY_ROWS}. */
export const SCHOOL_HOLIDAY_ATTRIBUTION = 'Data: OpenHolidays API (openholidaysapi.org), ODbL-1.0'

/** @internal Notes on the rows that are not taken as-is from the source. */
export const SCHOOL_HOLIDAY_NOTES: readonly string[] = ${JSON.stringify(notes, null, 2)}

/** @internal Italian regions (and Trentino's provinces) of the table, code -> name. */
export const ITALIAN_REGION_NAMES: Readonly<Record<string, string>> = ${JSON.stringify(Object.fromEntries(used.map((c) => [c, regions[c] ?? c])), null, 2)}

/** @internal [calendar, schoolYear, from, to (inclusive), name, English name, origin] */
export const SCHOOL_HOLIDAY_ROWS: readonly SchoolHolidayRowData[] = [
${lines.join('\n')}
]
`
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]).endsWith('derive-school-holidays.ts')
if (isMain) {
  const dir = resolve(process.argv[2] ?? '../shared/data/holidays')
  const outFile = resolve(process.argv[3] ?? 'packages/core/src/calendar/data/school-holidays.data.ts')
  const rows = deriveSchoolHolidayRows(dir)
  writeFileSync(outFile, renderSchoolHolidayModule(rows, italianRegionNames(dir)))
  console.log(`wrote ${rows.length} rows to ${outFile}`)
}

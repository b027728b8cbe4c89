import { describeValue } from '../describe-value'
import { EcoleError, isEcoleError } from '../errors'
import { addDays, asLocalDate, localDateOf, type LocalDate } from '../time'
import type { SchoolHoliday, SchoolHolidayCalendarId, SchoolYear } from './school-holidays'

/** A holiday read from the official French dataset, with the académies whose rows gave it. */
export interface FrenchSchoolHoliday extends SchoolHoliday {
  /** The académies (`location`) that listed it, sorted. */
  academies: string[]
}

/** A holiday the dataset gives with a start but no end yet (the next year's summer). */
export interface OpenEndedSchoolHoliday {
  /** Calendar id. */
  calendar: SchoolHolidayCalendarId
  /** School year. */
  schoolYear: SchoolYear
  /** Description as given. */
  name: string
  /** First day. */
  from: LocalDate
}

/** What {@link parseFrenchSchoolCalendar} read. */
export interface FrenchSchoolCalendar {
  /** One holiday per zone (académies deduplicated), inclusive dates, sorted by calendar then start. */
  holidays: FrenchSchoolHoliday[]
  /** Holidays with no end date yet. */
  openEnded: OpenEndedSchoolHoliday[]
  /** Rows for teachers only (`population` "Enseignants"), left out. */
  teacherRowsIgnored: number
}

const ZONE_LABELS: Record<string, string> = {
  'zone a': 'FR-A', 'zone b': 'FR-B', 'zone c': 'FR-C', corse: 'FR-CORSE', guadeloupe: 'FR-GP', martinique: 'FR-MQ', guyane: 'FR-GY',
  reunion: 'FR-RE', mayotte: 'FR-YT', 'saint pierre et miquelon': 'FR-PM', polynesie: 'FR-PF', 'nouvelle caledonie': 'FR-NC',
  'wallis et futuna': 'FR-WF',
}

const ALIASES: Record<string, readonly string[]> = {
  description: ['description'],
  population: ['population'],
  start: ['start_date', 'date de debut', 'date_de_debut'],
  end: ['end_date', 'date de fin', 'date_de_fin'],
  location: ['location', 'academies', 'academie'],
  zones: ['zones', 'zone'],
  year: ['annee_scolaire', 'annee scolaire'],
}

const EN: ReadonlyArray<readonly [RegExp, string]> = [
  [/toussaint/i, 'All Saints Holidays'], [/no[eë]l/i, 'Christmas Holidays'], [/hiver/i, 'Winter Holidays'], [/printemps/i, 'Spring Holidays'],
  [/ascension/i, 'Ascension Bridge'], [/[ée]t[ée]/i, 'Summer Holidays'],
]

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[-_]/g, (c) => (c === '_' ? '_' : ' ')).replace(/\s+/g, ' ').trim()
}

/** A dataset timestamp (a Paris midnight sent as UTC) or plain date -> the Paris calendar day. */
function parisDay(value: unknown, field: string): LocalDate {
  if (typeof value !== 'string' || value.trim() === '') throw new EcoleError('INVALID_INPUT', `${field} is missing`, { details: { field } })
  const v = value.trim()
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return asLocalDate(v, field)
  const iso = /(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`
  return localDateOf(iso, 'Europe/Paris')
}

function parseCsv(text: string): Array<Record<string, string>> {
  const src = text.replace(/^\uFEFF/, '')
  const firstLine = src.slice(0, src.indexOf('\n') === -1 ? undefined : src.indexOf('\n'))
  const delimiter = firstLine.split(';').length >= firstLine.split(',').length ? ';' : ','
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === delimiter) {
      row.push(cell)
      cell = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += ch
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell)
    rows.push(row)
  }
  const nonEmpty = rows.filter((r) => r.some((c) => c.trim() !== ''))
  const header = (nonEmpty.shift() ?? []).map((h) => h.trim())
  return nonEmpty.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])))
}

function records(input: unknown): Array<Record<string, unknown>> {
  if (typeof input === 'string') {
    const t = input.trim()
    if (t.startsWith('[') || t.startsWith('{')) return records(JSON.parse(t) as unknown)
    return parseCsv(input)
  }
  if (Array.isArray(input)) {
    return input.map((r) => (r && typeof r === 'object' && 'fields' in r ? (r as { fields: Record<string, unknown> }).fields : (r as Record<string, unknown>)))
  }
  if (input && typeof input === 'object') {
    const o = input as Record<string, unknown>
    if (Array.isArray(o.results)) return records(o.results)
    if (Array.isArray(o.records)) return records(o.records)
  }
  throw new EcoleError('INVALID_INPUT', 'the French school calendar must be the dataset as JSON (an array, {results}, {records}) or CSV text', { details: { field: 'input' } })
}

function pick(record: Record<string, unknown>, key: keyof typeof ALIASES): unknown {
  for (const [k, v] of Object.entries(record)) if (ALIASES[key]?.includes(fold(k))) return v
  return undefined
}

/**
 * Reads the official French dataset `fr-en-calendrier-scolaire` (data.education.gouv.fr), as
 * JSON (the export array, the API's `{results}` or `{records: [{fields}]}`) or CSV (`;` or `,`,
 * the export's field names or French labels).
 *
 * The dataset has one row per académie: rows of the same zone, description and dates become one
 * holiday listing its académies. `start_date` and `end_date` are Paris midnights sent as UTC
 * timestamps (`2024-10-18T22:00:00+00:00` is 19 October in Paris): they are read in
 * Europe/Paris, never by their first 10 characters. `end_date` is the day classes resume, so the
 * inclusive end is the day before. Rows for teachers only are left out; rows with no end date
 * are listed in `openEnded`.
 *
 * @example
 * parseFrenchSchoolCalendar([{ description: 'Vacances de la Toussaint', population: '-', start_date: '2024-10-18T22:00:00+00:00',
 *   end_date: '2024-11-03T23:00:00+00:00', location: 'Lyon', zones: 'Zone A', annee_scolaire: '2024-2025' }]).holidays[0]
 * //=> { calendar: 'FR-A', schoolYear: '2024-2025', from: '2024-10-19', to: '2024-11-03', name: 'Vacances de la Toussaint', nameEn: 'All Saints Holidays', origin: 'source', academies: ['Lyon'] }
 * @throws EcoleError `INVALID_INPUT` naming the row and field that cannot be read.
 */
export function parseFrenchSchoolCalendar(input: FrenchSchoolCalendarSource): FrenchSchoolCalendar {
  try {
    return readFrenchSchoolCalendar(input)
  } catch (error) {
    if (isEcoleError(error)) throw error
    // a file that is not JSON, or rows that are not records: still bad input, said as such
    throw new EcoleError('INVALID_INPUT', `the French school calendar cannot be read: ${error instanceof Error ? error.message : describeValue(error)}`, {
      details: { issues: [{ path: 'input', code: 'custom', message: 'cannot be read as the fr-en-calendrier-scolaire dataset' }] },
      cause: error,
    })
  }
}

/**
 * What {@link parseFrenchSchoolCalendar} reads: the dataset's CSV or JSON text, or its JSON already
 * parsed (the export array, the API's `{ results }`, or `{ records: [{ fields }] }`).
 */
export type FrenchSchoolCalendarSource =
  | string
  | readonly Record<string, unknown>[]
  | { readonly results: readonly Record<string, unknown>[]; readonly total_count?: number }
  | { readonly records: readonly Record<string, unknown>[] }

function readFrenchSchoolCalendar(input: FrenchSchoolCalendarSource): FrenchSchoolCalendar {
  const byKey = new Map<string, FrenchSchoolHoliday>()
  const openEnded = new Map<string, OpenEndedSchoolHoliday>()
  let teacherRowsIgnored = 0
  records(input).forEach((r, i) => {
    const at = `row ${i + 1}`
    const population = fold(String(pick(r, 'population') ?? '-'))
    if (population === 'enseignants') {
      teacherRowsIgnored++
      return
    }
    const name = String(pick(r, 'description') ?? '').trim()
    const zoneLabel = String(pick(r, 'zones') ?? '').trim()
    const calendar = ZONE_LABELS[fold(zoneLabel)] ?? `FR-${fold(zoneLabel).toUpperCase().replace(/\s+/g, '-')}`
    const year = String(pick(r, 'year') ?? '').trim()
    if (!name) throw new EcoleError('INVALID_INPUT', `${at}: description is missing`, { details: { row: i + 1, field: 'description' } })
    if (!zoneLabel) throw new EcoleError('INVALID_INPUT', `${at}: zones is missing`, { details: { row: i + 1, field: 'zones' } })
    if (!/^\d{4}-\d{4}$/.test(year)) throw new EcoleError('INVALID_INPUT', `${at}: annee_scolaire must be YYYY-YYYY, got ${describeValue(year)}`, { details: { row: i + 1, field: 'annee_scolaire' } })
    const from = parisDay(pick(r, 'start'), `${at}.start_date`)
    const endRaw = pick(r, 'end')
    const location = String(pick(r, 'location') ?? '').trim()
    if (endRaw === undefined || endRaw === null || String(endRaw).trim() === '') {
      const key = `${calendar}|${name}|${from}`
      if (!openEnded.has(key)) openEnded.set(key, { calendar, schoolYear: year as SchoolYear, name, from })
      return
    }
    const resume = parisDay(endRaw, `${at}.end_date`)
    const to = addDays(resume, -1)
    if (to < from) throw new EcoleError('INVALID_INPUT', `${at}: end_date ${resume} is not after start_date ${from}`, { details: { row: i + 1, field: 'end_date' } })
    const key = `${calendar}|${name}|${from}|${to}`
    let h = byKey.get(key)
    if (!h) {
      const nameEn = EN.find(([re]) => re.test(name))?.[1] ?? name
      byKey.set(key, (h = { calendar, schoolYear: year as SchoolYear, from, to, name, nameEn, origin: 'source', academies: [] }))
    }
    if (location && !h.academies.includes(location)) h.academies.push(location)
  })
  const holidays = [...byKey.values()]
    .map((h) => ({ ...h, academies: [...h.academies].sort() }))
    .sort((a, b) => (a.calendar < b.calendar ? -1 : a.calendar > b.calendar ? 1 : a.from < b.from ? -1 : a.from > b.from ? 1 : a.name < b.name ? -1 : 1))
  return { holidays, openEnded: [...openEnded.values()], teacherRowsIgnored }
}

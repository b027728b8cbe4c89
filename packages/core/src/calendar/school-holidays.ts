import { describeValue, expectString } from '../describe-value'
import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { nearestKey } from '../nearest-key'
import type { LocalDate } from '../time'
import { ITALIAN_REGION_NAMES, SCHOOL_HOLIDAY_ATTRIBUTION, SCHOOL_HOLIDAY_NOTES, SCHOOL_HOLIDAY_ROWS } from './data/school-holidays.data'
import type { SchoolHolidayOrigin } from './school-holiday-types'

/**
 * A school-holiday calendar: `FR-A`, `FR-B`, `FR-C` (French zones), `FR-CORSE`, `BE-FR`, `BE-NL`,
 * `BE-DE` (Belgian communities), `IT-<region>` (e.g. `IT-LO` Lombardia, `IT-TR-BZ` Bolzano).
 */
export type SchoolHolidayCalendarId = string

/** A school year written `YYYY-YYYY`, e.g. `2026-2027`. */
export type SchoolYear = `${number}-${number}`

const SchoolYearSchemaBase = z
  .string()
  .regex(/^\d{4}-\d{4}$/, 'must be a school year written YYYY-YYYY')
  .refine((s) => Number(s.slice(5)) === Number(s.slice(0, 4)) + 1, 'the second year must follow the first')
/** A SchoolYear as a form or an API sends it (the input of {@link SchoolYearSchema}). */
export type SchoolYearInput = z.input<typeof SchoolYearSchemaBase>
/** Schema of a {@link SchoolYear}: two consecutive years. */
export const SchoolYearSchema: z.ZodType<SchoolYear, SchoolYearInput> = SchoolYearSchemaBase as unknown as z.ZodType<SchoolYear, SchoolYearInput>

/** One school holiday of a calendar, inclusive at both ends. */
export interface SchoolHoliday {
  /** The calendar it belongs to. */
  calendar: SchoolHolidayCalendarId
  /** The school year it belongs to (summer belongs to the year it ends). */
  schoolYear: SchoolYear
  /** First day without class (inclusive). */
  from: LocalDate
  /** Last day without class (inclusive): the day before classes resume. */
  to: LocalDate
  /** Name in the calendar's language. */
  name: string
  /** Name in English. */
  nameEn: string
  /** Taken from the source, corrected, added, or with a provisional end. */
  origin: SchoolHolidayOrigin
}

/** The attribution every use of the shipped school-holiday table keeps. */
export const SCHOOL_HOLIDAY_DATA_ATTRIBUTION: string = SCHOOL_HOLIDAY_ATTRIBUTION

/** What was corrected or given provisionally in the shipped table, in plain English. */
export const SCHOOL_HOLIDAY_DATA_NOTES: readonly string[] = SCHOOL_HOLIDAY_NOTES

const ALL: readonly SchoolHoliday[] = SCHOOL_HOLIDAY_ROWS.map(([calendar, schoolYear, from, to, name, nameEn, origin]) =>
  Object.freeze({ calendar, schoolYear: schoolYear as SchoolYear, from: from as LocalDate, to: to as LocalDate, name, nameEn, origin }),
)

const CALENDAR_IDS: readonly string[] = [...new Set(ALL.map((h) => h.calendar))]

/**
 * The shipped school holidays of a calendar, for one school year or all, sorted by start.
 * Source: OpenHolidays API (openholidaysapi.org), ODbL-1.0, with the corrections listed in
 * {@link SCHOOL_HOLIDAY_DATA_NOTES}. A well-formed school year the calendar does not hold gives
 * an empty list: check {@link schoolHolidayCalendars} for the years shipped.
 *
 * @example
 * schoolHolidays('FR-C', '2026-2027').find((h) => h.name === "Vacances d'hiver")
 * //=> { calendar: 'FR-C', schoolYear: '2026-2027', from: '2027-02-07', to: '2027-02-21', name: "Vacances d'hiver", nameEn: 'Winter Holidays', origin: 'corrected' }
 * @throws EcoleError `INVALID_INPUT` naming `calendar` for a calendar that is not shipped (with
 *   the nearest shipped id), or naming `schoolYear` for a year not written `YYYY-YYYY`.
 */
export function schoolHolidays(calendar: SchoolHolidayCalendarId, schoolYear?: SchoolYear): SchoolHoliday[] {
  expectString(calendar, 'calendar')
  if (!CALENDAR_IDS.includes(calendar)) {
    const near = nearestKey(calendar, CALENDAR_IDS)
    throw EcoleError.invalidInput(
      'calendar',
      `unknown school-holiday calendar ${describeValue(calendar)}${near !== undefined ? `: did you mean \`${near}\`?` : ''} (schoolHolidayCalendars() lists those shipped)`,
    )
  }
  const year = schoolYear === undefined ? undefined : parseInput(SchoolYearSchema, schoolYear, 'schoolYear')
  return ALL.filter((h) => h.calendar === calendar && (year === undefined || h.schoolYear === year)).map((h) => ({ ...h }))
}

/** A shipped calendar and the school years it holds. */
export interface SchoolHolidayCalendarInfo {
  /** Calendar id. */
  id: SchoolHolidayCalendarId
  /** Human name (zone, community or region). */
  name: string
  /** School years with at least one holiday. */
  schoolYears: SchoolYear[]
}

const CALENDAR_NAMES: Record<string, string> = {
  'FR-A': 'France zone A', 'FR-B': 'France zone B', 'FR-C': 'France zone C', 'FR-CORSE': 'Corse',
  'BE-FR': 'Fédération Wallonie-Bruxelles', 'BE-NL': 'Vlaamse Gemeenschap', 'BE-DE': 'Deutschsprachige Gemeinschaft',
}

/**
 * The calendars shipped and their school years.
 *
 * @example
 * schoolHolidayCalendars().find((c) => c.id === 'FR-A')?.schoolYears.includes('2026-2027') //=> true
 */
export function schoolHolidayCalendars(): SchoolHolidayCalendarInfo[] {
  const years = new Map<string, Set<SchoolYear>>()
  for (const h of ALL) {
    let s = years.get(h.calendar)
    if (!s) years.set(h.calendar, (s = new Set()))
    s.add(h.schoolYear)
  }
  return [...years.entries()].map(([id, s]) => ({
    id,
    name: CALENDAR_NAMES[id] ?? (id.startsWith('IT-') ? (ITALIAN_REGION_NAMES[id.slice(3)] ?? id) : id),
    schoolYears: [...s].sort(),
  }))
}

const ACADEMIES: Record<string, 'A' | 'B' | 'C' | 'CORSE'> = {
  besancon: 'A', bordeaux: 'A', 'clermont-ferrand': 'A', dijon: 'A', grenoble: 'A', limoges: 'A', lyon: 'A', poitiers: 'A',
  'aix-marseille': 'B', amiens: 'B', lille: 'B', 'nancy-metz': 'B', nantes: 'B', nice: 'B', normandie: 'B', caen: 'B', rouen: 'B',
  'orleans-tours': 'B', reims: 'B', rennes: 'B', strasbourg: 'B',
  creteil: 'C', montpellier: 'C', paris: 'C', toulouse: 'C', versailles: 'C',
  corse: 'CORSE',
}

/** A French académie's name in a comparable form (no accents, lower case, hyphens). */
function academieKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[\s_']+/g, '-')
}

/**
 * The school-holiday zone of a metropolitan French académie (Caen and Rouen, merged into
 * Normandie in 2020, still answer B), or `undefined` for an unknown or overseas académie.
 *
 * @example
 * frenchZoneOfAcademie('Toulouse') //=> 'C'
 * frenchZoneOfAcademie('Orléans-Tours') //=> 'B'
 */
export function frenchZoneOfAcademie(name: string): 'A' | 'B' | 'C' | 'CORSE' | undefined {
  expectString(name, 'academie')
  return ACADEMIES[academieKey(name)]
}

/**
 * The calendar id of a zone given as `A`/`B`/`C`/`CORSE` (France) or as a calendar id.
 *
 * @example
 * schoolHolidayCalendarId('C') //=> 'FR-C'
 * schoolHolidayCalendarId('BE-NL') //=> 'BE-NL'
 * @throws EcoleError `INVALID_INPUT` for an empty zone.
 */
export function schoolHolidayCalendarId(zone: string): SchoolHolidayCalendarId {
  expectString(zone, 'zone')
  const z0 = zone.trim().toUpperCase()
  if (z0 === '') throw new EcoleError('INVALID_INPUT', 'zone must not be empty', { details: { field: 'zone' } })
  if (z0 === 'A' || z0 === 'B' || z0 === 'C' || z0 === 'CORSE') return `FR-${z0}`
  if (/^ZONE [ABC]$/.test(z0)) return `FR-${z0.slice(5)}`
  return z0
}

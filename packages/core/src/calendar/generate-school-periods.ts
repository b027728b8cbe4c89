import { EcoleError, parseInput } from '../errors'
import { checkOptions, type OptionKinds } from '../check-options'
import type { Period, PeriodScope } from './period'
import { SchoolYearSchema, schoolHolidayCalendarId, schoolHolidayCalendars, schoolHolidays, type SchoolHoliday, type SchoolYear } from './school-holidays'

/** Options of {@link generateSchoolPeriods}. */
export interface GenerateSchoolPeriodsOptions {
  /** Scopes to give every period at once (default none: "périodes sans prestations", linked later). */
  scopes?: PeriodScope[] | undefined
  /** Holidays to use instead of the shipped table (e.g. read with `parseFrenchSchoolCalendar`, or typed by the site). */
  holidays?: SchoolHoliday[] | undefined
}

const GENERATE_OPTION_KINDS: OptionKinds<GenerateSchoolPeriodsOptions> = { scopes: 'array?', holidays: 'array?' }

const COLOURS: ReadonlyArray<readonly [RegExp, string]> = [
  [/all saints|autumn/i, '#d9822b'],
  [/christmas|winter holidays \(/i, '#2b6cd9'],
  [/winter|carnival|crocus/i, '#5fb3d9'],
  [/spring|easter/i, '#4caf50'],
  [/ascension|bridge/i, '#9c27b0'],
  [/summer/i, '#f2c94c'],
]

function colourOf(nameEn: string): string {
  for (const [re, colour] of COLOURS) if (re.test(nameEn)) return colour
  return '#9e9e9e'
}

/**
 * "Create all school periods of the year": the closure periods of a school year for a zone
 * (`A`, `B`, `C`, `CORSE`, or a calendar id such as `BE-FR` or `IT-LO`), one per school holiday,
 * labelled in the calendar's language with the school year, coloured by kind, and with stable ids
 * (`<calendar>-<from>`) so generating twice gives the same periods. Without `scopes` they cover
 * no service yet: link services, schools and classes to them afterwards, as the seed describes.
 *
 * @example
 * generateSchoolPeriods('C', '2026-2027').map((p) => [p.label, p.from, p.to])[2]
 * //=> ["Vacances d'hiver 2026-2027", '2027-02-07', '2027-02-21']
 * @throws EcoleError `INVALID_INPUT` for a malformed school year; `SCHOOL_YEAR_UNAVAILABLE` when
 *   neither the shipped table nor `options.holidays` hold that year for that zone (the message
 *   says to load the official dataset or create the periods by hand). `INVALID_INPUT` too when
 *   `options` is not an object, has a misspelt key (`holidas`: never the shipped calendar instead)
 *   or a `scopes` / `holidays` that is not an array.
 */
export function generateSchoolPeriods(zone: string, schoolYear: SchoolYear | string, options: GenerateSchoolPeriodsOptions = {}): Period[] {
  options = checkOptions<GenerateSchoolPeriodsOptions>('generateSchoolPeriods', 'options', options, GENERATE_OPTION_KINDS)
  for (const key of ['scopes', 'holidays'] as const) {
    const bad = (options[key] ?? []).findIndex((item: unknown) => typeof item !== 'object' || item === null || Array.isArray(item))
    if (bad >= 0) throw EcoleError.invalidInput(`options.${key}.${bad}`, `must be ${key === 'scopes' ? 'a period scope' : 'a school holiday'} (an object)`, { function: 'generateSchoolPeriods' })
  }
  const year = parseInput(SchoolYearSchema, schoolYear, 'schoolYear')
  const calendar = schoolHolidayCalendarId(zone)
  // a calendar not shipped (an overseas académie) is unavailable too, not an unknown-id error
  const shipped = () => (schoolHolidayCalendars().some((c) => c.id === calendar) ? schoolHolidays(calendar, year) : [])
  const holidays = (options.holidays ?? shipped()).filter((h) => h.calendar === calendar && h.schoolYear === year)
  if (holidays.length === 0) {
    throw new EcoleError(
      'SCHOOL_YEAR_UNAVAILABLE',
      `no school holidays for ${calendar} in ${year}: load the official calendar (parseFrenchSchoolCalendar) or create the periods by hand`,
      { details: { calendar, schoolYear: year } },
    )
  }
  return [...holidays]
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
    .map((h) => ({
      id: `${calendar}-${h.from}`,
      kind: 'closure' as const,
      label: `${h.name} ${year}`,
      colour: colourOf(h.nameEn),
      from: h.from,
      to: h.to,
      scopes: (options.scopes ?? []).map((s) => ({ ...s, ...(s.classIds ? { classIds: [...s.classIds] } : {}) })),
    }))
}

import { expectInteger } from '../describe-value'
import * as z from 'zod'
import { match } from 'ts-pattern'
import { parseInput } from '../errors'
import { addDays, localDate, type LocalDate } from '../time'
import { easterSunday } from './easter'

/** The countries whose public holidays are computed. */
export type HolidayCountry = 'FR' | 'BE' | 'IT'

/** A Belgian community: French-speaking, Flemish, German-speaking. */
export type BelgianCommunity = 'FR' | 'NL' | 'DE'

/**
 * Where a site is, for its public holidays:
 * - `FR`, with `alsaceMoselle: true` for Bas-Rhin, Haut-Rhin and Moselle (Good Friday, 26 December);
 * - `BE`, with the `community` whose day schools close (27 September FWB, 11 July Flanders,
 *   15 November German-speaking community);
 * - `IT` (4 October, San Francesco, is national again from 2026); local patron saints are the
 *   site's own closure periods.
 */
export type PublicHolidayRegion =
  | { country: 'FR'; alsaceMoselle?: boolean | undefined }
  | { country: 'BE'; community?: BelgianCommunity | undefined }
  | { country: 'IT' }

const PublicHolidayRegionSchemaBase = z.discriminatedUnion('country', [
  z.strictObject({ country: z.literal('FR'), alsaceMoselle: z.boolean().optional() }),
  z.strictObject({ country: z.literal('BE'), community: z.enum(['FR', 'NL', 'DE']).optional() }),
  z.strictObject({ country: z.literal('IT') }),
])
/** A PublicHolidayRegion as a form or an API sends it (the input of {@link PublicHolidayRegionSchema}). */
export type PublicHolidayRegionInput = z.input<typeof PublicHolidayRegionSchemaBase>
/** Schema of a {@link PublicHolidayRegion} as plain JSON. */
export const PublicHolidayRegionSchema: z.ZodType<PublicHolidayRegion, PublicHolidayRegionInput> = PublicHolidayRegionSchemaBase as unknown as z.ZodType<PublicHolidayRegion, PublicHolidayRegionInput>

/** A public holiday: its day, a stable key and its name in the country's language. */
export interface PublicHoliday {
  /** The day. */
  date: LocalDate
  /** Stable identifier, e.g. `easterMonday`, `bastilleDay`, `stFrancis`. */
  key: string
  /** Name in the country's (or community's) language. */
  name: string
}

type Fixed = readonly [month: number, day: number, key: string, name: string]
type Movable = readonly [offsetFromEaster: number, key: string, name: string]

const FR_FIXED: readonly Fixed[] = [
  [1, 1, 'newYear', "Jour de l'an"], [5, 1, 'labourDay', 'Fête du Travail'], [5, 8, 'victory1945', 'Victoire 1945'],
  [7, 14, 'nationalDay', 'Fête nationale'], [8, 15, 'assumption', 'Assomption'], [11, 1, 'allSaints', 'Toussaint'],
  [11, 11, 'armistice', 'Armistice 1918'], [12, 25, 'christmas', 'Noël'],
]
const FR_MOVABLE: readonly Movable[] = [[1, 'easterMonday', 'Lundi de Pâques'], [39, 'ascension', 'Ascension'], [50, 'whitMonday', 'Lundi de Pentecôte']]

const BE_NAMES: Record<BelgianCommunity, Record<string, string>> = {
  FR: {
    newYear: "Jour de l'an", easterMonday: 'Lundi de Pâques', labourDay: 'Fête du Travail', ascension: 'Ascension', whitMonday: 'Lundi de Pentecôte',
    nationalDay: 'Fête nationale', assumption: 'Assomption', allSaints: 'Toussaint', armistice: 'Armistice', christmas: 'Noël',
    communityDay: 'Fête de la Fédération Wallonie-Bruxelles',
  },
  NL: {
    newYear: 'Nieuwjaar', easterMonday: 'Paasmaandag', labourDay: 'Dag van de Arbeid', ascension: 'O.L.H. Hemelvaart', whitMonday: 'Pinkstermaandag',
    nationalDay: 'Nationale feestdag', assumption: 'O.L.V. Hemelvaart', allSaints: 'Allerheiligen', armistice: 'Wapenstilstand', christmas: 'Kerstmis',
    communityDay: 'Feest van de Vlaamse Gemeenschap',
  },
  DE: {
    newYear: 'Neujahr', easterMonday: 'Ostermontag', labourDay: 'Tag der Arbeit', ascension: 'Christi Himmelfahrt', whitMonday: 'Pfingstmontag',
    nationalDay: 'Nationalfeiertag', assumption: 'Mariä Himmelfahrt', allSaints: 'Allerheiligen', armistice: 'Waffenstillstand', christmas: 'Weihnachten',
    communityDay: 'Tag der Deutschsprachigen Gemeinschaft',
  },
}
const BE_FIXED: ReadonlyArray<readonly [number, number, string]> = [
  [1, 1, 'newYear'], [5, 1, 'labourDay'], [7, 21, 'nationalDay'], [8, 15, 'assumption'], [11, 1, 'allSaints'], [11, 11, 'armistice'], [12, 25, 'christmas'],
]
const BE_MOVABLE: ReadonlyArray<readonly [number, string]> = [[1, 'easterMonday'], [39, 'ascension'], [50, 'whitMonday']]
const BE_COMMUNITY_DAY: Record<BelgianCommunity, readonly [number, number]> = { FR: [9, 27], NL: [7, 11], DE: [11, 15] }

const IT_FIXED: readonly Fixed[] = [
  [1, 1, 'newYear', 'Capodanno'], [1, 6, 'epiphany', 'Epifania'], [4, 25, 'liberationDay', 'Festa della Liberazione'],
  [5, 1, 'labourDay', 'Festa del Lavoro'], [6, 2, 'republicDay', 'Festa della Repubblica'], [8, 15, 'assumption', 'Ferragosto'],
  [11, 1, 'allSaints', 'Ognissanti'], [12, 8, 'immaculateConception', 'Immacolata Concezione'], [12, 25, 'christmas', 'Natale'],
  [12, 26, 'stStephen', 'Santo Stefano'],
]

const byDate = (a: PublicHoliday, b: PublicHoliday) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.key < b.key ? -1 : 1)

/**
 * The public holidays of a year for a site's country (and region or community), sorted by date.
 *
 * France: 11 national days (Easter Monday, Ascension = Easter + 39, Whit Monday = Easter + 50),
 * plus Good Friday and 26 December in Alsace-Moselle. Belgium: 10 national days (21 July the
 * national day) plus the community's day when given. Italy: 10 national days plus Easter Monday,
 * and 4 October (San Francesco d'Assisi) from 2026 on (restored as a national holiday by a 2025 law). Overseas abolition-of-slavery
 * days and Italian patron saints are local: add them as closure periods.
 *
 * @example
 * publicHolidays({ country: 'FR', alsaceMoselle: true }, 2026).map((h) => h.date)
 * //=> ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25', '2026-12-26']
 * publicHolidays({ country: 'IT' }, 2026).some((h) => h.date === '2026-10-04') //=> true
 * @throws EcoleError `INVALID_INPUT` for an unknown country or a year outside 1583..9999.
 */
export function publicHolidays(region: PublicHolidayRegion, year: number): PublicHoliday[] {
  const r = parseInput(PublicHolidayRegionSchema, region, 'region')
  const easter = easterSunday(year)
  const fixed = (m: number, d: number) => localDate(year, m, d)
  const out = match(r)
    .with({ country: 'FR' }, (fr) => {
      const days: PublicHoliday[] = [
        ...FR_FIXED.map(([m, d, key, name]) => ({ date: fixed(m, d), key, name })),
        ...FR_MOVABLE.map(([off, key, name]) => ({ date: addDays(easter, off), key, name })),
      ]
      if (fr.alsaceMoselle) {
        days.push({ date: addDays(easter, -2), key: 'goodFriday', name: 'Vendredi saint' }, { date: fixed(12, 26), key: 'stStephen', name: 'Saint-Étienne' })
      }
      return days
    })
    .with({ country: 'BE' }, (be) => {
      const names = BE_NAMES[be.community ?? 'FR']
      const days: PublicHoliday[] = [
        ...BE_FIXED.map(([m, d, key]) => ({ date: fixed(m, d), key, name: names[key] ?? key })),
        ...BE_MOVABLE.map(([off, key]) => ({ date: addDays(easter, off), key, name: names[key] ?? key })),
      ]
      if (be.community) {
        const [m, d] = BE_COMMUNITY_DAY[be.community]
        days.push({ date: fixed(m, d), key: 'communityDay', name: names.communityDay ?? 'communityDay' })
      }
      return days
    })
    .with({ country: 'IT' }, () => {
      const days: PublicHoliday[] = [
        ...IT_FIXED.map(([m, d, key, name]) => ({ date: fixed(m, d), key, name })),
        { date: addDays(easter, 1), key: 'easterMonday', name: "Lunedì dell'Angelo" },
      ]
      if (year >= 2026) days.push({ date: fixed(10, 4), key: 'stFrancis', name: "San Francesco d'Assisi" })
      return days
    })
    .exhaustive()
  return out.sort(byDate)
}

/**
 * The dates of the public holidays of every year from `fromYear` to `toYear` (inclusive), sorted:
 * the plain list a booking context takes.
 *
 * @example
 * publicHolidayDates({ country: 'BE', community: 'NL' }, 2026, 2027).includes('2027-07-11') //=> true
 */
export function publicHolidayDates(region: PublicHolidayRegion, fromYear: number, toYear: number): LocalDate[] {
  expectInteger(fromYear, 'fromYear', 1583, 9999)
  expectInteger(toYear, 'toYear', 1583, 9999)
  const out: LocalDate[] = []
  for (let y = fromYear; y <= toYear; y++) for (const h of publicHolidays(region, y)) out.push(h.date)
  return [...new Set(out)].sort()
}

import { expectString } from '../describe-value'
import { describeValue } from '../describe-value'
import * as z from 'zod'
import { EcoleError } from '../errors'
import { asLocalDate, fromEpochDay, toEpochDay, type LocalDate } from './local-date'

/** An IANA time zone name, e.g. `Europe/Paris`. */
export type TimeZone = string

/** A local wall-clock time, `HH:MM` or `HH:MM:SS` (24-hour). */
export type LocalTime = string

/**
 * Default time zone of a site by its country (ISO 3166-1 alpha-2), including the French
 * overseas departments and collectivities; a site may override it.
 */
export const COUNTRY_TIME_ZONES: Readonly<Record<string, TimeZone>> = Object.freeze({
  FR: 'Europe/Paris', BE: 'Europe/Brussels', IT: 'Europe/Rome', MC: 'Europe/Monaco', LU: 'Europe/Luxembourg',
  CH: 'Europe/Zurich', SM: 'Europe/San_Marino', VA: 'Europe/Vatican', DE: 'Europe/Berlin', NL: 'Europe/Amsterdam',
  ES: 'Europe/Madrid', PT: 'Europe/Lisbon', GB: 'Europe/London', IE: 'Europe/Dublin', AT: 'Europe/Vienna',
  GP: 'America/Guadeloupe', MQ: 'America/Martinique', GF: 'America/Cayenne', RE: 'Indian/Reunion', YT: 'Indian/Mayotte',
  PM: 'America/Miquelon', BL: 'America/St_Barthelemy', MF: 'America/Marigot', NC: 'Pacific/Noumea', PF: 'Pacific/Tahiti',
  WF: 'Pacific/Wallis',
})

const validZones = new Map<string, boolean>()

/**
 * Whether `zone` is an IANA time zone this runtime knows.
 *
 * @example
 * isTimeZone('Europe/Brussels') //=> true
 * isTimeZone('Europe/Atlantis') //=> false
 */
export function isTimeZone(zone: unknown): zone is TimeZone {
  if (typeof zone !== 'string' || zone === '') return false
  let ok = validZones.get(zone)
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone })
      ok = true
    } catch {
      ok = false
    }
    validZones.set(zone, ok)
  }
  return ok
}

/**
 * Schema of an IANA time zone name.
 *
 * @example
 * TimeZoneSchema.parse('Europe/Rome') //=> 'Europe/Rome'
 */
export const TimeZoneSchema = z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' })

/**
 * The default time zone of a country.
 *
 * @example
 * timeZoneForCountry('BE') //=> 'Europe/Brussels'
 * timeZoneForCountry('RE') //=> 'Indian/Reunion'
 * @throws EcoleError `UNKNOWN_COUNTRY` for a country with no default: give the zone explicitly.
 */
export function timeZoneForCountry(country: string): TimeZone {
  expectString(country, 'country')
  const zone = Object.hasOwn(COUNTRY_TIME_ZONES, country.toUpperCase()) ? COUNTRY_TIME_ZONES[country.toUpperCase()] : undefined
  if (!zone) throw new EcoleError('UNKNOWN_COUNTRY', `no default time zone for country ${describeValue(country)}: set the site's time zone explicitly`, { details: { country } })
  return zone
}

/** A local date and time in a zone, with the offset from UTC in force then. */
export interface ZonedDateTime {
  /** The local calendar day. */
  date: LocalDate
  /** The local wall-clock time, `HH:MM:SS`. */
  time: LocalTime
  /** Minutes east of UTC in force at that instant (120 for Paris in summer). */
  offsetMinutes: number
}

const formatters = new Map<TimeZone, Intl.DateTimeFormat>()

/** Offset (ms east of UTC) of `zone` at the UTC instant `utcMs`, read from Intl (the host's tz database). */
function offsetMs(zone: TimeZone, utcMs: number): number {
  let f = formatters.get(zone)
  if (!f) {
    if (!isTimeZone(zone)) throw new EcoleError('INVALID_TIME_ZONE', `unknown time zone ${describeValue(zone)}`, { details: { zone } })
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
    })
    formatters.set(zone, f)
  }
  const parts: Record<string, string> = {}
  for (const p of f.formatToParts(new Date(utcMs))) parts[p.type] = p.value
  let year = Number(parts.year)
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year
  const wall = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  const utcSeconds = utcMs - (((utcMs % 1000) + 1000) % 1000)
  return wall - utcSeconds
}

function toMs(instant: Date | string, field: string): number {
  if (typeof instant !== 'string' && !(instant instanceof Date)) {
    throw new EcoleError('INVALID_INSTANT', `${field} must be a Date or an ISO instant string, got ${describeValue(instant)}`, { details: { field } })
  }
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime()
  if (typeof instant === 'string' && !/(Z|[+-]\d{2}:?\d{2})$/.test(instant)) {
    throw new EcoleError('INVALID_INSTANT', `${field} must be an ISO instant with Z or an offset, got ${describeValue(instant)}`, { details: { field, value: instant } })
  }
  if (Number.isNaN(ms)) throw new EcoleError('INVALID_INSTANT', `${field} is not a valid instant: ${describeValue(instant)}`, { details: { field, value: describeValue(instant) } })
  return ms
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/**
 * The local date and time of an instant in a zone (the site's "today" and "now").
 *
 * @example
 * zonedDateTime('2026-10-25T00:30:00Z', 'Europe/Paris') //=> { date: '2026-10-25', time: '02:30:00', offsetMinutes: 120 }
 * zonedDateTime('2026-10-25T01:30:00Z', 'Europe/Paris') //=> { date: '2026-10-25', time: '02:30:00', offsetMinutes: 60 }
 */
export function zonedDateTime(instant: Date | string, zone: TimeZone): ZonedDateTime {
  const utc = toMs(instant, 'instant')
  const off = offsetMs(zone, utc)
  const local = utc + off
  const day = Math.floor(local / 86_400_000)
  const msOfDay = local - day * 86_400_000
  const s = Math.floor(msOfDay / 1000)
  return { date: fromEpochDay(day), time: `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`, offsetMinutes: off / 60_000 }
}

/**
 * The local calendar day of an instant in a zone.
 *
 * @example
 * localDateOf('2026-03-01T23:30:00Z', 'Europe/Paris') //=> '2026-03-02'
 */
export function localDateOf(instant: Date | string, zone: TimeZone): LocalDate {
  return zonedDateTime(instant, zone).date
}

/**
 * What to do with a local time that does not exist (the hour skipped when clocks go forward) or
 * exists twice (the hour repeated when they go back):
 * - `compatible` (default, as Temporal): skipped -> shifted forward by the gap; repeated -> the earlier;
 * - `earlier` / `later`: the earlier or later of the two possible instants;
 * - `reject`: throw.
 */
export type Disambiguation = 'compatible' | 'earlier' | 'later' | 'reject'

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/

/**
 * The instant at which a zone's clocks show `date` `time`, correct across DST changes.
 *
 * @example
 * zonedInstant('2026-03-06', '10:00', 'Europe/Brussels').toISOString() //=> '2026-03-06T09:00:00.000Z'
 * zonedInstant('2026-03-29', '02:30', 'Europe/Paris').toISOString() //=> '2026-03-29T01:30:00.000Z' (03:30 CEST)
 * zonedInstant('2026-10-25', '02:30', 'Europe/Paris', 'later').toISOString() //=> '2026-10-25T01:30:00.000Z'
 * @throws EcoleError `INVALID_TIME` for a malformed time; `NONEXISTENT_LOCAL_TIME` / `AMBIGUOUS_LOCAL_TIME` with `reject`.
 */
export function zonedInstant(date: LocalDate, time: LocalTime, zone: TimeZone, disambiguation: Disambiguation = 'compatible'): Date {
  const m = typeof time === 'string' ? TIME.exec(time) : null
  if (!m) throw new EcoleError('INVALID_TIME', `time must be HH:MM or HH:MM:SS, got ${describeValue(time)}`, { details: { field: 'time', value: time } })
  const local = toEpochDay(asLocalDate(date)) * 86_400_000 + (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * 1000
  const before = offsetMs(zone, local - 86_400_000)
  const after = offsetMs(zone, local + 86_400_000)
  const candidates = [...new Set([before, after])]
    .map((off) => local - off)
    .filter((utc) => utc + offsetMs(zone, utc) === local)
    .sort((a, b) => a - b)
  if (candidates.length === 1) return new Date(candidates[0] as number)
  if (candidates.length === 2) {
    if (disambiguation === 'reject') {
      throw new EcoleError('AMBIGUOUS_LOCAL_TIME', `${date} ${time} happens twice in ${zone} (clocks go back)`, { details: { date, time, zone } })
    }
    return new Date((disambiguation === 'later' ? candidates[1] : candidates[0]) as number)
  }
  if (disambiguation === 'reject') {
    throw new EcoleError('NONEXISTENT_LOCAL_TIME', `${date} ${time} does not exist in ${zone} (clocks go forward)`, { details: { date, time, zone } })
  }
  // skipped: with the offset before the change the wall time lands after the gap
  return new Date(disambiguation === 'earlier' ? local - after : local - before)
}

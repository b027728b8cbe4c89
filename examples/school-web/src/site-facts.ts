/**
 * The stored site's name, country and time zone, as every page needs them: its "today", the
 * wall-clock times it shows and the name it prints (seed 000: « le pays définira le fuseau
 * horaire »). A school in Réunion stores `Indian/Reunion`, and its portal's today turns at its
 * midnight, not at Paris's.
 *
 * Read from the site record and kept briefly (a page reads it once per request, through the
 * middleware that sets `c.var.site`); the site screen forgets it when it saves, and another host
 * process sharing the database sees a change within {@link SITE_FACTS_TTL_MS}.
 */
import type { LocalDate } from '@ecole/core'
import type { AppContext } from './compose'

/** What the host's pages take of the stored site. */
export interface SiteFacts {
  id: string
  /** The site's name, printed on statements. */
  name: string
  /** ISO 3166-1 alpha-2 country code. */
  country: string
  /** IANA time zone in which the site's days and times are read. */
  timeZone: string
}

/** How long a host keeps the site's facts before reading them again. */
export const SITE_FACTS_TTL_MS = 5_000

const cache = new WeakMap<AppContext, { facts: SiteFacts; until: number }>()

/**
 * The host's site (`config.siteId`) as stored. A site not stored yet (a host started before its
 * seed) reads as its id in UTC, so that no zone is guessed.
 *
 * @example
 * const { timeZone } = await siteFactsOf(ctx)
 * const today = dayIn(timeZone, ctx.clock.now())
 */
export async function siteFactsOf(ctx: AppContext): Promise<SiteFacts> {
  const now = Date.now()
  const kept = cache.get(ctx)
  if (kept && kept.until > now) return kept.facts
  const site = await ctx.storage.directory!.getSite(ctx.config.siteId)
  const facts: SiteFacts = site
    ? { id: site.id, name: site.name, country: site.country, timeZone: site.timeZone }
    : { id: ctx.config.siteId, name: ctx.config.siteId, country: '', timeZone: 'UTC' }
  cache.set(ctx, { facts, until: now + SITE_FACTS_TTL_MS })
  return facts
}

/**
 * Forgets the kept facts, so that the next page reads the site again (after the site screen saves).
 *
 * @example
 * await saveSiteSettings(ports, siteId, input)
 * forgetSiteFacts(ctx)
 */
export function forgetSiteFacts(ctx: AppContext): void {
  cache.delete(ctx)
}

// built once per zone: building an Intl format costs far more than using it
const dayFormats = new Map<string, Intl.DateTimeFormat>()
const clockFormats = new Map<string, Intl.DateTimeFormat>()

function formatOf(cacheOf: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions, locale: string): Intl.DateTimeFormat {
  let f = cacheOf.get(timeZone)
  if (!f) cacheOf.set(timeZone, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone })))
  return f
}

/**
 * The date (`YYYY-MM-DD`) an instant falls on in a zone, whatever the host's own zone.
 *
 * @example
 * dayIn('Indian/Reunion', new Date('2027-03-01T21:30:00Z')) // '2027-03-02'
 * dayIn('Europe/Paris', new Date('2027-03-01T21:30:00Z')) // '2027-03-01'
 */
export function dayIn(timeZone: string, at: Date): LocalDate {
  return formatOf(dayFormats, timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }, 'en-CA').format(at) as LocalDate
}

/**
 * The wall-clock time `YYYY-MM-DDTHH:MM` of an instant (an ISO string) in a zone, as
 * `formatLocalDateTime` takes it.
 *
 * @example
 * wallClockIn('Europe/Paris', '2027-03-01T21:30:00Z') // '2027-03-01T22:30'
 */
export function wallClockIn(timeZone: string, iso: string): string {
  return formatOf(clockFormats, timeZone, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, 'sv-SE').format(new Date(iso)).replace(' ', 'T')
}

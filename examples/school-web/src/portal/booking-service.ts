/**
 * Booking from the portal, over `@ecole/workflows`: this file adds the public holidays of the
 * stored site's country (`sitePublicHolidays`), the stored periods
 * (the calendar's closures and openings), the stored consents that gate booking
 * (`stored-consents.ts`) and the services' booking settings its service records store
 * (`stored-settings.ts`), as the workflows' `BookingSiteSettings`. Booking and cancelling (`changeBookings`: the library's checks, the
 * wallet reservations of prepaid days, capacity under a per-(service, day) lock), the booking
 * context of the calendar page (`loadBookingContext`) and the consents (`acceptBookingConsent`,
 * `withdrawBookingConsent`, `guardianConsents`) are the library's.
 */
import { publicHolidayDates, type LocalDate, type Site } from '@ecole/core'
import type { BookingSiteSettings } from '@ecole/workflows'
import { SERVICES } from '@ecole/example-billing-run/demo-site'
import type { AppContext } from '../compose'
import { SITE } from '../site-settings'
import { siteFactsOf } from '../site-facts'
import { bookingServices, storedSettings } from '../stored-settings'
import { storedBookingConsents } from '../stored-consents'

/**
 * The table of public holidays a site's country uses (`publicHolidayDates`): its own for France,
 * Belgium and Italy; France's national holidays for the overseas departments and collectivities
 * where the French labour code's list applies (Code du travail, art. L3133-1), which a site names
 * by their own ISO code.
 */
const HOLIDAY_TABLES: Readonly<Record<string, 'FR' | 'BE' | 'IT'>> = {
  FR: 'FR', BE: 'BE', IT: 'IT', GP: 'FR', MQ: 'FR', GF: 'FR', RE: 'FR', YT: 'FR', PM: 'FR', BL: 'FR', MF: 'FR',
}

/** The public holidays of each host's site, by country and year (computed once: a year's holidays never change). */
const holidayCache = new WeakMap<AppContext, Map<string, LocalDate[]>>()

/**
 * The public holidays of the stored site's country (the site as read by the caller) (seed 000: « le pays définira le fuseau
 * horaire »; a French site is closed on 14 July, an Italian one on 2 June), from the year before
 * the site's today to two years after it: as the clock runs, the years move with it, so no day
 * past a fixed year is ever bookable on a holiday. A country the library has no table for has
 * none (its closures are the stored periods).
 */
export function sitePublicHolidays(ctx: AppContext, site: Pick<Site, 'country' | 'timeZone'> | undefined): LocalDate[] {
  const code = site?.country ?? ''
  const country = Object.hasOwn(HOLIDAY_TABLES, code) ? HOLIDAY_TABLES[code] : undefined
  const timeZone = site?.timeZone ?? 'UTC'
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(ctx.clock.now()))
  const key = `${country ?? '-'}:${year}`
  let byKey = holidayCache.get(ctx)
  if (!byKey) holidayCache.set(ctx, (byKey = new Map()))
  let days = byKey.get(key)
  if (!days) byKey.set(key, (days = country ? publicHolidayDates({ country }, year - 1, year + 2) : []))
  return days
}

/**
 * The site's booking settings, all read from storage and kept briefly: its zone and country from
 * the site facts the request's middleware already holds (`siteFactsOf`), the services' settings,
 * the schools they are offered to and their billing office from the stored service records
 * (`storedSettings`). The test override `config.bookingServices` replaces the services, offered to
 * the demo's school. Call it before opening a storage transaction.
 */
export async function bookingSettings(ctx: AppContext): Promise<BookingSiteSettings> {
  const [services, facts, stored] = await Promise.all([bookingServices(ctx), siteFactsOf(ctx), storedSettings(ctx)])
  const publicHolidays = sitePublicHolidays(ctx, facts)
  const overridden = ctx.config.bookingServices !== undefined
  return {
    timeZone: facts.timeZone,
    billingOfficeId: stored.billingOfficeId ?? SITE.billingOfficeId,
    services: services.map((s) => ({ ...s, weekdays: [...s.weekdays] })),
    offers: overridden ? services.map((s) => ({ serviceId: s.id, schoolId: SITE.schoolId })) : stored.offers.map((o) => ({ ...o })),
    // the calendar's closures and openings are the site's stored periods (seed: zone C; /staff/admin/periods),
    // read by the library inside each booking transaction, after its day locks, so a closure just saved is seen
    storedPeriods: true,
    publicHolidays,
    consents: await storedBookingConsents(ctx), // stored consents, edited in the back office (src/stored-consents.ts)
  }
}

/**
 * Booking from the portal, over `@ecole/workflows`: this file only says what the demo site
 * decides that its stored records do not hold (the services' booking settings, the calendar's
 * closures, the public holidays, the consents that gate booking) as the workflows'
 * `BookingSiteSettings`. Booking and cancelling (`changeBookings`: the library's checks, the
 * wallet reservations of prepaid days, capacity under a per-(service, day) lock), the booking
 * context of the calendar page (`loadBookingContext`) and the consents (`acceptBookingConsent`,
 * `withdrawBookingConsent`, `guardianConsents`) are the library's.
 */
import { publicHolidayDates, schoolHolidays, type PeriodInput } from '@ecole/core'
import type { BookingSiteSettings } from '@ecole/workflows'
import { SERVICES } from '@ecole/example-billing-run/demo-site'
import type { AppContext } from '../compose'
import { SITE } from '../site-settings'

const HOLIDAYS = publicHolidayDates({ country: 'FR' }, 2026, 2027)

/**
 * The calendar's periods: each school holiday of the year (zone C) closes the canteen, the
 * evening care and the snack, and opens the holiday centre.
 */
function calendarPeriods(): PeriodInput[] {
  const term = [SERVICES.canteen.id, SERVICES.care.id, SERVICES.snack.id]
  return schoolHolidays('FR-C', '2026-2027').flatMap((h, i) => [
    { id: `fermeture-${i}`, kind: 'closure' as const, label: h.name, from: h.from, to: h.to, scopes: term.map((serviceId) => ({ serviceId })) },
    { id: `ouverture-${i}`, kind: 'opening' as const, label: `Centre de loisirs : ${h.name}`, from: h.from, to: h.to, scopes: [{ serviceId: SERVICES.centre.id }] },
  ])
}

const PERIODS = calendarPeriods()

/** The demo site's booking settings, with the host's service settings (tests lower a capacity). */
export function bookingSettings(ctx: AppContext): BookingSiteSettings {
  const services = ctx.config.bookingServices ?? SITE.services
  return {
    timeZone: SITE.timeZone,
    billingOfficeId: SITE.billingOfficeId,
    services: services.map((s) => ({ ...s, weekdays: [...s.weekdays] })),
    offers: services.map((s) => ({ serviceId: s.id, schoolId: SITE.schoolId })),
    periods: PERIODS,
    publicHolidays: HOLIDAYS,
    consents: SITE.consents.map((c) => ({ id: c.id, siteId: SITE.id, label: c.label, validity: { from: c.from }, scope: { kind: 'services' as const, serviceIds: [...c.serviceIds] }, documentId: c.documentId })),
  }
}

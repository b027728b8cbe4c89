/**
 * Booking from the portal, over `@ecole/workflows`: this file only says what the demo site
 * decides that its stored records do not hold (the calendar's closures, the public holidays) and
 * adds the stored consents that gate booking (`stored-consents.ts`) and the services' booking settings its service records store
 * (`stored-settings.ts`), as the workflows' `BookingSiteSettings`. Booking and cancelling (`changeBookings`: the library's checks, the
 * wallet reservations of prepaid days, capacity under a per-(service, day) lock), the booking
 * context of the calendar page (`loadBookingContext`) and the consents (`acceptBookingConsent`,
 * `withdrawBookingConsent`, `guardianConsents`) are the library's.
 */
import { publicHolidayDates, schoolHolidays, type PeriodInput } from '@ecole/core'
import type { BookingSiteSettings } from '@ecole/workflows'
import { SERVICES } from '@ecole/example-billing-run/demo-site'
import type { AppContext } from '../compose'
import { SITE } from '../site-settings'
import { bookingServices } from '../stored-settings'
import { storedBookingConsents } from '../stored-consents'

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

/**
 * The demo site's booking settings, with the services' settings read from the stored service
 * records (kept briefly, see `storedSettings`) or the test override `config.bookingServices`.
 * Call it before opening a storage transaction.
 */
export async function bookingSettings(ctx: AppContext): Promise<BookingSiteSettings> {
  const services = await bookingServices(ctx)
  return {
    timeZone: SITE.timeZone,
    billingOfficeId: SITE.billingOfficeId,
    services: services.map((s) => ({ ...s, weekdays: [...s.weekdays] })),
    offers: services.map((s) => ({ serviceId: s.id, schoolId: SITE.schoolId })),
    periods: PERIODS,
    publicHolidays: HOLIDAYS,
    consents: await storedBookingConsents(ctx), // stored consents, edited in the back office (src/stored-consents.ts)
  }
}

/**
 * Booking from the portal, over `@ecole/workflows`: this file only says what the demo site
 * decides that its stored records do not hold (the public holidays) and adds the stored periods
 * (the calendar's closures and openings), the stored consents that gate booking
 * (`stored-consents.ts`) and the services' booking settings its service records store
 * (`stored-settings.ts`), as the workflows' `BookingSiteSettings`. Booking and cancelling (`changeBookings`: the library's checks, the
 * wallet reservations of prepaid days, capacity under a per-(service, day) lock), the booking
 * context of the calendar page (`loadBookingContext`) and the consents (`acceptBookingConsent`,
 * `withdrawBookingConsent`, `guardianConsents`) are the library's.
 */
import { publicHolidayDates } from '@ecole/core'
import type { BookingSiteSettings } from '@ecole/workflows'
import { SERVICES } from '@ecole/example-billing-run/demo-site'
import type { AppContext } from '../compose'
import { SITE } from '../site-settings'
import { bookingServices } from '../stored-settings'
import { storedBookingConsents } from '../stored-consents'

const HOLIDAYS = publicHolidayDates({ country: 'FR' }, 2026, 2027)

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
    // the calendar's closures and openings are the site's stored periods (seed: zone C; /staff/admin/periods),
    // read by the library inside each booking transaction, after its day locks, so a closure just saved is seen
    storedPeriods: true,
    publicHolidays: HOLIDAYS,
    consents: await storedBookingConsents(ctx), // stored consents, edited in the back office (src/stored-consents.ts)
  }
}

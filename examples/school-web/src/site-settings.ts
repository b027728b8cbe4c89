/**
 * What the host knows about its demo site that the library's records do not hold (yet): the
 * payment references and the platform's mail addresses (the consents that gate bookings are
 * stored: `demo-consents.ts`, `stored-consents.ts`). The directory's records (site, school, services, families) come from
 * `@ecole/example-billing-run`'s demo site, seeded by `seed.ts`, which also stores the services'
 * booking settings on the service records and the portal texts on the site record (read back by
 * `stored-settings.ts`).
 */
import { OFFICE, SCHOOL, SCHOOL_IBAN, SITE_ID } from '@ecole/example-billing-run/demo-site'
import type { BookingContextInput } from '@ecole/core'

/** Booking settings of a service, as `prepareBookingContext` takes them (cut-offs, price of a prepaid service, capacity). */
export type ServiceBookingSettings = BookingContextInput['services'][number]

/** The demo site as the host serves it. */
export const SITE = {
  id: SITE_ID,
  name: 'École Jean-Jaurès',
  timeZone: 'Europe/Paris',
  billingOfficeId: OFFICE,
  schoolId: SCHOOL,
  iban: SCHOOL_IBAN,
  /** Payment references of the billing office (the demo's RF space). */
  references: { scheme: 'rf', siteCode: '094' } as const,
  platformFrom: 'no-reply@ecole.example',
  mailDomain: 'ecole.example',
  /** The demo's "today": after the January invoices are on the portal, before the winter holidays. */
  demoNow: '2027-02-08T07:30:00Z',
} as const

/**
 * What the host knows about its demo site that the library's records do not hold (yet): booking
 * settings per service (cut-offs, prices of prepaid services, capacity), the consents that gate
 * bookings, the portal texts, and the platform's mail addresses. The directory's records (site,
 * school, services, families) come from `@ecole/example-billing-run`'s demo site, seeded by
 * `seed.ts`.
 */
import { OFFICE, SCHOOL, SCHOOL_IBAN, SERVICES, SITE_ID } from '@ecole/example-billing-run/demo-site'
import type { BookingContextInput } from '@ecole/core'
import type { Lang } from './i18n'

/** Booking settings of a service, as `prepareBookingContext` takes them (cut-offs, price of a prepaid service, capacity). */
export type ServiceBookingSettings = BookingContextInput['services'][number]

const cutoff = { kind: 'daysBefore', days: 2, count: 'weekdays', at: '10:00' } as const

/** The demo site as the host serves it. */
export const SITE = {
  id: SITE_ID,
  name: 'École Jean-Jaurès',
  timeZone: 'Europe/Paris',
  billingOfficeId: OFFICE,
  schoolId: SCHOOL,
  iban: SCHOOL_IBAN,
  creditorName: 'Regie periscolaire de Creteil',
  /** Payment references of the billing office (the demo's RF space). */
  references: { scheme: 'rf', siteCode: '094' } as const,
  platformFrom: 'no-reply@ecole.example',
  mailDomain: 'ecole.example',
  /** The demo's "today": after the January invoices are on the portal, before the winter holidays. */
  demoNow: '2027-02-08T07:30:00Z',
  services: [
    { id: SERVICES.canteen.id, weekdays: [1, 2, 4, 5], payment: 'invoiced', startsAt: '11:30', bookingCutoff: cutoff, cancellationCutoff: cutoff, capacity: 60 },
    { id: SERVICES.care.id, weekdays: [1, 2, 4, 5], payment: 'invoiced', startsAt: '16:30', bookingCutoff: cutoff, cancellationCutoff: cutoff },
    { id: SERVICES.centre.id, weekdays: [1, 2, 3, 4, 5], payment: 'invoiced', startsAt: '08:30', bookingCutoff: cutoff, cancellationCutoff: cutoff, openingsOnly: true },
    { id: SERVICES.snack.id, weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, startsAt: '16:30', bookingCutoff: cutoff, cancellationCutoff: cutoff },
  ] satisfies ServiceBookingSettings[],
  /** Consents a guardian gives before booking (seed 001). */
  consents: [
    {
      id: 'reglement-2026', label: 'Règlement intérieur de la restauration scolaire 2026-2027', serviceIds: [SERVICES.canteen.id], from: '2026-09-01', documentId: 'reglement-restauration-2026',
      text: {
        fr: "J'ai lu le règlement intérieur de la restauration scolaire 2026-2027 (horaires, menus, allergies, annulations) et je l'accepte.",
        en: 'I have read the school canteen rules 2026-2027 (times, menus, allergies, cancellations) and I accept them.',
        it: 'Ho letto il regolamento della mensa scolastica 2026-2027 (orari, menù, allergie, disdette) e lo accetto.',
        nl: 'Ik heb het reglement van het schoolrestaurant 2026-2027 (uren, menu’s, allergieën, annuleringen) gelezen en aanvaard het.',
      },
    },
  ],
  /** Texts the site shows on the portal (seed 001's portal texts), per language; French when missing. */
  portalTexts: {
    login: { fr: "Bienvenue sur le portail des familles de l'école Jean-Jaurès.", en: 'Welcome to the families portal of École Jean-Jaurès.' },
    home: { fr: 'Les menus de février sont en ligne dans vos documents.', en: "February's menus are in your documents." },
    contact: { fr: 'Régie périscolaire : regie@creteil.example.fr, 01 23 45 67 89 (lundi, mardi, jeudi 8 h 30 - 12 h).', en: 'Billing office: regie@creteil.example.fr, +33 1 23 45 67 89 (Mon, Tue, Thu 8:30-12:00).' },
    bookings: { fr: 'Réservez au plus tard deux jours ouvrés avant 10 h.', en: 'Book at the latest two working days before, by 10:00.' },
  } satisfies Record<string, Partial<Record<Lang, string>> & { fr: string }>,
} as const

/** A portal text in a language, or in French. */
export function portalText(key: keyof typeof SITE.portalTexts, lang: Lang): string {
  const texts: Partial<Record<Lang, string>> & { fr: string } = SITE.portalTexts[key]
  return texts[lang] ?? texts.fr
}

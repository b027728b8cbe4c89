import { format } from 'date-fns'
import { enGB, fr, it, nl } from 'date-fns/locale'
import type { ClosureCause } from '../calendar'
import { formatMoney, Money, type AmountLocale, type MoneyInput } from '../money'
import { utcDay } from '../time/utc-day'
import type { BookingRefusal } from './refusal'
import { asInputError } from '../input-error'

/** The languages refusal messages are written in. */
export type BookingMessageLocale = 'fr' | 'en' | 'it' | 'nl'

/** The locales of {@link bookingRefusalMessage}. */
export const BOOKING_MESSAGE_LOCALES = ['fr', 'en', 'it', 'nl'] as const satisfies readonly BookingMessageLocale[]

/** The amount locale of each message language (Dutch as read in Belgium, like the portal's readers). */
const AMOUNT_LOCALES: Record<BookingMessageLocale, AmountLocale> = { fr: 'fr-FR', en: 'en', it: 'it-IT', nl: 'nl-BE' }

/** An amount as people of the language write it, exactly (the library's `formatMoney`): `2,35 €`, `€2.35`, `€ 2,35`. */
const amount = (m: MoneyInput, l: BookingMessageLocale) => formatMoney(Money.of(m.amount, m.currency), AMOUNT_LOCALES[l])

const DATE_LOCALES = { fr, en: enGB, it, nl } as const

/** A day as people read it, in the locale's words: `jeudi 11 février 2027`, `Thursday 11 February 2027`. */
function day(date: string, l: BookingMessageLocale): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number]
  // a Date whose fields are UTC's: the host's zone (even one that skipped that day) plays no part
  return format(utcDay(y, m, d), 'EEEE d MMMM yyyy', { locale: DATE_LOCALES[l] })
}

const AT: Record<BookingMessageLocale, string> = { fr: 'à', en: 'at', it: 'alle', nl: 'om' }

/** A local instant of the site (`2026-03-05T10:00`) with its zone: `jeudi 5 mars 2026 à 10:00 (Europe/Paris)`. */
const when = (local: string, zone: string, l: BookingMessageLocale) => `${day(local, l)} ${AT[l]} ${local.slice(11, 16)} (${zone})`

const WEEKDAYS: Record<BookingMessageLocale, readonly string[]> = {
  fr: ['', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
  en: ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  it: ['', 'lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato', 'domenica'],
  nl: ['', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'],
}

function closureText(c: ClosureCause, l: BookingMessageLocale): string {
  switch (c.cause) {
    case 'closurePeriod':
      return { fr: `période de fermeture « ${c.label} »`, en: `closure period "${c.label}"`, it: `periodo di chiusura «${c.label}»`, nl: `sluitingsperiode "${c.label}"` }[l]
    case 'publicHoliday':
      return { fr: 'jour férié', en: 'public holiday', it: 'giorno festivo', nl: 'feestdag' }[l]
    case 'weekday':
      return {
        fr: `la prestation n'a pas lieu le ${WEEKDAYS.fr[c.weekday]}`, en: `the service does not run on ${WEEKDAYS.en[c.weekday]}`,
        it: `il servizio non si svolge il ${WEEKDAYS.it[c.weekday]}`, nl: `de dienst loopt niet op ${WEEKDAYS.nl[c.weekday]}`,
      }[l]
    case 'noOpening':
      return { fr: "hors période d'ouverture", en: 'outside an opening period', it: 'fuori dal periodo di apertura', nl: 'buiten een openingsperiode' }[l]
    case 'unknownService':
      return { fr: 'prestation inconnue', en: 'unknown service', it: 'servizio sconosciuto', nl: 'onbekende dienst' }[l]
    default: {
      const never: never = c
      return never
    }
  }
}

/**
 * A refusal explained in French, English, Italian or Dutch, with its parameters (the day and
 * the cut-off written for people in that language with date-fns' locales, the cut-off on the
 * site's clock with its zone, the shortfall...), for a portal or a back office. Never depends on
 * the host's zone.
 *
 * @example
 * bookingRefusalMessage({ code: 'CUTOFF_PASSED', action: 'book', instant: '2026-03-05T09:00:00.000Z', local: '2026-03-05T10:00', timeZone: 'Europe/Paris' }, 'fr')
 * //=> 'Réservation impossible : la date limite était le jeudi 5 mars 2026 à 10:00 (Europe/Paris).'
 */
export function bookingRefusalMessage(refusal: BookingRefusal, locale: BookingMessageLocale): string {
  try {
    const r = refusal
    const on = (date: string) => day(date, locale)
    switch (r.code) {
      case 'CHILD_ARCHIVED':
        return { fr: "L'enfant est archivé.", en: 'The child is archived.', it: 'Il bambino è archiviato.', nl: 'Het kind is gearchiveerd.' }[locale]
      case 'NOT_ENROLLED':
        return {
          fr: `L'enfant n'est inscrit dans aucune classe le ${on(r.date)}.`, en: `The child is not enrolled in any class on ${on(r.date)}.`,
          it: `Il bambino non è iscritto a nessuna classe il ${on(r.date)}.`, nl: `Het kind is op ${on(r.date)} in geen enkele klas ingeschreven.`,
        }[locale]
      case 'SERVICE_NOT_OFFERED':
        return {
          fr: `La prestation n'est pas proposée à la classe de l'enfant.`, en: `The service is not offered to the child's class.`,
          it: 'Il servizio non è offerto alla classe del bambino.', nl: 'De dienst wordt niet aangeboden aan de klas van het kind.',
        }[locale]
      case 'NOT_SUBSCRIBED':
        return {
          fr: `L'enfant n'a pas de droits sur cette prestation le ${on(r.date)}.`, en: `The child is not subscribed to this service on ${on(r.date)}.`,
          it: `Il bambino non è iscritto a questo servizio il ${on(r.date)}.`, nl: `Het kind is op ${on(r.date)} niet ingeschreven voor deze dienst.`,
        }[locale]
      case 'CLOSED':
        return {
          fr: `Fermé le ${on(r.date)} : ${closureText(r.closure, 'fr')}.`, en: `Closed on ${on(r.date)}: ${closureText(r.closure, 'en')}.`,
          it: `Chiuso il ${on(r.date)}: ${closureText(r.closure, 'it')}.`, nl: `Gesloten op ${on(r.date)}: ${closureText(r.closure, 'nl')}.`,
        }[locale]
      case 'NO_BILLING_RULE':
        return {
          fr: `Aucune règle de facturation ne couvre ce jour (${r.reason}).`, en: `No billing rule covers this day (${r.reason}).`,
          it: `Nessuna regola di fatturazione copre questo giorno (${r.reason}).`, nl: `Geen factureringsregel dekt deze dag (${r.reason}).`,
        }[locale]
      case 'NOT_PAYER':
        if (r.payerIds.length === 0) {
          return {
            fr: "Aucune règle de facturation ne couvre ce jour : seule l'école peut annuler cette réservation.",
            en: 'No billing rule covers this day: only the school can cancel this booking.',
            it: 'Nessuna regola di fatturazione copre questo giorno: solo la scuola può annullare questa prenotazione.',
            nl: 'Geen factureringsregel dekt deze dag: alleen de school kan deze reservering annuleren.',
          }[locale]
        }
        return r.jointDebtorInPrepaid
          ? {
              fr: 'Le tiers solidaire ne peut pas réserver en prépaiement panier.', en: 'A joint debtor cannot book in prepaid-basket mode.',
              it: 'Il coobbligato non può prenotare in modalità prepagata.', nl: 'Een hoofdelijk medeschuldenaar kan niet reserveren in prepaid-modus.',
            }[locale]
          : {
              fr: "Vous n'êtes ni le payeur ni le tiers solidaire de la règle de facturation de ce jour.",
              en: 'You are neither the payer nor the joint debtor of the billing rule for this day.',
              it: 'Non sei né il pagatore né il coobbligato della regola di fatturazione di questo giorno.',
              nl: 'U bent noch de betaler noch de hoofdelijk medeschuldenaar van de factureringsregel voor deze dag.',
            }[locale]
      case 'CONSENT_MISSING':
        return {
          fr: `Consentement requis : « ${r.label} ».`, en: `Consent required: "${r.label}".`, it: `Consenso richiesto: «${r.label}».`, nl: `Toestemming vereist: "${r.label}".`,
        }[locale]
      case 'CUTOFF_PASSED': {
        const t = when(r.local, r.timeZone, locale)
        return r.action === 'cancel'
          ? { fr: `Annulation impossible : la date limite était le ${t}.`, en: `Cancellation closed: the deadline was ${t}.`, it: `Annullamento impossibile: la scadenza era ${t}.`, nl: `Annuleren niet meer mogelijk: de uiterste datum was ${t}.` }[locale]
          : { fr: `Réservation impossible : la date limite était le ${t}.`, en: `Booking closed: the deadline was ${t}.`, it: `Prenotazione impossibile: la scadenza era ${t}.`, nl: `Reserveren niet meer mogelijk: de uiterste datum was ${t}.` }[locale]
      }
      case 'INSUFFICIENT_BALANCE':
        return {
          fr: `Solde insuffisant : il manque ${amount(r.shortfall, locale)} (solde disponible ${amount(r.available, locale)}, prix ${amount(r.price, locale)}).`,
          en: `Insufficient balance: ${amount(r.shortfall, locale)} short (available ${amount(r.available, locale)}, price ${amount(r.price, locale)}).`,
          it: `Saldo insufficiente: mancano ${amount(r.shortfall, locale)} (disponibile ${amount(r.available, locale)}, prezzo ${amount(r.price, locale)}).`,
          nl: `Onvoldoende saldo: ${amount(r.shortfall, locale)} te weinig (beschikbaar ${amount(r.available, locale)}, prijs ${amount(r.price, locale)}).`,
        }[locale]
      case 'DEBT_LIMIT':
        return {
          fr: `Impayés de ${amount(r.debt, locale)} au-delà du plafond de ${amount(r.limit, locale)}.`, en: `Unpaid debt of ${amount(r.debt, locale)} is above the limit of ${amount(r.limit, locale)}.`,
          it: `Debito insoluto di ${amount(r.debt, locale)} oltre il limite di ${amount(r.limit, locale)}.`, nl: `Openstaande schuld van ${amount(r.debt, locale)} boven de limiet van ${amount(r.limit, locale)}.`,
        }[locale]
      case 'FULL':
        return {
          fr: `Complet : ${r.booked} places réservées sur ${r.capacity}.`, en: `Full: ${r.booked} of ${r.capacity} places booked.`,
          it: `Completo: ${r.booked} posti prenotati su ${r.capacity}.`, nl: `Volzet: ${r.booked} van ${r.capacity} plaatsen gereserveerd.`,
        }[locale]
      case 'ALREADY_BOOKED':
        return { fr: `Déjà réservé le ${on(r.date)}.`, en: `Already booked on ${on(r.date)}.`, it: `Già prenotato il ${on(r.date)}.`, nl: `Al gereserveerd op ${on(r.date)}.` }[locale]
      case 'ALREADY_BILLED':
        return {
          fr: `La réservation du ${on(r.date)} est déjà facturée.`, en: `The booking of ${on(r.date)} is already billed.`,
          it: `La prenotazione del ${on(r.date)} è già fatturata.`, nl: `De reservering van ${on(r.date)} is al gefactureerd.`,
        }[locale]
      case 'NOT_BOOKED':
        return {
          fr: `Aucune réservation à annuler le ${on(r.date)}.`, en: `Nothing to cancel: no booking on ${on(r.date)}.`,
          it: `Nessuna prenotazione da annullare il ${on(r.date)}.`, nl: `Niets te annuleren: geen reservering op ${on(r.date)}.`,
        }[locale]
      case 'NOT_STARTED': {
        const t = when(r.local, r.timeZone, locale)
        return {
          fr: `La prestation n'a pas encore débuté : elle commence le ${t}.`, en: `The service has not started yet: it starts on ${t}.`,
          it: `Il servizio non è ancora iniziato: inizia il ${t}.`, nl: `De dienst is nog niet begonnen: hij begint op ${t}.`,
        }[locale]
      }
      default: {
        const never: never = r
        return never
      }
    }
  } catch (error) {
    throw asInputError(error, 'bookingRefusalMessage', { refusal: [refusal, 'object', 'a booking refusal'], locale: [locale, 'string', 'a message locale'] })
  }
}

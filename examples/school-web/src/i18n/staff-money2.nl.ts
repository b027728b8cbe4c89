import type { staffMoney2Fr } from './staff-money2.fr'

/** The messages of the stored collection files and the families' change log, in Dutch. */
export const staffMoney2Nl: Record<keyof typeof staffMoney2Fr, string> = {
  'staff.dd.files': 'Incassobestanden',
  'staff.dd.file': 'Bestand',
  'staff.dd.collectionDate': 'Incassodatum',
  'staff.dd.batch': 'Factuurgroep',
  'staff.dd.count': 'Incasso\'s',
  'staff.dd.noFiles': 'Geen incassobestand.',
  'nav.history': 'Geschiedenis',
  'history.title': 'Geschiedenis van het gezin',
  'history.when': 'Wanneer',
  'history.what': 'Wat',
  'history.none': 'Geen wijziging geregistreerd.',
  'history.older': 'Oudere',
  'history.action.booking.booked': 'Reservering',
  'history.action.booking.cancelled': 'Annulering',
  'history.action.consent.accepted': 'Toestemming gegeven',
  'history.action.consent.withdrawn': 'Toestemming ingetrokken',
  'history.action.password.changed': 'Wachtwoord gewijzigd',
}

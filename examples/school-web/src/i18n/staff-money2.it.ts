import type { staffMoney2Fr } from './staff-money2.fr'

/** The messages of the stored collection files and the families' change log, in Italian. */
export const staffMoney2It: Record<keyof typeof staffMoney2Fr, string> = {
  'staff.dd.files': 'File di addebito',
  'staff.dd.file': 'File',
  'staff.dd.collectionDate': 'Data di addebito',
  'staff.dd.batch': 'Gruppo di fatture',
  'staff.dd.count': 'Addebiti',
  'staff.dd.noFiles': 'Nessun file di addebito.',
  'nav.history': 'Cronologia',
  'history.title': 'Cronologia della famiglia',
  'history.when': 'Quando',
  'history.what': 'Cosa',
  'history.none': 'Nessuna modifica registrata.',
  'history.older': 'Meno recenti',
  'history.action.booking.booked': 'Prenotazione',
  'history.action.booking.cancelled': 'Annullamento',
  'history.action.consent.accepted': 'Consenso accettato',
  'history.action.consent.withdrawn': 'Consenso ritirato',
  'history.action.password.changed': 'Password cambiata',
}

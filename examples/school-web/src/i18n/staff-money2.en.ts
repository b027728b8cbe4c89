import type { staffMoney2Fr } from './staff-money2.fr'

/** The messages of the stored collection files and the families' change log, in English. */
export const staffMoney2En: Record<keyof typeof staffMoney2Fr, string> = {
  'staff.dd.files': 'Collection files',
  'staff.dd.file': 'File',
  'staff.dd.collectionDate': 'Collection date',
  'staff.dd.batch': 'Invoice batch',
  'staff.dd.count': 'Debits',
  'staff.dd.noFiles': 'No collection file.',
  'nav.history': 'History',
  'history.title': "The family's history",
  'history.when': 'When',
  'history.what': 'What',
  'history.none': 'No change recorded.',
  'history.older': 'Older',
  'history.action.booking.booked': 'Booked',
  'history.action.booking.cancelled': 'Cancelled',
  'history.action.consent.accepted': 'Consent accepted',
  'history.action.consent.withdrawn': 'Consent withdrawn',
  'history.action.password.changed': 'Password changed',
}

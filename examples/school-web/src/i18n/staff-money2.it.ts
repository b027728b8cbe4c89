import type { staffMoney2Fr } from './staff-money2.fr'

/** The messages of the stored collection files and the families' change log, in Italian. */
export const staffMoney2It: Record<keyof typeof staffMoney2Fr, string> = {
  'staff.dd.files': 'File di addebito',
  'staff.dd.file': 'File',
  'staff.dd.collectionDate': 'Data di addebito',
  'staff.dd.batch': 'Gruppo di fatture',
  'staff.dd.count': 'Addebiti',
  'staff.dd.noFiles': 'Nessun file di addebito.',
}

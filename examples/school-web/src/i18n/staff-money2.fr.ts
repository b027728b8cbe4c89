/** The messages of the stored collection files and the families' change log (moneylists, issue 18), in French (the reference). */
export const staffMoney2Fr = {
  'staff.dd.files': 'Fichiers de prélèvement',
  'staff.dd.file': 'Fichier',
  'staff.dd.collectionDate': 'Date de prélèvement',
  'staff.dd.batch': 'Groupe de factures',
  'staff.dd.count': 'Prélèvements',
  'staff.dd.noFiles': 'Aucun fichier de prélèvement.',
}

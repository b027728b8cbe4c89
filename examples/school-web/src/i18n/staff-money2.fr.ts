/** The messages of the stored collection files and the families' change log (moneylists, issue 18), in French (the reference). */
export const staffMoney2Fr = {
  'staff.dd.files': 'Fichiers de prélèvement',
  'staff.dd.file': 'Fichier',
  'staff.dd.collectionDate': 'Date de prélèvement',
  'staff.dd.batch': 'Groupe de factures',
  'staff.dd.count': 'Prélèvements',
  'staff.dd.noFiles': 'Aucun fichier de prélèvement.',
  'nav.history': 'Historique',
  'history.title': 'Historique de la famille',
  'history.when': 'Quand',
  'history.what': 'Quoi',
  'history.none': 'Aucune modification enregistrée.',
  'history.older': 'Plus anciennes',
  'history.action.booking.booked': 'Réservation',
  'history.action.booking.cancelled': 'Annulation',
  'history.action.consent.accepted': 'Consentement accepté',
  'history.action.consent.withdrawn': 'Consentement retiré',
}

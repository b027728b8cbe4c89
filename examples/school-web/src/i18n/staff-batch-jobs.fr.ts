/** The messages of the invoice batch jobs stored for every process (auditbatch, issue 18), in French (the reference). */
export const staffBatchJobsFr = {
  'staff.batch.queued': 'Le groupe {batch} attend son tour…',
  'staff.batch.interrupted': "La création du groupe {batch} a été interrompue : le processus qui la menait s'est arrêté. Le groupe se crée en une seule transaction, rien d'inachevé n'a été enregistré ; vous pouvez le créer à nouveau.",
  'staff.batch.again': 'Créer le groupe à nouveau',
  'staff.batch.busy': 'Le groupe {batch} est déjà en cours de création (commencée par {user} à {time}).',
  'staff.batch.startedBy': 'Commencée par {user} à {time}.',
  'staff.batch.step.bookings': 'Lecture des réservations : {done}',
  'staff.batch.step.pricing': 'Tarification des journées : {done} / {total}',
  'staff.batch.step.billedCharges': 'Recherche des prestations déjà facturées : {done} / {total}',
  'staff.batch.step.openBalances': 'Lecture des soldes impayés : {done} facture(s)',
  'staff.batch.step.drafts': 'Préparation des brouillons : {done} / {total} ligne(s)',
  'staff.batch.step.insert': 'Enregistrement des brouillons : {done} / {total}',
}

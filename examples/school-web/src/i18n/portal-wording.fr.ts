/**
 * The words a family reads for its money on the portal, in French (the reference: every other
 * language has the same keys): the wallet compartment, an invoice due or overdue, each movement of
 * the statement described from what it is (a booking of a service for a child on a day, a top-up
 * and how it was paid, an invoice paid), the balances of the period.
 */
export const portalWordingFr = {
  'home.generalCompartment': 'Compartiment général',
  'home.dueOn': 'Échéance le {date}',
  'home.overdueSince': 'En retard depuis le {date}',
  'statement.opening': 'Solde en début de période',
  'statement.closing': 'Solde au {date}',
  'statement.none': 'Aucun mouvement sur la période.',
  'statement.reserved': 'Réservations en cours au {date}, pas encore débitées',
  'statement.reservedTotal': 'Total réservé',
  'statement.available': 'Solde disponible',
  'statement.booking': '{service} du {date} pour {child}',
  'statement.bookingOfService': 'Réservation\u00a0: {service}',
  'statement.cancellation': 'Annulation\u00a0: {what}',
  'statement.invoicePayment': 'Paiement de la facture {number}',
  'statement.topUp.cash': 'Rechargement en espèces',
  'statement.topUp.cheque': 'Rechargement par chèque',
  'statement.topUp.card': 'Rechargement par carte bancaire',
  'statement.topUp.transfer': 'Rechargement par virement',
  'statement.topUp.directDebit': 'Rechargement par prélèvement',
  'statement.topUp.creditNote': 'Avoir reporté sur le portefeuille',
  'statement.topUp.other': 'Rechargement ({method})',
} as const

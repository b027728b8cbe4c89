import type { portalWordingFr } from './portal-wording.fr'

/** The words a family reads for its money on the portal, in Dutch. */
export const portalWordingNl: Record<keyof typeof portalWordingFr, string> = {
  'home.generalCompartment': 'Algemeen compartiment',
  'home.dueOn': 'Vervaldag {date}',
  'home.overdueSince': 'Achterstallig sinds {date}',
  'statement.opening': 'Saldo bij het begin van de periode',
  'statement.closing': 'Saldo op {date}',
  'statement.none': 'Geen verrichtingen in deze periode.',
  'statement.reserved': 'Lopende reservaties op {date}, nog niet afgeschreven',
  'statement.reservedTotal': 'Totaal gereserveerd',
  'statement.available': 'Beschikbaar saldo',
  'statement.booking': '{service} op {date} voor {child}',
  'statement.bookingOfService': 'Reservatie: {service}',
  'statement.cancellation': 'Annulering: {what}',
  'statement.invoicePayment': 'Betaling van factuur {number}',
  'statement.topUp.cash': 'Opwaardering in contanten',
  'statement.topUp.cheque': 'Opwaardering per cheque',
  'statement.topUp.card': 'Opwaardering met kaart',
  'statement.topUp.transfer': 'Opwaardering per overschrijving',
  'statement.topUp.directDebit': 'Opwaardering per domiciliëring',
  'statement.topUp.creditNote': 'Creditnota overgedragen naar de portefeuille',
  'statement.topUp.other': 'Opwaardering ({method})',
}

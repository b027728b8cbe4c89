import type { portalWordingFr } from './portal-wording.fr'

/** The words a family reads for its money on the portal, in Italian. */
export const portalWordingIt: Record<keyof typeof portalWordingFr, string> = {
  'home.generalCompartment': 'Scomparto generale',
  'home.dueOn': 'Scadenza il {date}',
  'home.overdueSince': 'Scaduta dal {date}',
  'statement.opening': 'Saldo all’inizio del periodo',
  'statement.closing': 'Saldo al {date}',
  'statement.none': 'Nessun movimento nel periodo.',
  'statement.reserved': 'Prenotazioni in corso al {date}, non ancora addebitate',
  'statement.reservedTotal': 'Totale prenotato',
  'statement.available': 'Saldo disponibile',
  'statement.booking': '{service} del {date} per {child}',
  'statement.bookingOfService': 'Prenotazione: {service}',
  'statement.cancellation': 'Annullamento: {what}',
  'statement.invoicePayment': 'Pagamento della fattura {number}',
  'statement.topUp.cash': 'Ricarica in contanti',
  'statement.topUp.cheque': 'Ricarica con assegno',
  'statement.topUp.card': 'Ricarica con carta',
  'statement.topUp.transfer': 'Ricarica con bonifico',
  'statement.topUp.directDebit': 'Ricarica con addebito diretto',
  'statement.topUp.creditNote': 'Nota di credito riportata sul borsellino',
  'statement.topUp.other': 'Ricarica ({method})',
}

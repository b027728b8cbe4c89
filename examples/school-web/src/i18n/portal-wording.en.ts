import type { portalWordingFr } from './portal-wording.fr'

/** The words a family reads for its money on the portal, in English. */
export const portalWordingEn: Record<keyof typeof portalWordingFr, string> = {
  'home.generalCompartment': 'General compartment',
  'home.dueOn': 'Due on {date}',
  'home.overdueSince': 'Overdue since {date}',
  'statement.opening': 'Balance at the start of the period',
  'statement.closing': 'Balance on {date}',
  'statement.none': 'No movement in this period.',
  'statement.reserved': 'Bookings reserved on {date}, not yet debited',
  'statement.reservedTotal': 'Total reserved',
  'statement.available': 'Available balance',
  'statement.booking': '{service} on {date} for {child}',
  'statement.bookingOfService': 'Booking: {service}',
  'statement.cancellation': 'Cancellation: {what}',
  'statement.invoicePayment': 'Payment of invoice {number}',
  'statement.topUp.cash': 'Top-up in cash',
  'statement.topUp.cheque': 'Top-up by cheque',
  'statement.topUp.card': 'Top-up by card',
  'statement.topUp.transfer': 'Top-up by bank transfer',
  'statement.topUp.directDebit': 'Top-up by direct debit',
  'statement.topUp.creditNote': 'Credit note carried to the wallet',
  'statement.topUp.other': 'Top-up ({method})',
}

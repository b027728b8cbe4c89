import type { portalSettlementFr } from './portal-settlement.fr'

/** How an invoice was settled on the portal, in English. */
export const portalSettlementEn: Record<keyof typeof portalSettlementFr, string> = {
  'invoices.paidCol': 'Paid',
  'invoices.creditedCol': 'Credit notes',
  'invoices.leftToPay': 'Left to pay',
  'invoices.settlement': 'Payments and credit notes',
  'invoices.invoiceTotal': 'Invoice total',
  'invoices.paidByYou': 'Paid by you',
  'invoices.creditNoteOf': 'Credit note {number} of {date}',
  'invoices.carriedIn': 'excess on invoice {invoice}, already paid, carried to this one',
  'invoices.carriedInOther': 'excess of a credit note on another invoice, already paid, carried to this one',
  'invoices.carriedOut': 'Excess carried {where}',
  'invoices.carriedToInvoice': 'to invoice {number}',
  'invoices.carriedToWallet': 'to your prepaid account',
  'invoices.carriedToOthers': 'to your other invoices',
  'invoices.and': ' and ',
  'invoices.downloadCreditNote': 'Download credit note {number}',
}

import type { portalSettlementFr } from './portal-settlement.fr'

/** How an invoice was settled on the portal, in Dutch. */
export const portalSettlementNl: Record<keyof typeof portalSettlementFr, string> = {
  'invoices.paidCol': 'Betaald',
  'invoices.creditedCol': "Creditnota's",
  'invoices.leftToPay': 'Nog te betalen',
  'invoices.settlement': "Betalingen en creditnota's",
  'invoices.invoiceTotal': 'Totaal van de factuur',
  'invoices.paidByYou': 'Door u betaald',
  'invoices.creditNoteOf': 'Creditnota {number} van {date}',
  'invoices.carriedIn': 'overschot op factuur {invoice}, al betaald, overgedragen naar deze',
  'invoices.carriedInOther': 'overschot van een creditnota op een andere factuur, al betaald, overgedragen naar deze',
  'invoices.carriedOut': 'Overschot overgedragen {where}',
  'invoices.carriedToInvoice': 'naar factuur {number}',
  'invoices.carriedToWallet': 'naar uw prepaidrekening',
  'invoices.carriedToOthers': 'naar uw andere facturen',
  'invoices.and': ' en ',
  'invoices.downloadCreditNote': 'Creditnota {number} downloaden',
}

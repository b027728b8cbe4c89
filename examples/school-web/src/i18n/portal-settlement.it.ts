import type { portalSettlementFr } from './portal-settlement.fr'

/** How an invoice was settled on the portal, in Italian. */
export const portalSettlementIt: Record<keyof typeof portalSettlementFr, string> = {
  'invoices.paidCol': 'Pagato',
  'invoices.creditedCol': 'Note di credito',
  'invoices.leftToPay': 'Resta da pagare',
  'invoices.settlement': 'Pagamenti e note di credito',
  'invoices.invoiceTotal': 'Totale della fattura',
  'invoices.paidByYou': 'Pagato da voi',
  'invoices.creditNoteOf': 'Nota di credito {number} del {date}',
  'invoices.carriedIn': 'eccedenza della fattura {invoice}, già pagata, riportata su questa',
  'invoices.carriedInOther': 'eccedenza di una nota di credito su un’altra fattura, già pagata, riportata su questa',
  'invoices.carriedOut': 'Eccedenza riportata {where}',
  'invoices.carriedToInvoice': 'sulla fattura {number}',
  'invoices.carriedToWallet': 'sul vostro conto prepagato',
  'invoices.carriedToOthers': 'sulle vostre altre fatture',
  'invoices.and': ' e ',
  'invoices.downloadCreditNote': 'Scarica la nota di credito {number}',
}

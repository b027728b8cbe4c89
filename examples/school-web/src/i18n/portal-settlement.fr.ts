/** How an invoice was settled on the portal (paid, credit notes, carried excess, left to pay), in French (the reference). */
export const portalSettlementFr = {
  'invoices.paidCol': 'Payé',
  'invoices.creditedCol': 'Avoirs',
  'invoices.leftToPay': 'Reste à payer',
  'invoices.settlement': 'Paiements et avoirs',
  'invoices.invoiceTotal': 'Total de la facture',
  'invoices.paidByYou': 'Payé par vous',
  'invoices.creditNoteOf': 'Avoir {number} du {date}',
  'invoices.carriedIn': 'excédent de la facture {invoice}, déjà payée, reporté sur celle-ci',
  'invoices.carriedInOther': 'excédent d’un avoir sur une autre facture déjà payée, reporté sur celle-ci',
  'invoices.carriedOut': 'Excédent reporté {where}',
  'invoices.carriedToInvoice': 'sur la facture {number}',
  'invoices.carriedToWallet': 'sur votre compte prépayé',
  'invoices.carriedToOthers': 'sur vos autres factures',
  'invoices.and': ' et ',
  'invoices.downloadCreditNote': 'Télécharger l’avoir {number}',
} as const

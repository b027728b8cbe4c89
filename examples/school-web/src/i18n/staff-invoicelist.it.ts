import type { staffInvoiceListFr } from './staff-invoicelist.fr'

/** The messages of the invoices list's filters and of its "da sollecitare" flow, in Italian. */
export const staffInvoiceListIt: Record<keyof typeof staffInvoiceListFr, string> = {
  'staff.invoices.state': 'Stato fattura',
  'staff.invoices.state.toRemind': 'Da sollecitare',
  'staff.invoices.state.settled': 'Saldate',
  'staff.invoices.search': 'Numero o nome',
  'staff.invoices.sort': 'Ordina per',
  'staff.invoices.sort.id': 'Identificativo',
  'staff.invoices.sort.number': 'Numero',
  'staff.invoices.sort.issueDate': 'Data di emissione',
  'staff.invoices.sort.dueDate': 'Scadenza',
  'staff.invoices.sort.total': 'Importo',
  'staff.invoices.dir': 'Ordine',
  'staff.invoices.dir.asc': 'Crescente',
  'staff.invoices.dir.desc': 'Decrescente',
  'staff.invoices.none': 'Nessuna fattura corrisponde a questi filtri.',
  'staff.invoices.badPage': "Questa pagina non corrisponde più all'ordine scelto: l'elenco riparte dall'inizio.",
  'staff.invoices.badValue': "{field}: «{value}» non è una delle scelte proposte; nulla è elencato finché non è corretto.",
  'staff.invoices.badDay': "{field}: «{value}» non è una data (AAAA-MM-GG); nulla è elencato finché non è corretta.",
  'staff.invoices.remind': 'Sollecita le fatture elencate',
  'staff.reminders.ofList': "Solleciti delle {count} fatture dell'elenco filtrato.",
  'staff.reminders.badList': "L'elenco filtrato chiede un valore che non propone: nessun sollecito è fatto. Correggere il filtro nell'elenco delle fatture.",
  'staff.reminders.backToList': "Torna all'elenco delle fatture",
  'staff.guardian.invoicesShown': "Le {shown} fatture con la scadenza più recente, su {count}.",
}

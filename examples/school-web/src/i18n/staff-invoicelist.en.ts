import type { staffInvoiceListFr } from './staff-invoicelist.fr'

/** The messages of the invoices list's filters and of its "to remind" flow, in English. */
export const staffInvoiceListEn: Record<keyof typeof staffInvoiceListFr, string> = {
  'staff.invoices.state': 'Invoice state',
  'staff.invoices.state.toRemind': 'To remind',
  'staff.invoices.state.settled': 'Settled',
  'staff.invoices.search': 'Number or name',
  'staff.invoices.sort': 'Sort by',
  'staff.invoices.sort.id': 'Identifier',
  'staff.invoices.sort.number': 'Number',
  'staff.invoices.sort.issueDate': 'Issue date',
  'staff.invoices.sort.dueDate': 'Due date',
  'staff.invoices.sort.total': 'Amount',
  'staff.invoices.dir': 'Order',
  'staff.invoices.dir.asc': 'Ascending',
  'staff.invoices.dir.desc': 'Descending',
  'staff.invoices.none': 'No invoice matches these filters.',
  'staff.invoices.badPage': 'This page no longer matches the chosen order: the list starts again from the top.',
  'staff.invoices.badValue': "{field}: “{value}” is not one of the choices offered; nothing is listed until it is corrected.",
  'staff.invoices.badDay': "{field}: “{value}” is not a day (YYYY-MM-DD); nothing is listed until it is corrected.",
  'staff.invoices.remind': 'Remind the listed invoices',
  'staff.reminders.ofList': 'Reminders of the {count} invoice(s) of the filtered list.',
  'staff.reminders.badList': "The filtered list asks for a value it does not offer: no reminder is made. Correct the filter in the invoices list.",
  'staff.reminders.backToList': 'Back to the invoices list',
  'staff.guardian.invoicesShown': "The {shown} invoices due most recently, of {count}.",
}

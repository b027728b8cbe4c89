import type { staffInvoiceListFr } from './staff-invoicelist.fr'

/** The messages of the invoices list's filters and of its "te herinneren" flow, in Dutch. */
export const staffInvoiceListNl: Record<keyof typeof staffInvoiceListFr, string> = {
  'staff.invoices.state': 'Status factuur',
  'staff.invoices.state.toRemind': 'Te herinneren',
  'staff.invoices.state.settled': 'Vereffend',
  'staff.invoices.search': 'Nummer of naam',
  'staff.invoices.sort': 'Sorteren op',
  'staff.invoices.sort.id': 'Identificatie',
  'staff.invoices.sort.number': 'Nummer',
  'staff.invoices.sort.issueDate': 'Uitgiftedatum',
  'staff.invoices.sort.dueDate': 'Vervaldatum',
  'staff.invoices.sort.total': 'Bedrag',
  'staff.invoices.dir': 'Volgorde',
  'staff.invoices.dir.asc': 'Oplopend',
  'staff.invoices.dir.desc': 'Aflopend',
  'staff.invoices.none': 'Geen factuur voldoet aan deze filters.',
  'staff.invoices.badPage': 'Deze pagina past niet meer bij de gekozen volgorde: de lijst begint opnieuw bovenaan.',
  'staff.invoices.badValue': "{field}: ‘{value}’ is geen van de aangeboden keuzes; er wordt niets getoond tot dit verbeterd is.",
  'staff.invoices.badDay': "{field}: ‘{value}’ is geen dag (JJJJ-MM-DD); er wordt niets getoond tot dit verbeterd is.",
  'staff.invoices.remind': 'Herinner de getoonde facturen',
  'staff.reminders.ofList': 'Herinneringen voor de {count} factuur/facturen van de gefilterde lijst.',
  'staff.reminders.badList': "De gefilterde lijst vraagt een waarde die ze niet aanbiedt: er wordt geen herinnering gemaakt. Verbeter de filter in de factuurlijst.",
  'staff.reminders.backToList': 'Terug naar de factuurlijst',
  'staff.guardian.invoicesShown': "De {shown} facturen met de meest recente vervaldatum, van {count}.",
}

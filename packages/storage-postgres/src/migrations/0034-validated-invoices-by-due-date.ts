/**
 * The validated invoices of a billing office by due day (issue 18, the invoices list's « à
 * relancer »): `listInvoices` / `listInvoicesWithBalances` with `{ billingOfficeId, balance:
 * 'toRemind', today }` read the office's invoices due before today from this index and compute
 * the balances of those only, instead of reading every invoice of the site.
 *
 * @internal
 */
export const migration0034 = {
  version: 34,
  name: 'validated-invoices-by-due-date',
  sql: `
CREATE INDEX ecole_invoices_validated_by_due ON ecole_invoices (site_id, billing_office_id, due_date) WHERE status = 'validated';
`,
}

/**
 * An invoice's `totalMinor` and currency as plain columns of `ecole_invoices` (issue 18): the
 * debtor list (`listDebtorBalances`) read every validated invoice's JSON body for them (250-580 ms
 * on a site of 20,000 debtors). `total_minor` (exact numeric) and `currency` are a copy of the
 * body, written by the same statement as the body by every write path of the invoice store
 * (`createDrafts`, `updateDraft`, `markValidated`, computed from the very body written) and
 * backfilled here; the body stays the truth. `ecole_invoices_debtor_balances` (site, office,
 * debtor) over the validated invoices carries the id, currency and total, so the statement reads
 * the office's invoices from the index alone.
 *
 * @internal
 */
export const migration0033 = {
  version: 33,
  name: 'invoice-totals-in-columns',
  sql: `
ALTER TABLE ecole_invoices ADD COLUMN total_minor numeric, ADD COLUMN currency text;

UPDATE ecole_invoices
   SET total_minor = coalesce(body->'totalMinor'->>'$bigint', body->'totalMinor'#>>'{}')::numeric,
       currency = body->>'currency';

CREATE INDEX ecole_invoices_debtor_balances ON ecole_invoices (site_id, billing_office_id, payer_id) INCLUDE (id, currency, total_minor) WHERE status = 'validated';
`,
}

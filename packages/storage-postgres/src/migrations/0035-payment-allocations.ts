/**
 * The allocations of recorded payments as rows (issue 18): the debtor list
 * (`listDebtorBalances`) read every recorded payment of the site and unfolded its JSON
 * allocations to sum what each invoice was paid. `ecole_payment_allocations` holds one row per
 * allocation of a recorded payment (its invoice, its exact amount, its place in the payment),
 * written by the same statement as the payment by every write path of the payment store (created
 * alone or in a batch: the rows come from the very body inserted; refused or deleted: its rows
 * go), and backfilled here; the payment's body stays the truth. The index by invoice carries the
 * amount, so the sums of an office's invoices are read from the index alone.
 *
 * @internal
 */
export const migration0035 = {
  version: 35,
  name: 'payment-allocations',
  sql: `
CREATE TABLE ecole_payment_allocations (
  site_id text NOT NULL,
  payment_id text NOT NULL,
  position integer NOT NULL,
  invoice_id text NOT NULL,
  amount_minor numeric NOT NULL,
  PRIMARY KEY (site_id, payment_id, position)
);

INSERT INTO ecole_payment_allocations (site_id, payment_id, position, invoice_id, amount_minor)
SELECT p.site_id, p.id, (x.ord - 1)::int, x.a->>'invoiceId', coalesce(x.a->'amountMinor'->>'$bigint', x.a->'amountMinor'#>>'{}')::numeric
  FROM ecole_payments p CROSS JOIN LATERAL jsonb_array_elements(p.body->'allocations') WITH ORDINALITY AS x(a, ord)
 WHERE p.status = 'recorded';

CREATE INDEX ecole_payment_allocations_by_invoice ON ecole_payment_allocations (site_id, invoice_id) INCLUDE (amount_minor);
`,
}

/**
 * The recorded payments allocated to an invoice, found by an index (issue 12): `createPayment(s)`
 * counts every payment allocated to the invoices it locks, whoever paid, where it read the
 * payments of the invoices' debtors only. `ecole_payment_invoice_keys(site, body)` is the
 * payment's allocations as `site` + U+001F + invoice id (one site's invoice ids never meet
 * another's), indexed with GIN and queried with `&&`.
 *
 * @internal
 */
export const migration0031 = {
  version: 31,
  name: 'payments-by-invoice',
  sql: `
CREATE FUNCTION ecole_payment_invoice_keys(site text, body jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $keys$
  SELECT coalesce(array_agg(DISTINCT site || chr(31) || (a->>'invoiceId')), '{}') FROM jsonb_array_elements(body->'allocations') AS a
$keys$;

CREATE INDEX ecole_payments_by_invoice ON ecole_payments USING gin (ecole_payment_invoice_keys(site_id, body));
`,
}

/**
 * `Invoice.payerId` renamed `debtorId` (issue 13, point 4: one word per concept): every stored
 * invoice's JSON body is rewritten once (`payerId` → `debtorId`); the `payer_id` column keeps its
 * name and is mapped from `debtorId` by the invoice store. A body that already says `debtorId` is
 * left as it is.
 *
 * @internal
 */
export const migration0024 = {
  version: 24,
  name: 'invoice-debtor-id',
  sql: `
UPDATE ecole_invoices
   SET body = (body - 'payerId') || jsonb_build_object('debtorId', body->'payerId')
 WHERE body ? 'payerId' AND NOT body ? 'debtorId';
`,
}

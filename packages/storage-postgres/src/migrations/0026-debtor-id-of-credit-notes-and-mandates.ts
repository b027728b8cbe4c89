/**
 * `CreditNote.payerId` and `SepaMandate.payerId` renamed `debtorId` (issue 13, point 4: one word per
 * concept, after `Invoice.payerId` in 0024): every stored credit note's JSON body (`ecole_credit_notes`)
 * and every SEPA mandate's (`ecole_records` kind `directory:sepaMandate`, where 0025 moved them) is
 * rewritten once (`payerId` → `debtorId`). Neither table has a payer column. A body that already
 * says `debtorId` is left as it is. The directory's `listSepaMandatesOf` filters on
 * `body->>'debtorId'` from this version on.
 *
 * @internal
 */
export const migration0026 = {
  version: 26,
  name: 'debtor-id-of-credit-notes-and-mandates',
  sql: `
UPDATE ecole_credit_notes
   SET body = (body - 'payerId') || jsonb_build_object('debtorId', body->'payerId')
 WHERE body ? 'payerId' AND NOT body ? 'debtorId';
UPDATE ecole_records
   SET body = (body - 'payerId') || jsonb_build_object('debtorId', body->'payerId')
 WHERE kind = 'directory:sepaMandate' AND body ? 'payerId' AND NOT body ? 'debtorId';
`,
}

/**
 * SEPA mandates, invoice folders and roles become kinds of the directory's record port (issue 13, a
 * smaller storage contract): the rows of `ecole_sepa_mandates` move to `ecole_records` as kind
 * `directory:sepaMandate` (the body unchanged; the debtor is read from `body->>'payerId'`), those
 * of `ecole_invoice_folders` as `directory:invoiceFolder` (invoices keep their `folder_id`), and
 * the access port's roles (`ecole_records` kind `role`) become `directory:role`. Data
 * only: the emptied tables stay until the schema is squashed again.
 *
 * @internal
 */
export const migration0025 = {
  version: 25,
  name: 'records-in-directory',
  sql: `
INSERT INTO ecole_records (site_id, kind, id, body)
  SELECT site_id, 'directory:sepaMandate', id, body FROM ecole_sepa_mandates
  ON CONFLICT (site_id, kind, id) DO UPDATE SET body = EXCLUDED.body;
DELETE FROM ecole_sepa_mandates;
INSERT INTO ecole_records (site_id, kind, id, body)
  SELECT site_id, 'directory:invoiceFolder', id, body FROM ecole_invoice_folders
  ON CONFLICT (site_id, kind, id) DO UPDATE SET body = EXCLUDED.body;
DELETE FROM ecole_invoice_folders;
UPDATE ecole_records SET kind = 'directory:role' WHERE kind = 'role';
`,
}

/**
 * SEPA mandates become a kind of the directory's record port (issue 13, a smaller storage
 * contract): the rows of `ecole_sepa_mandates` move to `ecole_records` as kind
 * `directory:sepaMandate` (the body unchanged; the debtor is read from `body->>'payerId'`). Data
 * only: the emptied table stays until the schema is squashed again.
 *
 * @internal
 */
export const migration0025 = {
  version: 25,
  name: 'sepa-mandates-in-directory',
  sql: `
INSERT INTO ecole_records (site_id, kind, id, body)
  SELECT site_id, 'directory:sepaMandate', id, body FROM ecole_sepa_mandates
  ON CONFLICT (site_id, kind, id) DO UPDATE SET body = EXCLUDED.body;
DELETE FROM ecole_sepa_mandates;
`,
}

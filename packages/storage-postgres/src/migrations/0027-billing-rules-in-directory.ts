/**
 * Billing rules become a kind of the directory's record port (issue 13, a smaller storage
 * contract): the rows of `ecole_billing_rules` move to `ecole_records` as kind
 * `directory:billingRule` (the body unchanged; its `from_date` and `to_date` columns were copies
 * of the body's `from` and `to`). The rules of some beneficiaries (`listBillingRulesOf`) are found
 * by a GIN index on the beneficiary ids of a rule's coverage (`$.covers[*].beneficiaryId`, the
 * built-in immutable `jsonb_path_query_array`), partial on the kind, so a 50,000-child site
 * reads a child's rules without scanning the site's. `fastupdate = off`: rules are written a few
 * at a time by staff and read on every booking page, and with GIN's pending list every read
 * scanned the rules written since the last vacuum (measured: 4 s for 1,000 children after 55,000
 * rules were written, 0.12 s once the list was merged). Data only otherwise: the emptied table stays
 * until the schema is squashed again.
 *
 * @internal
 */
export const migration0027 = {
  version: 27,
  name: 'billing-rules-in-directory',
  sql: `
INSERT INTO ecole_records (site_id, kind, id, body)
  SELECT site_id, 'directory:billingRule', id, body FROM ecole_billing_rules
  ON CONFLICT (site_id, kind, id) DO UPDATE SET body = EXCLUDED.body;
DELETE FROM ecole_billing_rules;
CREATE INDEX ecole_records_billing_rule_beneficiaries ON ecole_records
  USING gin (jsonb_path_query_array(body, '$.covers[*].beneficiaryId')) WITH (fastupdate = off)
  WHERE kind = 'directory:billingRule';
`,
}

/**
 * The rules of some beneficiaries are found by site and beneficiary together. Migration 27 indexed
 * a rule's beneficiary ids alone (`jsonb_ops`, whose `?` is rechecked on the row), so where sites
 * share ids (`c-1`, `c-2`... numbered per school), every lookup also fetched the other sites' rules
 * of those ids and recomputed their coverage before the site filter dropped them: one rule of
 * 10,000 children on another site was read and parsed again for each of them. And each
 * beneficiary was looked up apart (`DISTINCT ON` over a lateral join), so a rule covering 1,000
 * of the children asked for was fetched and sorted 1,000 times.
 *
 * Now `ecole_billing_rule_keys(site_id, body)` names each beneficiary of a rule's coverage with its
 * site (`<length of the site id>:<site id>:<beneficiary id>`: the length makes the pair
 * unambiguous whatever characters the ids hold), a GIN index (`array_ops`, exact: no recheck) holds
 * those keys, and one `&&` with the keys asked for reads each rule of the site once. The function
 * calls built-in functions only (it runs under any `search_path`, as index maintenance and a
 * restore require), and is immutable: the keys depend on the row alone.
 *
 * @internal
 */
export const migration0037 = {
  version: 37,
  name: 'billing-rules-by-site',
  sql: `
CREATE FUNCTION ecole_billing_rule_keys(p_site text, p_body jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT length(p_site)::text || ':' || p_site || ':' || b
    FROM jsonb_array_elements_text(jsonb_path_query_array(p_body, '$.covers[*].beneficiaryId')) AS b)
$$;
CREATE INDEX ecole_records_billing_rule_keys ON ecole_records
  USING gin (ecole_billing_rule_keys(site_id, body)) WITH (fastupdate = off)
  WHERE kind = 'directory:billingRule';
DROP INDEX ecole_records_billing_rule_beneficiaries;
`,
}

/**
 * Locks a batch's accounts by primary key: the first version of `ecole_ledger_lock_accounts`
 * (migration 6) filtered with `id = ANY(...) OR id IN (...)`, which PostgreSQL answers by scanning
 * every account of the site; this one gathers the ids first and probes the primary key.
 *
 * @internal
 */
export const migration0007 = {
  version: 7,
  name: 'ledger-lock-by-key',
  sql: `
CREATE OR REPLACE FUNCTION ecole_ledger_lock_accounts(p_site text, p_ids text[], p_now timestamptz)
RETURNS SETOF ecole_ledger_accounts LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
    SELECT a.* FROM ecole_ledger_accounts a
    WHERE a.site_id = p_site AND a.id = ANY(ARRAY(
      SELECT unnest(p_ids)
      UNION
      SELECT unnest(ARRAY[t.debit_account_id, t.credit_account_id]) FROM ecole_ledger_transfers t
      WHERE t.site_id = p_site AND t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now))
    ORDER BY a.id
    FOR UPDATE OF a;
END
$$;
`,
}

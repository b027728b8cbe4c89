/**
 * The three statements of a ledger batch as PL/pgSQL functions, so each connection plans them
 * once (PL/pgSQL caches its plans) instead of at every call: lock the accounts (the batch's and
 * those of expired reservations, in id order), read what the batch refers to after the locks, and
 * write everything in one statement. The rules themselves stay in the adapter (TypeScript).
 *
 * @internal
 */
export const migration0006 = {
  version: 6,
  name: 'ledger-functions',
  sql: `
CREATE FUNCTION ecole_ledger_lock_accounts(p_site text, p_ids text[], p_now timestamptz)
RETURNS SETOF ecole_ledger_accounts LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
    SELECT a.* FROM ecole_ledger_accounts a
    WHERE a.site_id = p_site AND (a.id = ANY(p_ids) OR a.id IN (
      SELECT unnest(ARRAY[t.debit_account_id, t.credit_account_id]) FROM ecole_ledger_transfers t
      WHERE t.site_id = p_site AND t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now))
    ORDER BY a.id
    FOR UPDATE OF a;
END
$$;

CREATE FUNCTION ecole_ledger_read_referenced(p_site text, p_ids text[], p_now timestamptz, p_locked text[])
RETURNS TABLE (row_kind text, id text, debit_account_id text, credit_account_id text, amount bigint, currency text, code text, flags jsonb,
               pending_id text, reverses_id text, expires_at timestamptz, links jsonb, memo text, "timestamp" timestamptz,
               pending_status text, resolved_by_id text, reversed_amount bigint)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
    SELECT 'transfer'::text, t.id::text, t.debit_account_id::text, t.credit_account_id::text, t.amount, t.currency, t.code, t.flags,
           t.pending_id::text, t.reverses_id::text, t.expires_at, t.links, t.memo, t."timestamp", t.pending_status, t.resolved_by_id::text, t.reversed_amount
    FROM ecole_ledger_transfers t
    WHERE t.site_id = p_site AND (t.id = ANY(p_ids)
      OR (t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now
          AND t.debit_account_id = ANY(p_locked) AND t.credit_account_id = ANY(p_locked)))
    UNION ALL
    SELECT 'failed'::text, f.id::text, NULL::text, NULL::text, NULL::bigint, NULL::text, f.code, NULL::jsonb, NULL::text, NULL::text,
           NULL::timestamptz, NULL::jsonb, NULL::text, NULL::timestamptz, NULL::text, NULL::text, NULL::bigint
    FROM ecole_ledger_failed f WHERE f.site_id = p_site AND f.id = ANY(p_ids);
END
$$;

CREATE FUNCTION ecole_ledger_write_batch(
  p_site text,
  t_id text[], t_debit text[], t_credit text[], t_amount bigint[], t_currency text[], t_code text[], t_flags jsonb[], t_pending_id text[],
  t_reverses_id text[], t_expires_at timestamptz[], t_links jsonb[], t_memo text[], t_timestamp timestamptz[], t_pending_status text[],
  t_resolved_by text[], t_reversed bigint[],
  u_id text[], u_status text[], u_resolved_by text[], u_reversed bigint[],
  a_id text[], a_dp bigint[], a_cp bigint[], a_dpe bigint[], a_cpe bigint[],
  f_id text[], f_code text[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(t_id) > 0 THEN
    INSERT INTO ecole_ledger_transfers (site_id, id, debit_account_id, credit_account_id, amount, currency, code, flags, pending_id, reverses_id,
                                        expires_at, links, memo, "timestamp", pending_status, resolved_by_id, reversed_amount)
    SELECT p_site, * FROM unnest(t_id, t_debit, t_credit, t_amount, t_currency, t_code, t_flags, t_pending_id, t_reverses_id, t_expires_at,
                                 t_links, t_memo, t_timestamp, t_pending_status, t_resolved_by, t_reversed);
  END IF;
  IF cardinality(u_id) > 0 THEN
    UPDATE ecole_ledger_transfers t SET pending_status = v.ps, resolved_by_id = v.rb, reversed_amount = v.ra
    FROM unnest(u_id, u_status, u_resolved_by, u_reversed) AS v(id, ps, rb, ra)
    WHERE t.site_id = p_site AND t.id = v.id;
  END IF;
  IF cardinality(a_id) > 0 THEN
    UPDATE ecole_ledger_accounts a SET debits_posted = v.dp, credits_posted = v.cp, debits_pending = v.dpe, credits_pending = v.cpe
    FROM unnest(a_id, a_dp, a_cp, a_dpe, a_cpe) AS v(id, dp, cp, dpe, cpe)
    WHERE a.site_id = p_site AND a.id = v.id;
  END IF;
  IF cardinality(f_id) > 0 THEN
    INSERT INTO ecole_ledger_failed (site_id, id, code) SELECT p_site, v.id, v.code FROM unnest(f_id, f_code) AS v(id, code)
    ON CONFLICT (site_id, id) DO NOTHING;
  END IF;
END
$$;
`,
}

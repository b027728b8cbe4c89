/**
 * One round trip fewer per ledger batch: `ecole_ledger_lock_and_read` locks the batch's accounts
 * (by primary key, in id order, with those of the site's expired reservations) and then, in a later
 * statement of the same call (so with a snapshot taken after the locks), reads the transfers the
 * batch names, the expired reservations and the failed ids. Rows are tagged by `row_kind`.
 *
 * @internal
 */
export const migration0008 = {
  version: 8,
  name: 'ledger-lock-and-read',
  sql: `
CREATE FUNCTION ecole_ledger_lock_and_read(p_site text, p_accounts text[], p_ids text[], p_now timestamptz)
RETURNS TABLE (
  row_kind text, id text, kind text, billing_office_id text, guardian_id text, compartment text, role text, service_id text, currency text,
  overdraft_kind text, overdraft_limit bigint, low_balance_threshold bigint, debits_posted bigint, credits_posted bigint, debits_pending bigint,
  credits_pending bigint, debit_account_id text, credit_account_id text, amount bigint, code text, flags jsonb, pending_id text, reverses_id text,
  expires_at timestamptz, links jsonb, memo text, "timestamp" timestamptz, pending_status text, resolved_by_id text, reversed_amount bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_locked text[];
BEGIN
  RETURN QUERY
    SELECT 'account'::text, a.id::text, a.kind, a.billing_office_id, a.guardian_id, a.compartment, a.role, a.service_id, a.currency,
           a.overdraft_kind, a.overdraft_limit, a.low_balance_threshold, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending,
           NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::jsonb, NULL::text, NULL::text, NULL::timestamptz, NULL::jsonb, NULL::text,
           NULL::timestamptz, NULL::text, NULL::text, NULL::bigint
    FROM ecole_ledger_accounts a
    WHERE a.site_id = p_site AND a.id = ANY(ARRAY(
      SELECT unnest(p_accounts)
      UNION
      SELECT unnest(ARRAY[t.debit_account_id, t.credit_account_id]) FROM ecole_ledger_transfers t
      WHERE t.site_id = p_site AND t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now))
    ORDER BY a.id
    FOR UPDATE OF a;
  SELECT array_agg(a.id::text) INTO v_locked FROM ecole_ledger_accounts a
    WHERE a.site_id = p_site AND a.id = ANY(ARRAY(
      SELECT unnest(p_accounts)
      UNION
      SELECT unnest(ARRAY[t.debit_account_id, t.credit_account_id]) FROM ecole_ledger_transfers t
      WHERE t.site_id = p_site AND t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now));
  RETURN QUERY
    SELECT 'transfer'::text, t.id::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, t.currency,
           NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
           t.debit_account_id::text, t.credit_account_id::text, t.amount, t.code, t.flags, t.pending_id::text, t.reverses_id::text, t.expires_at,
           t.links, t.memo, t."timestamp", t.pending_status, t.resolved_by_id::text, t.reversed_amount
    FROM ecole_ledger_transfers t
    WHERE t.site_id = p_site AND (t.id = ANY(p_ids)
      OR (t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now
          AND t.debit_account_id = ANY(v_locked) AND t.credit_account_id = ANY(v_locked)))
    UNION ALL
    SELECT 'failed'::text, f.id::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text,
           NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
           NULL::text, NULL::text, NULL::bigint, f.code, NULL::jsonb, NULL::text, NULL::text, NULL::timestamptz,
           NULL::jsonb, NULL::text, NULL::timestamptz, NULL::text, NULL::text, NULL::bigint
    FROM ecole_ledger_failed f WHERE f.site_id = p_site AND f.id = ANY(p_ids);
END
$$;
`,
}

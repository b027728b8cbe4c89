/**
 * The ledger's functions, second version.
 *
 * - `ecole_ledger_read_batch` reads what a batch refers to, locking the accounts first when asked.
 *   The version of migration 8 looked the batch's transfers up with `id = ANY(...) OR (expired
 *   reservation ...)`, which PostgreSQL 15 answered (measured, with statistics gathered while the
 *   table was small) by scanning every transfer of the site: each call cost time in proportion to
 *   the site's history. This one probes the primary key once per id (`LATERAL ... LIMIT 1` is a
 *   nested loop whatever the statistics say) and finds expired reservations through the partial
 *   `ecole_ledger_transfers_expiring` index.
 * - Lookups by transfer id are planned at each call (`EXECUTE`): a plan cached while the table was
 *   nearly empty answered them through a per-account index, reading the site's whole history at
 *   every call until the next `ANALYZE` (measured: a batch of 5,000 took 1.4 s instead of 0.1 s).
 * - The per-account indexes of transfers lead with the account id and lose their last column
 *   (`id`, which no query used: a statement by account reads both indexes into a bitmap and sorts).
 *   Led by `site_id`, they tied with the primary key for a lookup by (site_id, id) whenever the
 *   planner thought the site small (a new site, statistics not yet gathered for it), and reading one
 *   of them meant reading the site's whole history (measured: batches of 5,000 fell to 408/s).
 * - `ecole_ledger_write` writes a batch from JSON (one parameter per kind of row instead of
 *   twenty-seven arrays: cheaper to encode in the adapter and to decode here). Given the totals
 *   and states the adapter read (`p_expected`), it first locks those accounts (in the order given)
 *   and checks that nothing changed since the read, and writes nothing (returns false) if anything
 *   did: the adapter's optimistic path, one transaction of one statement.
 *
 * - `ecole_ledger_post` writes plain posted transfers between accounts the adapter already knows,
 *   in one statement without a prior read (totals moved by the amounts; the overdraft `CHECK` and
 *   the primary key refuse what the rules would refuse, and the adapter then takes another path).
 *
 * They keep generic plans (planned once per connection: the custom plans PL/pgSQL chose cost more
 * to make than to run), but for lookups of transfers by id. The functions of migrations 6 and 8
 * are dropped.
 *
 * @internal
 */
export const migration0009 = {
  version: 9,
  name: 'ledger-read-by-key',
  sql: `
-- The per-account indexes lead with the account: led by site_id, either could answer a lookup by
-- (site_id, id) as cheaply as the primary key in the planner's eyes whenever the site looks small to it
-- (a new site the statistics do not know yet), and then read the site's whole history at every lookup.
-- Every query that uses them names the account and the site. They end at the timestamp: no query used
-- their last column (id), and narrower entries cost less to insert.
DROP INDEX ecole_ledger_transfers_by_debit;
DROP INDEX ecole_ledger_transfers_by_credit;
CREATE INDEX ecole_ledger_transfers_by_debit ON ecole_ledger_transfers (debit_account_id, site_id, "timestamp");
CREATE INDEX ecole_ledger_transfers_by_credit ON ecole_ledger_transfers (credit_account_id, site_id, "timestamp");

DROP FUNCTION ecole_ledger_lock_and_read(text, text[], text[], timestamptz);
DROP FUNCTION ecole_ledger_lock_accounts(text, text[], timestamptz);
DROP FUNCTION ecole_ledger_read_referenced(text, text[], timestamptz, text[]);
DROP FUNCTION ecole_ledger_write_batch(text, text[], text[], text[], bigint[], text[], text[], jsonb[], text[], text[], timestamptz[], jsonb[], text[],
  timestamptz[], text[], text[], bigint[], text[], text[], text[], bigint[], text[], bigint[], bigint[], bigint[], bigint[], text[], text[]);

CREATE FUNCTION ecole_ledger_read_batch(p_site text, p_accounts text[], p_ids text[], p_now timestamptz, p_lock boolean)
RETURNS TABLE (
  row_kind text, id text, kind text, billing_office_id text, guardian_id text, compartment text, role text, service_id text, currency text,
  overdraft_kind text, overdraft_limit bigint, low_balance_threshold bigint, debits_posted bigint, credits_posted bigint, debits_pending bigint,
  credits_pending bigint, debit_account_id text, credit_account_id text, amount bigint, code text, flags jsonb, pending_id text, reverses_id text,
  expires_at timestamptz, links jsonb, memo text, "timestamp" timestamptz, pending_status text, resolved_by_id text, reversed_amount bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_accounts text[];
BEGIN
  -- The accounts: the batch's and those of the site's expired reservations, in key order (the lock order).
  SELECT array_agg(d.x ORDER BY d.x) INTO v_accounts FROM (
    SELECT DISTINCT s.x FROM (
      SELECT unnest(p_accounts) COLLATE "C" AS x
      UNION ALL
      SELECT unnest(ARRAY[t.debit_account_id, t.credit_account_id]) FROM ecole_ledger_transfers t
      WHERE t.site_id = p_site AND t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now) AS s) AS d;
  IF p_lock THEN
    RETURN QUERY
      SELECT 'account'::text, a.id::text, a.kind, a.billing_office_id, a.guardian_id, a.compartment, a.role, a.service_id, a.currency,
             a.overdraft_kind, a.overdraft_limit, a.low_balance_threshold, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending,
             NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::jsonb, NULL::text, NULL::text, NULL::timestamptz, NULL::jsonb, NULL::text,
             NULL::timestamptz, NULL::text, NULL::text, NULL::bigint
      FROM unnest(v_accounts) AS k(id)
      CROSS JOIN LATERAL (SELECT * FROM ecole_ledger_accounts x WHERE x.site_id = p_site AND x.id = k.id LIMIT 1 FOR UPDATE) AS a;
  ELSE
    RETURN QUERY
      SELECT 'account'::text, a.id::text, a.kind, a.billing_office_id, a.guardian_id, a.compartment, a.role, a.service_id, a.currency,
             a.overdraft_kind, a.overdraft_limit, a.low_balance_threshold, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending,
             NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::jsonb, NULL::text, NULL::text, NULL::timestamptz, NULL::jsonb, NULL::text,
             NULL::timestamptz, NULL::text, NULL::text, NULL::bigint
      FROM unnest(v_accounts) AS k(id)
      CROSS JOIN LATERAL (SELECT * FROM ecole_ledger_accounts x WHERE x.site_id = p_site AND x.id = k.id LIMIT 1) AS a;
  END IF;
  -- Later statements of the same call: when locking, their snapshots are taken after the locks.
  -- The named transfers, planned at each call (EXECUTE): a generic plan made while the table was nearly
  -- empty answers this lookup through a per-account index (their costs tie on an empty table) and keeps
  -- reading the site's whole history until the table is next analysed (measured: batches of 5,000 went
  -- from 0.1 s to 25 s before autovacuum came).
  IF cardinality(p_ids) > 0 THEN
    RETURN QUERY EXECUTE $q$
      SELECT 'transfer'::text, t.id::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, t.currency,
             NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
             t.debit_account_id::text, t.credit_account_id::text, t.amount, t.code, t.flags, t.pending_id::text, t.reverses_id::text, t.expires_at,
             t.links, t.memo, t."timestamp", t.pending_status, t.resolved_by_id::text, t.reversed_amount
      FROM unnest($1) AS k(id)
      CROSS JOIN LATERAL (SELECT * FROM ecole_ledger_transfers x WHERE x.site_id = $2 AND x.id = k.id LIMIT 1) AS t
    $q$ USING p_ids, p_site;
  END IF;
  RETURN QUERY
    SELECT 'transfer'::text, t.id::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, t.currency,
           NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
           t.debit_account_id::text, t.credit_account_id::text, t.amount, t.code, t.flags, t.pending_id::text, t.reverses_id::text, t.expires_at,
           t.links, t.memo, t."timestamp", t.pending_status, t.resolved_by_id::text, t.reversed_amount
    FROM ecole_ledger_transfers t
    WHERE t.site_id = p_site AND t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now
      AND t.debit_account_id = ANY(v_accounts) AND t.credit_account_id = ANY(v_accounts) AND NOT (t.id = ANY(p_ids))
    UNION ALL
    SELECT 'failed'::text, f.id::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text,
           NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
           NULL::text, NULL::text, NULL::bigint, f.code, NULL::jsonb, NULL::text, NULL::text, NULL::timestamptz,
           NULL::jsonb, NULL::text, NULL::timestamptz, NULL::text, NULL::text, NULL::bigint
    FROM unnest(p_ids) AS k(id)
    CROSS JOIN LATERAL (SELECT * FROM ecole_ledger_failed x WHERE x.site_id = p_site AND x.id = k.id LIMIT 1) AS f;
END
$$;
ALTER FUNCTION ecole_ledger_read_batch(text, text[], text[], timestamptz, boolean) SET plan_cache_mode = force_generic_plan;

-- p_expected: NULL (the caller holds the account locks) or {"accounts": [{id, dp, cp, dpe, cpe}, ...] in lock
-- order, "transfers": [{id, ps, rb, ra}, ...]}: what the caller read. p_transfers: new transfers; p_changed: new
-- states of existing ones; p_accounts: new totals; p_failed: ids that failed. Returns false, having written
-- nothing, when p_expected no longer holds.
CREATE FUNCTION ecole_ledger_write(p_site text, p_expected json, p_transfers json, p_changed json, p_accounts json, p_failed json)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_same integer;
  v_changed boolean;
BEGIN
  IF p_expected IS NOT NULL THEN
    SELECT count(*) INTO v_same
    FROM json_to_recordset(p_expected->'accounts') AS e(id text, dp bigint, cp bigint, dpe bigint, cpe bigint)
    CROSS JOIN LATERAL (SELECT * FROM ecole_ledger_accounts x WHERE x.site_id = p_site AND x.id = e.id LIMIT 1 FOR UPDATE) AS a
    WHERE a.debits_posted = e.dp AND a.credits_posted = e.cp AND a.debits_pending = e.dpe AND a.credits_pending = e.cpe;
    IF v_same <> json_array_length(p_expected->'accounts') THEN
      RETURN false;
    END IF;
    -- Later statements: snapshots taken after the locks. Lookups in ecole_ledger_transfers are planned at
    -- each call (EXECUTE), for the reason given in ecole_ledger_read_batch.
    IF json_array_length(p_expected->'transfers') > 0 OR json_array_length(p_failed) > 0 THEN
      EXECUTE $q$
        SELECT EXISTS (
          SELECT 1 FROM json_to_recordset($1) AS e(id text, ps text, rb text, ra bigint)
          CROSS JOIN LATERAL (SELECT * FROM ecole_ledger_transfers x WHERE x.site_id = $2 AND x.id = e.id LIMIT 1) AS t
          WHERE t.pending_status IS DISTINCT FROM e.ps OR t.resolved_by_id IS DISTINCT FROM e.rb OR t.reversed_amount <> e.ra)
        OR EXISTS (
          SELECT 1 FROM json_to_recordset($3) AS v(id text)
          CROSS JOIN LATERAL (SELECT 1 FROM ecole_ledger_transfers x WHERE x.site_id = $2 AND x.id = v.id LIMIT 1) AS t)
      $q$ INTO v_changed USING p_expected->'transfers', p_site, p_failed;
      IF v_changed THEN
        RETURN false;
      END IF;
    END IF;
    -- Ids that failed before: the caller may not have read them (see PgLedgerStore), so neither a new
    -- transfer nor a new failure may take one.
    IF EXISTS (
      SELECT 1 FROM (SELECT v.id FROM json_to_recordset(p_transfers) AS v(id text) UNION ALL SELECT v.id FROM json_to_recordset(p_failed) AS v(id text)) AS v
      CROSS JOIN LATERAL (SELECT 1 FROM ecole_ledger_failed x WHERE x.site_id = p_site AND x.id = v.id LIMIT 1) AS f) THEN
      RETURN false;
    END IF;
  END IF;
  INSERT INTO ecole_ledger_transfers (site_id, id, debit_account_id, credit_account_id, amount, currency, code, flags, pending_id, reverses_id,
                                      expires_at, links, memo, "timestamp", pending_status, resolved_by_id, reversed_amount)
  SELECT p_site, v.id, v.d, v.c, v.a, v.cur, v.code, v.fl, v.pid, v.rid, v.exp, v.ln, v.memo, v.ts, v.ps, v.rb, v.ra
  FROM json_to_recordset(p_transfers) AS v(id text, d text, c text, a bigint, cur text, code text, fl jsonb, pid text, rid text,
                                          exp timestamptz, ln jsonb, memo text, ts timestamptz, ps text, rb text, ra bigint);
  -- Transfers whose state changed: planned at each call (EXECUTE), as a probe per row or a join by the
  -- number of rows and the size of the site. A few accounts: one primary-key update each (a plan that
  -- never reads the site's other accounts); many: one join.
  IF json_array_length(p_changed) > 0 THEN
    EXECUTE $q$
      UPDATE ecole_ledger_transfers t SET pending_status = v.ps, resolved_by_id = v.rb, reversed_amount = v.ra
      FROM json_to_recordset($1) AS v(id text, ps text, rb text, ra bigint)
      WHERE t.site_id = $2 AND t.id = v.id
    $q$ USING p_changed, p_site;
  END IF;
  IF json_array_length(p_accounts) <= 16 THEN
    FOR r IN SELECT * FROM json_to_recordset(p_accounts) AS v(id text, dp bigint, cp bigint, dpe bigint, cpe bigint) LOOP
      UPDATE ecole_ledger_accounts SET debits_posted = r.dp, credits_posted = r.cp, debits_pending = r.dpe, credits_pending = r.cpe
      WHERE site_id = p_site AND id = r.id;
    END LOOP;
  ELSE
    UPDATE ecole_ledger_accounts a SET debits_posted = v.dp, credits_posted = v.cp, debits_pending = v.dpe, credits_pending = v.cpe
    FROM json_to_recordset(p_accounts) AS v(id text, dp bigint, cp bigint, dpe bigint, cpe bigint)
    WHERE a.site_id = p_site AND a.id = v.id;
  END IF;
  IF json_array_length(p_failed) > 0 THEN
    INSERT INTO ecole_ledger_failed (site_id, id, code)
    SELECT p_site, v.id, v.code FROM json_to_recordset(p_failed) AS v(id text, code text)
    ON CONFLICT (site_id, id) DO NOTHING;
  END IF;
  RETURN true;
END
$$;
ALTER FUNCTION ecole_ledger_write(text, json, json, json, json, json) SET plan_cache_mode = force_generic_plan;

-- Plain posted transfers whose accounts the adapter knows (their definitions never change), in one
-- statement and without a prior read: the totals move by the amounts, the CHECK constraint refuses an
-- overdraft and the primary key an id that exists. Returns false, having written nothing, when a
-- reservation of the site has expired (the batch must release it first) or an id failed before; raises
-- when an account is missing, a total would pass 2^51 (the ledger's bound) or a constraint refuses.
CREATE FUNCTION ecole_ledger_post(p_site text, p_now timestamptz, p_transfers json, p_deltas json)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_dp bigint;
  v_cp bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM ecole_ledger_transfers t
             WHERE t.site_id = p_site AND t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now) THEN
    RETURN false;
  END IF;
  IF EXISTS (
    SELECT 1 FROM json_to_recordset(p_transfers) AS v(id text)
    CROSS JOIN LATERAL (SELECT 1 FROM ecole_ledger_failed x WHERE x.site_id = p_site AND x.id = v.id LIMIT 1) AS f) THEN
    RETURN false;
  END IF;
  INSERT INTO ecole_ledger_transfers (site_id, id, debit_account_id, credit_account_id, amount, currency, code, links, memo, "timestamp")
  SELECT p_site, v.id, v.d, v.c, v.a, v.cur, v.code, v.ln, v.memo, v.ts
  FROM json_to_recordset(p_transfers) AS v(id text, d text, c text, a bigint, cur text, code text, ln jsonb, memo text, ts timestamptz);
  FOR r IN SELECT * FROM json_to_recordset(p_deltas) AS v(id text, dp bigint, cp bigint) LOOP
    UPDATE ecole_ledger_accounts SET debits_posted = debits_posted + r.dp, credits_posted = credits_posted + r.cp
    WHERE site_id = p_site AND id = r.id
    RETURNING debits_posted, credits_posted INTO v_dp, v_cp;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'ledger account % not found', r.id USING ERRCODE = '23503';
    END IF;
    IF v_dp > 2251799813685248 OR v_cp > 2251799813685248 THEN
      RAISE EXCEPTION 'ledger account % would pass the ledger bound', r.id USING ERRCODE = '22003';
    END IF;
  END LOOP;
  RETURN true;
END
$$;
ALTER FUNCTION ecole_ledger_post(text, timestamptz, json, json) SET plan_cache_mode = force_generic_plan;
`,
}

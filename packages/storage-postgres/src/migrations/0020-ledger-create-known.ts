/**
 * The ledger's lean write for small batches decided over known totals (issue 12, the
 * single-transfer path): `ecole_ledger_create_known` does, in one PL/pgSQL function with no nested
 * call and no per-call setting, what `ecole_ledger_write_known` does for a batch that only creates
 * transfers (no post, void or reversal, no failure, no reservation released):
 *
 * 1. answers `false` (nothing written) when a reservation of the site is due for release (the
 *    engine decided over none);
 * 2. for each account, in the key order the caller gives (the lock order), one UPDATE that locks the
 *    row, checks that its four totals are still those the engine decided over, and writes the
 *    totals the engine computed; an account whose totals changed raises a serialization failure
 *    (40001), which rolls the whole statement back;
 * 3. after the locks (a statement of its own, so its snapshot sees every transaction it waited
 *    for), raises 40001 when an id of the batch failed before;
 * 4. inserts the transfers (the primary key refuses an id that exists).
 *
 * SQL only locks, checks what the decision read, and writes: the rules are the engine's (core).
 * Totals are typed bigint arrays (4 per account: debits posted, credits posted, debits pending,
 * credits pending), the transfers one JSON array, as `ecole_ledger_write` takes them.
 *
 * @internal
 */
export const migration0020 = {
  version: 20,
  name: 'ledger-create-known',
  sql: `
CREATE FUNCTION ecole_ledger_create_known(p_site text, p_now timestamptz, p_accounts text[], p_expected bigint[], p_totals bigint[], p_ids text[], p_transfers json)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  i integer;
  k integer;
BEGIN
  IF EXISTS (SELECT 1 FROM ecole_ledger_transfers t
             WHERE t.site_id = p_site AND t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now) THEN
    RETURN false;
  END IF;
  FOR i IN 1 .. cardinality(p_accounts) LOOP
    k := 4 * i - 3;
    UPDATE ecole_ledger_accounts
    SET debits_posted = p_totals[k], credits_posted = p_totals[k + 1], debits_pending = p_totals[k + 2], credits_pending = p_totals[k + 3]
    WHERE site_id = p_site AND id = p_accounts[i]
      AND debits_posted = p_expected[k] AND credits_posted = p_expected[k + 1] AND debits_pending = p_expected[k + 2] AND credits_pending = p_expected[k + 3];
    IF NOT FOUND THEN
      RAISE EXCEPTION 'ledger account % changed since its totals were read', p_accounts[i] USING ERRCODE = '40001';
    END IF;
  END LOOP;
  IF EXISTS (SELECT 1 FROM ecole_ledger_failed f WHERE f.site_id = p_site AND f.id = ANY (p_ids)) THEN
    RAISE EXCEPTION 'an id of the batch failed before' USING ERRCODE = '40001';
  END IF;
  INSERT INTO ecole_ledger_transfers (site_id, id, debit_account_id, credit_account_id, amount, currency, code, flags, pending_id, reverses_id,
                                      expires_at, links, memo, "timestamp", pending_status, resolved_by_id, reversed_amount)
  SELECT p_site, v.id, v.d, v.c, v.a, v.cur, v.code, v.fl, v.pid, v.rid, v.exp, v.ln, v.memo, v.ts, v.ps, v.rb, v.ra
  FROM json_to_recordset(p_transfers) AS v(id text, d text, c text, a bigint, cur text, code text, fl jsonb, pid text, rid text,
                                          exp timestamptz, ln jsonb, memo text, ts timestamptz, ps text, rb text, ra bigint);
  RETURN true;
END
$$;
`,
}

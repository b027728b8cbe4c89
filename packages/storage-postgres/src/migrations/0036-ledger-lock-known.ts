/**
 * The ledger's write for large batches decided over known totals (issue 12, batches of 5,000):
 * `ecole_ledger_lock_known` does, for a batch that only creates transfers, what
 * `ecole_ledger_create_known` (migration 20) does for a small one, except the insert, which the
 * caller sends next in the same transaction (with `COPY` on the pg driver):
 *
 * 1. answers `false` when a reservation of the site is due for release (the engine decided over
 *    none);
 * 2. locks the accounts `FOR UPDATE` in key order (`COLLATE "C"`, the order of every other ledger
 *    lock), then answers `false` when any of them is missing or its four totals are no longer those
 *    the engine decided over;
 * 3. writes the totals the engine computed, in one UPDATE;
 * 4. in a statement of its own after the locks (so its snapshot sees every transaction it waited
 *    for), answers `false` when an id of the batch failed before.
 *
 * `false` writes nothing that the caller keeps: it rolls the transaction back and decides again over
 * what it reads. SQL only locks, checks what the decision read, and writes: the rules are the
 * engine's (core). Totals are typed bigint arrays, 4 per account (debits posted, credits posted,
 * debits pending, credits pending), in the order of `p_accounts`.
 *
 * @internal
 */
export const migration0036 = {
  version: 36,
  name: 'ledger-lock-known',
  sql: `
CREATE FUNCTION ecole_ledger_lock_known(p_site text, p_now timestamptz, p_accounts text[], p_expected bigint[], p_totals bigint[], p_ids text[])
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_same integer;
BEGIN
  IF EXISTS (SELECT 1 FROM ecole_ledger_transfers t
             WHERE t.site_id = p_site AND t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now) THEN
    RETURN false;
  END IF;
  SELECT count(*) INTO v_same
  FROM (SELECT k.id, k.i::integer AS i FROM unnest(p_accounts) WITH ORDINALITY AS k(id, i) ORDER BY k.id COLLATE "C") AS k
  CROSS JOIN LATERAL (SELECT * FROM ecole_ledger_accounts x WHERE x.site_id = p_site AND x.id = k.id LIMIT 1 FOR UPDATE) AS a
  WHERE a.debits_posted = p_expected[4 * k.i - 3] AND a.credits_posted = p_expected[4 * k.i - 2]
    AND a.debits_pending = p_expected[4 * k.i - 1] AND a.credits_pending = p_expected[4 * k.i];
  IF v_same <> cardinality(p_accounts) THEN
    RETURN false;
  END IF;
  UPDATE ecole_ledger_accounts a
  SET debits_posted = p_totals[4 * k.i - 3], credits_posted = p_totals[4 * k.i - 2], debits_pending = p_totals[4 * k.i - 1], credits_pending = p_totals[4 * k.i]
  FROM (SELECT k.id, k.i::integer AS i FROM unnest(p_accounts) WITH ORDINALITY AS k(id, i)) AS k
  WHERE a.site_id = p_site AND a.id = k.id;
  IF EXISTS (SELECT 1 FROM ecole_ledger_failed f WHERE f.site_id = p_site AND f.id = ANY (p_ids)) THEN
    RETURN false;
  END IF;
  RETURN true;
END
$$;
`,
}

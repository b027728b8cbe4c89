/**
 * The ledger's rules live in one place, the engine of `@ecole/core`: the adapter locks and reads
 * with `ecole_ledger_read_batch`, decides in TypeScript (`decideTransfers`), and writes the change
 * set with `ecole_ledger_write`. SQL only locks, reads, checks that what was read still holds, and
 * writes.
 *
 * - `ecole_ledger_post` (migration 9) decided plain postings in SQL (totals moved by the sum of a
 *   batch's amounts, the overdraft left to the `CHECK` constraint), and so judged a batch by its net
 *   effect, not in order: `[debit 5.00 from an empty wallet, top-up 5.00]` passed. Nothing calls it
 *   any more; it is dropped.
 * - `ecole_ledger_write_known` is `ecole_ledger_write` for a batch the engine decided over totals
 *   the adapter already knew (no read before it): it writes nothing (returns false) when the site
 *   has a reservation expired at `now` (the engine releases those before a batch, and did not see
 *   them), and otherwise checks and writes as `ecole_ledger_write` does with `p_expected`.
 *
 * @internal
 */
export const migration0010 = {
  version: 10,
  name: 'ledger-rules-in-core',
  sql: `
DROP FUNCTION IF EXISTS ecole_ledger_post(text, timestamptz, json, json);

CREATE FUNCTION ecole_ledger_write_known(p_site text, p_now timestamptz, p_expected json, p_transfers json, p_changed json, p_accounts json, p_failed json)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ecole_ledger_transfers t
             WHERE t.site_id = p_site AND t.pending_status = 'pending' AND t.expires_at IS NOT NULL AND t.expires_at <= p_now) THEN
    RETURN false;
  END IF;
  RETURN ecole_ledger_write(p_site, p_expected, p_transfers, p_changed, p_accounts, p_failed);
END
$$;
ALTER FUNCTION ecole_ledger_write_known(text, timestamptz, json, json, json, json, json) SET plan_cache_mode = force_generic_plan;
`,
}

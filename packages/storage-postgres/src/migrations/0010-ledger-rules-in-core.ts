/**
 * The ledger's rules live in one place, the engine of `@ecole/core`: the adapter locks and reads
 * with `ecole_ledger_read_batch`, decides in TypeScript (`decideTransfers`), and writes the change
 * set with `ecole_ledger_write`. `ecole_ledger_post` (migration 9) decided plain postings in SQL
 * (totals moved by the sum of a batch's amounts, the overdraft left to the `CHECK` constraint), and
 * so judged a batch by its net effect, not in order: `[debit 5.00 from an empty wallet, top-up
 * 5.00]` passed. Nothing calls it any more; it is dropped.
 *
 * @internal
 */
export const migration0010 = {
  version: 10,
  name: 'ledger-rules-in-core',
  sql: `
DROP FUNCTION IF EXISTS ecole_ledger_post(text, timestamptz, json, json);
`,
}

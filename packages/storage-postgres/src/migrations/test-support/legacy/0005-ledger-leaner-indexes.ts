/**
 * Ledger write speed: drops the per-site time index of transfers (every insert paid for it; the
 * per-account indexes serve statements, and a site-wide listing by time reads the site's rows
 * through the primary key and sorts them).
 *
 * @internal
 */
export const migration0005 = {
  version: 5,
  name: 'ledger-leaner-indexes',
  sql: `
DROP INDEX IF EXISTS ecole_ledger_transfers_by_time;
`,
}

/**
 * Supplier invoices received (purchases, read from FatturaPA files) and every file received,
 * kept byte for byte: one row per (site, SHA-256 of the bytes), so the same file received twice,
 * even at the same time, is stored once; one purchase per (site, id).
 *
 * @internal
 */
export const migration0013 = {
  version: 13,
  name: 'purchases',
  sql: `
CREATE TABLE ecole_received_invoice_files (
  site_id     text COLLATE "C" NOT NULL,
  sha256      text COLLATE "C" NOT NULL,
  file_name   text NOT NULL,
  received_at text NOT NULL,
  outcome     jsonb NOT NULL,
  content     bytea NOT NULL,
  PRIMARY KEY (site_id, sha256)
);
CREATE TABLE ecole_purchases (
  site_id     text COLLATE "C" NOT NULL,
  id          text COLLATE "C" NOT NULL,
  file_sha256 text COLLATE "C" NOT NULL,
  body        jsonb NOT NULL,
  PRIMARY KEY (site_id, id)
);
`,
}

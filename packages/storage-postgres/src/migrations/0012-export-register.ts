/**
 * The export register: every export (format, file, who, when, what it re-issues) and, per
 * (site, format, item), the item's current export. The primary key of `ecole_export_items` makes
 * "exported once per format" hold under concurrency: of two exports inserting the same item, the
 * second waits for the first and finds it; a re-issue updates only rows whose current export is the
 * one it corrects.
 *
 * @internal
 */
export const migration0012 = {
  version: 12,
  name: 'export-register',
  sql: `
CREATE TABLE ecole_exports (
  site_id  text COLLATE "C" NOT NULL,
  id       text COLLATE "C" NOT NULL,
  format   text COLLATE "C" NOT NULL,
  body     jsonb NOT NULL,
  PRIMARY KEY (site_id, id)
);
CREATE INDEX ecole_exports_by_format ON ecole_exports (site_id, format, id);
CREATE TABLE ecole_export_items (
  site_id   text COLLATE "C" NOT NULL,
  format    text COLLATE "C" NOT NULL,
  item_key  text COLLATE "C" NOT NULL,
  export_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (site_id, format, item_key),
  FOREIGN KEY (site_id, export_id) REFERENCES ecole_exports (site_id, id)
);
CREATE INDEX ecole_export_items_by_export ON ecole_export_items (site_id, export_id);
`,
}

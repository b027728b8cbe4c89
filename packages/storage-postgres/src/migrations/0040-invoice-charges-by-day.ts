/**
 * Each billed charge keeps the day it bills beside its id (`ecole_invoice_charges.day_key`),
 * indexed by site and day (`ecole_invoice_charges_by_day`), so `billedChargeIdsByDay` finds the
 * charges of a day billed to any payer by the index alone: `createInvoiceBatch` read every invoice
 * and draft of the billing office, a page of 1,000 at a time, on every batch, to find a day
 * billed to another payer (its cost grew with the office's whole history).
 *
 * The key is that of `chargeDayKey` (`@ecole/core/ports`) in a form PostgreSQL's text can hold
 * (no NUL): the beneficiary, service, kind and date of a charge id of billing's form
 * (`<debtor>|<beneficiary>|<service>|<kind>|<date>`, every field `\`-escaped when one holds `|`),
 * each escaped (`\` as `\\`, `|` as `\|`) and joined by `|`; NULL for an id of another form (a
 * host's own). The store computes it in TypeScript when it writes a charge (`storedDayKey`);
 * the rows written before are backfilled here by `ecole_charge_day_key`, which parses an id as
 * `chargeDayOf` does (4 bars: split as they are; more, with a backslash: unescaped, exactly 5
 * fields, no trailing lone backslash; otherwise no day). The function is dropped once the rows
 * are filled: nothing else calls it (a test checks it against `chargeDayOf` on generated ids).
 *
 * @internal
 */
export const migration0040 = {
  version: 40,
  name: 'invoice-charges-by-day',
  sql: `
ALTER TABLE ecole_invoice_charges ADD COLUMN day_key text;

CREATE FUNCTION ecole_charge_day_key(p_id text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN length(p_id) - length(replace(p_id, '|', '')) < 4 THEN NULL
    WHEN length(p_id) - length(replace(p_id, '|', '')) = 4 THEN replace(substr(p_id, strpos(p_id, '|') + 1), '\\', '\\\\')
    WHEN strpos(p_id, '\\') = 0 THEN NULL
    ELSE (
      WITH units AS (
        SELECT m[1] AS t, n FROM regexp_matches(p_id, '\\\\.|[^\\\\]|\\\\$', 'g') WITH ORDINALITY AS r(m, n)
      ), placed AS (
        SELECT t, n, count(*) FILTER (WHERE t = '|') OVER (ORDER BY n) AS field FROM units
      ), fields AS (
        SELECT g.i, coalesce(string_agg(CASE WHEN length(p.t) = 2 THEN substr(p.t, 2) ELSE p.t END, '' ORDER BY p.n), '') AS v
          FROM generate_series(1, 4) AS g(i) LEFT JOIN placed p ON p.field = g.i AND p.t <> '|'
         GROUP BY g.i
      )
      SELECT CASE WHEN max(p.field) = 4 AND NOT bool_or(p.t = '\\')
                  THEN (SELECT string_agg(replace(replace(f.v, '\\', '\\\\'), '|', '\\|'), '|' ORDER BY f.i) FROM fields f) END
        FROM placed p
    )
  END
$$;

UPDATE ecole_invoice_charges SET day_key = ecole_charge_day_key(charge_id) WHERE charge_id LIKE '%|%|%|%|%';

DROP FUNCTION ecole_charge_day_key(text);

CREATE INDEX ecole_invoice_charges_by_day ON ecole_invoice_charges (site_id, day_key) INCLUDE (charge_id) WHERE day_key IS NOT NULL;
`,
}

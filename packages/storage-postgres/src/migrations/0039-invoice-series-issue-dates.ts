/**
 * Each number series keeps its latest issue date beside its counter (`last_issue_date`), so a
 * validation or a credit note dated before the latest document of its series is refused under the
 * counter's row lock (CGI annexe II art. 242 nonies A: one continuous, chronological series).
 * `reserveNumbers` writes it with the number, in the same upsert.
 *
 * Backfilled from the documents already issued: an invoice series `<office>/invoice/<year>` takes
 * the latest issue date of the office's validated invoices of that year (every year for year 0, a
 * series that never restarts), a credit-note series `<office>/creditNote/<year>` that of its credit
 * notes. Other counters (payment references, wallet numbers, locks) keep no date.
 *
 * @internal
 */
export const migration0039 = {
  version: 39,
  name: 'invoice-series-issue-dates',
  sql: `
ALTER TABLE ecole_invoice_number_counters ADD COLUMN last_issue_date date;

UPDATE ecole_invoice_number_counters c
   SET last_issue_date = (
     SELECT max((i.body->>'issueDate')::date) FROM ecole_invoices i
      WHERE i.site_id = c.site_id AND i.status = 'validated' AND i.body->>'issueDate' IS NOT NULL
        AND i.billing_office_id = substring(c.series_key from '^(.*)/invoice/[0-9]+$')
        AND (substring(c.series_key from '/([0-9]+)$')::int = 0
             OR extract(year from (i.body->>'issueDate')::date) = substring(c.series_key from '/([0-9]+)$')::int))
 WHERE c.series_key ~ '/invoice/[0-9]+$';

UPDATE ecole_invoice_number_counters c
   SET last_issue_date = (
     SELECT max((n.body->>'issueDate')::date) FROM ecole_credit_notes n
      WHERE n.site_id = c.site_id AND n.body->>'issueDate' IS NOT NULL
        AND n.billing_office_id = substring(c.series_key from '^(.*)/creditNote/[0-9]+$')
        AND (substring(c.series_key from '/([0-9]+)$')::int = 0
             OR extract(year from (n.body->>'issueDate')::date) = substring(c.series_key from '/([0-9]+)$')::int))
 WHERE c.series_key ~ '/creditNote/[0-9]+$';
`,
}

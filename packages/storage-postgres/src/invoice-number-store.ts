import { EcoleError, isLocalDate, type LocalDate } from '@ecole/core'
import type { InvoiceNumberCounterStore, ReservedNumbers } from '@ecole/core/ports'
import type { PgAccess } from './access'

/**
 * The PostgreSQL {@link InvoiceNumberCounterStore}: a counter row per series, incremented by an
 * upsert that row-locks it until the validating transaction ends (never a SEQUENCE, never MAX+1),
 * so numbers are gapless (a rollback gives them back) and unique under concurrency. The row also
 * keeps the series' latest issue date (`last_issue_date`, migration 39), updated by the same upsert.
 *
 * @internal
 */
export class PgInvoiceNumberStore implements InvoiceNumberCounterStore {
  constructor(private readonly access: PgAccess) {}

  nextNumbers(siteId: string, seriesKey: string, count: number): Promise<number> {
    if (!Number.isSafeInteger(count) || count < 1) {
      return Promise.reject(new EcoleError('INVALID_INPUT', `count: must be a positive integer, got ${String(count)}`))
    }
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<{ last_number: bigint }>(
        `INSERT INTO ecole_invoice_number_counters AS c (site_id, series_key, last_number) VALUES ($1, $2, $3::bigint)
         ON CONFLICT (site_id, series_key) DO UPDATE SET last_number = c.last_number + EXCLUDED.last_number
         RETURNING last_number`,
        [siteId, seriesKey, count],
      )
      return Number(rows[0]!.last_number) - count + 1
    })
  }

  reserveNumbers(siteId: string, seriesKey: string, count: number, issueDate: LocalDate): Promise<ReservedNumbers> {
    if (!Number.isSafeInteger(count) || count < 1) {
      return Promise.reject(new EcoleError('INVALID_INPUT', `count: must be a positive integer, got ${String(count)}`))
    }
    if (!isLocalDate(issueDate)) return Promise.reject(new EcoleError('INVALID_INPUT', `issueDate: must be a calendar day written YYYY-MM-DD, got ${String(issueDate)}`))
    return this.access(siteId, async ({ client }) => {
      // one statement: the row lock the upsert takes covers the number and the date (GREATEST skips a NULL date)
      const rows = await client.query<{ last_number: bigint; latest: string }>(
        `INSERT INTO ecole_invoice_number_counters AS c (site_id, series_key, last_number, last_issue_date) VALUES ($1, $2, $3::bigint, $4::date)
         ON CONFLICT (site_id, series_key) DO UPDATE SET last_number = c.last_number + EXCLUDED.last_number, last_issue_date = GREATEST(c.last_issue_date, EXCLUDED.last_issue_date)
         RETURNING last_number, to_char(last_issue_date, 'YYYY-MM-DD') AS latest`,
        [siteId, seriesKey, count, issueDate],
      )
      return { first: Number(rows[0]!.last_number) - count + 1, latestIssueDate: rows[0]!.latest as LocalDate }
    })
  }

  lastNumber(siteId: string, seriesKey: string): Promise<number> {
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<{ last_number: bigint }>(
        'SELECT last_number FROM ecole_invoice_number_counters WHERE site_id = $1 AND series_key = $2',
        [siteId, seriesKey],
      )
      return rows[0] ? Number(rows[0].last_number) : 0
    })
  }
}

import { EcoleError } from '@ecole/core'
import type { InvoiceNumberCounterStore } from '@ecole/core/ports'
import type { PgAccess } from './access'

/**
 * The PostgreSQL {@link InvoiceNumberCounterStore}: a counter row per series, incremented by an
 * upsert that row-locks it until the validating transaction ends (never a SEQUENCE, never MAX+1),
 * so numbers are gapless (a rollback gives them back) and unique under concurrency.
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

import { checkIdempotentReplay, EcoleError, exportRefusal, type ExportRecord } from '@ecole/core'
import type { ExportRegisterStore, Page, PageRequest } from '@ecole/core/ports'
import { pageLimit, toPage, type PgAccess } from './access'
import type { SqlClient } from './driver'
import { decodeDocument, encodeDocument } from './documents'

/**
 * The PostgreSQL {@link ExportRegisterStore}. An export inserts its row, then locks the current
 * rows of its items (`FOR UPDATE`), lets core's `exportRefusal` decide, and writes the items with
 * guarded statements (`INSERT ... ON CONFLICT DO NOTHING`, `UPDATE ... WHERE export_id = corrected`):
 * a concurrent export of the same items either is seen by the lock or makes a guarded statement
 * touch fewer rows, and then everything this call wrote is taken back before the refusal is
 * thrown, so nothing is left even when the caller catches the error and commits. @internal
 */
export class PgExportRegisterStore implements ExportRegisterStore {
  constructor(private readonly access: PgAccess) {}

  createExport(siteId: string, record: ExportRecord): Promise<'created' | 'exists'> {
    return this.access(siteId, async ({ client: c }) => {
      const inserted = await c.query('INSERT INTO ecole_exports (site_id, id, format, body) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (site_id, id) DO NOTHING RETURNING id', [
        siteId, record.id, record.format, encodeDocument(record),
      ])
      if (inserted.length === 0) {
        const [row] = await c.query<{ body: unknown }>('SELECT body FROM ecole_exports WHERE site_id = $1 AND id = $2', [siteId, record.id])
        return checkIdempotentReplay('export', record.id, decodeDocument<ExportRecord>(row!.body), record)
      }
      const keys = [...record.itemKeys]
      const refuse = async (written: string[]): Promise<never> => {
        if (record.reissue === undefined) {
          await c.query('DELETE FROM ecole_export_items WHERE site_id = $1 AND format = $2 AND export_id = $3', [siteId, record.format, record.id])
        } else if (written.length > 0) {
          await c.query('UPDATE ecole_export_items SET export_id = $4 WHERE site_id = $1 AND format = $2 AND export_id = $3', [siteId, record.format, record.id, record.reissue.corrects])
        }
        await c.query('DELETE FROM ecole_exports WHERE site_id = $1 AND id = $2', [siteId, record.id])
        const refusal = exportRefusal(record, await current(c, siteId, record.format, keys, false))
        throw refusal ?? new EcoleError('ALREADY_EXPORTED', `export ${record.id}: a concurrent ${record.format} export changed its items; try again`, {
          details: { exportId: record.id, format: record.format, items: [] },
        })
      }
      const refusal = exportRefusal(record, await current(c, siteId, record.format, keys, true))
      if (refusal) return refuse([])
      if (record.reissue === undefined) {
        const rows = await c.query<{ item_key: string }>(
          `INSERT INTO ecole_export_items (site_id, format, item_key, export_id) SELECT $1, $2, k, $3 FROM unnest($4::text[]) AS k
           ON CONFLICT (site_id, format, item_key) DO NOTHING RETURNING item_key`,
          [siteId, record.format, record.id, keys],
        )
        if (rows.length < keys.length) return refuse(rows.map((r) => r.item_key))
      } else {
        const rows = await c.query<{ item_key: string }>(
          'UPDATE ecole_export_items SET export_id = $3 WHERE site_id = $1 AND format = $2 AND item_key = ANY($4::text[]) AND export_id = $5 RETURNING item_key',
          [siteId, record.format, record.id, keys, record.reissue.corrects],
        )
        if (rows.length < keys.length) return refuse(rows.map((r) => r.item_key))
      }
      return 'created'
    })
  }

  getExport(siteId: string, id: string): Promise<ExportRecord | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ body: unknown }>('SELECT body FROM ecole_exports WHERE site_id = $1 AND id = $2', [siteId, id])
      return row === undefined ? undefined : decodeDocument<ExportRecord>(row.body)
    })
  }

  currentExports(siteId: string, format: string, itemKeys: readonly string[]): Promise<Map<string, string>> {
    return this.access(siteId, (tx) => current(tx.client, siteId, format, [...itemKeys], false))
  }

  listExports(siteId: string, filter: { format?: string | undefined }, page?: PageRequest): Promise<Page<ExportRecord>> {
    return this.access(siteId, async ({ client: c }) => {
      const limit = pageLimit(page)
      const rows = await c.query<{ id: string; body: unknown }>(
        `SELECT id, body FROM ecole_exports WHERE site_id = $1 AND ($2::text IS NULL OR id > $2::text) AND ($3::text IS NULL OR format = $3::text)
         ORDER BY id LIMIT $4`,
        [siteId, page?.after ?? null, filter.format ?? null, limit + 1],
      )
      return toPage(rows, limit, (r) => decodeDocument<ExportRecord>(r.body), (r) => r.id)
    })
  }
}

/** The current export of each of these items (locked for this transaction when `lock`). */
async function current(c: SqlClient, siteId: string, format: string, keys: string[], lock: boolean): Promise<Map<string, string>> {
  const rows = await c.query<{ item_key: string; export_id: string }>(
    `SELECT item_key, export_id FROM ecole_export_items WHERE site_id = $1 AND format = $2 AND item_key = ANY($3::text[])${lock ? ' ORDER BY item_key FOR UPDATE' : ''}`,
    [siteId, format, keys],
  )
  return new Map(rows.map((r) => [r.item_key, r.export_id]))
}

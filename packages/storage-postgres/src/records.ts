import { EcoleError } from '@ecole/core'
import type { Page, PageRequest } from '@ecole/core/ports'
import { pageLimit, toPage } from './access'
import type { SqlClient } from './driver'
import { decodeDocument, encodeDocument } from './documents'

/** Throws `SITE_MISMATCH` when a record names another site than the call. @internal */
export function assertRecordSite(siteId: string, record: unknown, field = 'siteId'): void {
  const own = (record as Record<string, unknown> | null)?.[field]
  if (own !== undefined && own !== siteId) {
    throw new EcoleError('SITE_MISMATCH', `the record belongs to site ${String(own)}, not ${siteId}`, { details: { siteId, recordSiteId: own } })
  }
}

/** One record of `ecole_records`, or undefined. @internal */
export async function getRecord<T>(c: SqlClient, siteId: string, kind: string, id: string, lock = false): Promise<T | undefined> {
  const [row] = await c.query<{ body: unknown }>(`SELECT body FROM ecole_records WHERE site_id = $1 AND kind = $2 AND id = $3${lock ? ' FOR UPDATE' : ''}`, [siteId, kind, id])
  return row ? decodeDocument<T>(row.body) : undefined
}

/** At most this many ids per {@link getRecords} call. @internal */
export const MAX_RECORD_IDS = 1000

/** Refuses an id list longer than {@link MAX_RECORD_IDS} or holding a non-string (INVALID_INPUT naming `ids`). @internal */
export function assertRecordIds(ids: readonly unknown[], field = 'ids'): asserts ids is readonly string[] {
  if (!Array.isArray(ids)) throw new EcoleError('INVALID_INPUT', `${field}: must be an array of ids`, { details: { field } })
  if (ids.length > MAX_RECORD_IDS) {
    throw new EcoleError('INVALID_INPUT', `${field}: at most ${MAX_RECORD_IDS} ids per read, got ${ids.length} (split the list)`, { details: { field, count: ids.length, max: MAX_RECORD_IDS } })
  }
  const bad = ids.findIndex((id) => typeof id !== 'string')
  if (bad >= 0) throw new EcoleError('INVALID_INPUT', `${field}[${bad}]: must be a string`, { details: { field, index: bad } })
}

/** The records of a kind with these ids, by id, in one query (missing ids absent; none: no query). @internal */
export async function getRecords<T>(c: SqlClient, siteId: string, kind: string, ids: readonly string[]): Promise<Map<string, T>> {
  assertRecordIds(ids)
  if (ids.length === 0) return new Map()
  const rows = await c.query<{ id: string; body: unknown }>('SELECT id, body FROM ecole_records WHERE site_id = $1 AND kind = $2 AND id = ANY($3::text[])', [siteId, kind, [...new Set(ids)]])
  return new Map(rows.map((r) => [r.id, decodeDocument<T>(r.body)]))
}

/** Stores a record; whether it replaced one. @internal */
export async function putRecord(c: SqlClient, siteId: string, kind: string, id: string, body: unknown): Promise<'created' | 'updated'> {
  const [row] = await c.query<{ inserted: boolean }>(
    `INSERT INTO ecole_records (site_id, kind, id, body) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (site_id, kind, id) DO UPDATE SET body = EXCLUDED.body
     RETURNING (xmax = 0) AS inserted`,
    [siteId, kind, id, encodeDocument(body)],
  )
  return row?.inserted ? 'created' : 'updated'
}

/** Deletes a record; whether it existed. @internal */
export async function deleteRecord(c: SqlClient, siteId: string, kind: string, id: string): Promise<boolean> {
  const rows = await c.query('DELETE FROM ecole_records WHERE site_id = $1 AND kind = $2 AND id = $3 RETURNING id', [siteId, kind, id])
  return rows.length > 0
}

/** Records of a kind in id order, a page at a time. @internal */
export async function listRecords<T>(c: SqlClient, siteId: string, kind: string, page: PageRequest | undefined): Promise<Page<T>> {
  const limit = pageLimit(page)
  const rows = await c.query<{ id: string; body: unknown }>(
    'SELECT id, body FROM ecole_records WHERE site_id = $1 AND kind = $2 AND ($3::text IS NULL OR id > $3::text) ORDER BY id LIMIT $4',
    [siteId, kind, page?.after ?? null, limit + 1],
  )
  return toPage(rows, limit, (r) => decodeDocument<T>(r.body), (r) => r.id)
}

/** Every record of a kind, in id order. @internal */
export async function allRecords<T>(c: SqlClient, siteId: string, kind: string): Promise<Array<[string, T]>> {
  const rows = await c.query<{ id: string; body: unknown }>('SELECT id, body FROM ecole_records WHERE site_id = $1 AND kind = $2 ORDER BY id', [siteId, kind])
  return rows.map((r) => [r.id, decodeDocument<T>(r.body)])
}

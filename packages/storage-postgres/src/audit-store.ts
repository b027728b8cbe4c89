import { EcoleError, type AuditEntry } from '@ecole/core'
import type { AuditFilter, AuditStore, Page, PageRequest } from '@ecole/core/ports'
import { pageLimit, toPage, type PgAccess } from './access'
import { decodeDocument, encodeDocument, withSavepoint } from './documents'
import { assertRecordSite } from './records'

/** Width of a stored `at` (`2027-01-04T08:00:00.000Z`): the cursor is at + id. */
const AT_WIDTH = 24

/** The PostgreSQL {@link AuditStore}: one row per entry, the entry as jsonb beside its keys. @internal */
export class PgAuditStore implements AuditStore {
  constructor(private readonly access: PgAccess) {}

  recordAuditEntries(siteId: string, entries: readonly AuditEntry[]): Promise<Array<'created' | 'exists'>> {
    return this.access(siteId, async ({ client: c }) => {
      for (const e of entries) assertRecordSite(siteId, e)
      if (entries.length === 0) return []
      return withSavepoint(c, async () => {
        const out: Array<'created' | 'exists'> = []
        for (const e of entries) {
          const body = encodeDocument(e)
          const inserted = await c.query(
            `INSERT INTO ecole_audit (site_id, id, at, actor_kind, actor_id, action, subject_kind, subject_id, household_id, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb) ON CONFLICT (site_id, id) DO NOTHING RETURNING id`,
            [siteId, e.id, e.at, e.actor.kind, e.actor.id, e.action, e.subject.kind, e.subject.id, e.householdId ?? null, body],
          )
          if (inserted.length > 0) {
            out.push('created')
            continue
          }
          const [row] = await c.query<{ same: boolean }>('SELECT body = $3::jsonb AS same FROM ecole_audit WHERE site_id = $1 AND id = $2', [siteId, e.id, body])
          if (!row?.same) {
            throw new EcoleError('IDEMPOTENCY_CONFLICT', `audit entry ${e.id} already exists with other content`, { details: { kind: 'audit entry', id: e.id } })
          }
          out.push('exists')
        }
        return out
      })
    })
  }

  listAuditEntries(siteId: string, filter: AuditFilter, page?: PageRequest): Promise<Page<AuditEntry>> {
    return this.access(siteId, async ({ client: c }) => {
      const limit = pageLimit(page)
      const params: unknown[] = [siteId]
      const where = ['site_id = $1']
      const eq = (column: string, value: string | undefined) => {
        if (value === undefined) return
        params.push(value)
        where.push(`${column} = $${params.length}`)
      }
      eq('actor_id', filter.actorId)
      eq('actor_kind', filter.actorKind)
      eq('subject_kind', filter.subjectKind)
      eq('subject_id', filter.subjectId)
      eq('household_id', filter.householdId)
      eq('action', filter.action)
      if (filter.from !== undefined) {
        params.push(filter.from)
        where.push(`at >= $${params.length}`)
      }
      if (filter.to !== undefined) {
        params.push(filter.to)
        where.push(`at < $${params.length}`)
      }
      if (page?.after !== undefined) {
        params.push(page.after.slice(0, AT_WIDTH), page.after.slice(AT_WIDTH))
        where.push(`(at, id) < ($${params.length - 1}::text, $${params.length}::text)`)
      }
      params.push(limit + 1)
      const rows = await c.query<{ at: string; id: string; body: unknown }>(
        `SELECT at, id, body FROM ecole_audit WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
        params,
      )
      return toPage(rows, limit, (r) => decodeDocument<AuditEntry>(r.body), (r) => r.at + r.id)
    })
  }
}

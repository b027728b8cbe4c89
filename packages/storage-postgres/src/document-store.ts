import { EcoleError, checkDocumentFilter, type DocumentFilter, type PortalDocument } from '@ecole/core'
import type { DocumentStore, Page, PageRequest } from '@ecole/core/ports'
import { pageLimit, toPage, type PgAccess } from './access'
import { decodeDocument, encodeDocument } from './documents'
import { assertRecordSite } from './records'

/** The PostgreSQL {@link DocumentStore}: record (jsonb) and bytes (bytea) in one row. @internal */
export class PgDocumentStore implements DocumentStore {
  constructor(private readonly access: PgAccess) {}

  putDocument(siteId: string, record: PortalDocument, bytes: Uint8Array): Promise<'created' | 'updated'> {
    return this.access(siteId, async ({ client: c }) => {
      assertRecordSite(siteId, record)
      if (record.sizeBytes !== bytes.length) {
        throw new EcoleError('SIZE_MISMATCH', `document ${record.id}: sizeBytes is ${record.sizeBytes} but ${bytes.length} bytes were given`, {
          details: { documentId: record.id, sizeBytes: record.sizeBytes, length: bytes.length },
        })
      }
      const [row] = await c.query<{ inserted: boolean }>(
        `INSERT INTO ecole_documents (site_id, id, size_bytes, body, bytes) VALUES ($1, $2, $3, $4::jsonb, $5)
         ON CONFLICT (site_id, id) DO UPDATE SET size_bytes = EXCLUDED.size_bytes, body = EXCLUDED.body, bytes = EXCLUDED.bytes
         RETURNING (xmax = 0) AS inserted`,
        [siteId, record.id, record.sizeBytes, encodeDocument(record), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
      )
      return row?.inserted ? 'created' : 'updated'
    })
  }

  getDocument(siteId: string, documentId: string): Promise<PortalDocument | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ body: unknown }>('SELECT body FROM ecole_documents WHERE site_id = $1 AND id = $2', [siteId, documentId])
      return row ? decodeDocument<PortalDocument>(row.body) : undefined
    })
  }

  readDocumentBytes(siteId: string, documentId: string): Promise<Uint8Array | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ bytes: Uint8Array }>('SELECT bytes FROM ecole_documents WHERE site_id = $1 AND id = $2', [siteId, documentId])
      return row ? new Uint8Array(row.bytes) : undefined
    })
  }

  deleteDocument(siteId: string, documentId: string): Promise<boolean> {
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query('DELETE FROM ecole_documents WHERE site_id = $1 AND id = $2 RETURNING id', [siteId, documentId])
      return rows.length > 0
    })
  }

  listDocuments(siteId: string, page?: PageRequest, filter?: DocumentFilter): Promise<Page<PortalDocument>> {
    return this.access(siteId, async ({ client: c }) => {
      checkDocumentFilter(filter)
      const limit = pageLimit(page)
      // the audience is in the jsonb body: kind, and the guardian or child it names
      const rows = await c.query<{ id: string; body: unknown }>(
        `SELECT id, body FROM ecole_documents WHERE site_id = $1 AND ($2::text IS NULL OR id > $2::text)
           AND ($4::text[] IS NULL OR body->'audience'->>'kind' = ANY($4::text[]))
           AND ($5::text[] IS NULL OR (body->'audience'->>'kind' = 'guardian' AND body->'audience'->>'guardianId' = ANY($5::text[]))
                OR (body->'audience'->>'kind' = 'child' AND body->'audience'->>'childId' = ANY($6::text[])))
         ORDER BY id LIMIT $3`,
        [siteId, page?.after ?? null, limit + 1, filter?.audienceKinds ? [...filter.audienceKinds] : null,
          filter?.addressedTo ? [...filter.addressedTo.guardianIds] : null, filter?.addressedTo ? [...filter.addressedTo.childIds] : null],
      )
      return toPage(rows, limit, (r) => decodeDocument<PortalDocument>(r.body), (r) => r.id)
    })
  }

  /** A transaction-scoped advisory lock on the site's document quota (released at commit or rollback). */
  lockDocumentQuota(siteId: string): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtextextended('ecole_documents_quota:' || $1, 0))", [siteId])
    })
  }

  usedBytes(siteId: string): Promise<number> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ used: bigint }>('SELECT COALESCE(sum(size_bytes), 0)::bigint AS used FROM ecole_documents WHERE site_id = $1', [siteId])
      return Number(row?.used ?? 0n)
    })
  }
}

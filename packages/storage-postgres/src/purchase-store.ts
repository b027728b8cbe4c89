import { checkIdempotentReplay } from '@ecole/core'
import type { Page, PageRequest, Purchase, PurchaseStore, ReceivedFileOutcome, ReceivedInvoiceFile } from '@ecole/core/ports'
import { pageLimit, toPage, type PgAccess } from './access'
import { decodeDocument, encodeDocument } from './documents'

type FileRow = { sha256: string; file_name: string; received_at: string; outcome: unknown; content: Uint8Array }

function toFile(r: FileRow): ReceivedInvoiceFile {
  return {
    sha256: r.sha256, fileName: r.file_name, contentBase64: Buffer.from(r.content).toString('base64'), receivedAt: r.received_at,
    outcome: decodeDocument<ReceivedFileOutcome>(r.outcome),
  }
}

/**
 * The PostgreSQL {@link PurchaseStore}: received files keyed (site, SHA-256), their bytes in a
 * `bytea` column, inserted with `ON CONFLICT DO NOTHING` so that of two concurrent receptions of
 * one file exactly one stores it; purchases keyed (site, id), idempotent the same way. @internal
 */
export class PgPurchaseStore implements PurchaseStore {
  constructor(private readonly access: PgAccess) {}

  createReceivedFile(siteId: string, file: ReceivedInvoiceFile): Promise<'created' | 'exists'> {
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query(
        `INSERT INTO ecole_received_invoice_files (site_id, sha256, file_name, received_at, outcome, content) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
         ON CONFLICT (site_id, sha256) DO NOTHING RETURNING sha256`,
        [siteId, file.sha256, file.fileName, file.receivedAt, encodeDocument(file.outcome), Buffer.from(file.contentBase64, 'base64')],
      )
      return rows.length > 0 ? 'created' : 'exists'
    })
  }

  getReceivedFile(siteId: string, sha256: string): Promise<ReceivedInvoiceFile | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<FileRow>('SELECT sha256, file_name, received_at, outcome, content FROM ecole_received_invoice_files WHERE site_id = $1 AND sha256 = $2', [siteId, sha256])
      return row === undefined ? undefined : toFile(row)
    })
  }

  listReceivedFiles(siteId: string, page?: PageRequest): Promise<Page<ReceivedInvoiceFile>> {
    return this.access(siteId, async ({ client: c }) => {
      const limit = pageLimit(page)
      const rows = await c.query<FileRow>(
        `SELECT sha256, file_name, received_at, outcome, content FROM ecole_received_invoice_files
         WHERE site_id = $1 AND ($2::text IS NULL OR sha256 > $2::text) ORDER BY sha256 LIMIT $3`,
        [siteId, page?.after ?? null, limit + 1],
      )
      return toPage(rows, limit, toFile, (r) => r.sha256)
    })
  }

  createPurchase(siteId: string, purchase: Purchase): Promise<'created' | 'exists'> {
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query(
        'INSERT INTO ecole_purchases (site_id, id, file_sha256, body) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (site_id, id) DO NOTHING RETURNING id',
        [siteId, purchase.id, purchase.fileSha256, encodeDocument(purchase)],
      )
      if (rows.length > 0) return 'created'
      const [row] = await c.query<{ body: unknown }>('SELECT body FROM ecole_purchases WHERE site_id = $1 AND id = $2', [siteId, purchase.id])
      return checkIdempotentReplay('purchase', purchase.id, decodeDocument<Purchase>(row!.body), purchase, { ignore: ['receivedAt'] })
    })
  }

  getPurchase(siteId: string, id: string): Promise<Purchase | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ body: unknown }>('SELECT body FROM ecole_purchases WHERE site_id = $1 AND id = $2', [siteId, id])
      return row === undefined ? undefined : decodeDocument<Purchase>(row.body)
    })
  }

  listPurchases(siteId: string, page?: PageRequest): Promise<Page<Purchase>> {
    return this.access(siteId, async ({ client: c }) => {
      const limit = pageLimit(page)
      const rows = await c.query<{ id: string; body: unknown }>(
        'SELECT id, body FROM ecole_purchases WHERE site_id = $1 AND ($2::text IS NULL OR id > $2::text) ORDER BY id LIMIT $3',
        [siteId, page?.after ?? null, limit + 1],
      )
      return toPage(rows, limit, (r) => decodeDocument<Purchase>(r.body), (r) => r.id)
    })
  }
}

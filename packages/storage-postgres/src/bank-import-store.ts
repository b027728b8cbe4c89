import { checkIdempotentReplay } from '@ecole/core'
import type {
  BankImportStore, HeldBankStatement, HeldStatementDecision, HeldStatementStatus, ImportedBankEntry, ImportedBankEntryOutcome, Page, PageRequest,
} from '@ecole/core/ports'
import { pageLimit, toPage, type PgAccess } from './access'
import { decodeDocument, encodeDocument } from './documents'

/** Held statements live in `ecole_records` under this kind, keyed by their key. */
const HELD = 'heldBankStatement'

/**
 * The PostgreSQL {@link BankImportStore}: the primary key (site, entry reference) makes imports
 * idempotent; held statements are records of kind `heldBankStatement` (primary key (site, kind,
 * key)), decided by one conditional UPDATE so that of two concurrent decisions one wins. @internal
 */
export class PgBankImportStore implements BankImportStore {
  constructor(private readonly access: PgAccess) {}

  createBankEntry(siteId: string, entry: ImportedBankEntry): Promise<'created' | 'exists'> {
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query(
        'INSERT INTO ecole_bank_entries (site_id, entry_reference, outcome_kind, body) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (site_id, entry_reference) DO NOTHING RETURNING entry_reference',
        [siteId, entry.entryReference, entry.outcome.kind, encodeDocument(entry)],
      )
      if (rows.length > 0) return 'created'
      const [row] = await c.query<{ body: unknown }>('SELECT body FROM ecole_bank_entries WHERE site_id = $1 AND entry_reference = $2', [siteId, entry.entryReference])
      // the bank's data is the content; the outcome is what this import decided, and may differ on a replay
      return checkIdempotentReplay('bank entry', entry.entryReference, decodeDocument<ImportedBankEntry>(row!.body), entry, { ignore: ['outcome'] })
    })
  }

  importedEntryReferences(siteId: string, entryReferences: readonly string[]): Promise<Set<string>> {
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query<{ entry_reference: string }>('SELECT entry_reference FROM ecole_bank_entries WHERE site_id = $1 AND entry_reference = ANY($2::text[])', [
        siteId,
        [...entryReferences],
      ])
      return new Set(rows.map((r) => r.entry_reference))
    })
  }

  getBankEntries(siteId: string, entryReferences: readonly string[]): Promise<Map<string, ImportedBankEntry>> {
    return this.access(siteId, async ({ client: c }) => {
      if (entryReferences.length === 0) return new Map()
      const rows = await c.query<{ entry_reference: string; body: unknown }>('SELECT entry_reference, body FROM ecole_bank_entries WHERE site_id = $1 AND entry_reference = ANY($2::text[])', [
        siteId,
        [...entryReferences],
      ])
      return new Map(rows.map((r) => [r.entry_reference, decodeDocument<ImportedBankEntry>(r.body)]))
    })
  }

  listBankEntries(siteId: string, filter: { outcome?: ImportedBankEntryOutcome['kind'] | undefined }, page?: PageRequest): Promise<Page<ImportedBankEntry>> {
    return this.access(siteId, async ({ client: c }) => {
      const limit = pageLimit(page)
      const rows = await c.query<{ entry_reference: string; body: unknown }>(
        `SELECT entry_reference, body FROM ecole_bank_entries WHERE site_id = $1 AND ($2::text IS NULL OR entry_reference > $2::text) AND ($3::text IS NULL OR outcome_kind = $3::text)
         ORDER BY entry_reference LIMIT $4`,
        [siteId, page?.after ?? null, filter.outcome ?? null, limit + 1],
      )
      return toPage(rows, limit, (r) => decodeDocument<ImportedBankEntry>(r.body), (r) => r.entry_reference)
    })
  }

  createHeldStatement(siteId: string, statement: HeldBankStatement): Promise<'created' | 'exists'> {
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query(
        'INSERT INTO ecole_records (site_id, kind, id, body) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (site_id, kind, id) DO NOTHING RETURNING id',
        [siteId, HELD, statement.key, encodeDocument(statement)],
      )
      return rows.length > 0 ? 'created' : 'exists'
    })
  }

  getHeldStatement(siteId: string, key: string): Promise<HeldBankStatement | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ body: unknown }>('SELECT body FROM ecole_records WHERE site_id = $1 AND kind = $2 AND id = $3', [siteId, HELD, key])
      return row === undefined ? undefined : decodeDocument<HeldBankStatement>(row.body)
    })
  }

  decideHeldStatement(siteId: string, key: string, decision: HeldStatementDecision): Promise<HeldBankStatement | 'not-found' | 'already-decided'> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ body: unknown }>(
        `UPDATE ecole_records SET body = body || jsonb_build_object('status', $4::text, 'decision', $5::jsonb)
         WHERE site_id = $1 AND kind = $2 AND id = $3 AND body->>'status' = 'held' RETURNING body`,
        [siteId, HELD, key, decision.status, encodeDocument(decision)],
      )
      if (row !== undefined) return decodeDocument<HeldBankStatement>(row.body)
      const [exists] = await c.query('SELECT 1 AS one FROM ecole_records WHERE site_id = $1 AND kind = $2 AND id = $3', [siteId, HELD, key])
      return exists === undefined ? 'not-found' : 'already-decided'
    })
  }

  listHeldStatements(siteId: string, filter: { status?: HeldStatementStatus | undefined }, page?: PageRequest): Promise<Page<HeldBankStatement>> {
    return this.access(siteId, async ({ client: c }) => {
      const limit = pageLimit(page)
      const rows = await c.query<{ id: string; body: unknown }>(
        `SELECT id, body FROM ecole_records WHERE site_id = $1 AND kind = $2 AND ($3::text IS NULL OR id > $3::text) AND ($4::text IS NULL OR body->>'status' = $4::text)
         ORDER BY id LIMIT $5`,
        [siteId, HELD, page?.after ?? null, filter.status ?? null, limit + 1],
      )
      return toPage(rows, limit, (r) => decodeDocument<HeldBankStatement>(r.body), (r) => r.id)
    })
  }
}

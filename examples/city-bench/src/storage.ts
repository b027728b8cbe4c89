/**
 * The storage of a city run (memory, PGlite or a PostgreSQL server) and, for the SQL ones, a raw
 * connection for the floors and the database size: the same tables the adapter wrote.
 */
import { isEcoleError } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export type StorageKind = 'memory' | 'pglite' | 'postgres'

/** Raw SQL on the run's database (absent in memory). */
export interface RawSql {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** `COPY table (columns) FROM STDIN` of CSV text, in chunks of whole lines ({@link csvChunks}). */
  copyCsv(table: string, columns: readonly string[], chunks: readonly string[]): Promise<void>
  close(): Promise<void>
}

export interface OpenedStorage {
  storage: StoragePorts
  raw?: RawSql | undefined
  label: string
  /** Transactions run again after the server cut their connection (rolled back), see {@link retryCutConnections}. */
  retries?: (() => number) | undefined
  close(): Promise<void>
}

/**
 * The storage whose transactions are run again (up to 3 times) when the server cut their
 * connection and the adapter reports the transaction rolled back (`STORAGE_UNAVAILABLE`,
 * `details.outcome: 'rolledBack'`: nothing of it was written). On the shared server of the
 * reference machine, other sessions' tests terminate backends (`pg_terminate_backend`, SQL state
 * 57P01) and cut two 5,000-child runs, a 50,000-child run and a 20,000-child run that way. The
 * ports used outside a transaction (each call its own transaction) are retried the same way.
 * Each retry is logged and counted in the report; its time stays in the stage's figures.
 */
export function retryCutConnections(storage: StoragePorts, log: (text: string) => void): { storage: StoragePorts; retries: () => number } {
  let retries = 0
  const isCut = (error: unknown) => isEcoleError(error) && error.code === 'STORAGE_UNAVAILABLE' && error.details['outcome'] === 'rolledBack'
  const transaction: StoragePorts['transaction'] = async (siteId, fn, options) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await storage.transaction(siteId, fn, options)
      } catch (error) {
        if (!isCut(error) || attempt > 3) throw error
        retries++
        log(`   (the server cut a connection, the transaction was rolled back: running it again, attempt ${attempt + 1}: ${(error as Error).message})`)
      }
    }
  }
  // the ports used outside a transaction run each call in a transaction of its own: the same retry
  const retried = <P extends object>(port: P): P =>
    new Proxy(port, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown
        if (typeof value !== 'function') return value
        return async (...args: unknown[]) => {
          for (let attempt = 1; ; attempt++) {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
            } catch (error) {
              if (!isCut(error) || attempt > 3) throw error
              retries++
              log(`   (the server cut a connection, ${String(key)} was rolled back: calling it again, attempt ${attempt + 1})`)
            }
          }
        }
      },
    })
  const ports = Object.fromEntries(Object.entries(storage).map(([k, v]) => [k, v !== null && typeof v === 'object' && !Array.isArray(v) && k !== 'capabilities' && k !== 'traits' ? retried(v as object) : v]))
  return { storage: Object.assign(Object.create(Object.getPrototypeOf(storage) as object) as StoragePorts, storage, ports, { transaction }), retries: () => retries }
}

/** Where a run's storage lives. */
export interface CityStorageOptions {
  /** The PostgreSQL server (`postgres` only). */
  databaseUrl?: string | undefined
  /** PGlite's data directory (in memory when absent). */
  dataDir?: string | undefined
  /**
   * A schema of its own on the PostgreSQL server, created empty and dropped on close (a test
   * sharing a database with others); without it the run uses the connection's schema and drops
   * its ecole_* tables first.
   */
  privateSchema?: string | undefined
}

/** Opens the storage; a PostgreSQL database is emptied of ecole tables first (the run starts clean). */
export async function openCityStorage(kind: StorageKind, options: CityStorageOptions = {}): Promise<OpenedStorage> {
  const { databaseUrl, dataDir, privateSchema } = options
  if (kind === 'memory') {
    const { createMemoryStorage } = await import('@ecole/storage-memory')
    const storage = createMemoryStorage()
    return { storage, label: 'in memory (@ecole/storage-memory)', close: () => storage.close() }
  }
  const { createPostgresStorage } = await import('@ecole/storage-postgres')
  if (kind === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite')
    const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create()
    const storage = await createPostgresStorage({ pglite: db })
    const raw: RawSql = {
      query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
      copyCsv: async (table, columns, lines) => {
        await db.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([...lines]) })
      },
      close: async () => undefined,
    }
    return {
      storage, raw, label: `embedded PostgreSQL (PGlite)${dataDir ? ` in ${dataDir}` : ', in memory'}`,
      close: async () => {
        await storage.close()
        await db.close()
      },
    }
  }
  if (!databaseUrl) throw new Error('--storage postgres needs --database-url postgresql://user@host:5432/db (or ECOLE_PG_URL)')
  const pg = await import('pg')
  const { from: copyFrom } = await import('pg-copy-streams')
  if (privateSchema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(privateSchema)) throw new Error(`privateSchema must be a lower-case SQL identifier, got ${privateSchema}`)
  if (privateSchema) {
    const admin = new pg.default.Client({ connectionString: databaseUrl })
    await admin.connect()
    await admin.query(`DROP SCHEMA IF EXISTS ${privateSchema} CASCADE`)
    await admin.query(`CREATE SCHEMA ${privateSchema}`)
    await admin.end()
  }
  const pool = new pg.default.Pool({ connectionString: databaseUrl, max: 10, ...(privateSchema ? { options: `-c search_path=${privateSchema}` } : {}) })
  if (!privateSchema) await dropEcoleTables(pool)
  const server = await createPostgresStorage({ pool })
  const { storage, retries } = retryCutConnections(server, (t) => console.error(t))
  const raw: RawSql = {
    query: async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[],
    copyCsv: async (table, columns, lines) => {
      const client = await pool.connect()
      try {
        const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`))
        await pipeline(Readable.from(lines), stream)
      } finally {
        client.release()
      }
    },
    close: () => pool.end(),
  }
  return {
    storage, raw, retries, label: `PostgreSQL at ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`,
    close: async () => {
      await server.close()
      if (privateSchema) await pool.query(`DROP SCHEMA ${privateSchema} CASCADE`)
      await pool.end()
    },
  }
}

/** CSV lines (fields already quoted) joined 5,000 to a chunk, each chunk ending with a newline: a million lines as 200 strings. */
export function csvChunks(lines: Iterable<string>): string[] {
  const chunks: string[] = []
  let chunk: string[] = []
  for (const line of lines) {
    chunk.push(line)
    if (chunk.length === 5000) {
      chunks.push(chunk.join('\n') + '\n')
      chunk = []
    }
  }
  if (chunk.length > 0) chunks.push(chunk.join('\n') + '\n')
  return chunks
}

/** Drops the adapter's tables and migration record so the run starts from an empty database. */
async function dropEcoleTables(pool: { query: (sql: string) => Promise<{ rows: Array<{ name: string; kind: string }> }> }): Promise<void> {
  const { rows } = await pool.query(`SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND (c.relname LIKE 'ecole\\_%' OR c.relname LIKE 'city\\_floor\\_%')`)
  if (rows.length > 0) await pool.query(`DROP TABLE ${rows.map((r) => `"${r.name}"`).join(', ')} CASCADE`)
  const fns = await pool.query(`SELECT p.oid::regprocedure::text AS name, 'f' AS kind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() AND p.proname LIKE 'ecole\\_%'`)
  for (const f of fns.rows) await pool.query(`DROP FUNCTION IF EXISTS ${f.name} CASCADE`)
}

import { asInputError, EcoleError } from '@ecole/core'
import type { StorageCapability, StoragePortSet, StoragePorts, StorageTrait, StorageTransaction, TransactionOptions } from '@ecole/core/ports'
import type { PGlite } from '@electric-sql/pglite'
import type { Pool } from 'pg'
import { autoCommit, joinTransaction, runTransaction, type PgAccess } from './access'
import { PgAccessStore } from './access-store'
import { PgBankImportStore } from './bank-import-store'
import { PgExportRegisterStore } from './export-register-store'
import { PgPurchaseStore } from './purchase-store'
import { PgMessagingStore } from './messaging-store'
import { PgBookingStore } from './booking-store'
import { PgDirectoryStore } from './directory-store'
import { PgDocumentStore } from './document-store'
import { PgAuditStore } from './audit-store'
import { pgDatabase, pgliteDatabase, type Database } from './driver'
import { storageError } from './errors'
import { PgInvoiceNumberStore } from './invoice-number-store'
import { PgInvoiceStore } from './invoice-store'
import { PgLedgerStore } from './ledger-store'
import { runMigrations, type MigrationReport } from './migrate'
import { PgOutboxStore } from './outbox-store'
import { PgPaymentStore } from './payment-store'
import { retryPolicy, type RetryOptions, type RetryPolicy } from './retry'

/**
 * Where {@link createPostgresStorage} finds its database; exactly one of `pglite`, `pool`,
 * `connectionString` (an embedded in-memory PGlite when none is given).
 *
 * @example
 * const options: PostgresStorageOptions = { connectionString: 'postgresql://ecole@127.0.0.1:5432/ecole', poolSize: 20 }
 */
export interface PostgresStorageOptions {
  /**
   * Embedded PostgreSQL (PGlite, the zero-setup default): `{ dataDir }` to keep the data in a
   * folder (in memory when absent), or a PGlite instance you created (left open by `close()`).
   */
  pglite?: { dataDir?: string | undefined } | PGlite | undefined
  /** A `pg` Pool you created (left open by `close()`). */
  pool?: Pool | undefined
  /** A PostgreSQL URL with the user in it (`postgresql://user@host:5432/db`): node-postgres would take `$USER` otherwise. */
  connectionString?: string | undefined
  /** Size of the pool created for `connectionString` (10 when absent). */
  poolSize?: number | undefined
  /** Apply pending migrations when the storage is created (`true` when absent). */
  migrate?: boolean | undefined
  /**
   * When a transaction runs again after a serialisation failure or a deadlock (40001, 40P01):
   * 5 retries, 5 ms doubling up to 250 ms with jitter, when absent ({@link RetryOptions}).
   */
  retry?: RetryOptions | undefined
}

/**
 * The PostgreSQL adapter: every capability port, the transaction API, and {@link PostgresStorage.migrate}.
 *
 * @example
 * const storage: PostgresStorage = await createPostgresStorage({ migrate: false })
 * await storage.migrate() //=> { applied: [1, 2, 3, 4, 5, 6], alreadyApplied: [] }
 */
export interface PostgresStorage extends StoragePorts {
  /** `pg` (a server) or `pglite` (embedded). */
  readonly driver: 'pg' | 'pglite'
  /**
   * `['connections', 'concurrentTransactions']` on a server: a connection can be lost
   * (`STORAGE_UNAVAILABLE`) and crossing transactions are retried. `[]` on PGlite: one embedded
   * database in the process, no connection to lose, and its transactions run one at a time.
   */
  readonly traits: readonly StorageTrait[]
  /**
   * Applies the migrations not yet applied (recorded with checksums in `ecole_schema_migrations`,
   * forward only, under an advisory lock: safe to run twice or from several processes at once).
   */
  migrate(): Promise<MigrationReport>
}

const SERVER_TRAITS: readonly StorageTrait[] = ['connections', 'concurrentTransactions']

/** The ports over `access`; `db` only for the top-level ports (each call its own transaction). */
function ports(access: PgAccess, db?: Database): StoragePortSet {
  return {
    directory: new PgDirectoryStore(access),
    bookings: new PgBookingStore(access),
    ledger: new PgLedgerStore(access, db),
    invoicing: new PgInvoiceStore(access),
    invoiceNumbers: new PgInvoiceNumberStore(access),
    payments: new PgPaymentStore(access),
    bankImports: new PgBankImportStore(access),
    outbox: new PgOutboxStore(access),
    access: new PgAccessStore(access),
    documents: new PgDocumentStore(access),
    exportRegister: new PgExportRegisterStore(access),
    purchases: new PgPurchaseStore(access),
    messaging: new PgMessagingStore(access),
    audit: new PgAuditStore(access),
  }
}

/**
 * What a value is, for an error message: `null`, `an array`, `a string`... Its kind only, never the
 * value itself, unlike core's `describeValue`: an option here may be a connection string that
 * carries a password. @internal
 */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  const type = typeof value
  return type === 'object' ? 'an object' : `a ${type}`
}

/** An object literal (or one without a prototype): not an array, a Date, a Map, a boxed primitive... */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['pglite', 'pool', 'connectionString', 'poolSize', 'migrate', 'retry'])

/**
 * Checks the options of {@link createPostgresStorage} before anything is opened or imported: a
 * wrong option is an `INVALID_INPUT` naming it, never a database opened with what was meant
 * otherwise (an unknown key, such as a misspelt `conectionString`, would open an in-memory PGlite).
 */
function checkOptions(options: unknown): void {
  if (!isPlainObject(options)) {
    throw EcoleError.invalidInput('options', `must be the storage options (an object such as { connectionString } or { pglite: { dataDir } }), got ${kindOf(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw EcoleError.invalidInput(key, `is not an option of createPostgresStorage (${[...OPTION_KEYS].join(', ')})`)
  }
  const { pglite, pool, connectionString, poolSize, migrate, retry } = options
  if (pglite !== undefined && !isPglite(pglite)) {
    if (!isPlainObject(pglite)) throw EcoleError.invalidInput('pglite', `must be { dataDir? } or a PGlite instance, got ${kindOf(pglite)}`)
    if (pglite['dataDir'] !== undefined && (typeof pglite['dataDir'] !== 'string' || pglite['dataDir'] === '')) {
      throw EcoleError.invalidInput('pglite.dataDir', `must be a folder (a non-empty string), got ${kindOf(pglite['dataDir'])}`)
    }
  }
  if (pool !== undefined && !isPool(pool)) throw EcoleError.invalidInput('pool', `must be a pg Pool, got ${kindOf(pool)}`)
  if (connectionString !== undefined && (typeof connectionString !== 'string' || connectionString === '')) {
    throw EcoleError.invalidInput('connectionString', `must be a PostgreSQL URL (a non-empty string), got ${kindOf(connectionString)}`)
  }
  if (poolSize !== undefined && !(typeof poolSize === 'number' && Number.isSafeInteger(poolSize) && poolSize >= 1)) {
    throw EcoleError.invalidInput('poolSize', `must be a whole number of connections, at least 1, got ${typeof poolSize === 'number' ? String(poolSize) : kindOf(poolSize)}`)
  }
  if (migrate !== undefined && typeof migrate !== 'boolean') throw EcoleError.invalidInput('migrate', `must be a boolean, got ${kindOf(migrate)}`)
  if (retry !== undefined && (typeof retry !== 'object' || retry === null || Array.isArray(retry))) {
    throw EcoleError.invalidInput('retry', `must be the retry options ({ maxRetries?, baseDelayMs?, maxDelayMs?, onRetry? }), got ${kindOf(retry)}`)
  }
}

/** Whether `value` looks like a `pg` Pool (what the adapter calls on it). @internal */
export function isPool(value: unknown): value is Pool {
  return typeof value === 'object' && value !== null && typeof (value as Pool).connect === 'function' && typeof (value as Pool).query === 'function'
}

function isPglite(value: unknown): value is PGlite {
  return typeof value === 'object' && value !== null && typeof (value as PGlite).exec === 'function' && typeof (value as PGlite).transaction === 'function'
}

async function openDatabase(options: PostgresStorageOptions, retry: RetryPolicy): Promise<Database> {
  const given = [options.pglite, options.pool, options.connectionString].filter((v) => v !== undefined).length
  if (given > 1) {
    throw new EcoleError('INVALID_INPUT', 'createPostgresStorage: give one of pglite, pool, connectionString, not several')
  }
  if (options.pool !== undefined || options.connectionString !== undefined) {
    let pg: { Pool: typeof Pool; types: { getTypeParser(oid: number, format?: string): unknown } }
    try {
      const mod = (await import('pg')) as unknown as { default?: typeof pg } & typeof pg
      pg = mod.default ?? mod
    } catch (error) {
      throw new EcoleError('DEPENDENCY_MISSING', 'createPostgresStorage: install the peer dependency `pg` to use a PostgreSQL server', { cause: error })
    }
    // pgDatabase listens to the pool's and its clients' 'error' events: a lost connection never crashes the process.
    if (options.pool) return pgDatabase(options.pool, pg.types, false, retry)
    // TCP keepalive: a connection whose peer vanished without closing it (a network cut) is found dead.
    const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10, keepAlive: true })
    return pgDatabase(pool, pg.types, true, retry)
  }
  if (isPglite(options.pglite)) return pgliteDatabase(options.pglite, false, undefined, retry)
  let PGliteClass: typeof PGlite
  try {
    PGliteClass = (await import('@electric-sql/pglite')).PGlite
  } catch (error) {
    throw new EcoleError('DEPENDENCY_MISSING', 'createPostgresStorage: install the peer dependency `@electric-sql/pglite` for embedded storage', { cause: error })
  }
  try {
    const dataDir = options.pglite?.dataDir
    const db = dataDir === undefined ? await PGliteClass.create() : await PGliteClass.create(dataDir)
    return pgliteDatabase(db, true, undefined, retry)
  } catch (error) {
    throw storageError(error, 'open PGlite')
  }
}

/**
 * Creates the PostgreSQL storage adapter: one code path over a `pg` Pool or an embedded PGlite.
 *
 * Every table is keyed by site id first; money is bigint minor units; invoice numbers come from a
 * counter row updated in the validating transaction; ledger transfers are append-only with a
 * unique (site_id, transfer id). Transactions run in READ COMMITTED (or the server's default
 * isolation) with row locks and are run again after a serialisation failure or a deadlock (40001,
 * 40P01) as `options.retry` says ({@link RetryOptions}); store failures surface as `EcoleError`
 * (`STORAGE_UNAVAILABLE`, `STORAGE_CONSTRAINT`, `STORAGE_ERROR`) with the driver's error as
 * `cause`. A lost connection never crashes the process: the call in progress fails with
 * `STORAGE_UNAVAILABLE` (`details.outcome`: `rolledBack`, or `unknown` when the loss hit a
 * commit), the broken connection is discarded, and the next call opens a new one. The SQL runs on
 * PostgreSQL 15 and later and on PGlite.
 *
 * @example
 * import { createPostgresStorage } from '@ecole/storage-postgres'
 * // embedded, data kept in ./ecole-data (zero setup)
 * const storage = await createPostgresStorage({ pglite: { dataDir: './ecole-data' } })
 * // or a server (put the user in the URL)
 * const server = await createPostgresStorage({ connectionString: 'postgresql://ecole@127.0.0.1:5432/ecole' })
 * await storage.close()
 * @throws EcoleError `INVALID_INPUT` naming the option at fault (an unknown key, a wrong kind, more than one database), before anything is opened.
 */
export async function createPostgresStorage(options: PostgresStorageOptions = {}): Promise<PostgresStorage> {
  checkOptions(options)
  try {
    const db = await openDatabase(options, retryPolicy(options.retry))
    const storage: PostgresStorage = {
      ...ports(autoCommit(db), db),
      driver: db.driver,
      traits: db.driver === 'pg' ? SERVER_TRAITS : [],
      transaction<T>(siteId: string, fn: (tx: StorageTransaction) => Promise<T>, txOptions?: TransactionOptions): Promise<T> {
        return runTransaction(db, siteId, (ctx) => fn({ siteId, ...ports(joinTransaction(ctx)) }), txOptions?.maxRetries ?? db.retry.maxRetries, txOptions?.readOnly ?? false)
      },
      migrate: () => runMigrations(db),
      close: () => db.close(),
    }
    if (options.migrate ?? true) {
      try {
        await storage.migrate()
      } catch (error) {
        await db.close().catch(() => undefined)
        throw error
      }
    }
    return storage
  } catch (error) {
    throw asInputError(error, 'createPostgresStorage', { options: [options, 'object?', 'the storage options'] })
  }
}

/**
 * Read replicas for portal reads, without showing a session anything older than its own last
 * write: a router over two storages, the primary (every write) and a streaming-replication
 * replica (reads). After a session's write commits, {@link ReadYourWritesRouter.markWrite} reads
 * the primary's WAL insert position; the session keeps it (a cookie, a server-side session).
 * Before a read, {@link ReadYourWritesRouter.reader} waits until the replica has replayed up to
 * that position (`pg_last_wal_replay_lsn()`), then answers the replica; if the replica does not
 * catch up within `maxWaitMs`, it answers the primary. A session that never wrote reads the
 * replica at once.
 */
import { asInputError, EcoleError } from '@ecole/core'
import type { Pool } from 'pg'
import { createPostgresStorage, isPool, kindOf, type PostgresStorage } from './postgres-storage'

/**
 * A WAL position ('16/B374D848'), as `pg_current_wal_insert_lsn()` prints it.
 *
 * @example
 * const position: WalPosition = '0/3000060'
 */
export type WalPosition = string

const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i

/**
 * Options of {@link createReadYourWritesRouter}.
 *
 * @example
 * const options: ReadYourWritesOptions = { primary: 'postgresql://app@db-primary/ecole', replica: 'postgresql://app@db-replica/ecole', maxWaitMs: 500 }
 */
export interface ReadYourWritesOptions {
  /** The primary: a `pg` Pool you created, or a URL with the user in it. */
  primary: Pool | string
  /** The replica (a hot standby of the primary): a Pool or a URL. */
  replica: Pool | string
  /** How long a read waits for the replica to catch up before it goes to the primary (1,000 ms when absent). */
  maxWaitMs?: number | undefined
  /** How often the replica's replay position is polled while waiting (10 ms when absent). */
  pollMs?: number | undefined
  /** Size of the pools created for URLs (10 when absent). */
  poolSize?: number | undefined
}

/**
 * Where a read goes: the storage to read from, which server it is, and how long the wait was.
 *
 * @example
 * const { storage, from, waitedMs }: RoutedReader = await router.reader(session.wal)
 */
export interface RoutedReader {
  storage: PostgresStorage
  from: 'replica' | 'primary'
  waitedMs: number
}

/**
 * The router made by {@link createReadYourWritesRouter}.
 *
 * @example
 * const router: ReadYourWritesRouter = await createReadYourWritesRouter({ primary: primaryPool, replica: replicaPool })
 */
export interface ReadYourWritesRouter {
  /** The primary's storage: every write goes here (migrated when created from a URL). */
  readonly primary: PostgresStorage
  /** The replica's storage: read only (never migrated, never written). */
  readonly replica: PostgresStorage
  /**
   * The position a session's later reads must see: call it after the session's write has
   * committed, and keep the answer with the session.
   */
  markWrite(): Promise<WalPosition>
  /**
   * The storage for a session's read: the replica once it has replayed `position` (at once when
   * `position` is undefined), otherwise the primary after `maxWaitMs`.
   */
  reader(position: WalPosition | undefined): Promise<RoutedReader>
  /** Closes the storages (and the pools it created from URLs). */
  close(): Promise<void>
}

/**
 * Creates a read-your-writes router over a primary and a replica.
 *
 * @example
 * ```ts
 * const router = await createReadYourWritesRouter({ primary: 'postgresql://app@db-primary/ecole', replica: 'postgresql://app@db-replica/ecole' })
 * // a write of the session, then its position kept in the session
 * await router.primary.transaction('creteil', (tx) => tx.ledger!.createTransfers('creteil', transfers, new Date()))
 * session.wal = await router.markWrite()
 * // a later read of the same session: never older than its write
 * const { storage } = await router.reader(session.wal)
 * const balances = await storage.ledger!.getBalances('creteil', [walletId])
 * ```
 * @throws EcoleError `INVALID_INPUT` naming the option at fault, before any pool is created.
 */
export async function createReadYourWritesRouter(options: ReadYourWritesOptions): Promise<ReadYourWritesRouter> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw EcoleError.invalidInput('options', `must be the router's options ({ primary, replica, maxWaitMs?, pollMs?, poolSize? }), got ${kindOf(options)}`)
  }
  for (const field of ['primary', 'replica'] as const) {
    const server: unknown = options[field]
    if (!isPool(server) && (typeof server !== 'string' || server === '')) throw EcoleError.invalidInput(field, `must be a pg Pool or a PostgreSQL URL (a non-empty string), got ${kindOf(server)}`)
  }
  const shown = (value: unknown) => (typeof value === 'number' ? String(value) : kindOf(value))
  if (options.poolSize !== undefined && !(typeof options.poolSize === 'number' && Number.isSafeInteger(options.poolSize) && options.poolSize >= 1)) {
    throw EcoleError.invalidInput('poolSize', `must be a whole number of connections, at least 1, got ${shown(options.poolSize)}`)
  }
  const maxWaitMs = options.maxWaitMs ?? 1000
  const pollMs = options.pollMs ?? 10
  if (typeof maxWaitMs !== 'number' || !Number.isFinite(maxWaitMs) || maxWaitMs < 0) throw new EcoleError('INVALID_INPUT', `createReadYourWritesRouter maxWaitMs: must be a number of milliseconds >= 0, got ${shown(maxWaitMs)}`, { details: { field: 'maxWaitMs' } })
  if (typeof pollMs !== 'number' || !Number.isFinite(pollMs) || pollMs <= 0) throw new EcoleError('INVALID_INPUT', `createReadYourWritesRouter pollMs: must be a number of milliseconds > 0, got ${shown(pollMs)}`, { details: { field: 'pollMs' } })
  try {
    const pg = (await import('pg')).default
    const owned: Pool[] = []
    const poolOf = (p: Pool | string): Pool => {
      if (typeof p !== 'string') return p
      const pool = new pg.Pool({ connectionString: p, max: options.poolSize ?? 10, keepAlive: true })
      owned.push(pool)
      return pool
    }
    const primaryPool = poolOf(options.primary)
    const replicaPool = poolOf(options.replica)
    const primary = await createPostgresStorage({ pool: primaryPool, migrate: typeof options.primary === 'string' })
    const replica = await createPostgresStorage({ pool: replicaPool, migrate: false })
    return {
      primary,
      replica,
      async markWrite() {
        const { rows } = await primaryPool.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')
        return rows[0]!.lsn
      },
      async reader(position) {
        if (position === undefined) return { storage: replica, from: 'replica', waitedMs: 0 }
        if (typeof position !== 'string' || !LSN.test(position)) {
          throw new EcoleError('INVALID_INPUT', `reader position: must be a WAL position such as '0/3000060' (from markWrite), got ${typeof position === 'string' ? JSON.stringify(position) : kindOf(position)}`, { details: { field: 'position' } })
        }
        const started = Date.now()
        for (;;) {
          const { rows } = await replicaPool.query<{ caught: boolean | null }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught', [position])
          const waitedMs = Date.now() - started
          // null: the server is not a standby (no replay position); it is then as fresh as the primary only if it is the primary
          if (rows[0]?.caught === true) return { storage: replica, from: 'replica', waitedMs }
          if (waitedMs >= maxWaitMs) return { storage: primary, from: 'primary', waitedMs }
          await new Promise((resolve) => setTimeout(resolve, pollMs))
        }
      },
      async close() {
        await replica.close()
        await primary.close()
        for (const p of owned) await p.end()
      },
    }
  } catch (error) {
    throw asInputError(error, 'createReadYourWritesRouter', { options: [options, 'object', 'the router\'s options ({ primary, replica, ... })'] })
  }
}

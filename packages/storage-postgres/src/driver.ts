import { AsyncLocalStorage } from 'node:async_hooks'
import { EcoleError, isEcoleError } from '@ecole/core'
import type { PGlite } from '@electric-sql/pglite'
import type { Pool, PoolClient } from 'pg'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry'
import { connectionLost, isStorageFailure, storageError, type LostOutcome } from './errors'

/** What a store sees of a connection inside a transaction. @internal */
export interface SqlClient {
  /**
   * Runs one statement with `$1..$n` parameters and returns its rows. With `prepared` (a name unique
   * to this statement's text), the pg driver prepares it once per connection and then only binds and
   * executes it (no parse or plan per call); PGlite ignores it.
   */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], prepared?: string): Promise<R[]>
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>
  /**
   * Loads rows into `table` with `COPY` (`FROM STDIN` on the pg driver, `FROM '/dev/blob'` on
   * PGlite): `data` is COPY's text format, one row per line, columns in the order of `columns`,
   * separated by tabs, `\N` for NULL (see {@link copyField}). `table` and `columns` are trusted
   * SQL identifiers (never user input).
   */
  copyFrom(table: string, columns: readonly string[], data: string): Promise<void>
}

/**
 * One value as a field of COPY's text format: `\N` for null or undefined, else its text with
 * backslash, tab, newline and carriage return escaped. @internal
 */
export function copyField(value: string | null | undefined): string {
  if (value == null) return '\\N'
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, escapeCopyChar) : value
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }
const escapeCopyChar = (c: string): string => COPY_ESCAPES[c]!

const copyStatement = (table: string, columns: readonly string[], source: string): string => `COPY ${table} (${columns.join(', ')}) FROM ${source}`

/**
 * `COPY ... FROM STDIN` on a pg client, as a submittable query (pg's extension point for what its
 * Query does not cover): the rows are sent in one chunk when the server asks for them. The promise
 * settles on the server's answer; an error (from the server, or the connection lost) rejects it.
 */
function pgCopyFrom(c: PoolClient, sql: string, data: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failed = false
    const copy = {
      submit(connection: PgConnection): void {
        connection.query(sql)
      },
      handleCopyInResponse(connection: PgConnection): void {
        connection.sendCopyFromChunk(Buffer.from(data, 'utf8'))
        connection.endCopyFrom()
      },
      handleError(error: Error): void {
        // pg forgets the query before this call: no handleReadyForQuery follows.
        failed = true
        reject(error)
      },
      handleReadyForQuery(): void {
        if (!failed) resolve()
      },
      handleCommandComplete(): void {},
      handleRowDescription(): void {},
      handleDataRow(): void {},
      handleEmptyQuery(): void {},
      handlePortalSuspended(): void {},
      handleCopyData(): void {},
    }
    c.query(copy as never)
  })
}

/** What {@link pgCopyFrom} uses of pg's connection (not in pg's type declarations). */
interface PgConnection {
  query(text: string): void
  sendCopyFromChunk(chunk: Buffer): void
  endCopyFrom(): void
}

/** One code path over a pg Pool or a PGlite instance. @internal */
export interface Database {
  /** `pg` or `pglite`. */
  readonly driver: 'pg' | 'pglite'
  /**
   * Runs `fn` in one transaction (BEGIN ... COMMIT, ROLLBACK on error); one attempt. With
   * `readsFirst` (a callback that says it only reads), the pg driver sends no BEGIN until a
   * statement that is not a plain read ({@link isPlainRead}): reads before it run each on its own
   * on the same connection, as a READ COMMITTED transaction would run them (each statement sees
   * what was committed when it started); a callback that only read sends neither BEGIN nor COMMIT.
   */
  transaction<T>(fn: (client: SqlClient) => Promise<T>, options?: { readsFirst?: boolean | undefined }): Promise<T>
  /**
   * Runs `fn` on one connection outside any transaction: each statement commits on its own (for
   * work that is one statement, or that checks at its last statement what it read before).
   */
  autocommit<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>
  /** When transactions run again after a serialisation failure or a deadlock (`runTransaction` in access.ts). */
  readonly retry: RetryPolicy
  /** Releases the pool or closes the embedded database (when this adapter created it). */
  close(): Promise<void>
}

// Type OIDs whose default parsing we override, identically for both drivers:
// int8 -> bigint (money in minor units), numeric -> string, date -> 'YYYY-MM-DD' string.
const INT8 = 20
const NUMERIC = 1700
const DATE = 1082
const identity = (v: string): string => v
const PARSERS: Record<number, (v: string) => unknown> = {
  [INT8]: (v) => BigInt(v),
  [NUMERIC]: identity,
  [DATE]: identity,
}

/** Parameters as both drivers accept them: bigint as text, Date as an ISO instant. @internal */
export function serializeParams(params: readonly unknown[] | undefined): unknown[] {
  if (!params) return []
  return params.map((p) => (typeof p === 'bigint' ? p.toString() : p instanceof Date ? p.toISOString() : p))
}

/**
 * Whether a statement only reads and needs no transaction around it: a SELECT (or WITH ...
 * SELECT) that neither locks rows (FOR UPDATE / SHARE), takes an advisory lock, moves a sequence,
 * sets a setting nor writes through a CTE. Anything else (including what this test cannot tell)
 * is not. @internal
 */
export function isPlainRead(sql: string): boolean {
  return /^\s*(SELECT|WITH)\b/i.test(sql) && !/\b(FOR\s+(NO\s+KEY\s+)?UPDATE|FOR\s+(KEY\s+)?SHARE|INSERT|UPDATE|DELETE|MERGE|pg_advisory\w*|nextval|setval|set_config|lock)\b/i.test(sql)
}

const inTransaction = new AsyncLocalStorage<object>()

function guardNesting(owner: object): void {
  if (inTransaction.getStore() === owner) {
    throw new EcoleError(
      'NESTED_TRANSACTION',
      'a transaction of this storage is already open in this call chain: use the tx ports inside storage.transaction, not storage.transaction or the top-level ports',
    )
  }
}

/**
 * The error each pooled client of this process last reported on its `'error'` event: set when
 * the server or the network dropped its connection (a terminated backend, a stopped server).
 * Listening is what keeps such an event from crashing the process (an `'error'` event without
 * a listener is thrown); the record tells the transaction that its connection is gone.
 */
const lostConnections = new WeakMap<PoolClient, Error>()
const watchedClients = new WeakSet<PoolClient>()

/** Listens to `c`'s `'error'` event for as long as it lives (once per client). */
function watch(c: PoolClient): void {
  if (watchedClients.has(c)) return
  watchedClients.add(c)
  c.on('error', (error: Error) => {
    if (!lostConnections.has(c)) lostConnections.set(c, error)
  })
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

/**
 * A {@link Database} over a pg Pool.
 *
 * A lost connection never crashes the process: the pool and every client it lends have an
 * `'error'` listener. The call that was using the connection fails with `STORAGE_UNAVAILABLE`
 * ({@link connectionLost}: the driver's error as `cause`, `details.outcome` telling whether the
 * work was rolled back or may have committed), the broken client is released with an error so
 * the pool destroys it, and the next call gets a fresh connection.
 *
 * @internal
 */
export function pgDatabase(
  pool: Pool,
  pgTypes: { getTypeParser(oid: number, format?: string): unknown },
  ownsPool: boolean,
  retry: RetryPolicy = DEFAULT_RETRY_POLICY,
): Database {
  const types = {
    getTypeParser(oid: number, format?: string) {
      return PARSERS[oid] ?? pgTypes.getTypeParser(oid, format)
    },
  }
  const owner = {}
  // An idle client whose connection drops is removed by the pool, which then emits 'error' on
  // itself: without a listener that would crash the process. Nothing else to do: the next
  // connect() opens a fresh connection, and a call that fails to reach the server says so.
  const onPoolError = (): void => undefined
  pool.on('error', onPoolError)
  /**
   * The error of a statement that failed on `c`: {@link connectionLost} when its connection is
   * gone (`outcome` being what that means for the work: `unknown` for a statement that commits on
   * its own), else {@link storageError}.
   */
  function failure(c: PoolClient, error: unknown, what: string, outcome: LostOutcome, lostBefore: boolean): EcoleError {
    const lost = lostConnections.get(c)
    // Lost before the statement was sent: it never ran.
    if (lost !== undefined) return connectionLost(lost, what, lostBefore ? 'rolledBack' : outcome)
    const mapped = storageError(error, what)
    if (mapped.code !== 'STORAGE_UNAVAILABLE' || isEcoleError(error)) return mapped
    // The server said the connection is gone (57P01 for a terminated backend) before the client's
    // own 'error' or 'end' event: recorded now, so that releasing the client destroys it rather than
    // lending a dead connection to the next call.
    lostConnections.set(c, asError(error))
    return connectionLost(error, what, lostBefore ? 'rolledBack' : outcome)
  }
  function client(c: PoolClient, outcome: LostOutcome): SqlClient {
    return {
      async query<R>(sql: string, params?: readonly unknown[], prepared?: string): Promise<R[]> {
        const lostBefore = lostConnections.has(c)
        try {
          const values = serializeParams(params)
          const result = await c.query(prepared === undefined ? { text: sql, values, types: types as never } : { text: sql, values, types: types as never, name: prepared })
          return result.rows as R[]
        } catch (error) {
          throw failure(c, error, 'query', outcome, lostBefore)
        }
      },
      async exec(sql: string): Promise<void> {
        const lostBefore = lostConnections.has(c)
        try {
          await c.query(sql)
        } catch (error) {
          throw failure(c, error, 'script', outcome, lostBefore)
        }
      },
      async copyFrom(table: string, columns: readonly string[], data: string): Promise<void> {
        const lostBefore = lostConnections.has(c)
        try {
          await pgCopyFrom(c, copyStatement(table, columns, 'STDIN'), data)
        } catch (error) {
          throw failure(c, error, 'copy', outcome, lostBefore)
        }
      },
    }
  }
  /** The statement runner of each pooled connection outside transactions (built once per connection, not per call). */
  const autocommitClients = new WeakMap<PoolClient, SqlClient>()
  /** A pooled connection, watched, outside any transaction of this storage in the same call chain. */
  async function connect(): Promise<PoolClient> {
    guardNesting(owner)
    let c: PoolClient
    try {
      c = await pool.connect()
    } catch (error) {
      const failed = storageError(error, 'connect')
      // Nothing ran: for a caller, the same as a transaction rolled back.
      if (failed.code === 'STORAGE_UNAVAILABLE') failed.details['outcome'] = 'rolledBack'
      throw failed
    }
    watch(c)
    return c
  }
  return {
    driver: 'pg',
    retry,
    async transaction<T>(fn: (client: SqlClient) => Promise<T>, options?: { readsFirst?: boolean | undefined }): Promise<T> {
      const c = await connect()
      // Where the transaction is: a loss before COMMIT is sent rolls it back; during COMMIT, unknown.
      let phase: 'begin' | 'callback' | 'commit' = 'begin'
      let lostBeforeCommit = false
      let broken: Error | undefined
      // BEGIN sent (at once, or with readsFirst before the first statement that is not a plain read)
      let begun: Promise<void> | undefined
      try {
        let sql = client(c, 'rolledBack')
        if (options?.readsFirst) {
          const plain = sql
          const begin = () => (begun ??= plain.exec('BEGIN'))
          sql = {
            async query<R>(text: string, params?: readonly unknown[]): Promise<R[]> {
              if (begun === undefined && isPlainRead(text)) return plain.query<R>(text, params)
              await begin()
              return plain.query<R>(text, params)
            },
            async exec(text: string): Promise<void> {
              await begin()
              return plain.exec(text)
            },
            async copyFrom(table: string, columns: readonly string[], data: string): Promise<void> {
              await begin()
              return plain.copyFrom(table, columns, data)
            },
          }
        } else {
          begun = c.query('BEGIN').then(() => undefined)
          await begun
        }
        phase = 'callback'
        const result = await inTransaction.run(owner, () => fn(sql))
        phase = 'commit'
        lostBeforeCommit = lostConnections.has(c)
        if (begun !== undefined) await c.query('COMMIT')
        return result
      } catch (error) {
        if (begun !== undefined && !lostConnections.has(c)) {
          try {
            await c.query('ROLLBACK')
          } catch (rollbackError) {
            broken = asError(rollbackError)
          }
        }
        const lost = lostConnections.get(c)
        if (lost !== undefined) {
          broken = lost
          // The callback's own error (not a store failure) is rethrown unchanged; anything the
          // store saw becomes one STORAGE_UNAVAILABLE saying what became of the transaction.
          if (phase === 'callback' && !isStorageFailure(error)) throw error
          const cause = isEcoleError(error) && error.cause !== undefined ? error.cause : error
          throw connectionLost(cause, 'transaction', phase === 'commit' && !lostBeforeCommit ? 'unknown' : 'rolledBack')
        }
        throw phase === 'callback' ? error : storageError(error, phase === 'begin' ? 'begin' : 'commit')
      } finally {
        c.release(broken ?? lostConnections.get(c))
      }
    },
    async autocommit<T>(fn: (client: SqlClient) => Promise<T>): Promise<T> {
      const c = await connect()
      try {
        let sql = autocommitClients.get(c)
        if (sql === undefined) {
          sql = client(c, 'unknown')
          autocommitClients.set(c, sql)
        }
        return await fn(sql)
      } finally {
        // A client whose connection dropped is released with its error: the pool destroys it.
        c.release(lostConnections.get(c))
      }
    },
    async close() {
      if (ownsPool) await pool.end()
      pool.off('error', onPoolError)
    },
  }
}

/** Least time between two ANALYZE runs PGlite does in place of autovacuum. */
const ANALYSE_MIN_INTERVAL_MS = 5_000

/** A {@link Database} over a PGlite instance (one connection: transactions queue up). @internal */
export function pgliteDatabase(db: PGlite, ownsDb: boolean, analyseMinIntervalMs = ANALYSE_MIN_INTERVAL_MS, retry: RetryPolicy = DEFAULT_RETRY_POLICY): Database {
  const owner = {}
  const options = { parsers: PARSERS }
  function client(tx: Pick<PGlite, 'query' | 'exec'>): SqlClient {
    return {
      async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
        try {
          const result = await tx.query<R>(sql, serializeParams(params), options)
          return result.rows
        } catch (error) {
          throw storageError(error, 'query')
        }
      },
      async exec(sql: string): Promise<void> {
        try {
          await tx.exec(sql)
        } catch (error) {
          throw storageError(error, 'script')
        }
      },
      async copyFrom(table: string, columns: readonly string[], data: string): Promise<void> {
        try {
          await tx.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([data]) })
        } catch (error) {
          throw storageError(error, 'copy')
        }
      },
    }
  }
  // PGlite runs no autovacuum worker, so its tables are never analysed and its plans degrade as
  // they grow (measured: ledger batches fell from 7,100 to 1,800 transfers/s over 20,000
  // transfers, and recovered after ANALYZE). Stand in for autovacuum's analyse: after commits,
  // analyse again once enough time has passed, spending at most ~5% of the time on it.
  let analysedAt = Date.now()
  let analyseMs = 0
  /** Runs after a committed write; statistics are an optimisation, so a failed ANALYZE is ignored. */
  async function analyseWhenDue(): Promise<void> {
    const now = Date.now()
    if (now - analysedAt < Math.max(analyseMinIntervalMs, 20 * analyseMs)) return
    analysedAt = now
    try {
      await db.exec('ANALYZE')
    } catch {
      // never fail a committed write for its statistics
    }
    analyseMs = Date.now() - now
  }
  return {
    driver: 'pglite',
    retry,
    // readsFirst changes nothing here: PGlite is in the process, a BEGIN costs no round trip
    async transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T> {
      guardNesting(owner)
      let fromCallback = false
      let result: T
      try {
        result = await db.transaction(async (tx) => {
          fromCallback = true
          const value = await inTransaction.run(owner, () => fn(client(tx)))
          fromCallback = false
          return value
        })
      } catch (error) {
        throw fromCallback ? error : storageError(error, 'transaction')
      }
      await analyseWhenDue()
      return result
    },
    async autocommit<T>(fn: (client: SqlClient) => Promise<T>): Promise<T> {
      guardNesting(owner)
      const result = await fn(client(db))
      await analyseWhenDue()
      return result
    },
    async close() {
      if (ownsDb) await db.close()
    },
  }
}

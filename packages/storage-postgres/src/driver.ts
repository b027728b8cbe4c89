import { AsyncLocalStorage } from 'node:async_hooks'
import { EcoleError } from '@ecole/core'
import type { PGlite } from '@electric-sql/pglite'
import type { Pool, PoolClient } from 'pg'
import { storageError } from './errors'

/** What a store sees of a connection inside a transaction. @internal */
export interface SqlClient {
  /** Runs one statement with `$1..$n` parameters and returns its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>
}

/** One code path over a pg Pool or a PGlite instance. @internal */
export interface Database {
  /** `pg` or `pglite`. */
  readonly driver: 'pg' | 'pglite'
  /** Runs `fn` in one transaction (BEGIN ... COMMIT, ROLLBACK on error); one attempt. */
  transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>
  /**
   * Runs `fn` on one connection outside any transaction: each statement commits on its own (for
   * work that is one statement, or that checks at its last statement what it read before).
   */
  autocommit<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>
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

const inTransaction = new AsyncLocalStorage<object>()

function guardNesting(owner: object): void {
  if (inTransaction.getStore() === owner) {
    throw new EcoleError(
      'NESTED_TRANSACTION',
      'a transaction of this storage is already open in this call chain: use the tx ports inside storage.transaction, not storage.transaction or the top-level ports',
    )
  }
}

/** A {@link Database} over a pg Pool. @internal */
export function pgDatabase(pool: Pool, pgTypes: { getTypeParser(oid: number, format?: string): unknown }, ownsPool: boolean): Database {
  const types = {
    getTypeParser(oid: number, format?: string) {
      return PARSERS[oid] ?? pgTypes.getTypeParser(oid, format)
    },
  }
  const owner = {}
  function client(c: PoolClient): SqlClient {
    return {
      async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
        try {
          const result = await c.query({ text: sql, values: serializeParams(params), types: types as never })
          return result.rows as R[]
        } catch (error) {
          throw storageError(error, 'query')
        }
      },
      async exec(sql: string): Promise<void> {
        try {
          await c.query(sql)
        } catch (error) {
          throw storageError(error, 'script')
        }
      },
    }
  }
  /** A pooled connection, outside any transaction of this storage in the same call chain. */
  async function connect(): Promise<PoolClient> {
    guardNesting(owner)
    try {
      return await pool.connect()
    } catch (error) {
      throw storageError(error, 'connect')
    }
  }
  return {
    driver: 'pg',
    async transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T> {
      const c = await connect()
      let broken: unknown
      let fromCallback = false
      try {
        await c.query('BEGIN')
        fromCallback = true
        const result = await inTransaction.run(owner, () => fn(client(c)))
        fromCallback = false
        await c.query('COMMIT')
        return result
      } catch (error) {
        try {
          await c.query('ROLLBACK')
        } catch (rollbackError) {
          broken = rollbackError
        }
        throw fromCallback ? error : storageError(error, 'transaction')
      } finally {
        c.release(broken instanceof Error ? broken : undefined)
      }
    },
    async autocommit<T>(fn: (client: SqlClient) => Promise<T>): Promise<T> {
      const c = await connect()
      try {
        return await fn(client(c))
      } finally {
        c.release()
      }
    },
    async close() {
      if (ownsPool) await pool.end()
    },
  }
}

/** Least time between two ANALYZE runs PGlite does in place of autovacuum. */
const ANALYSE_MIN_INTERVAL_MS = 5_000

/** A {@link Database} over a PGlite instance (one connection: transactions queue up). @internal */
export function pgliteDatabase(db: PGlite, ownsDb: boolean, analyseMinIntervalMs = ANALYSE_MIN_INTERVAL_MS): Database {
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

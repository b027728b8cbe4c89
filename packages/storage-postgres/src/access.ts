import { EcoleError, isEcoleError } from '@ecole/core'
import type { PageRequest } from '@ecole/core/ports'
import type { Database, SqlClient } from './driver'
import { isRetryable } from './errors'
import { retryDelayMs } from './retry'

/** One open transaction of one site, as stores see it. @internal */
export interface TxContext {
  /** The connection, inside BEGIN. */
  readonly client: SqlClient
  /** The site of the transaction. */
  readonly siteId: string
  /**
   * Writes to make after the transaction if it rolls back (records that must survive it, such
   * as failed ledger transfer ids); each runs in its own transaction and must be idempotent.
   */
  readonly afterRollback: Array<(client: SqlClient) => Promise<void>>
}

/** How a store reaches the database: its own transaction, or the caller's. @internal */
export type PgAccess = <T>(siteId: string, fn: (tx: TxContext) => Promise<T>) => Promise<T>

/** Refuses an empty or non-string site id (INVALID_INPUT). @internal */
export function assertSiteId(siteId: unknown): asserts siteId is string {
  if (typeof siteId !== 'string' || siteId.length === 0) {
    throw new EcoleError('INVALID_INPUT', 'siteId: must be a non-empty string')
  }
}

/**
 * Runs `fn` in a transaction of `siteId`, and runs it again after a serialisation failure or a
 * deadlock (40001 / 40P01) as the database's retry policy says (`db.retry`: at most
 * `maxRetries` retries, exponential backoff with equal jitter, `onRetry` told before each wait).
 * `readsFirst`: the callback mostly reads (`TransactionOptions.readOnly`), see {@link Database.transaction}.
 * When the retries are spent, the last `STORAGE_RETRYABLE` error is thrown with
 * `details.attempts`. Nothing else is retried: a lost connection (`STORAGE_UNAVAILABLE`) fails
 * the call. Writes queued in `afterRollback` run after a rollback.
 *
 * @internal
 */
export async function runTransaction<T>(db: Database, siteId: string, fn: (tx: TxContext) => Promise<T>, maxRetries: number = db.retry.maxRetries, readsFirst = false): Promise<T> {
  assertSiteId(siteId)
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
    throw new EcoleError('INVALID_INPUT', `maxRetries: must be a non-negative integer, got ${String(maxRetries)}`, {
      details: { issues: [{ path: 'maxRetries', code: 'invalid_value', message: 'must be a non-negative integer' }] },
    })
  }
  for (let attempt = 1; ; attempt++) {
    const afterRollback: TxContext['afterRollback'] = []
    try {
      return await db.transaction((client) => fn({ client, siteId, afterRollback }), { readsFirst })
    } catch (error) {
      try {
        for (const write of afterRollback) await db.transaction(write)
      } catch (afterError) {
        // With the connection gone, say so (the first failure), not that the follow-up failed too.
        throw isEcoleError(error) && error.code === 'STORAGE_UNAVAILABLE' ? error : afterError
      }
      if (!isRetryable(error)) throw error
      const retryable = error as EcoleError
      if (attempt > maxRetries) {
        throw new EcoleError('STORAGE_RETRYABLE', `${retryable.message} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})`, {
          details: { ...retryable.details, attempts: attempt },
          cause: retryable.cause,
        })
      }
      const delayMs = retryDelayMs(db.retry, attempt)
      try {
        db.retry.onRetry?.({ siteId, attempt, delayMs, code: 'STORAGE_RETRYABLE', sqlState: retryable.details['sqlState'] as string | undefined })
      } catch {
        // a metrics hook never changes the outcome of a transaction
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs))
    }
  }
}

/** Each call is its own transaction. @internal */
export function autoCommit(db: Database): PgAccess {
  return (siteId, fn) => runTransaction(db, siteId, fn)
}

/** Calls join the open transaction `tx`. @internal */
export function joinTransaction(tx: TxContext): PgAccess {
  return async (siteId, fn) => {
    if (siteId !== tx.siteId) {
      throw new EcoleError('SITE_MISMATCH', `this transaction belongs to site ${tx.siteId}, not ${siteId}`, {
        details: { transactionSiteId: tx.siteId, siteId },
      })
    }
    return fn(tx)
  }
}

/** The page size asked, checked (1..`max`, 1,000 unless a listing allows more; 100 by default). @internal */
export function pageLimit(page: PageRequest | undefined, max = 1000): number {
  const limit = page?.limit ?? 100
  if (!Number.isInteger(limit) || limit < 1) {
    throw new EcoleError('INVALID_INPUT', `page.limit: must be a positive integer, got ${String(limit)}`)
  }
  return Math.min(limit, max)
}

/**
 * The page cap of the day-ordered bulk listings (`listBookings`, `listAttendance`): a month's
 * billing reads every booking and attendance row of a site, a million rows for a 50,000-child
 * city; pages of 1,000 made that 2,000 round trips. Their rows are small (about 150 bytes). @internal
 */
export const BULK_PAGE_LIMIT = 10_000

/** Splits rows fetched with LIMIT n+1 into a page and its cursor. @internal */
export function toPage<R, T>(rows: R[], limit: number, map: (row: R) => T, cursor: (row: R) => string): { items: T[]; next?: string | undefined } {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return { items: items.map(map), next: rows.length > limit && last !== undefined ? cursor(last) : undefined }
}

/** Joins key parts with a separator below every character (tuple order). @internal */
export function tupleKey(...parts: string[]): string {
  return parts.join('\u0000')
}

/** Splits a {@link tupleKey} cursor, checking its arity. @internal */
export function splitCursor(cursor: string, arity: number): string[] {
  const parts = cursor.split('\u0000')
  if (parts.length !== arity) throw new EcoleError('INVALID_INPUT', 'page.after: not a cursor returned by this store')
  return parts
}

/**
 * @internal A PGlite that records every statement the adapter sends (text, parameters, and
 * whether it ran inside a transaction), for the single-site test: it wraps `query`, `exec` and
 * the `transaction` callback's client, and passes everything else through.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite'

/** One statement sent to the database. */
export interface RecordedStatement {
  sql: string
  params: readonly unknown[]
  via: 'query' | 'exec'
  /** For a `COPY ... FROM '/dev/blob'`: the rows sent (COPY's text format), once the blob is read. */
  copyData?: string
}

/** Records one statement sent with `query` (and, for a COPY from a blob, the rows it carries). */
function recordQuery(log: RecordedStatement[], sql: string, params: unknown[] | undefined, options: unknown): void {
  const entry: RecordedStatement = { sql, params: params ?? [], via: 'query' }
  log.push(entry)
  const blob = (options as { blob?: Blob } | undefined)?.blob
  if (blob !== undefined) void blob.text().then((text) => (entry.copyData = text))
}

/** Wraps `db` so every statement is pushed to `log` before it runs. */
export function recordingPglite(db: PGlite, log: RecordedStatement[]): PGlite {
  const wrapTx = (tx: Transaction): Transaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop === 'query') {
          return (sql: string, params?: unknown[], options?: unknown) => {
            recordQuery(log, sql, params, options)
            return target.query(sql, params, options as never)
          }
        }
        if (prop === 'exec') {
          return (sql: string, options?: unknown) => {
            log.push({ sql, params: [], via: 'exec' })
            return target.exec(sql, options as never)
          }
        }
        const v = Reflect.get(target, prop, receiver) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    })
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'query') {
        return (sql: string, params?: unknown[], options?: unknown) => {
          recordQuery(log, sql, params, options)
          return target.query(sql, params, options as never)
        }
      }
      if (prop === 'exec') {
        return (sql: string, options?: unknown) => {
          log.push({ sql, params: [], via: 'exec' })
          return target.exec(sql, options as never)
        }
      }
      if (prop === 'transaction') {
        return <T>(cb: (tx: Transaction) => Promise<T>) => target.transaction((tx) => cb(wrapTx(tx)))
      }
      const v = Reflect.get(target, prop, target) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}

import { EcoleError, isEcoleError } from '@ecole/core'

/** SQLSTATEs after which the whole transaction may simply be run again. @internal */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01'])

function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

/**
 * Wraps a driver error (pg or PGlite) in an {@link EcoleError} with the driver error as `cause`
 * and its SQLSTATE in `details.sqlState`:
 * - `STORAGE_RETRYABLE` for serialisation failures and deadlocks (40001, 40P01);
 * - `STORAGE_CONSTRAINT` for integrity violations (class 23: unique, foreign key, check...);
 * - `STORAGE_UNAVAILABLE` for connection failures (class 08, 57P0x, ECONNREFUSED...);
 * - `STORAGE_ERROR` otherwise.
 * An EcoleError passes through unchanged.
 *
 * @internal
 */
export function storageError(error: unknown, what: string): EcoleError {
  if (isEcoleError(error)) return error
  const sqlState = sqlStateOf(error)
  const message = error instanceof Error ? error.message : String(error)
  const details: Record<string, unknown> = { sqlState, operation: what }
  const constraint = (error as { constraint?: unknown } | null)?.constraint
  if (typeof constraint === 'string') details['constraint'] = constraint
  if (sqlState && RETRYABLE_SQLSTATES.has(sqlState)) {
    return new EcoleError('STORAGE_RETRYABLE', `${what}: ${message} (SQLSTATE ${sqlState}; the transaction may be retried)`, { details, cause: error })
  }
  if (sqlState?.startsWith('23')) {
    return new EcoleError('STORAGE_CONSTRAINT', `${what}: ${message} (SQLSTATE ${sqlState})`, { details, cause: error })
  }
  const errno = (error as { code?: unknown } | null)?.code
  if (sqlState?.startsWith('08') || sqlState?.startsWith('57P') || (typeof errno === 'string' && /^E[A-Z]+$/.test(errno)) || /terminat|connect/i.test(message)) {
    return new EcoleError('STORAGE_UNAVAILABLE', `${what}: cannot reach PostgreSQL: ${message}`, { details, cause: error })
  }
  return new EcoleError('STORAGE_ERROR', `${what}: ${message}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}`, { details, cause: error })
}

/**
 * What became of the work of a call whose connection was lost: `rolledBack` when the loss came
 * before COMMIT was sent (the server aborts a transaction whose connection dies), `unknown` when
 * it came while COMMIT (or a statement that commits on its own) was in flight: it may have
 * committed. @internal
 */
export type LostOutcome = 'rolledBack' | 'unknown'

/**
 * The error of a call whose connection was lost (a backend terminated, the server stopped, the
 * network cut): `STORAGE_UNAVAILABLE`, the driver's error as `cause`, and in `details` the
 * operation, the SQLSTATE when the server sent one (57P01 for a terminated backend) and
 * `outcome` ({@link LostOutcome}).
 *
 * @internal
 */
export function connectionLost(cause: unknown, what: string, outcome: LostOutcome): EcoleError {
  const sqlState = sqlStateOf(cause)
  const message = cause instanceof Error ? cause.message : String(cause)
  const then = outcome === 'rolledBack' ? 'the transaction was rolled back' : 'the outcome of the commit is unknown: replay it with the same ids'
  return new EcoleError('STORAGE_UNAVAILABLE', `${what}: the connection to PostgreSQL was lost (${message}); ${then}`, {
    details: { sqlState, operation: what, outcome },
    cause,
  })
}

/** Whether `error` is a failure of the store itself (an EcoleError whose code starts with `STORAGE_`). @internal */
export function isStorageFailure(error: unknown): boolean {
  return isEcoleError(error) && error.code.startsWith('STORAGE_')
}

/** Whether `error` is a {@link storageError} worth retrying the transaction for. @internal */
export function isRetryable(error: unknown): boolean {
  return isEcoleError(error) && error.code === 'STORAGE_RETRYABLE'
}

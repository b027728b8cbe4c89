import { EcoleError } from '@ecole/core'

/**
 * One retry of a transaction, as reported to {@link RetryOptions.onRetry}: which attempt failed,
 * why, and how long the adapter waits before running the callback again.
 *
 * @example
 * const event: RetryEvent = { siteId: 'site-1', attempt: 1, delayMs: 4, code: 'STORAGE_RETRYABLE', sqlState: '40P01' }
 */
export interface RetryEvent {
  /** The site of the transaction. */
  siteId: string
  /** The attempt that failed (1 for the first run of the callback). */
  attempt: number
  /** The wait before the next attempt, in milliseconds (jittered). */
  delayMs: number
  /** Always `STORAGE_RETRYABLE`: only serialisation failures and deadlocks are retried. */
  code: 'STORAGE_RETRYABLE'
  /** `40001` (serialisation failure) or `40P01` (deadlock). */
  sqlState: string | undefined
}

/**
 * How the PostgreSQL adapter runs a transaction again after a serialisation failure (SQLSTATE
 * 40001) or a deadlock (40P01), the only failures it retries. The whole callback runs again, at
 * most `maxRetries` times, waiting before retry `n` (1, 2, ...) a delay drawn uniformly from
 * `[d/2, d]` where `d = min(maxDelayMs, baseDelayMs * 2^(n-1))` ("equal jitter": two transactions
 * that collided do not collide again in lockstep, and no wait is ever near zero or unbounded).
 * When the attempts are spent, the last `STORAGE_RETRYABLE` error is thrown, with
 * `details.attempts`. A lost connection (`STORAGE_UNAVAILABLE`) is never retried: the server may
 * be down, and a loss during COMMIT leaves the outcome unknown.
 *
 * @example
 * const retry: RetryOptions = { maxRetries: 8, baseDelayMs: 10, maxDelayMs: 500, onRetry: (e) => metrics.increment(`retry.${e.sqlState}`) }
 * const storage = await createPostgresStorage({ connectionString: url, retry })
 */
export interface RetryOptions {
  /** Retries after the first attempt (5 when absent; 0 disables retries). `TransactionOptions.maxRetries` overrides it per call. */
  maxRetries?: number | undefined
  /** Base of the exponential backoff, in milliseconds (5 when absent). */
  baseDelayMs?: number | undefined
  /** Cap of the backoff, in milliseconds (250 when absent). */
  maxDelayMs?: number | undefined
  /** Called before each wait (for metrics or logs); an exception it throws is ignored. */
  onRetry?: ((event: RetryEvent) => void) | undefined
}

/** {@link RetryOptions} with every default applied. @internal */
export interface RetryPolicy {
  readonly maxRetries: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly onRetry: ((event: RetryEvent) => void) | undefined
}

/** The defaults: 5 retries, 5 ms doubling, capped at 250 ms (at most 155 ms of waiting in all). @internal */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 5, maxDelayMs: 250, onRetry: undefined }

function nonNegativeInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new EcoleError('INVALID_INPUT', `${field}: must be a non-negative integer, got ${typeof value === 'number' ? String(value) : typeof value}`, {
      details: { issues: [{ path: field, code: 'invalid_value', message: 'must be a non-negative integer' }] },
    })
  }
  return value
}

/**
 * The policy for `options` (defaults for what is absent), checked: counts and delays are
 * non-negative integers, and `maxDelayMs` is at least `baseDelayMs` (`INVALID_INPUT` otherwise).
 *
 * @internal
 */
export function retryPolicy(options: RetryOptions | undefined): RetryPolicy {
  if (options === undefined) return DEFAULT_RETRY_POLICY
  const maxRetries = nonNegativeInteger(options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries, 'retry.maxRetries')
  const baseDelayMs = nonNegativeInteger(options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs, 'retry.baseDelayMs')
  const maxDelayMs = nonNegativeInteger(options.maxDelayMs ?? Math.max(baseDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs), 'retry.maxDelayMs')
  if (maxDelayMs < baseDelayMs) {
    throw new EcoleError('INVALID_INPUT', `retry.maxDelayMs: must be at least retry.baseDelayMs (${baseDelayMs}), got ${maxDelayMs}`, {
      details: { issues: [{ path: 'retry.maxDelayMs', code: 'too_small', message: 'must be at least retry.baseDelayMs' }] },
    })
  }
  if (options.onRetry !== undefined && typeof options.onRetry !== 'function') {
    throw new EcoleError('INVALID_INPUT', 'retry.onRetry: must be a function', {
      details: { issues: [{ path: 'retry.onRetry', code: 'invalid_type', message: 'must be a function' }] },
    })
  }
  return { maxRetries, baseDelayMs, maxDelayMs, onRetry: options.onRetry }
}

/**
 * The wait before retry `retry` (1 for the first), drawn from `[d/2, d]` with
 * `d = min(maxDelayMs, baseDelayMs * 2^(retry-1))`; `random` returns a number in [0, 1).
 *
 * @internal
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, retry - 1))
  return ceiling / 2 + random() * (ceiling / 2)
}

import { isEcoleError } from '@ecole/core'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { DEFAULT_RETRY_POLICY, retryDelayMs, retryPolicy, type RetryPolicy } from './retry'

const policyArb = fc
  .record({ maxRetries: fc.integer({ min: 0, max: 20 }), baseDelayMs: fc.integer({ min: 0, max: 1_000 }), extra: fc.integer({ min: 0, max: 10_000 }) })
  .map(({ maxRetries, baseDelayMs, extra }): RetryPolicy => retryPolicy({ maxRetries, baseDelayMs, maxDelayMs: baseDelayMs + extra }))

describe('retry policy', () => {
  it('defaults to 5 retries, 5 ms doubling, capped at 250 ms', () => {
    expect(retryPolicy(undefined)).toEqual(DEFAULT_RETRY_POLICY)
    expect(retryPolicy({})).toMatchObject({ maxRetries: 5, baseDelayMs: 5, maxDelayMs: 250 })
  })

  it('waits between half and all of min(cap, base * 2^(n-1)) before retry n', () => {
    const p = DEFAULT_RETRY_POLICY
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(p, n, () => 0))).toEqual([2.5, 5, 10, 20, 40, 80, 125])
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(p, n, () => 0.5))).toEqual([3.75, 7.5, 15, 30, 60, 120, 187.5])
  })

  it('waits at most 155 ms in all with the defaults (5 + 10 + 20 + 40 + 80)', () => {
    let total = 0
    for (let n = 1; n <= DEFAULT_RETRY_POLICY.maxRetries; n++) total += retryDelayMs(DEFAULT_RETRY_POLICY, n, () => 0.999999)
    expect(total).toBeLessThan(155)
    expect(total).toBeGreaterThan(154.99)
  })

  test.prop([policyArb, fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })])(
    'a wait is never below half its ceiling, never above the cap, and never negative',
    (policy, retry, random) => {
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, retry - 1))
      const delay = retryDelayMs(policy, retry, () => random)
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2)
      expect(delay).toBeLessThanOrEqual(Math.max(ceiling, 0))
      expect(delay).toBeLessThanOrEqual(policy.maxDelayMs)
    },
  )

  it('refuses a negative or fractional count or delay, and a cap below the base, naming the field (INVALID_INPUT)', () => {
    for (const [options, field] of [
      [{ maxRetries: -1 }, 'retry.maxRetries'],
      [{ maxRetries: 1.5 }, 'retry.maxRetries'],
      [{ baseDelayMs: -5 }, 'retry.baseDelayMs'],
      [{ baseDelayMs: 10, maxDelayMs: 5 }, 'retry.maxDelayMs'],
      [{ onRetry: 'log' as never }, 'retry.onRetry'],
    ] as const) {
      const error = (() => {
        try {
          retryPolicy(options)
          return undefined
        } catch (e) {
          return e
        }
      })()
      expect(isEcoleError(error) && error.code, JSON.stringify(options)).toBe('INVALID_INPUT')
      expect((error as Error).message).toContain(field)
    }
  })
})

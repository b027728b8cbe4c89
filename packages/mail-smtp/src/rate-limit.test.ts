import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { SlidingWindowLimiter } from './rate-limit'

describe('SlidingWindowLimiter', () => {
  it('stops a wait whose signal aborts (ABORTED), and the slot it waited for goes to the next waiter', async () => {
    let now = 0
    const limiter = new SlidingWindowLimiter({ messages: 1, perMs: 1000 }, () => now, async (ms) => {
      now += ms
    })
    await limiter.acquire('site-1') // t = 0
    const lease = new AbortController()
    const aborted = limiter.acquire('site-1', lease.signal).catch((e: unknown) => e)
    lease.abort()
    const error = await aborted
    expect(isEcoleError(error, 'ABORTED')).toBe(true)
    await limiter.acquire('site-1')
    expect(Math.floor(now)).toBe(1000) // the aborted waiter took no slot: the next one starts at 1000, not 2000
  })
})

import { EcoleError } from '@ecole/core'

/**
 * A rate limit: at most `messages` sends starting in any window of `perMs` milliseconds.
 *
 * @example
 * const limit: RateLimit = { messages: 100, perMs: 60_000 } // 100 a minute
 */
export interface RateLimit {
  /** Sends allowed per window. */
  messages: number
  /** The window, in milliseconds. */
  perMs: number
}

/**
 * Per-key sliding-window limiter (one key per site): `acquire(key)` resolves when a send may
 * start, so that no window of `perMs` holds more than `messages` starts for that key. Waiters are
 * served in arrival order.
 *
 * @example
 * const limiter = new SlidingWindowLimiter({ messages: 2, perMs: 1000 })
 * await limiter.acquire('site-1'); await limiter.acquire('site-1'); await limiter.acquire('site-1') // the third waits ~1 s
 */
export class SlidingWindowLimiter {
  private readonly starts = new Map<string, number[]>()
  private readonly tails = new Map<string, Promise<void>>()

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!Number.isInteger(limit.messages) || limit.messages < 1 || !(limit.perMs > 0)) {
      throw new EcoleError('INVALID_INPUT', 'rateLimit: messages must be a whole number of at least 1 and perMs a positive duration', {
        details: { field: 'rateLimit', limit },
      })
    }
  }

  /**
   * Waits for a slot of `key` and takes it. Once `signal` aborts, it stops waiting and rejects with
   * `EcoleError` `ABORTED`, taking no slot (the waiters behind it keep their order).
   *
   * @example
   * await limiter.acquire('site-1')
   * await limiter.acquire('site-1', AbortSignal.timeout(5_000)) // ABORTED if no slot within 5 s
   */
  acquire(key: string, signal?: AbortSignal): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    // an aborted waiter takes no slot when its turn comes: the next one does
    const mine = previous.then(() => (signal?.aborted ? undefined : this.take(key, signal)))
    this.tails.set(key, mine)
    void mine.finally(() => {
      if (this.tails.get(key) === mine) this.tails.delete(key)
    })
    if (!signal) return mine
    return new Promise<void>((resolve, reject) => {
      const aborted = () => reject(new EcoleError('ABORTED', `aborted while waiting for the rate limit of ${key}: nothing sent`, { details: { key }, cause: signal.reason }))
      if (signal.aborted) return aborted()
      signal.addEventListener('abort', aborted, { once: true })
      void mine.then(() => {
        signal.removeEventListener('abort', aborted)
        // aborted at the very moment the slot was taken: the slot is spent, the send is not made
        if (signal.aborted) aborted()
        else resolve()
      }, reject)
    })
  }

  private async take(key: string, signal: AbortSignal | undefined): Promise<void> {
    let ring = this.starts.get(key)
    if (!ring) this.starts.set(key, (ring = []))
    for (;;) {
      if (signal?.aborted) return
      const now = this.now()
      while (ring.length > 0 && ring[0]! <= now - this.limit.perMs) ring.shift()
      if (ring.length < this.limit.messages) {
        ring.push(now)
        return
      }
      await this.sleep(ring[0]! + this.limit.perMs - now + 0.5)
    }
  }
}

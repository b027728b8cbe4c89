/**
 * Rate limits that slow an attacker without locking a parent out: every failed attempt for a key
 * (the login, and the client's address) adds a delay to the next attempts of that key, doubling
 * from `baseMs` up to `maxMs`, and the failures are forgotten after `windowMs`. An attempt is
 * never refused: the right password still logs in, only later. A success clears the key.
 */

/** Settings of a {@link SlowDown}. */
export interface SlowDownOptions {
  /** Failures allowed without any delay (5). */
  freeAttempts: number
  /** Delay after the first failure past the free ones (250 ms), doubled at each further failure. */
  baseMs: number
  /** Longest delay (8 s). */
  maxMs: number
  /** How long failures are remembered (15 minutes). */
  windowMs: number
}

/** Default settings. */
export const DEFAULT_SLOW_DOWN: SlowDownOptions = { freeAttempts: 5, baseMs: 250, maxMs: 8000, windowMs: 15 * 60_000 }

/** Per-key failure counters and the delay they impose. */
export class SlowDown {
  readonly #failures = new Map<string, { count: number; first: number }>()
  readonly options: SlowDownOptions
  readonly #now: () => number

  constructor(options: Partial<SlowDownOptions> = {}, now: () => number = Date.now) {
    this.options = { ...DEFAULT_SLOW_DOWN, ...options }
    this.#now = now
  }

  /** The delay to wait before answering an attempt of these keys (the largest of them). */
  delayFor(keys: readonly string[]): number {
    let delay = 0
    for (const key of keys) {
      const f = this.#live(key)
      if (!f || f.count < this.options.freeAttempts) continue
      delay = Math.max(delay, Math.min(this.options.maxMs, this.options.baseMs * 2 ** (f.count - this.options.freeAttempts)))
    }
    return delay
  }

  /** Records a failure for each key. */
  fail(keys: readonly string[]): void {
    for (const key of keys) {
      const f = this.#live(key)
      if (f) f.count++
      else {
        if (this.#failures.size > 100_000) this.#failures.clear()
        this.#failures.set(key, { count: 1, first: this.#now() })
      }
    }
  }

  /** Forgets a key's failures (after a success). */
  succeed(key: string): void {
    this.#failures.delete(key)
  }

  #live(key: string): { count: number; first: number } | undefined {
    const f = this.#failures.get(key)
    if (f && this.#now() - f.first > this.options.windowMs) {
      this.#failures.delete(key)
      return undefined
    }
    return f
  }
}

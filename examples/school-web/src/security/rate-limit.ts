/**
 * Rate limits that slow an attacker without locking a parent out: every failed attempt for a key
 * (the login, and the client's address) adds a delay to the next attempts of that key, doubling
 * from `baseMs` up to `maxMs`, and the failures are forgotten after `windowMs`.
 *
 * An attempt counts as a failure from the moment it starts ({@link SlowDown.begin}) and is forgiven
 * when it succeeds, so attempts sent in parallel see each other: once a key is slowed (past its
 * free attempts), only one of its attempts runs at a time and the others are refused at once with
 * a delay to come back after (the host answers 429 with `Retry-After`). At the cap, a key is
 * therefore tried at most once per `maxMs`, however many requests are sent together. A success
 * forgets the failures of the attempt's first key (the account).
 *
 * Keys are `purpose:subject` (`login:<username>`, `ip:<address>`, `forgot:<e-mail>`). Each purpose
 * keeps its own table, so a flood of one purpose (reset requests for invented addresses) never
 * pushes out the counters of another (a victim's login). Within a purpose, at most `maxKeys`
 * subjects not yet slowed and `maxKeys` slowed ones are held: when full, the least recently failed
 * subject not yet slowed goes first, then, among the oldest slowed ones, the one with the fewest
 * failures. A table is never emptied at once. A subject longer than 256 characters is held by its
 * SHA-256 digest.
 */
import { createHash } from 'node:crypto'

/** Settings of a {@link SlowDown}. */
export interface SlowDownOptions {
  /** Failures allowed without any delay (5). */
  freeAttempts: number
  /** Delay after the first failure past the free ones (250 ms), doubled at each further failure. */
  baseMs: number
  /** Longest delay (8 s); at the cap a key is tried at most once in this time. */
  maxMs: number
  /** How long failures are remembered (15 minutes). */
  windowMs: number
  /** Subjects held per purpose, separately for those not yet slowed and those slowed (50,000 each). */
  maxKeys: number
  /**
   * Attempts of one key under way at once (10): a burst sent before any of its failures ended is
   * refused past it. Several people signing in at once to one shared account, or from behind one
   * address, stay under it.
   */
  maxInFlight: number
}

/** Default settings. */
export const DEFAULT_SLOW_DOWN: SlowDownOptions = { freeAttempts: 5, baseMs: 250, maxMs: 8000, windowMs: 15 * 60_000, maxKeys: 50_000, maxInFlight: 10 }

/** An attempt under way: it already counts as a failure of each of its keys. */
export interface Attempt {
  /** The attempt succeeded: forgiven on every key, and the first key's failures forgotten. */
  succeed(): void
  /** The attempt is over (call it in a `finally`): another attempt of its keys may now run. */
  end(): void
}

/** What {@link SlowDown.begin} answers: wait `delayMs` then try, or come back after `retryAfterMs`. */
export type AttemptStart =
  | { ok: true; delayMs: number; attempt: Attempt }
  | { ok: false; retryAfterMs: number }

interface Counter {
  count: number
  first: number
  inFlight: number
}

interface PurposeTable {
  /** Subjects under `freeAttempts` failures, least recently failed first. */
  fresh: Map<string, Counter>
  /** Subjects at or past `freeAttempts` failures, least recently failed first. */
  slowed: Map<string, Counter>
}

/** How many of the oldest slowed subjects are looked at to choose the one to drop. */
const EVICTION_SAMPLE = 16
const LONGEST_SUBJECT = 256

/** Per-key failure counters and the delay they impose. */
export class SlowDown {
  readonly #tables = new Map<string, PurposeTable>()
  readonly options: SlowDownOptions
  readonly #now: () => number

  constructor(options: Partial<SlowDownOptions> = {}, now: () => number = Date.now) {
    this.options = { ...DEFAULT_SLOW_DOWN, ...options }
    this.#now = now
  }

  /**
   * Starts an attempt of these keys (the account first, then the client's address): refused while
   * another attempt of the account is under way once its ended failures used up the free ones (one
   * guess at a time, however many are sent at once), and while `maxInFlight` attempts of any key
   * are (a burst sent before any failure ended). An address is never made to wait its turn: many
   * people sign in from behind one. Otherwise counted as a failure of each key now, to be tried
   * after `delayMs` (the largest delay of its keys).
   *
   * @example
   * const start = slowDown.begin([`login:${username}`, `ip:${address}`])
   * if (!start.ok) return tooMany(start.retryAfterMs)
   * try { await sleep(start.delayMs); if (await verify()) start.attempt.succeed() } finally { start.attempt.end() }
   */
  begin(keys: readonly string[]): AttemptStart {
    const found = keys.map((key) => this.#live(key))
    let busy = 0
    found.forEach((f, i) => {
      if (!f) return
      const { count, inFlight } = f.counter
      // failures that ended: the attempts under way are counted already, but may still succeed
      const serial = i === 0 && inFlight > 0 && count - inFlight >= this.options.freeAttempts
      if (serial || inFlight >= this.options.maxInFlight) busy = Math.max(busy, this.#delayOf(count), 1000)
    })
    if (busy > 0) return { ok: false, retryAfterMs: busy }
    const delayMs = Math.max(0, ...found.map((f) => (f ? this.#delayOf(f.counter.count) : 0)))
    const counters = keys.map((key) => this.#count(key))
    for (const c of counters) c.inFlight++
    let ended = false
    const end = () => {
      if (ended) return
      ended = true
      for (const c of counters) c.inFlight = Math.max(0, c.inFlight - 1)
    }
    return {
      ok: true, delayMs,
      attempt: {
        succeed: () => {
          for (const c of counters) c.count = Math.max(0, c.count - 1)
          const first = keys[0]
          if (first !== undefined) this.#forget(first, counters[0]!)
          end()
        },
        end,
      },
    }
  }

  /** The delay an attempt of these keys started now would wait (the largest of them). */
  delayFor(keys: readonly string[]): number {
    return Math.max(0, ...keys.map((key) => {
      const f = this.#live(key)
      return f ? this.#delayOf(f.counter.count) : 0
    }))
  }

  /** Records a failure for each key, outside any attempt (an attempt counts itself when it starts). */
  fail(keys: readonly string[]): void {
    for (const key of keys) this.#count(key)
  }

  #delayOf(count: number): number {
    const { freeAttempts, baseMs, maxMs } = this.options
    return count < freeAttempts ? 0 : Math.min(maxMs, baseMs * 2 ** (count - freeAttempts))
  }

  #split(key: string): { table: PurposeTable; subject: string } {
    const colon = key.indexOf(':')
    const purpose = colon < 0 ? '' : key.slice(0, colon)
    const raw = colon < 0 ? key : key.slice(colon + 1)
    const subject = raw.length > LONGEST_SUBJECT ? `#${createHash('sha256').update(raw).digest('hex')}` : raw
    let table = this.#tables.get(purpose)
    if (!table) {
      table = { fresh: new Map(), slowed: new Map() }
      this.#tables.set(purpose, table)
    }
    return { table, subject }
  }

  /** The key's live counter (an expired one is dropped). */
  #live(key: string): { counter: Counter; table: PurposeTable; subject: string } | undefined {
    const { table, subject } = this.#split(key)
    const counter = table.slowed.get(subject) ?? table.fresh.get(subject)
    if (!counter) return undefined
    if (this.#now() - counter.first > this.options.windowMs) {
      table.slowed.delete(subject)
      table.fresh.delete(subject)
      return undefined
    }
    return { counter, table, subject }
  }

  /** Adds a failure to the key, moving it to the end of its table (and to the slowed table when it reaches the free attempts). */
  #count(key: string): Counter {
    const found = this.#live(key)
    const { table, subject } = found ?? this.#split(key)
    const counter = found?.counter ?? { count: 0, first: this.#now(), inFlight: 0 }
    counter.count++
    table.fresh.delete(subject)
    table.slowed.delete(subject)
    const into = counter.count >= this.options.freeAttempts ? table.slowed : table.fresh
    if (into.size >= this.options.maxKeys) this.#evict(into)
    into.set(subject, counter)
    return counter
  }

  #evict(map: Map<string, Counter>): void {
    let victim: string | undefined
    let fewest = Infinity
    let looked = 0
    for (const [subject, c] of map) {
      if (c.count < fewest) {
        victim = subject
        fewest = c.count
      }
      if (++looked >= EVICTION_SAMPLE) break
    }
    if (victim !== undefined) map.delete(victim)
  }

  #forget(key: string, counter: Counter): void {
    const { table, subject } = this.#split(key)
    if (table.fresh.get(subject) === counter) table.fresh.delete(subject)
    if (table.slowed.get(subject) === counter) table.slowed.delete(subject)
  }
}

import { describe, expect, it } from 'vitest'
import { SlowDown, type AttemptStart } from './rate-limit'

// The login slow-down on a clock the test moves: nothing sleeps here, the delays are read.
function limiter(options: ConstructorParameters<typeof SlowDown>[0] = {}) {
  let now = Date.UTC(2027, 1, 8, 9)
  const slowDown = new SlowDown(options, () => now)
  return { slowDown, advance: (ms: number) => { now += ms } }
}

/** Starts an attempt that must be let through, and returns it. */
function started(start: AttemptStart) {
  if (!start.ok) throw new Error(`refused, retry after ${start.retryAfterMs} ms`)
  return start
}

/** Runs `n` failed attempts one after the other; their delays. */
function failInTurn(slowDown: SlowDown, keys: string[], n: number): number[] {
  return Array.from({ length: n }, () => {
    const s = started(slowDown.begin(keys))
    s.attempt.end()
    return s.delayMs
  })
}

describe('SlowDown', () => {
  it('lets 5 attempts through without delay, then waits 250 ms doubling up to 8 s', () => {
    const { slowDown } = limiter()
    expect(failInTurn(slowDown, ['login:a', 'ip:1'], 12)).toEqual([0, 0, 0, 0, 0, 250, 500, 1000, 2000, 4000, 8000, 8000])
  })

  it('counts an attempt from its start: parallel attempts of a slowed key are refused while one runs, and one runs again after it ends', () => {
    const { slowDown } = limiter()
    slowDown.fail(Array(11).fill('login:victim'))
    const first = started(slowDown.begin(['login:victim', 'ip:1']))
    expect(first.delayMs).toBe(8000)
    // 29 more sent at once, from other addresses: none runs beside the first
    const others = Array.from({ length: 29 }, (_, i) => slowDown.begin(['login:victim', `ip:${i + 2}`]))
    expect(others.filter((s) => s.ok)).toEqual([])
    expect(others.map((s) => (s.ok ? 0 : s.retryAfterMs))).toEqual(Array(29).fill(8000))
    first.attempt.end()
    // the first one's failure counted: the next waits the capped delay
    const next = started(slowDown.begin(['login:victim', 'ip:2']))
    expect(next.delayMs).toBe(8000)
    next.attempt.end()
  })

  it('lets up to 10 attempts of a key run side by side before any failure ended (delayed past the free ones), and refuses the next', () => {
    const { slowDown } = limiter()
    const burst = Array.from({ length: 10 }, () => slowDown.begin(['login:a']))
    expect(burst.map((s) => s.ok && s.delayMs)).toEqual([0, 0, 0, 0, 0, 250, 500, 1000, 2000, 4000])
    expect(slowDown.begin(['login:a'])).toEqual({ ok: false, retryAfterMs: 8000 })
  })

  it('lets six people sign in at once to one shared account from behind one address, and forgets them as they succeed', () => {
    const { slowDown } = limiter()
    const six = Array.from({ length: 6 }, () => started(slowDown.begin(['staff:secretariat', 'ip:town-hall'])))
    for (const s of six) {
      s.attempt.succeed()
      s.attempt.end()
    }
    expect(slowDown.delayFor(['staff:secretariat'])).toBe(0)
    expect(started(slowDown.begin(['staff:secretariat', 'ip:town-hall'])).delayMs).toBe(0)
  })

  it('slows an address whatever the username, but never makes it wait its turn (many people sign in from behind one): only past 10 at once', () => {
    const { slowDown } = limiter()
    failInTurn(slowDown, ['login:a', 'ip:1'], 6)
    const side = Array.from({ length: 10 }, (_, i) => started(slowDown.begin([`login:u${i}`, 'ip:1'])))
    expect(side[0]!.delayMs).toBe(500)
    expect(slowDown.begin(['login:v', 'ip:1']).ok).toBe(false)
    side[0]!.attempt.end()
    expect(slowDown.begin(['login:v', 'ip:1']).ok).toBe(true)
  })

  it("forgives a successful attempt: the account's failures are forgotten, the address keeps only its earlier ones", () => {
    const { slowDown } = limiter()
    failInTurn(slowDown, ['login:a', 'ip:1'], 7)
    const right = started(slowDown.begin(['login:a', 'ip:1']))
    right.attempt.succeed()
    right.attempt.end()
    expect(slowDown.delayFor(['login:a'])).toBe(0)
    expect(slowDown.delayFor(['ip:1'])).toBe(1000) // its 7 failures (the next waits 1 s), the success not counted
  })

  it('forgets failures after the window', () => {
    const { slowDown, advance } = limiter({ windowMs: 60_000 })
    failInTurn(slowDown, ['login:a'], 8)
    advance(60_001)
    expect(slowDown.delayFor(['login:a'])).toBe(0)
  })

  it("keeps a victim's login delay when another purpose floods its own table past 100,000 keys", () => {
    const { slowDown } = limiter()
    slowDown.fail(Array(12).fill('login:victim'))
    slowDown.fail(Array(12).fill('ip:1.2.3.4'))
    for (let i = 0; i <= 100_001; i++) slowDown.fail([`forgot:a${i}@x.example`, 'forgot-ip:5.6.7.8'])
    expect(slowDown.delayFor(['login:victim', 'ip:1.2.3.4'])).toBe(8000)
  })

  it('holds at most maxKeys subjects per purpose, dropping the least recently failed ones not yet slowed before any slowed one', () => {
    const { slowDown } = limiter({ maxKeys: 100 })
    slowDown.fail(Array(12).fill('login:victim'))
    for (let i = 0; i < 100; i++) slowDown.fail(Array(4).fill(`login:old${i}`)) // one failure short of a delay
    for (let i = 0; i < 5_000; i++) slowDown.fail([`login:flood${i}`])
    expect(slowDown.delayFor(['login:victim'])).toBe(8000)
    // the first subjects not yet slowed were dropped: a fifth failure starts them afresh (no delay)
    slowDown.fail(['login:old0'])
    expect(slowDown.delayFor(['login:old0'])).toBe(0)
  })

  it('drops, among the oldest slowed subjects, the one with the fewest failures when its slowed table is full', () => {
    const { slowDown } = limiter({ maxKeys: 10 })
    slowDown.fail(Array(12).fill('login:victim')) // the oldest slowed subject, with the most failures
    for (let i = 0; i < 50; i++) slowDown.fail(Array(5).fill(`login:flood${i}`))
    expect(slowDown.delayFor(['login:victim'])).toBe(8000)
    // the first slowed flood subject was dropped: no delay left for it
    expect(slowDown.delayFor(['login:flood0'])).toBe(0)
    expect(slowDown.delayFor(['login:flood49'])).toBe(250)
  })

  it("keeps a slowed victim's delay when 100,002 other usernames fail once each", () => {
    const { slowDown } = limiter()
    slowDown.fail(Array(12).fill('login:victim'))
    for (let i = 0; i <= 100_001; i++) slowDown.fail([`login:someone${i}@x.example`])
    expect(slowDown.delayFor(['login:victim'])).toBe(8000)
  })

  it('holds a very long subject by its digest: the same long subject is still counted', () => {
    const { slowDown } = limiter()
    const long = `login:${'x'.repeat(100_000)}`
    slowDown.fail(Array(5).fill(long))
    expect(slowDown.delayFor([long])).toBe(250)
    expect(slowDown.delayFor([`${long}y`])).toBe(0)
  })
})

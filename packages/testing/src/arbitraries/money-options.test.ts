import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { eurosArb } from './money'

const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('eurosArb options', () => {
  it('draws amounts within the bounds in cents', () => {
    for (const m of fc.sample(eurosArb({ min: 0n, max: 500n }), { seed: 1, numRuns: 50 })) expect(m.toMinor() >= 0n && m.toMinor() <= 500n).toBe(true)
  })

  it('refuses a misspelt key naming the key it meant, instead of drawing from the default bounds', () => {
    expect(() => eurosArb({ maxx: 500n } as never)).toThrow(refused(/options\.maxx: unknown key .*did you mean `max`/))
  })

  it('refuses a bound that is not a bigint', () => {
    expect(() => eurosArb({ max: 500 } as never)).toThrow(refused('options.max'))
    expect(() => eurosArb({ min: '0' } as never)).toThrow(refused('options.min'))
  })

  it('refuses options that are not an object', () => {
    for (const options of ['500', 500n, [], null, true]) expect(() => eurosArb(options as never)).toThrow(refused('options'))
  })
})

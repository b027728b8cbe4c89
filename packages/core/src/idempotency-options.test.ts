import { describe, expect, it } from 'vitest'
import { checkIdempotentReplay, contentDifferences } from './idempotency'

const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('contentDifferences and checkIdempotentReplay options', () => {
  it('leaves the ignored paths out of the comparison', () => {
    expect(contentDifferences({ a: 1, b: 2 }, { a: 1, b: 3 }, { ignore: ['b'] })).toEqual([])
    expect(checkIdempotentReplay('payment', 'p1', { a: 1, b: 2 }, { a: 1, b: 3 }, { ignore: ['b'] })).toBe('exists')
  })

  it('refuses a misspelt key naming the key it meant, instead of comparing every field', () => {
    expect(() => contentDifferences({ a: 1, b: 2 }, { a: 1, b: 3 }, { ignored: ['b'] } as never)).toThrow(refused(/contentDifferences: options\.ignored: unknown key .*did you mean `ignore`/))
    expect(() => checkIdempotentReplay('payment', 'p1', { a: 1, b: 2 }, { a: 1, b: 3 }, { ignored: ['b'] } as never)).toThrow(refused(/checkIdempotentReplay: options\.ignored: unknown key/))
  })

  it('refuses an ignore that is not an array of paths (a lone string is not split into letters)', () => {
    expect(() => contentDifferences({ a: 1, b: 2 }, { a: 1, b: 3 }, { ignore: 'b' } as never)).toThrow(refused('options.ignore'))
    expect(() => contentDifferences({ a: 1, b: 2 }, { a: 1, b: 3 }, { ignore: [1] } as never)).toThrow(refused('options.ignore.0'))
    expect(() => checkIdempotentReplay('payment', 'p1', { a: 1 }, { a: 1 }, { ignore: 'b' } as never)).toThrow(refused('options.ignore'))
  })

  it('refuses options that are not an object', () => {
    for (const options of ['b', 1, ['b'], null]) {
      expect(() => contentDifferences({ a: 1 }, { a: 1 }, options as never)).toThrow(refused('options'))
      expect(() => checkIdempotentReplay('payment', 'p1', { a: 1 }, { a: 1 }, options as never)).toThrow(refused('options'))
    }
  })
})

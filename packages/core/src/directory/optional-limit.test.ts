import { describe, expect, it } from 'vitest'
import { optionalLimit } from './fields'

const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('optionalLimit options', () => {
  it('accepts a fraction only with whole: false', () => {
    expect(optionalLimit({ whole: false }).safeParse(2.5).success).toBe(true)
    expect(optionalLimit().safeParse(2.5).success).toBe(false)
  })

  it('refuses a misspelt key naming the key it meant, instead of requiring whole numbers', () => {
    expect(() => optionalLimit({ wole: false } as never)).toThrow(refused(/options\.wole: unknown key .*did you mean `whole`/))
  })

  it('refuses a whole that is not a boolean, and options that are not an object', () => {
    expect(() => optionalLimit({ whole: 'false' } as never)).toThrow(refused('options.whole'))
    for (const options of ['x', 1, [], null]) expect(() => optionalLimit(options as never)).toThrow(refused('options'))
  })
})

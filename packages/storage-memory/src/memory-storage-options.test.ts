import { describe, expect, it } from 'vitest'
import { createMemoryStorage } from './memory-storage'

const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('createMemoryStorage options', () => {
  it('leaves out the capabilities listed in without', () => {
    expect(createMemoryStorage({ without: ['documents'] }).documents).toBeUndefined()
  })

  it('refuses a misspelt key naming the key it meant, instead of building every port', () => {
    expect(() => createMemoryStorage({ withot: ['documents'] } as never)).toThrow(refused(/options\.withot: unknown key .*did you mean `without`/))
  })

  it('refuses a without that is not an array of capabilities', () => {
    expect(() => createMemoryStorage({ without: 'documents' } as never)).toThrow(refused('options.without'))
    expect(() => createMemoryStorage({ without: ['document'] } as never)).toThrow(refused('without.0'))
  })

  it('refuses options that are not an object', () => {
    for (const options of ['documents', 1, [], null, true]) expect(() => createMemoryStorage(options as never)).toThrow(refused('options'))
  })
})

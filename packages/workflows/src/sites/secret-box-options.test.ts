import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSecretBox } from './secret-box'

const k1 = randomBytes(32)
const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('createSecretBox options', () => {
  it('seals with the current key and opens what it sealed', () => {
    const box = createSecretBox({ keys: { k1 }, currentKeyId: 'k1' })
    expect(box.open(box.seal('s3cret'))).toBe('s3cret')
  })

  it('refuses an unknown or misspelt key naming it, instead of ignoring it', () => {
    expect(() => createSecretBox({ keys: { k1 }, currentKeyId: 'k1', previousKeyId: 'k0' } as never)).toThrow(refused('options.previousKeyId: unknown key'))
    expect(() => createSecretBox({ keys: { k1 }, currentKeyID: 'k1' } as never)).toThrow(refused(/options\.currentKeyID: unknown key .*did you mean `currentKeyId`/))
  })

  it('refuses keys or a current key id of the wrong kind with INVALID_INPUT naming the key, not INVALID_KEY', () => {
    expect(() => createSecretBox({ keys: { k1 }, currentKeyId: 2 } as never)).toThrow(refused('options.currentKeyId'))
    expect(() => createSecretBox({ keys: [k1], currentKeyId: '0' } as never)).toThrow(refused('options.keys'))
  })

  it('refuses options that are not an object with INVALID_INPUT', () => {
    for (const options of ['k1', 1, [], null, undefined]) expect(() => createSecretBox(options as never)).toThrow(refused('options'))
  })

  it('still refuses a key that is not 32 bytes with INVALID_KEY', () => {
    expect(() => createSecretBox({ keys: { k1: randomBytes(16) }, currentKeyId: 'k1' })).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }))
  })
})

import { describe, expect, it } from 'vitest'
import { checkNewPassword } from './one-time-token'

const eleven = 'abcdefghijk'
const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('checkNewPassword policy', () => {
  it('refuses a password shorter than the policy minimum', () => {
    expect(checkNewPassword(eleven, eleven, { minLength: 20 })).toEqual(['PASSWORD_TOO_SHORT'])
  })

  it('refuses a misspelt key naming the key it meant, instead of accepting the password under the default minimum', () => {
    expect(() => checkNewPassword(eleven, eleven, { minlength: 20 } as never)).toThrow(refused(/policy\.minlength: unknown key .*did you mean `minLength`/))
  })

  it('refuses a length that is not a whole number from 0', () => {
    for (const minLength of ['20', 2.5, -1]) expect(() => checkNewPassword(eleven, eleven, { minLength } as never)).toThrow(refused('policy.minLength'))
    expect(() => checkNewPassword(eleven, eleven, { maxLength: '8' } as never)).toThrow(refused('policy.maxLength'))
  })

  it('refuses a policy that is not an object', () => {
    for (const policy of ['20', 20, [], null]) expect(() => checkNewPassword(eleven, eleven, policy as never)).toThrow(refused('policy'))
  })
})

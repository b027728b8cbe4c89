import { describe, expect, it } from 'vitest'
import { checkStorageQuota } from './document'

const refused = (path: string) => expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(path) })

describe('checkStorageQuota arguments', () => {
  it('refuses a document beyond a storage licence of 0 GB', () => {
    expect(checkStorageQuota({ usedBytes: 0, addedBytes: 1, maxStorageGb: 0 }).ok).toBe(false)
  })

  it('refuses a misspelt key naming the key it meant, instead of reading the licence as unlimited', () => {
    expect(() => checkStorageQuota({ usedBytes: 0, addedBytes: 1, maxStorageGB: 0 } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/args\.maxStorageGB: unknown key .*did you mean `maxStorageGb`/) }),
    )
  })

  it('refuses a licence or a size that is not a number (a numeric string, a negative licence, a missing licence)', () => {
    expect(() => checkStorageQuota({ usedBytes: 0, addedBytes: 1, maxStorageGb: '0' } as never)).toThrow(refused('args.maxStorageGb'))
    expect(() => checkStorageQuota({ usedBytes: 0, addedBytes: 1, maxStorageGb: -1 })).toThrow(refused('args.maxStorageGb'))
    expect(() => checkStorageQuota({ usedBytes: 0, addedBytes: 1 } as never)).toThrow(refused('args.maxStorageGb'))
    expect(() => checkStorageQuota({ usedBytes: '0', addedBytes: 1, maxStorageGb: 1 } as never)).toThrow(refused('args.usedBytes'))
  })

  it('refuses arguments that are not an object', () => {
    for (const args of ['0', 1, [], null, undefined]) expect(() => checkStorageQuota(args as never)).toThrow(refused('args'))
  })
})

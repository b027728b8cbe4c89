import { describe, expect, it } from 'vitest'
import { checkUpload } from './documents'

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n')
const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('checkUpload limits', () => {
  it('accepts a file within the limits and answers its media type', () => {
    expect(checkUpload(PDF, { maxBytes: 100, mediaTypes: ['application/pdf'] })).toBe('application/pdf')
  })

  it('refuses a misspelt key naming it and the key it meant', () => {
    expect(() => checkUpload(PDF, { maxbytes: 100, mediaTypes: ['application/pdf'] } as never)).toThrow(refused(/limits\.maxbytes: unknown key .*did you mean `maxBytes`/))
    expect(() => checkUpload(PDF, { maxBytes: 100, mediaType: ['application/pdf'] } as never)).toThrow(refused(/limits\.mediaType: unknown key .*did you mean `mediaTypes`/))
  })

  it('refuses an unknown extra key instead of ignoring it', () => {
    expect(() => checkUpload(PDF, { maxBytes: 100, mediaTypes: ['application/pdf'], maxFiles: 1 } as never)).toThrow(refused('limits.maxFiles: unknown key'))
  })

  it('refuses a limit of the wrong kind naming the key', () => {
    expect(() => checkUpload(PDF, { maxBytes: '100', mediaTypes: ['application/pdf'] } as never)).toThrow(refused('limits.maxBytes'))
    expect(() => checkUpload(PDF, { maxBytes: 100, mediaTypes: 'application/pdf' } as never)).toThrow(refused('limits.mediaTypes'))
    expect(() => checkUpload(PDF, { maxBytes: 100, mediaTypes: ['application/zip'] } as never)).toThrow(refused('limits.mediaTypes.0'))
  })

  it('refuses limits that are not an object', () => {
    for (const limits of ['pdf', 100, [], null, undefined]) expect(() => checkUpload(PDF, limits as never)).toThrow(refused('limits'))
  })
})

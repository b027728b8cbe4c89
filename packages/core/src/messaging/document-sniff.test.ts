import { describe, expect, it } from 'vitest'
import { PortalDocumentSchema, checkDocumentFilter, documentsForGuardian, matchesDocumentFilter, sniffDocumentType } from './document'

const bytes = (...b: number[]) => new Uint8Array(b)
const text = (s: string) => new TextEncoder().encode(s)

describe('the media type of an upload, read from its bytes', () => {
  it('recognises PDF, PNG, JPEG, GIF and WebP by their signatures', () => {
    expect(sniffDocumentType(text('%PDF-1.7\n'))).toBe('application/pdf')
    expect(sniffDocumentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png')
    expect(sniffDocumentType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg')
    expect(sniffDocumentType(text('GIF87a'))).toBe('image/gif')
    expect(sniffDocumentType(text('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('image/webp')
  })

  it('recognises nothing else: an SVG, an HTML page, a truncated signature, a RIFF that is not WebP, an empty file', () => {
    for (const b of [text('<svg onload="x"/>'), text('<!doctype html>'), text('%PDF'), bytes(0x89, 0x50, 0x4e), text('RIFF\u0000\u0000\u0000\u0000WAVE'), bytes()]) {
      expect(sniffDocumentType(b)).toBeUndefined()
    }
  })
})

describe('internal documents and document filters', () => {
  const logo = PortalDocumentSchema.parse({ id: 'image-site-logo', siteId: 's1', name: 'logo.png', key: 'k', mediaType: 'image/png', sizeBytes: 3, audience: { kind: 'internal' }, available: { from: '2026-09-01' } })

  it('never shows an internal document (a logo, a stamp) to a family, even within its window', () => {
    expect(documentsForGuardian([logo], { guardianId: 'g1', children: [{ childId: 'k1', groupIds: ['cp'] }] }, '2026-09-02')).toEqual([])
  })

  it('keeps an internal document only for a filter that asks for internal documents, never in a family file', () => {
    expect(matchesDocumentFilter(logo, { audienceKinds: ['internal'] })).toBe(true)
    expect(matchesDocumentFilter(logo, { audienceKinds: ['site'] })).toBe(false)
    expect(matchesDocumentFilter(logo, { addressedTo: { guardianIds: ['g1'], childIds: [] } })).toBe(false)
    expect(matchesDocumentFilter(logo, undefined)).toBe(true)
  })

  it('refuses an unknown filter key, an unknown audience kind and malformed ids, naming the field', () => {
    expect(() => checkDocumentFilter({ kind: 'site' } as never)).toThrow(/filter\.kind: is not a document filter key/)
    expect(() => checkDocumentFilter({ audienceKinds: ['family'] } as never)).toThrow(/filter\.audienceKinds: must be a list of guardian, child, site, groups, internal/)
    expect(() => checkDocumentFilter({ addressedTo: { guardianIds: 'g1' } } as never)).toThrow(/filter\.addressedTo/)
    expect(() => checkDocumentFilter({ audienceKinds: ['guardian'], addressedTo: { guardianIds: ['g1'], childIds: [] } })).not.toThrow()
  })
})

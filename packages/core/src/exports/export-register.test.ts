import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { exportRefusal, parseExportRecord, type ExportRecord } from './export-register'

const record = (itemKeys: string[], extra: Partial<ExportRecord> = {}): ExportRecord => ({
  id: 'exp-2', format: 'belcotax-281.86', itemKeys, file: { id: 'f.xml', checksum: 'sha256:ab' }, exportedAt: '2027-02-01T09:00:00Z', exportedBy: 'u1', ...extra,
})

describe('exportRefusal', () => {
  it('lets a first export of its items through', () => {
    expect(exportRefusal(record(['a', 'b']), new Map())).toBeUndefined()
  })

  it('refuses items already exported in the format, naming each with its export', () => {
    const error = exportRefusal(record(['a', 'b', 'c']), new Map([['b', 'exp-1'], ['c', 'exp-0']]))
    expect(error?.code).toBe('ALREADY_EXPORTED')
    expect(error?.details['items']).toEqual([{ itemKey: 'b', exportId: 'exp-1' }, { itemKey: 'c', exportId: 'exp-0' }])
    expect(error?.message).toMatch(/^\[ecole\] export exp-2: 2 items were already exported as belcotax-281\.86: b \(export exp-1\)/)
  })

  it('lets a re-issue through only when the export it corrects is the current one of every item', () => {
    const reissue = { corrects: 'exp-1', reason: 'wrong rate' }
    expect(exportRefusal(record(['a', 'b'], { reissue }), new Map([['a', 'exp-1'], ['b', 'exp-1']]))).toBeUndefined()
    const error = exportRefusal(record(['a', 'b', 'c'], { reissue }), new Map([['a', 'exp-1'], ['b', 'exp-3']]))
    expect(error?.code).toBe('REISSUE_NOT_CURRENT')
    expect(error?.details['items']).toEqual([{ itemKey: 'b', exportId: 'exp-3' }, { itemKey: 'c', exportId: undefined }])
    expect(error?.message).toContain('c (never exported)')
  })

  test.prop([fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 3 }), fc.constantFrom('exp-0', 'exp-1')))])(
    'a plain export is refused exactly when one of its items has a current export, and the refusal lists exactly those items',
    (keys, exported) => {
      const current = new Map(exported)
      const overlapping = keys.filter((k) => current.has(k))
      const error = exportRefusal(record(keys), current)
      expect(error === undefined).toBe(overlapping.length === 0)
      if (error) expect((error.details['items'] as Array<{ itemKey: string }>).map((i) => i.itemKey)).toEqual(overlapping)
    },
  )
})

describe('parseExportRecord', () => {
  it('refuses an export without items, an item twice and an upper-case format, naming the fields', () => {
    for (const [bad, field] of [
      [record([]), 'export.itemKeys'],
      [record(['a', 'a']), 'export.itemKeys'],
      [record(['a'], { format: 'PES' }), 'export.format'],
      [record(['a'], { exportedAt: '2027-02-01' }), 'export.exportedAt'],
    ] as const) {
      let caught: unknown
      try {
        parseExportRecord(bad)
      } catch (e) {
        caught = e
      }
      expect(isEcoleError(caught, 'INVALID_INPUT')).toBe(true)
      expect(isEcoleError(caught, 'INVALID_INPUT') && caught.details.issues.map((i) => i.path)).toContain(field)
    }
  })

  it('returns a well-formed export unchanged', () => {
    const r = record(['2026|child-1|guardian-1'], { reissue: { corrects: 'exp-1', reason: 'amount' } })
    expect(parseExportRecord(r)).toEqual(r)
  })
})

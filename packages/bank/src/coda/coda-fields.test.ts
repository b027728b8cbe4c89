import { describe, expect, it } from 'vitest'
import { CODA_FIELDS, field } from './parse-coda'

describe('the CODA field-position table', () => {
  const all = Object.entries(CODA_FIELDS).flatMap(([record, fields]) => Object.entries(fields).map(([name, pos]) => ({ record, name, pos: pos as readonly [number, number] })))

  it('places every field inside the 128-character record, first position before last', () => {
    for (const { pos } of all) {
      expect(pos[0]).toBeGreaterThanOrEqual(1)
      expect(pos[1]).toBeLessThanOrEqual(128)
      expect(pos[0]).toBeLessThanOrEqual(pos[1])
    }
  })

  it('gives amounts 15 positions (12 digits and 3 implied decimals) and dates 6 (DDMMYY), as the specification does', () => {
    const width = (p: readonly [number, number]) => p[1] - p[0] + 1
    for (const p of [CODA_FIELDS.oldBalance1.balance, CODA_FIELDS.movement21.amount, CODA_FIELDS.newBalance8.balance, CODA_FIELDS.trailer9.debitTotal, CODA_FIELDS.trailer9.creditTotal]) expect(width(p)).toBe(15)
    for (const p of [CODA_FIELDS.header0.creationDate, CODA_FIELDS.oldBalance1.balanceDate, CODA_FIELDS.movement21.valueDate, CODA_FIELDS.movement21.entryDate, CODA_FIELDS.newBalance8.balanceDate]) expect(width(p)).toBe(6)
  })

  it('reads a field by its 1-based inclusive positions', () => {
    const rec = `2100010000${'REF'.padEnd(21, ' ')}0000000000012345`.padEnd(128, ' ')
    expect(field(rec, CODA_FIELDS.movement21.sequence)).toBe('0001')
    expect(field(rec, CODA_FIELDS.movement21.detail)).toBe('0000')
    expect(field(rec, CODA_FIELDS.movement21.sign)).toBe('0')
    expect(field(rec, CODA_FIELDS.movement21.amount)).toBe('000000000012345')
  })

  it('keeps the fields of one record from overlapping, except the alternatives the specification gives for one zone', () => {
    const alternatives = new Set(['oldBalance1', 'movement21', 'movement23', 'information3'])
    for (const [record, fields] of Object.entries(CODA_FIELDS)) {
      if (alternatives.has(record)) continue
      const spans = Object.values(fields).map((p) => p as readonly [number, number]).sort((a, b) => a[0] - b[0])
      for (let i = 1; i < spans.length; i++) expect((spans[i] as readonly [number, number])[0]).toBeGreaterThan((spans[i - 1] as readonly [number, number])[1])
    }
  })
})

import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { isEcoleError } from './errors'
import { checkIdempotentReplay, contentDifferences, idempotencyConflict } from './idempotency'

describe('contentDifferences', () => {
  it('finds nothing between a record and its copy, bigints, dates and nested arrays included', () => {
    const a = { id: 'p1', amountMinor: 6000n, at: new Date('2027-01-12T10:00:00Z'), allocations: [{ invoiceId: 'i1', amountMinor: 6000n }], memo: undefined }
    expect(contentDifferences(a, structuredClone(a))).toEqual([])
  })

  it('compares a record made in another realm (a vm context, another frame) by content, not by its prototypes', () => {
    const here = { id: 'p1', amountMinor: 6000n, at: new Date('2027-01-12T10:00:00Z'), lines: [{ invoiceId: 'i1' }] }
    const there = runInNewContext("({ id: 'p1', amountMinor: 6000n, at: new Date('2027-01-12T10:00:00Z'), lines: [{ invoiceId: 'i1' }] })") as unknown
    expect(Object.getPrototypeOf(there)).not.toBe(Object.prototype)
    expect(contentDifferences(here, there)).toEqual([])
    const later = runInNewContext("({ id: 'p1', amountMinor: 6000n, at: new Date('2027-01-12T10:00:01Z'), lines: [{ invoiceId: 'i2' }] })") as unknown
    expect(contentDifferences(here, later)).toEqual(['at', 'lines'])
  })

  it('treats a missing key and an undefined one as the same content', () => {
    expect(contentDifferences({ a: 1 }, { a: 1, b: undefined })).toEqual([])
  })

  it('names every differing field as a dotted path, in key order, an array once by its own path', () => {
    expect(contentDifferences({ z: 1, a: { b: 1n, c: [1, 2] }, d: 'x' }, { z: 2, a: { b: 2n, c: [1] }, d: 'x' })).toEqual(['a.b', 'a.c', 'z'])
  })

  it('tells a bigint from a number of the same value, and dates by instant', () => {
    expect(contentDifferences({ n: 1n }, { n: 1 })).toEqual(['n'])
    expect(contentDifferences({ at: new Date(0) }, { at: new Date(1) })).toEqual(['at'])
  })

  it('leaves out the fields it is told to ignore', () => {
    expect(contentDifferences({ depositId: 'd1', status: 'refused', amountMinor: 1n }, { depositId: null, status: 'recorded', amountMinor: 1n }, { ignore: ['depositId', 'status'] })).toEqual([])
  })
})

describe('checkIdempotentReplay and idempotencyConflict', () => {
  it('answers a replay with the same content with exists', () => {
    expect(checkIdempotentReplay('credit note', 'cn-1', { amountMinor: 6000n }, { amountMinor: 6000n })).toBe('exists')
  })

  it('refuses a replay with other content with IDEMPOTENCY_CONFLICT naming the kind, the id and the fields', () => {
    let caught: unknown
    try {
      checkIdempotentReplay('credit note', 'cn-1', { amountMinor: 6000n, reason: 'Grève' }, { amountMinor: 5000n, reason: 'Grève' })
    } catch (e) {
      caught = e
    }
    expect(isEcoleError(caught) && [caught.code, caught.details]).toEqual(['IDEMPOTENCY_CONFLICT', { kind: 'credit note', id: 'cn-1', fields: ['amountMinor'] }])
    expect((caught as Error).message).toMatch(/^\[ecole\] credit note cn-1 already exists with other content \(amountMinor differs\)/)
  })

  it('builds the same error for every kind of record', () => {
    const e = idempotencyConflict('payment', 'p1', ['amount', 'method'])
    expect([e.code, e.details['fields'], e.message.includes('amount, method differ')]).toEqual(['IDEMPOTENCY_CONFLICT', ['amount', 'method'], true])
  })
})

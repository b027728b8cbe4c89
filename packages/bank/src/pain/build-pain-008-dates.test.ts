import { describe, expect, it } from 'vitest'
import { sampleBatch } from '../test-support/batches'
import { hasSharedData, xsdProblems } from '../test-support/shared-data'
import { thrown } from '../test-support/thrown'
import { buildPain008 } from './build-pain-008'
import type { DirectDebit } from './direct-debit-batch'

/** The sample batch (created 2026-11-20T09:30:00Z) with its first debit changed. */
function withFirst(change: Partial<DirectDebit>, createdAt?: string) {
  const batch = sampleBatch(createdAt ? { createdAt } : {})
  return { ...batch, debits: batch.debits.map((d, i) => (i === 0 ? { ...d, ...change } : d)) }
}

describe('buildPain008: a debit is never collected before its mandate was signed', () => {
  it('refuses a debit collected on 2026-12-05 with a mandate signed on 2027-03-01, naming the debit\'s signature date and both dates', () => {
    const e = thrown(() => buildPain008(withFirst({ mandate: { id: 'RUM-0001', signatureDate: '2027-03-01' } })))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toContain('batch.debits.0.mandate.signatureDate')
    expect(e.message).toContain('2027-03-01')
    expect(e.message).toContain('2026-12-05')
  })
  it.runIf(hasSharedData)('accepts a mandate signed on the collection date itself, and the file is valid', () => {
    const xml = buildPain008(withFirst({ mandate: { id: 'RUM-0001', signatureDate: '2026-12-05' } }))
    expect(xml).toContain('<DtOfSgntr>2026-12-05</DtOfSgntr>')
    expect(xsdProblems(xml, 'pain.008.001.08')).toEqual([])
  })
})

describe('buildPain008: a debit is never collected before the file\'s creation day', () => {
  it('refuses a collection on 2020-01-01 in a file created on 2026-11-20, naming the debit\'s collection date and both dates', () => {
    const e = thrown(() => buildPain008(withFirst({ collectionDate: '2020-01-01', mandate: { id: 'RUM-0001', signatureDate: '2019-09-01' } })))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toContain('batch.debits.0.collectionDate')
    expect(e.message).toContain('2020-01-01')
    expect(e.message).toContain('2026-11-20')
  })
  it('accepts a collection on the creation day itself (the banks\' own D-1 cut-off is theirs to check)', () => {
    expect(buildPain008(withFirst({ collectionDate: '2026-11-20', mandate: { id: 'RUM-0001', signatureDate: '2025-09-01' } }))).toContain('<ReqdColltnDt>2026-11-20</ReqdColltnDt>')
  })
  it('reads the creation day in the offset createdAt is written in: 23:30 at UTC-8 on the 19th is still the 19th', () => {
    const xml = buildPain008(withFirst({ collectionDate: '2026-11-19', mandate: { id: 'RUM-0001', signatureDate: '2025-09-01' } }, '2026-11-19T23:30:00-08:00'))
    expect(xml).toContain('<CreDtTm>2026-11-19T23:30:00-08:00</CreDtTm>')
  })
  it('names every debit collected in the past, not only the first', () => {
    const batch = sampleBatch({ createdAt: '2026-12-10T08:00:00Z' })
    const e = thrown(() => buildPain008(batch))
    // by hand: debits 0, 1 and 2 are collected on 2026-12-05, debit 3 on 2026-12-12
    expect(['0', '1', '2', '3'].map((i) => e.message.includes(`batch.debits.${i}.collectionDate`))).toEqual([true, true, true, false])
  })
})

import { isEcoleError } from '@ecole/core'
import { directDebitBatchArb } from '@ecole/testing'
import { fc, test } from '@fast-check/vitest'
import { XMLParser } from 'fast-xml-parser'
import { describe, expect } from 'vitest'
import { hasSharedData, xsdProblems } from '../test-support/shared-data'
import { buildPain008, type Pain008Version } from './build-pain-008'
import type { DirectDebitBatch } from './direct-debit-batch'

const reader = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (n) => ['PmtInf', 'DrctDbtTxInf'].includes(n) })
const cents = (s: string) => {
  const [i, f = ''] = s.split('.')
  return BigInt(i!) * 100n + BigInt((f + '00').slice(0, 2))
}

describe('buildPain008 properties', () => {
  test.prop([directDebitBatchArb(), fc.constantFrom<Pain008Version>('pain.008.001.08', 'pain.008.001.02')], { numRuns: hasSharedData ? 60 : 20 })(
    'every batch it accepts is written as a file the official schema accepts',
    (batch, version) => {
      const xml = buildPain008(batch as DirectDebitBatch, { version })
      if (hasSharedData) expect(xsdProblems(xml, version)).toEqual([])
      else expect(xml.startsWith('<?xml')).toBe(true)
    },
    60_000,
  )

  test.prop([directDebitBatchArb()])('control sums and counts add up to the debits, and each block holds one sequence type and one date', (batch) => {
    const doc = reader.parse(buildPain008(batch as DirectDebitBatch)).Document.CstmrDrctDbtInitn
    const expectedTotal = batch.debits.reduce((a, d) => a + cents(d.amount.amount), 0n)
    expect(cents(doc.GrpHdr.CtrlSum)).toBe(expectedTotal)
    expect(Number(doc.GrpHdr.NbOfTxs)).toBe(batch.debits.length)
    let seen = 0
    const keys = new Set<string>()
    for (const block of doc.PmtInf) {
      const txs = block.DrctDbtTxInf as Array<Record<string, any>>
      expect(Number(block.NbOfTxs)).toBe(txs.length)
      expect(cents(block.CtrlSum)).toBe(txs.reduce((a, t) => a + cents(t.InstdAmt['#text']), 0n))
      const key = `${block.ReqdColltnDt}|${block.PmtTpInf.SeqTp}`
      expect(keys.has(key)).toBe(false)
      keys.add(key)
      for (const t of txs) {
        const d = batch.debits.find((x) => x.endToEndId === t.PmtId.EndToEndId)!
        expect([d.collectionDate, d.sequenceType]).toEqual([block.ReqdColltnDt, block.PmtTpInf.SeqTp])
      }
      seen += txs.length
    }
    expect(seen).toBe(batch.debits.length)
  }, 60_000)

  test.prop([fc.anything()])('any other input is refused with an EcoleError, never another error', (junk) => {
    try {
      buildPain008(junk as DirectDebitBatch)
    } catch (e) {
      expect(isEcoleError(e)).toBe(true)
      return
    }
    throw new Error('junk was accepted')
  }, 60_000)
})

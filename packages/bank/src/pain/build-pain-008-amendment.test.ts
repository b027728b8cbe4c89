import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { sampleBatch } from '../test-support/batches'
import { hasSharedData, xsdProblems } from '../test-support/shared-data'
import { thrown } from '../test-support/thrown'
import type { DirectDebit } from './direct-debit-batch'
import { buildPain008 } from './build-pain-008'

// An independent reader of the output (fast-xml-parser, not the package's own writer).
const reader = new XMLParser({ parseTagValue: false, isArray: (name) => ['PmtInf', 'DrctDbtTxInf'].includes(name) })
function mandateOf(xml: string, endToEndId: string): Record<string, any> {
  const blocks = reader.parse(xml).Document.CstmrDrctDbtInitn.PmtInf as Array<Record<string, any>>
  const tx = blocks.flatMap((b) => b.DrctDbtTxInf as Array<Record<string, any>>).find((t) => t.PmtId.EndToEndId === endToEndId)!
  return tx.DrctDbtTx.MndtRltdInf
}

/** The sample batch with its first debit's mandate amended: new RUM and new account since the bank last saw it. */
function amendedBatch(amendment: NonNullable<DirectDebit['mandate']['amendment']> = { originalMandateId: 'RUM-OLD-0001', originalDebtorIban: 'FR1420041010050500013M02606' }) {
  const batch = sampleBatch()
  const [first, ...rest] = batch.debits
  return { ...batch, debits: [{ ...first!, mandate: { ...first!.mandate, amendment } }, ...rest] }
}

describe('buildPain008: a mandate amendment reaches the bank', () => {
  it('writes AmdmntInd true with the original mandate id and the original debtor account of an amended mandate', () => {
    expect(mandateOf(buildPain008(amendedBatch()), 'INV-2026-0001')).toEqual({
      MndtId: 'RUM-0001', DtOfSgntr: '2025-09-01', AmdmntInd: 'true',
      AmdmntInfDtls: { OrgnlMndtId: 'RUM-OLD-0001', OrgnlDbtrAcct: { Id: { IBAN: 'FR1420041010050500013M02606' } } },
    })
  })
  it('writes only the part that changed: the original mandate id alone when only the RUM changed', () => {
    expect(mandateOf(buildPain008(amendedBatch({ originalMandateId: 'RUM-OLD-0001' })), 'INV-2026-0001').AmdmntInfDtls).toEqual({ OrgnlMndtId: 'RUM-OLD-0001' })
  })
  it('writes no amendment for a mandate that was not amended', () => {
    expect(mandateOf(buildPain008(amendedBatch()), 'INV-2026-0003')).toEqual({ MndtId: 'RUM-0003', DtOfSgntr: '2024-01-10' })
  })
  it.runIf(hasSharedData)('writes an amendment that the official pain.008.001.08 and .02 schemas accept', () => {
    expect(xsdProblems(buildPain008(amendedBatch()), 'pain.008.001.08')).toEqual([])
    expect(xsdProblems(buildPain008(amendedBatch(), { version: 'pain.008.001.02' }), 'pain.008.001.02')).toEqual([])
  })
  it('refuses an amendment that names nothing, an original mandate id that is not a SEPA reference, or an invalid original IBAN', () => {
    expect(thrown(() => buildPain008(amendedBatch({}))).message).toMatch(/debits\.0\.mandate\.amendment/)
    expect(thrown(() => buildPain008(amendedBatch({ originalMandateId: 'RUM//OLD' }))).message).toMatch(/debits\.0\.mandate\.amendment\.originalMandateId/)
    expect(thrown(() => buildPain008(amendedBatch({ originalDebtorIban: 'FR00123' }))).message).toMatch(/debits\.0\.mandate\.amendment\.originalDebtorIban/)
  })
})

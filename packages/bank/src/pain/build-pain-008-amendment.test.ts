import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { sampleBatch } from '../test-support/batches'
import { hasSharedData, SHARED_DATA, xsdFileProblems, xsdProblems } from '../test-support/shared-data'
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

/** The sample batch with its first debit's mandate amended: new RUM and new account (at the same bank) since the bank last saw it. */
function amendedBatch(amendment: NonNullable<DirectDebit['mandate']['amendment']> = { originalMandateId: 'RUM-OLD-0001', originalDebtorIban: 'BE17096000000021' }) {
  const batch = sampleBatch()
  const [first, ...rest] = batch.debits
  return { ...batch, debits: [{ ...first!, mandate: { ...first!.mandate, amendment } }, ...rest] }
}

describe('buildPain008: a mandate amendment reaches the bank', () => {
  it('writes AmdmntInd true with the original mandate id and the original debtor account of an amended mandate', () => {
    expect(mandateOf(buildPain008(amendedBatch()), 'INV-2026-0001')).toEqual({
      MndtId: 'RUM-0001', DtOfSgntr: '2025-09-01', AmdmntInd: 'true',
      AmdmntInfDtls: { OrgnlMndtId: 'RUM-OLD-0001', OrgnlDbtrAcct: { Id: { IBAN: 'BE17096000000021' } } },
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

// IBANs of one bank and of others, by their national bank identifiers (SWIFT IBAN registry positions):
// BE71096123456769 (the first debtor's) and BE17096000000021 share Belgian bank code 096;
// FR1420041010050500013M02606 and FR7620041010050001234567835 share French bank code 20041;
// DE89370400440532013000 is at German bank 37040044.
const SAME_BANK_AS_FIRST_DEBTOR = 'BE17096000000021'
const SMNDA = { Othr: { Id: 'SMNDA' } }

describe('buildPain008: a debtor whose account moved (EPC SDD Core IG since 2016: SMNDA for another bank, the former IBAN within one bank)', () => {
  it('writes SMNDA in OrgnlDbtrAcct/Id/Othr/Id, not the former IBAN, when the former account was at another bank (another country here)', () => {
    const m = mandateOf(buildPain008(amendedBatch({ originalDebtorIban: 'FR1420041010050500013M02606' })), 'INV-2026-0001')
    expect(m.AmdmntInfDtls).toEqual({ OrgnlDbtrAcct: { Id: SMNDA } })
    expect(JSON.stringify(m)).not.toContain('FR1420041010050500013M02606')
  })
  it('tells a move within one bank (the former IBAN) from a move to another bank of the same country (SMNDA) by the IBANs\' bank codes', () => {
    // Belgian bank code 539, now 096: another bank
    expect(mandateOf(buildPain008(amendedBatch({ originalDebtorIban: 'BE68539007547034' })), 'INV-2026-0001').AmdmntInfDtls).toEqual({ OrgnlDbtrAcct: { Id: SMNDA } })
    // Belgian bank code 096 both times: the same bank
    expect(mandateOf(buildPain008(amendedBatch({ originalDebtorIban: SAME_BANK_AS_FIRST_DEBTOR })), 'INV-2026-0001').AmdmntInfDtls).toEqual({ OrgnlDbtrAcct: { Id: { IBAN: SAME_BANK_AS_FIRST_DEBTOR } } })
    // French bank code 20041 both times
    const b = amendedBatch({ originalDebtorIban: 'FR7620041010050001234567835' })
    b.debits[0]!.debtor.iban = 'FR1420041010050500013M02606'
    expect(mandateOf(buildPain008(b), 'INV-2026-0001').AmdmntInfDtls).toEqual({ OrgnlDbtrAcct: { Id: { IBAN: 'FR7620041010050001234567835' } } })
  })
  it('writes the former mandate id beside SMNDA when both changed', () => {
    expect(mandateOf(buildPain008(amendedBatch({ originalMandateId: 'RUM-OLD-0001', originalDebtorIban: 'DE89370400440532013000' }), { version: 'pain.008.001.02' }), 'INV-2026-0001').AmdmntInfDtls)
      .toEqual({ OrgnlMndtId: 'RUM-OLD-0001', OrgnlDbtrAcct: { Id: SMNDA } })
  })
  it('follows debtorBankChanged when given: SMNDA for a new bank whose former IBAN is unknown, the former IBAN when the caller knows it is the same bank', () => {
    expect(mandateOf(buildPain008(amendedBatch({ debtorBankChanged: true })), 'INV-2026-0001').AmdmntInfDtls).toEqual({ OrgnlDbtrAcct: { Id: SMNDA } })
    expect(mandateOf(buildPain008(amendedBatch({ originalDebtorIban: 'BE68539007547034', debtorBankChanged: false })), 'INV-2026-0001').AmdmntInfDtls)
      .toEqual({ OrgnlDbtrAcct: { Id: { IBAN: 'BE68539007547034' } } })
  })
  it('keeps the sequence type given (FRST is optional since the SDD Core rulebook 9.0 of 20 November 2016)', () => {
    const xml = buildPain008(amendedBatch({ originalDebtorIban: 'FR1420041010050500013M02606' }))
    const block = reader.parse(xml).Document.CstmrDrctDbtInitn.PmtInf.find((b: Record<string, any>) => b.DrctDbtTxInf.some((t: Record<string, any>) => t.PmtId.EndToEndId === 'INV-2026-0001'))
    expect(block.PmtTpInf.SeqTp).toBe('RCUR')
    expect(mandateOf(xml, 'INV-2026-0001').AmdmntInfDtls).toEqual({ OrgnlDbtrAcct: { Id: SMNDA } })
  })
  it('refuses a same-bank change without the former IBAN, and a former IBAN that is the current one, naming the field', () => {
    expect(thrown(() => buildPain008(amendedBatch({ debtorBankChanged: false }))).message).toMatch(/debits\.0\.mandate\.amendment\.originalDebtorIban: a new account at the same bank/)
    expect(thrown(() => buildPain008(amendedBatch({ originalDebtorIban: 'BE71 0961 2345 6769' }))).message).toMatch(/debits\.0\.mandate\.amendment\.originalDebtorIban: is the debtor's current IBAN/)
  })
  it.runIf(hasSharedData)('writes SMNDA and same-bank amendments that the official pain.008.001.08 and .02 schemas accept', () => {
    for (const amendment of [{ originalMandateId: 'RUM-OLD-0001', originalDebtorIban: 'DE89370400440532013000' }, { originalDebtorIban: SAME_BANK_AS_FIRST_DEBTOR }, { debtorBankChanged: true }]) {
      const v08 = buildPain008(amendedBatch(amendment))
      const v02 = buildPain008(amendedBatch(amendment), { version: 'pain.008.001.02' })
      expect(v08).toMatch(/<OrgnlDbtrAcct><Id>(<Othr><Id>SMNDA<\/Id><\/Othr>|<IBAN>BE17096000000021<\/IBAN>)<\/Id><\/OrgnlDbtrAcct>/)
      expect(xsdProblems(v08, 'pain.008.001.08')).toEqual([])
      expect(xsdProblems(v02, 'pain.008.001.02')).toEqual([])
    }
  })
  it.runIf(hasSharedData)('writes SMNDA where the German banks\' pain.008.001.02 schema (DFÜ Anlage 3 v3.0, EPC SDD Core IG 9.0) allows only that code', () => {
    const dk = new URL(`file://${SHARED_DATA}iso20022/variants/pain.008.001.02.DK-DFUe-Anlage3-v3.0.xsd`)
    // the 2016 DK schema predates structured addresses (StrtNm, TwnNm...: mandatory from November 2026): those are set aside
    const problems = (xml: string) => xsdFileProblems(xml, dk).filter((p) => !/'\{[^}]*\}(StrtNm|BldgNb|PstCd|TwnNm)'/.test(p))
    const smnda = buildPain008(amendedBatch({ originalDebtorIban: 'DE89370400440532013000' }), { version: 'pain.008.001.02' })
    expect(smnda).toContain('<OrgnlDbtrAcct><Id><Othr><Id>SMNDA</Id></Othr></Id></OrgnlDbtrAcct>')
    expect(problems(smnda)).toEqual([])
    // the pre-2016 form (SMNDA in the original debtor agent) and any other code in Othr/Id are refused by it
    const agent = smnda.replace('<OrgnlDbtrAcct><Id><Othr><Id>SMNDA</Id></Othr></Id></OrgnlDbtrAcct>', '<OrgnlDbtrAgt><FinInstnId><Othr><Id>SMNDA</Id></Othr></FinInstnId></OrgnlDbtrAgt>')
    expect(problems(agent).length).toBeGreaterThan(0)
    expect(problems(smnda.replace('<Id>SMNDA</Id>', '<Id>SMNDX</Id>')).length).toBeGreaterThan(0)
  })
})

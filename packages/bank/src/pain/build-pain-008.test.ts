import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { sampleBatch } from '../test-support/batches'
import { hasSharedData, xsdProblems } from '../test-support/shared-data'
import { buildPain008 } from './build-pain-008'
import { thrown } from '../test-support/thrown'

// An independent reader of the output (fast-xml-parser, not the package's own scanner).
const reader = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['PmtInf', 'DrctDbtTxInf'].includes(name) })
type Tx = Record<string, any>
function read(xml: string) {
  const doc = reader.parse(xml).Document.CstmrDrctDbtInitn
  return { header: doc.GrpHdr, blocks: doc.PmtInf as Array<Record<string, any>> }
}

describe('buildPain008', () => {
  it.runIf(hasSharedData)('writes a pain.008.001.08 that the official ISO 20022 schema accepts', () => {
    expect(xsdProblems(buildPain008(sampleBatch()), 'pain.008.001.08')).toEqual([])
  })

  it.runIf(hasSharedData)('writes a pain.008.001.02 that the official ISO 20022 schema accepts, on request', () => {
    const xml = buildPain008(sampleBatch(), { version: 'pain.008.001.02' })
    expect(xml).toContain('xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"')
    expect(xsdProblems(xml, 'pain.008.001.02')).toEqual([])
  })

  it.runIf(hasSharedData)('has a schema check that catches the CdorPrtry misspelling a known npm builder makes', () => {
    const broken = buildPain008(sampleBatch()).replaceAll('CdOrPrtry', 'CdorPrtry')
    expect(xsdProblems(broken, 'pain.008.001.08').length).toBeGreaterThan(0)
  })

  it('groups debits in one payment block per sequence type and collection date, dates in order', () => {
    const { blocks } = read(buildPain008(sampleBatch()))
    // by hand: 2026-12-05 FRST (0002), 2026-12-05 RCUR (0001, 0003), 2026-12-12 RCUR (0004)
    expect(blocks.map((b) => [b.ReqdColltnDt, b.PmtTpInf.SeqTp, b.DrctDbtTxInf.map((t: Tx) => t.PmtId.EndToEndId)])).toEqual([
      ['2026-12-05', 'FRST', ['INV-2026-0002']],
      ['2026-12-05', 'RCUR', ['INV-2026-0001', 'INV-2026-0003']],
      ['2026-12-12', 'RCUR', ['INV-2026-0004']],
    ])
  })

  it('gives the group header and each block their number of transactions and control sum', () => {
    const { header, blocks } = read(buildPain008(sampleBatch()))
    // 42.50 + 17.05 + 100 + 0.01 = 159.56
    expect([header.NbOfTxs, header.CtrlSum]).toEqual(['4', '159.56'])
    expect(blocks.map((b) => [b.NbOfTxs, b.CtrlSum])).toEqual([['1', '17.05'], ['2', '142.50'], ['1', '0.01']])
  })

  it('writes an OGM as a structured creditor reference issued by BBA and an RF as one issued by ISO', () => {
    const { blocks } = read(buildPain008(sampleBatch()))
    const txs = blocks.flatMap((b) => b.DrctDbtTxInf as Tx[])
    const byId = new Map(txs.map((t) => [t.PmtId.EndToEndId, t]))
    expect(byId.get('INV-2026-0001')!.RmtInf.Strd.CdtrRefInf).toEqual({ Tp: { CdOrPrtry: { Cd: 'SCOR' }, Issr: 'BBA' }, Ref: '123456789002' })
    expect(byId.get('INV-2026-0002')!.RmtInf.Strd.CdtrRefInf).toEqual({ Tp: { CdOrPrtry: { Cd: 'SCOR' }, Issr: 'ISO' }, Ref: 'RF18539007547034' })
    expect(byId.get('INV-2026-0004')!.RmtInf).toBeUndefined()
  })

  it('transliterates names, addresses and free text to the SEPA character set', () => {
    const xml = buildPain008(sampleBatch())
    expect(xml).toContain('<Nm>Helene Dupre-OEuvray</Nm>')
    expect(xml).toContain('<Nm>Jurgen Muller</Nm>')
    expect(xml).toContain('<TwnNm>Koln</TwnNm>')
    expect(xml).toContain('<StrtNm>Place de l&apos;Hotel de Ville</StrtNm>')
    expect(xml).toContain('<Ustrd>Cantine + garderie - novembre 2026</Ustrd>')
    // every text node is in the SEPA set
    const decode = (t: string) => t.replaceAll('&apos;', "'").replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')
    const texts = [...xml.matchAll(/>([^<]+)</g)].map((m) => decode(m[1]!))
    for (const t of texts) expect(t).toMatch(/^[A-Za-z0-9/\-?:().,'+ ]+$/)
  })

  it('writes structured addresses with town and country, and NOTPROVIDED for a debtor bank without BIC', () => {
    const { blocks } = read(buildPain008(sampleBatch()))
    const frst = blocks[0]!
    expect(frst.Cdtr.PstlAdr).toEqual({ StrtNm: 'Place de l\'Hotel de Ville', BldgNb: '1', PstCd: '1300', TwnNm: 'Wavre', Ctry: 'BE' })
    const tx = frst.DrctDbtTxInf[0] as Tx
    expect(tx.Dbtr.PstlAdr).toEqual({ TwnNm: 'Koln', Ctry: 'DE' })
    expect(tx.DbtrAgt.FinInstnId).toEqual({ Othr: { Id: 'NOTPROVIDED' } })
    expect(tx.DrctDbtTx.MndtRltdInf).toEqual({ MndtId: 'RUM-0002', DtOfSgntr: '2026-10-15' })
    expect(tx.InstdAmt).toEqual({ '#text': '17.05', '@Ccy': 'EUR' })
  })

  it('uses BICFI in version .08 and BIC in version .02', () => {
    expect(buildPain008(sampleBatch())).toContain('<BICFI>GEBABEBB</BICFI>')
    expect(buildPain008(sampleBatch(), { version: 'pain.008.001.02' })).toContain('<BIC>GEBABEBB</BIC>')
  })

  it('refuses a batch whose debtor IBAN is wrong, naming the field', () => {
    const b = sampleBatch()
    b.debits[2]!.debtor.iban = 'FR1420041010050500013M02607'
    const e = thrown(() => buildPain008(b))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toContain('batch.debits.2.debtor.iban: must be a valid IBAN')
  })

  it('refuses a creditor without a structured address (town and country are mandatory since 15 November 2026)', () => {
    const b = sampleBatch()
    ;(b.creditor as { address?: unknown }).address = { street: 'Rue Haute 1' }
    const e = thrown(() => buildPain008(b))
    expect(e.message).toContain('batch.creditor.address.town')
    expect(e.message).toContain('batch.creditor.address.country')
  })

  it('refuses an invalid mandate reference, an invalid OGM and duplicated end-to-end ids', () => {
    const b = sampleBatch()
    b.debits[0]!.mandate.id = '/RUM//1'
    b.debits[0]!.remittance = { kind: 'ogm', reference: '+++123/4567/89003+++' }
    b.debits[1]!.endToEndId = b.debits[3]!.endToEndId
    const e = thrown(() => buildPain008(b))
    expect(e.message).toContain('batch.debits.0.mandate.id')
    expect(e.message).toContain('batch.debits.0.remittance.reference')
    expect(e.message).toContain('batch.debits.3.endToEndId')
  })

  it('refuses a blank message id, end-to-end id or mandate reference, naming the field, instead of writing it', () => {
    const b = sampleBatch()
    b.messageId = '   '
    b.debits[0]!.endToEndId = ' '
    b.debits[1]!.mandate.id = '  '
    const e = thrown(() => buildPain008(b))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toMatch(/batch\.messageId: must not be blank/)
    expect(e.message).toMatch(/batch\.debits\.0\.endToEndId: must not be blank/)
    expect(e.message).toMatch(/batch\.debits\.1\.mandate\.id: [^;]*only of spaces/)
  })

  it('refuses ids padded with spaces, naming the field, rather than trimming an id the bank matches on', () => {
    const b = sampleBatch()
    b.messageId = ' MSG 1 '
    b.debits[0]!.endToEndId = 'INV-1 '
    b.debits[1]!.instructionId = ' INS-1'
    b.debits[2]!.mandate.id = ' RUM-1 '
    const e = thrown(() => buildPain008(b))
    expect(e.message).toMatch(/batch\.messageId: must not start or end with a space/)
    expect(e.message).toMatch(/batch\.debits\.0\.endToEndId: must not start or end with a space/)
    expect(e.message).toMatch(/batch\.debits\.1\.instructionId: must not start or end with a space/)
    expect(e.message).toMatch(/batch\.debits\.2\.mandate\.id: [^;]*must not start with a space/)
    // a space inside an id is a SEPA character and stays allowed
    const ok = sampleBatch()
    ok.messageId = 'MSG 1'
    expect(buildPain008(ok)).toContain('<MsgId>MSG 1</MsgId>')
  })

  it('refuses amounts that are not euros, below one cent or with fractions of a cent', () => {
    for (const amount of [{ amount: '10.00', currency: 'CHF' }, { amount: '0.00', currency: 'EUR' }, { amount: '1.005', currency: 'EUR' }, { amount: '1e3', currency: 'EUR' }]) {
      const b = sampleBatch()
      b.debits[0]!.amount = amount as { amount: string; currency: 'EUR' }
      expect(thrown(() => buildPain008(b)).message).toContain('batch.debits.0.amount')
    }
  })

  it('refuses an unknown version', () => {
    expect(thrown(() => buildPain008(sampleBatch(), { version: 'pain.008.001.99' as 'pain.008.001.08' })).message).toContain('version')
  })
})

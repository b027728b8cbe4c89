import { describe, expect, it } from 'vitest'
import { sampleBatch } from '../test-support/batches'
import { thrown } from '../test-support/thrown'
import { buildPain008 } from './build-pain-008'
import { parsePain002 } from './parse-pain-002'
import { rejectedDebits } from './rejected-debits'

// The sample file's blocks, by hand (see build-pain-008.test.ts): ECOLE-2026-11-001-1 FRST (0002),
// -2 RCUR (0001, 0003), -3 RCUR (0004).
const original = buildPain008(sampleBatch())

const report = (group: string, blocks = '', status = 'RJCT') => parsePain002(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2026-11-21T08:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>ECOLE-2026-11-001</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId><GrpSts>${status}</GrpSts>${group}</OrgnlGrpInfAndSts>
${blocks}</CstmrPmtStsRpt></Document>`)

const reason = (code: string) => `<StsRsnInf><Rsn><Cd>${code}</Cd></Rsn></StsRsnInf>`
const seen = (list: ReturnType<typeof rejectedDebits>) => list.map((d) => [d.endToEndId, d.level, d.reasonCode])

describe('rejectedDebits', () => {
  it('rejects every debit of the file when the bank rejects the whole file without listing one, with the group reason', () => {
    expect(seen(rejectedDebits(report(reason('FF01')), original))).toEqual([
      ['INV-2026-0002', 'group', 'FF01'],
      ['INV-2026-0001', 'group', 'FF01'],
      ['INV-2026-0003', 'group', 'FF01'],
      ['INV-2026-0004', 'group', 'FF01'],
    ])
  })

  it('rejects every debit of a block the bank rejects whole, and only those', () => {
    const r = report('', `<OrgnlPmtInfAndSts><OrgnlPmtInfId>ECOLE-2026-11-001-2</OrgnlPmtInfId><PmtInfSts>RJCT</PmtInfSts>${reason('DT01')}</OrgnlPmtInfAndSts>`, 'PART')
    const list = rejectedDebits(r, original)
    expect(seen(list)).toEqual([['INV-2026-0001', 'paymentInformation', 'DT01'], ['INV-2026-0003', 'paymentInformation', 'DT01']])
    // the amounts come from the original file: 42.50 and 100.00
    expect(list.map((d) => d.amount)).toEqual([{ minor: 4250n, currency: 'EUR' }, { minor: 10000n, currency: 'EUR' }])
  })

  it('rejects a debit the report rejects one by one, with its own reason before its block’s and the group’s', () => {
    const r = report(reason('FF01'), `<OrgnlPmtInfAndSts><OrgnlPmtInfId>ECOLE-2026-11-001-2</OrgnlPmtInfId>${reason('DT01')}
<TxInfAndSts><OrgnlEndToEndId>INV-2026-0003</OrgnlEndToEndId><TxSts>RJCT</TxSts>${reason('AC04')}</TxInfAndSts>
<TxInfAndSts><OrgnlEndToEndId>INV-2026-0001</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts>
<TxInfAndSts><OrgnlEndToEndId>INV-2026-0004</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>
</OrgnlPmtInfAndSts>`, 'PART')
    expect(seen(rejectedDebits(r, original))).toEqual([['INV-2026-0001', 'transaction', 'DT01'], ['INV-2026-0003', 'transaction', 'AC04']])
  })

  it('records MS03 (reason not specified) when the report gives no reason code', () => {
    expect(seen(rejectedDebits(report(''), original)).map(([, , code]) => code)).toEqual(['MS03', 'MS03', 'MS03', 'MS03'])
  })

  it('reads the rejected transactions alone when no original file is given, and then refuses a report rejecting a whole file or block', () => {
    const one = report('', `<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId><TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId><TxSts>RJCT</TxSts>${reason('AC01')}</TxInfAndSts></OrgnlPmtInfAndSts>`, 'PART')
    expect(seen(rejectedDebits(one))).toEqual([['E1', 'transaction', 'AC01']])
    const whole = thrown(() => rejectedDebits(report(reason('FF01'))))
    expect([whole.code, whole.details['field']]).toEqual(['INVALID_INPUT', 'original'])
    expect(whole.message).toContain('the whole file (GrpSts RJCT)')
    const block = thrown(() => rejectedDebits(report('', '<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId><PmtInfSts>RJCT</PmtInfSts></OrgnlPmtInfAndSts>', 'PART')))
    expect(block.message).toContain('the payment block P (PmtInfSts RJCT)')
  })

  it('refuses an original that is another file, and a block or debit the file does not hold, naming the field', () => {
    const other = thrown(() => rejectedDebits(report(''), buildPain008(sampleBatch({ messageId: 'ECOLE-2026-12-001' }))))
    expect([other.details['field'], other.message]).toEqual(['original', expect.stringContaining('is the pain.008 ECOLE-2026-12-001, but the report answers ECOLE-2026-11-001')])
    const block = thrown(() => rejectedDebits(report('', '<OrgnlPmtInfAndSts><OrgnlPmtInfId>NOPE</OrgnlPmtInfId><PmtInfSts>RJCT</PmtInfSts></OrgnlPmtInfAndSts>', 'PART'), original))
    expect(block.details['field']).toBe('report.paymentInformation.0.originalPaymentInformationId')
    const debit = thrown(() => rejectedDebits(report('', '<OrgnlPmtInfAndSts><OrgnlPmtInfId>ECOLE-2026-11-001-1</OrgnlPmtInfId><TxInfAndSts><OrgnlEndToEndId>GHOST</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts></OrgnlPmtInfAndSts>', 'PART'), original))
    expect([debit.details['field'], debit.message]).toEqual(['report.transactions.0.originalEndToEndId', expect.stringContaining('names GHOST')])
  })

  it('refuses a rejected transaction that names no end-to-end id, and a report that is not one', () => {
    const r = report('', '<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId><TxInfAndSts><TxSts>RJCT</TxSts></TxInfAndSts></OrgnlPmtInfAndSts>', 'PART')
    expect(thrown(() => rejectedDebits(r)).details['field']).toBe('report.transactions.0.originalEndToEndId')
    expect(thrown(() => rejectedDebits(null as never)).details['field']).toBe('report')
  })
})

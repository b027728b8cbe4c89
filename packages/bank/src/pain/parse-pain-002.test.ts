import { describe, expect, it } from 'vitest'
import { hasSharedData, sharedText } from '../test-support/shared-data'
import { parsePain002 } from './parse-pain-002'
import { thrown } from '../test-support/thrown'

describe('parsePain002', () => {
  it.runIf(hasSharedData)('reads the four rejections of the OCA sample with their end-to-end ids, blocks and reason codes', () => {
    const report = parsePain002(sharedText('bank/oca-account-payment-test-sepa-pain-unpaid.pain.002.001.03.xml'))
    expect(report.messageId).toBe('MSGID99345678912')
    expect(report.originalMessageId).toBe('MSGID12345678912')
    expect(report.originalMessageType).toBe('PAIN.008.001.02')
    // from the file's comments: two rejections in PMTINFID1, two in PMTINFID2 (AC01, MS02, MD06, AM04)
    expect(report.transactions.map((t) => [t.originalPaymentInformationId, t.originalEndToEndId, t.status, t.reasons.map((r) => r.reasonCode)])).toEqual([
      ['PMTINFID1', 'E2EID1', 'RJCT', ['AC01']],
      ['PMTINFID1', 'E2EID2', 'RJCT', ['MS02']],
      ['PMTINFID2', 'E2EID3', 'RJCT', ['MD06']],
      ['PMTINFID2', 'E2EID4', 'RJCT', ['AM04']],
    ])
    const first = report.transactions[0]!
    expect([first.rejected, first.amount, first.mandateId, first.requestedCollectionDate]).toEqual([true, { minor: 10000n, currency: 'EUR' }, 'MANDATEID1', '2016-10-09'])
    expect(first.debtor).toEqual({ name: 'DEBTOR1', iban: 'IE98BOFI90393912121212', bic: 'BOFIIE2D' })
    expect(first.reasons[0]!.additionalInfo).toEqual(['ACC NUMBER INVALID'])
  })

  it.runIf(hasSharedData)('reads a Swiss-namespace pain.002 (pain.002.001.03.ch.02) by local names', () => {
    const report = parsePain002(sharedText('bank/moov-iso20022-postfinance-pain002-rjct-1.xml'))
    expect(report.paymentInformation).toEqual([{ originalPaymentInformationId: 'PmtInfId-006-01', status: 'RJCT', reasons: [{ reasonCode: 'NARR', additionalInfo: ['1297193;Sammelauftrag ohne ausführbaren Einzelauftrag'] }] }])
    expect(report.transactions.map((t) => [t.originalEndToEndId, t.originalInstructionId, t.status, t.reasons[0]?.reasonCode])).toEqual([
      ['EndToEndId-006-01-01', 'InstrId-006-01-01', 'RJCT', 'AC01'],
    ])
  })

  it('takes a transaction without TxSts as having its block status', () => {
    const xml = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt><GrpHdr><MsgId>M</MsgId></GrpHdr>
      <OrgnlGrpInfAndSts><OrgnlMsgId>O</OrgnlMsgId></OrgnlGrpInfAndSts>
      <OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId><PmtInfSts>RJCT</PmtInfSts><TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId></TxInfAndSts></OrgnlPmtInfAndSts>
      </CstmrPmtStsRpt></Document>`
    expect(parsePain002(xml).transactions.map((t) => [t.originalEndToEndId, t.status, t.rejected])).toEqual([['E1', 'RJCT', true]])
  })

  it('refuses malformed XML, naming the line', () => {
    const e = thrown(() => parsePain002('<Document>\n<CstmrPmtStsRpt>\n<GrpHdr></CstmrPmtStsRpt></Document>'))
    expect(e.code).toBe('MALFORMED_XML')
    expect(e.message).toMatch(/line 3/)
  })

  it('refuses another message, naming what it found', () => {
    const e = thrown(() => parsePain002('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>'))
    expect(e.code).toBe('MALFORMED_BANK_FILE')
    expect(e.message).toContain('found <BkToCstmrStmt>')
  })

  it('refuses a report without its original message id, naming the line and the field', () => {
    const e = thrown(() => parsePain002('<Document><CstmrPmtStsRpt>\n<GrpHdr><MsgId>M</MsgId></GrpHdr>\n<OrgnlGrpInfAndSts></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>'))
    expect(e.message).toContain('line 3, field OrgnlGrpInfAndSts/OrgnlMsgId: is missing or empty')
  })

  it('refuses a rejected transaction whose amount has no currency, naming the line and the transaction', () => {
    const xml = `<Document><CstmrPmtStsRpt><GrpHdr><MsgId>M</MsgId></GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>O</OrgnlMsgId></OrgnlGrpInfAndSts>
      <OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId>
      <TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId><TxSts>RJCT</TxSts><OrgnlTxRef><Amt><InstdAmt>12.50</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>
      </OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>`
    expect(thrown(() => parsePain002(xml)).message).toContain('line 3, field TxInfAndSts 1 (OrgnlEndToEndId E1)/OrgnlTxRef/Amt/InstdAmt/@Ccy: is missing')
  })

  it('refuses a DTD (no entity expansion)', () => {
    const e = thrown(() => parsePain002('<!DOCTYPE x [<!ENTITY a "aaaa">]><Document/>'))
    expect(e.code).toBe('MALFORMED_XML')
  })
})

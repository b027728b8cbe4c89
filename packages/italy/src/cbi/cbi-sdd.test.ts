import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildPain008, parsePain002, type DirectDebitBatch } from '@ecole/bank'
import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { validateXML } from 'xmllint-wasm'
import { buildCbiSdd } from './build-cbi-sdd'
import { writeCbiStatusReport, type ModelStatusMessage } from '../test-support/write-cbi-status'
import { parseCbiSddStatusReport, parseCbiSddStatusReports } from './parse-cbi-sdd-status'

const batch: DirectDebitBatch = {
  messageId: 'ECOLE-2027-01-001', createdAt: '2027-01-20T09:30:00Z',
  creditor: { name: 'Comune di Roma - Refezione scolastica', iban: 'IT60X0542811101000000123456', creditorId: 'IT66ZZZA1B2C3D4E5F6G7H8', address: { town: 'Roma', country: 'IT' } },
  debits: [
    { endToEndId: 'INV-2027-0042', amount: { amount: '42.50', currency: 'EUR' }, collectionDate: '2027-02-05', sequenceType: 'RCUR',
      mandate: { id: 'RUM-0042', signatureDate: '2025-09-01' }, debtor: { name: 'Giulia Bianchi', iban: 'IT36X0306909606100000063526' }, remittance: { kind: 'text', text: 'Mensa gennaio 2027' } },
    { endToEndId: 'INV-2027-0043', amount: { amount: '17.00', currency: 'EUR' }, collectionDate: '2027-02-05', sequenceType: 'FRST',
      mandate: { id: 'RUM-0043', signatureDate: '2026-12-01' }, debtor: { name: 'Marco Rossi', iban: 'IT67A0200801633000100123456' } },
  ],
}

const shared = [new URL('../../../../../shared/data/', import.meta.url), new URL('../../../../../../shared/data/', import.meta.url)]
  .map((u) => fileURLToPath(u)).find((p) => existsSync(p))
if (shared === undefined) console.log('[@ecole/italy tests] ../shared/data is absent: the CBI request is not validated against the ISO 20022 pain.008.001.08 schema')

describe('buildCbiSdd (CBISDDReqLogMsg.00.01.01)', () => {
  it('writes the batch under the CBI root and namespace, the initiating party by its CUC, the creditor bank by its ABI from the IBAN', () => {
    const { xml } = buildCbiSdd(batch, { cuc: '1808147M' })
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><CBISDDReqLogMsg xmlns="urn:CBI:xsd:CBISDDReqLogMsg.00.01.01"><GrpHdr>')).toBe(true)
    expect(xml).toContain('<InitgPty><Nm>Comune di Roma - Refezione scolastica</Nm><Id><OrgId><Othr><Id>1808147M</Id><Issr>CBI</Issr></Othr></OrgId></Id></InitgPty>')
    // IT60 X 05428 11101 000000123456: ABI 05428
    expect(xml).toContain('<CdtrAgt><FinInstnId><ClrSysMmbId><MmbId>05428</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>')
    expect(xml).toContain('<NbOfTxs>2</NbOfTxs><CtrlSum>59.50</CtrlSum>')
    expect(xml.endsWith('</PmtInf></CBISDDReqLogMsg>')).toBe(true)
  })

  it('carries the same payment blocks and transactions as the pain.008 of the same batch', () => {
    const cbi = buildCbiSdd(batch, { cuc: '1808147M' }).xml
    const pain = buildPain008(batch)
    const txs = (x: string) => [...x.matchAll(/<DrctDbtTxInf>.*?<\/DrctDbtTxInf>/g)].map((m) => m[0])
    expect(txs(cbi)).toEqual(txs(pain))
    expect(cbi.match(/<PmtInf>/g)).toHaveLength(2)
  })

  it.runIf(shared !== undefined)('has the structure of the published pain.008.001.08 types the CBI message is built on (validated against the ISO 20022 schema)', async () => {
    const cbi = buildCbiSdd(batch, { cuc: '1808147M' }).xml
    const asIso = cbi.replace(/<CBISDDReqLogMsg xmlns="[^"]+">/, '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"><CstmrDrctDbtInitn>').replace('</CBISDDReqLogMsg>', '</CstmrDrctDbtInitn></Document>')
    const result = await validateXML({ xml: [{ fileName: 'cbi.xml', contents: asIso }], schema: [{ fileName: 'pain.008.001.08.xsd', contents: readFileSync(`${shared}iso20022/pain.008.001.08.xsd`, 'utf8') }] })
    expect(result.errors.map((e) => e.message)).toEqual([])
  })

  it('refuses a CUC that is not 8 characters, and a foreign creditor IBAN without an ABI, naming the field', () => {
    for (const [b, o, field] of [[batch, { cuc: '123' }, 'cuc'], [{ ...batch, creditor: { ...batch.creditor, iban: 'BE68539007547034' } }, { cuc: '1808147M' }, 'creditorAbi']] as const) {
      let caught: unknown
      try {
        buildCbiSdd(b, o)
      } catch (e) {
        caught = e
      }
      expect(isEcoleError(caught, 'INVALID_INPUT')).toBe(true)
      expect((caught as Error).message).toContain(field)
    }
  })
})

/** A status report shaped as the CBI publishes it (CBIBdySDDStsRpt envelope, prefixed and default namespaces mixed), written for this test. */
const statusReport = `<?xml version="1.0" encoding="UTF-8"?>
<CBIBdySDDStsRpt xmlns="urn:CBI:xsd:CBIBdySDDStsRpt.00.01.00" xmlns:LMSG="urn:CBI:xsd:CBISDDStsRptLogMsg.00.01.00">
  <PhyMsgInf><PhyMsgTpCd>STAT-RPT-INC-SDD-01</PhyMsgTpCd><NbOfLogMsg>1</NbOfLogMsg></PhyMsgInf>
  <CBIEnvelSDDStsRptLogMsg>
    <CBISDDStsRptLogMsg>
      <LMSG:GrpHdr><LMSG:MsgId>DD270206UCC0051843001</LMSG:MsgId><LMSG:CreDtTm>2027-02-06T19:16:04</LMSG:CreDtTm>
        <LMSG:InitgPty><LMSG:Id><LMSG:OrgId><LMSG:Othr><LMSG:Id>1808147M</LMSG:Id><LMSG:Issr>CBI</LMSG:Issr></LMSG:Othr></LMSG:OrgId></LMSG:Id></LMSG:InitgPty>
      </LMSG:GrpHdr>
      <LMSG:OrgnlGrpInfAndSts><LMSG:OrgnlMsgId>ECOLE-2027-01-001</LMSG:OrgnlMsgId><LMSG:OrgnlMsgNmId>CBISDDReqLogMsg.00.01.01</LMSG:OrgnlMsgNmId><LMSG:GrpSts>PART</LMSG:GrpSts></LMSG:OrgnlGrpInfAndSts>
      <OrgnlPmtInfAndSts xmlns="urn:CBI:xsd:CBISDDStsRptLogMsg.00.01.00">
        <OrgnlPmtInfId>ECOLE-2027-01-001-1</OrgnlPmtInfId>
        <TxInfAndSts>
          <StsId>VM0200820270206</StsId><OrgnlInstrId>01-0391</OrgnlInstrId><OrgnlEndToEndId>INV-2027-0043</OrgnlEndToEndId><TxSts>RJCT</TxSts>
          <StsRsnInf><Rsn><Cd>MD01</Cd></Rsn><AddtlInf>PRE</AddtlInf></StsRsnInf>
          <OrgnlTxRef><Amt><InstdAmt Ccy="EUR">17.00</InstdAmt></Amt><ReqdColltnDt>2027-02-05</ReqdColltnDt></OrgnlTxRef>
        </TxInfAndSts>
      </OrgnlPmtInfAndSts>
    </CBISDDStsRptLogMsg>
  </CBIEnvelSDDStsRptLogMsg>
</CBIBdySDDStsRpt>`

/** The same statuses written as a plain pain.002.001.03. */
const pain002 = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
  <GrpHdr><MsgId>DD270206UCC0051843001</MsgId><CreDtTm>2027-02-06T19:16:04</CreDtTm><InitgPty><Id><OrgId><Othr><Id>1808147M</Id><Issr>CBI</Issr></Othr></OrgId></Id></InitgPty></GrpHdr>
  <OrgnlGrpInfAndSts><OrgnlMsgId>ECOLE-2027-01-001</OrgnlMsgId><OrgnlMsgNmId>CBISDDReqLogMsg.00.01.01</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
  <OrgnlPmtInfAndSts><OrgnlPmtInfId>ECOLE-2027-01-001-1</OrgnlPmtInfId>
    <TxInfAndSts><StsId>VM0200820270206</StsId><OrgnlInstrId>01-0391</OrgnlInstrId><OrgnlEndToEndId>INV-2027-0043</OrgnlEndToEndId><TxSts>RJCT</TxSts>
      <StsRsnInf><Rsn><Cd>MD01</Cd></Rsn><AddtlInf>PRE</AddtlInf></StsRsnInf>
      <OrgnlTxRef><Amt><InstdAmt Ccy="EUR">17.00</InstdAmt></Amt><ReqdColltnDt>2027-02-05</ReqdColltnDt></OrgnlTxRef></TxInfAndSts>
  </OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>`

function thrown(f: () => unknown): unknown {
  try {
    f()
  } catch (e) {
    return e
  }
  return undefined
}

describe('parseCbiSddStatusReport (CBISDDStsRptLogMsg)', () => {
  it('reads a CBI status report into the same returns as the equivalent pain.002', () => {
    const report = parseCbiSddStatusReport(statusReport)
    expect(report).toEqual(parsePain002(pain002))
    expect(report.transactions.map((t) => [t.originalEndToEndId, t.rejected, t.reasons[0]?.reasonCode])).toEqual([['INV-2027-0043', true, 'MD01']])
    expect(report.originalMessageId).toBe('ECOLE-2027-01-001')
  })

  /** Two logical messages answering the same request: the first rejects INV-A (AM04), the second INV-B (MD01). */
  const rejecting = (endToEndId: string, reason: string, n: number, originalMessageId = 'ECOLE-2027-01-001'): ModelStatusMessage => ({
    messageId: `DD270206UCC005184300${n}`, originalMessageId, groupStatus: 'PART', blockId: `${originalMessageId}-1`,
    transactions: [{ endToEndId, status: 'RJCT', reason, amount: '17.00' }, { endToEndId: `${endToEndId}-OK`, status: 'ACCP', amount: '5.00' }],
  })
  const twoMessages = [rejecting('INV-A', 'AM04', 1), rejecting('INV-B', 'MD01', 2)]

  it('reads every logical message of the envelope: a debit rejected in the second message is rejected too', () => {
    for (const prefixed of [false, true]) {
      const report = parseCbiSddStatusReport(writeCbiStatusReport({ messages: twoMessages, prefixed }))
      expect(report.transactions.filter((t) => t.rejected).map((t) => [t.originalEndToEndId, t.reasons[0]?.reasonCode])).toEqual([['INV-A', 'AM04'], ['INV-B', 'MD01']])
      expect(report.transactions.map((t) => t.originalEndToEndId)).toEqual(['INV-A', 'INV-A-OK', 'INV-B', 'INV-B-OK'])
      expect(report.originalMessageId).toBe('ECOLE-2027-01-001')
      // the first message's id names the report
      expect(report.messageId).toBe('DD270206UCC0051843001')
    }
  })

  it('gives one report per logical message, in file order, each with its own message id and request', () => {
    const messages = [rejecting('INV-A', 'AM04', 1), rejecting('INV-B', 'MD01', 2, 'ECOLE-2027-01-002'), rejecting('INV-C', 'AC01', 3)]
    const reports = parseCbiSddStatusReports(writeCbiStatusReport({ messages }))
    expect(reports.map((r) => [r.messageId, r.originalMessageId, r.transactions.filter((t) => t.rejected).map((t) => t.originalEndToEndId)])).toEqual([
      ['DD270206UCC0051843001', 'ECOLE-2027-01-001', ['INV-A']], ['DD270206UCC0051843002', 'ECOLE-2027-01-002', ['INV-B']], ['DD270206UCC0051843003', 'ECOLE-2027-01-001', ['INV-C']],
    ])
  })

  it('refuses to merge messages answering different requests into one report, naming the second request\'s OrgnlMsgId', () => {
    const caught = thrown(() => parseCbiSddStatusReport(writeCbiStatusReport({ messages: [rejecting('INV-A', 'AM04', 1), rejecting('INV-B', 'MD01', 2, 'ECOLE-2027-01-002')] })))
    expect(isEcoleError(caught, 'INVALID_INPUT')).toBe(true)
    expect((caught as Error).message).toContain('CBIEnvelSDDStsRptLogMsg[2]/CBISDDStsRptLogMsg/OrgnlGrpInfAndSts/OrgnlMsgId')
    expect((caught as Error).message).toContain('parseCbiSddStatusReports')
  })

  it('refuses a file whose NbOfLogMsg is not the number of logical messages it holds (a message may be missing), naming NbOfLogMsg', () => {
    for (const [messages, stated] of [[twoMessages, 3], [twoMessages.slice(0, 1), 2], [twoMessages, 1]] as const) {
      const caught = thrown(() => parseCbiSddStatusReports(writeCbiStatusReport({ messages: [...messages], stated })))
      expect(isEcoleError(caught, 'MALFORMED_BANK_FILE')).toBe(true)
      expect((caught as { details: { field: string } }).details.field).toBe('CBIBdySDDStsRpt/PhyMsgInf/NbOfLogMsg')
      expect((caught as Error).message).toContain(`holds ${messages.length}`)
    }
    expect(isEcoleError(thrown(() => parseCbiSddStatusReport(writeCbiStatusReport({ messages: twoMessages }).replace('<NbOfLogMsg>2<', '<NbOfLogMsg>two<'))), 'MALFORMED_BANK_FILE')).toBe(true)
  })

  it('refuses a file that is not well-formed XML (a message not closed) with MALFORMED_XML, giving the line and column', () => {
    const caught = thrown(() => parseCbiSddStatusReport(writeCbiStatusReport({ messages: twoMessages }).replace('</CBISDDStsRptLogMsg>', '')))
    expect(isEcoleError(caught, 'MALFORMED_XML')).toBe(true)
    expect((caught as { details: { line: number } }).details.line).toBeGreaterThan(0)
  })

  it('refuses a file without a CBISDDStsRptLogMsg with MALFORMED_BANK_FILE', () => {
    let caught: unknown
    try {
      parseCbiSddStatusReport(pain002)
    } catch (e) {
      caught = e
    }
    expect(isEcoleError(caught, 'MALFORMED_BANK_FILE')).toBe(true)
  })
})

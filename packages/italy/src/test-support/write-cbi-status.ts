/**
 * A CBI SDD status report writer used only by the tests (the library reads these reports; banks
 * write them): a small model of a `CBIBdySDDStsRpt` envelope and its logical messages, each the
 * pain.002.001.03 content (group header, original group, payment blocks) the GPA-Gruppo-Progetti-Avanzati
 * CBI bindings describe under `CBIEnvelSDDStsRptLogMsg/CBISDDStsRptLogMsg`.
 */

export interface ModelStatusTransaction { endToEndId: string; status: 'RJCT' | 'ACCP' | 'PDNG'; reason?: string | undefined; amount: string }
export interface ModelStatusMessage { messageId: string; originalMessageId: string; groupStatus: 'PART' | 'ACCP' | 'RJCT'; blockId: string; transactions: ModelStatusTransaction[] }
export interface ModelStatusReport { messages: ModelStatusMessage[]; stated?: number | undefined; prefixed?: boolean | undefined }

/** The pain.002.001.03 content of one logical message, its elements prefixed with `prefix` when given. */
export function statusMessageContent(m: ModelStatusMessage, prefix = ''): string {
  const e = (name: string, inner: string, attrs = ''): string => `<${prefix}${name}${attrs}>${inner}</${prefix}${name}>`
  const txs = m.transactions.map((t) => e('TxInfAndSts',
    e('OrgnlEndToEndId', t.endToEndId) + e('TxSts', t.status) + (t.reason ? e('StsRsnInf', e('Rsn', e('Cd', t.reason))) : '') +
    e('OrgnlTxRef', e('Amt', e('InstdAmt', t.amount, ' Ccy="EUR"')) + e('ReqdColltnDt', '2027-02-05')))).join('')
  return e('GrpHdr', e('MsgId', m.messageId) + e('CreDtTm', '2027-02-06T19:16:04')) +
    e('OrgnlGrpInfAndSts', e('OrgnlMsgId', m.originalMessageId) + e('OrgnlMsgNmId', 'CBISDDReqLogMsg.00.01.01') + e('GrpSts', m.groupStatus)) +
    (m.transactions.length > 0 ? e('OrgnlPmtInfAndSts', e('OrgnlPmtInfId', m.blockId) + txs) : '')
}

/** The envelope with every message, `NbOfLogMsg` the stated count (the number of messages unless told otherwise). */
export function writeCbiStatusReport(report: ModelStatusReport): string {
  const messages = report.messages.map((m) => report.prefixed
    ? `<CBIEnvelSDDStsRptLogMsg><LMSG:CBISDDStsRptLogMsg>${statusMessageContent(m, 'LMSG:')}</LMSG:CBISDDStsRptLogMsg></CBIEnvelSDDStsRptLogMsg>`
    : `<CBIEnvelSDDStsRptLogMsg><CBISDDStsRptLogMsg xmlns="urn:CBI:xsd:CBISDDStsRptLogMsg.00.01.00">${statusMessageContent(m)}</CBISDDStsRptLogMsg></CBIEnvelSDDStsRptLogMsg>`)
  return `<?xml version="1.0" encoding="UTF-8"?>
<CBIBdySDDStsRpt xmlns="urn:CBI:xsd:CBIBdySDDStsRpt.00.01.00"${report.prefixed ? ' xmlns:LMSG="urn:CBI:xsd:CBISDDStsRptLogMsg.00.01.00"' : ''}>
<PhyMsgInf><PhyMsgTpCd>STAT-RPT-INC-SDD-01</PhyMsgTpCd><NbOfLogMsg>${report.stated ?? report.messages.length}</NbOfLogMsg></PhyMsgInf>
${messages.join('\n')}
</CBIBdySDDStsRpt>`
}

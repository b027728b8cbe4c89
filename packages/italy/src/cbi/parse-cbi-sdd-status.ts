import { decodeXml, parsePain002, type PaymentStatusReport } from '@ecole/bank'
import { EcoleError } from '@ecole/core'

const ROOT = /<(?:([A-Za-z_][\w.-]*):)?CBISDDStsRptLogMsg\b[^>]*>/

/**
 * Reads a CBI SEPA direct-debit status report (`CBISDDStsRptLogMsg`, alone or inside its
 * `CBIBdySDDStsRpt` envelope, the bank's answer to a CBI request) into the same
 * {@link PaymentStatusReport} `parsePain002` returns: the CBI message carries the pain.002 group
 * header, original group and payment blocks with their transactions' statuses and reasons, so
 * rejected direct debits are handled the same way whichever format the bank used.
 *
 * @example
 * const report = parseCbiSddStatusReport(xml)
 * report.transactions.filter((t) => t.rejected).map((t) => [t.originalEndToEndId, t.reasons[0]?.reasonCode]) //=> [['INV-42', 'MD01']]
 * @throws EcoleError `MALFORMED_BANK_FILE` when there is no CBISDDStsRptLogMsg, or what `parsePain002` throws for its content.
 */
export function parseCbiSddStatusReport(input: string | Uint8Array): PaymentStatusReport {
  const xml = decodeXml(input, 'CBI status report')
  const open = ROOT.exec(xml)
  if (!open) {
    throw new EcoleError('MALFORMED_BANK_FILE', 'CBI status report: no CBISDDStsRptLogMsg element (is it a CBI SDD status report?)', { details: { field: 'CBISDDStsRptLogMsg' } })
  }
  const prefix = open[1] ? `${open[1]}:` : ''
  const close = xml.indexOf(`</${prefix}CBISDDStsRptLogMsg>`, open.index)
  if (close < 0) throw new EcoleError('MALFORMED_XML', 'CBI status report: CBISDDStsRptLogMsg is not closed', { details: { field: 'CBISDDStsRptLogMsg' } })
  const inner = xml.slice(open.index + open[0].length, close)
  // the prefixes declared on the element and its ancestors stay in scope around its content
  const declarations = new Map<string, string>()
  for (const m of xml.slice(0, open.index + open[0].length).matchAll(/\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*("[^"]*"|'[^']*')/g)) declarations.set(m[1]!, m[2]!)
  const ns = [...declarations].map(([p, v]) => ` xmlns:${p}=${v}`).join('')
  return parsePain002(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"${ns}><CstmrPmtStsRpt>${inner}</CstmrPmtStsRpt></Document>`)
}

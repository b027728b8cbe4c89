import { decodeXml, parsePain002, type PaymentStatusReport } from '@ecole/bank'
import { EcoleError } from '@ecole/core'
import { XMLValidator } from 'fast-xml-parser'

/** Where the envelope states how many logical messages it carries. */
const COUNT_FIELD = 'CBIBdySDDStsRpt/PhyMsgInf/NbOfLogMsg'
const MESSAGE = 'CBISDDStsRptLogMsg'

/**
 * The markup of an XML document, one token at a time: comments, CDATA sections, processing
 * instructions and the document type are skipped whole; a closing tag gives its name (group 1); an
 * opening tag its name (2), attributes (3) and the `/` of an empty element (4).
 */
const MARKUP = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE(?:[^[>]|\[[^\]]*\])*>|<\/([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g
const PREFIX_DECLARATION = /\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*("[^"]*"|'[^']*')/g

/** One logical message of a report: its content and the prefixed namespaces in scope around it. */
interface LogicalMessage {
  content: string
  prefixes: Map<string, string>
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1)

function malformedXml(message: string, field: string): EcoleError {
  return new EcoleError('MALFORMED_XML', `CBI status report: ${message}`, { details: { field } })
}

/** Every `CBISDDStsRptLogMsg` of the document, in file order, and the text of `NbOfLogMsg` when the envelope has one. */
function logicalMessages(xml: string): { messages: LogicalMessage[]; stated: string | undefined } {
  const stack: Array<{ name: string; prefixes: Map<string, string> }> = []
  const messages: LogicalMessage[] = []
  let open: { depth: number; start: number; prefixes: Map<string, string> } | undefined
  let count: { depth: number; start: number } | undefined
  let stated: string | undefined
  for (const m of xml.matchAll(MARKUP)) {
    const [token, closing, opening, attributes = '', empty] = m
    if (closing !== undefined) {
      const top = stack.pop()
      if (top === undefined || top.name !== closing) throw malformedXml(`</${closing}> closes ${top ? `<${top.name}>` : 'nothing'}`, localName(closing))
      if (open !== undefined && open.depth === stack.length) {
        messages.push({ content: xml.slice(open.start, m.index), prefixes: open.prefixes })
        open = undefined
      }
      if (count !== undefined && count.depth === stack.length) {
        stated = xml.slice(count.start, m.index).trim()
        count = undefined
      }
      continue
    }
    if (opening === undefined) continue
    // the prefixes declared on this element and its ancestors are in scope inside it
    const prefixes = new Map(stack.at(-1)?.prefixes)
    for (const d of attributes.matchAll(PREFIX_DECLARATION)) prefixes.set(d[1]!, d[2]!)
    const name = localName(opening)
    if (empty === '/') {
      if (name === MESSAGE && open === undefined) messages.push({ content: '', prefixes })
      continue
    }
    if (name === MESSAGE && open === undefined) open = { depth: stack.length, start: m.index + token.length, prefixes }
    if (name === 'NbOfLogMsg' && localName(stack.at(-1)?.name ?? '') === 'PhyMsgInf') count = { depth: stack.length, start: m.index + token.length }
    stack.push({ name: opening, prefixes })
  }
  if (open !== undefined) throw malformedXml(`${MESSAGE} is not closed`, MESSAGE)
  if (stack.length > 0) throw malformedXml(`<${stack.at(-1)!.name}> is not closed`, localName(stack.at(-1)!.name))
  return { messages, stated }
}

/**
 * Reads every logical message of a CBI SEPA direct-debit status report (`CBISDDStsRptLogMsg`,
 * alone or inside its `CBIBdySDDStsRpt` envelope, the bank's answer to CBI requests) into one
 * {@link PaymentStatusReport} each, in file order, as `parsePain002` reads a pain.002: a CBI
 * message carries the pain.002 group header, original group and payment blocks with their
 * transactions' statuses and reasons.
 *
 * The envelope may carry several logical messages (one `CBIEnvelSDDStsRptLogMsg` each, often one
 * per request file answered); every one is read. When the envelope states their number
 * (`PhyMsgInf/NbOfLogMsg`), it must be the number the file holds: a file that lost a message
 * could hide rejections, so it is refused rather than read in part.
 *
 * @example
 * const reports = parseCbiSddStatusReports(xml) // NbOfLogMsg 2: one report per logical message
 * reports.map((r) => [r.originalMessageId, r.transactions.filter((t) => t.rejected).map((t) => t.originalEndToEndId)])
 * //=> [['ECOLE-2027-01-001', ['INV-A']], ['ECOLE-2027-01-002', ['INV-B']]]
 * @throws EcoleError `MALFORMED_BANK_FILE` when there is no CBISDDStsRptLogMsg, or when `NbOfLogMsg` is not
 * the number of messages the file holds (`details.field` names it, `details.stated` and `details.found`);
 * `MALFORMED_XML` (line and column) when the file is not well-formed XML; what `parsePain002` throws for a message's content.
 */
export function parseCbiSddStatusReports(input: string | Uint8Array): PaymentStatusReport[] {
  const decoded = decodeXml(input, 'CBI status report')
  const xml = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded
  // well-formed first: then every construct the scan below meets is closed, and it reads the file once
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    const { line, col, msg } = valid.err
    throw new EcoleError('MALFORMED_XML', `CBI status report: not well-formed XML at line ${line}, column ${col}: ${msg}`, { details: { field: 'document', line, column: col } })
  }
  const { messages, stated } = logicalMessages(xml)
  if (messages.length === 0) {
    throw new EcoleError('MALFORMED_BANK_FILE', `CBI status report: no ${MESSAGE} element (is it a CBI SDD status report?)`, { details: { field: MESSAGE } })
  }
  if (stated !== undefined && !(/^\d{1,9}$/.test(stated) && Number(stated) === messages.length)) {
    const problem = /^\d{1,9}$/.test(stated) ? `says the file holds ${Number(stated)} logical messages, it holds ${messages.length}` : `${JSON.stringify(stated)} is not a number of messages`
    throw new EcoleError('MALFORMED_BANK_FILE', `CBI status report: ${COUNT_FIELD} ${problem}: a message may be missing, ask the bank for the file again`, {
      details: { field: COUNT_FIELD, stated, found: messages.length },
    })
  }
  return messages.map(({ content, prefixes }) => {
    const ns = [...prefixes].map(([p, v]) => ` xmlns:${p}=${v}`).join('')
    return parsePain002(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"${ns}><CstmrPmtStsRpt>${content}</CstmrPmtStsRpt></Document>`)
  })
}

/**
 * Reads a CBI SEPA direct-debit status report (`CBISDDStsRptLogMsg`, alone or inside its
 * `CBIBdySDDStsRpt` envelope, the bank's answer to a CBI request) into the same
 * {@link PaymentStatusReport} `parsePain002` returns, so rejected direct debits are handled the
 * same way whichever format the bank used.
 *
 * Every logical message of the file is read (see {@link parseCbiSddStatusReports}, which returns
 * them one by one). Several messages answering the same request with the same group status are
 * one report: their payment blocks and transactions in file order, the first message's id and
 * creation time. Messages answering different requests, or giving the same request different
 * group statuses, cannot be one report: read such a file with {@link parseCbiSddStatusReports}.
 *
 * @example
 * const report = parseCbiSddStatusReport(xml) // two logical messages answering ECOLE-2027-01-001
 * report.transactions.filter((t) => t.rejected).map((t) => [t.originalEndToEndId, t.reasons[0]?.reasonCode])
 * //=> [['INV-A', 'AM04'], ['INV-B', 'MD01']]
 * @throws EcoleError `MALFORMED_BANK_FILE` when there is no CBISDDStsRptLogMsg or `NbOfLogMsg` is not the number
 * of messages the file holds; `INVALID_INPUT` naming the message's `OrgnlMsgId` or `GrpSts` when its messages
 * answer different requests or disagree on the group status; what {@link parseCbiSddStatusReports} throws.
 */
export function parseCbiSddStatusReport(input: string | Uint8Array): PaymentStatusReport {
  const [first, ...others] = parseCbiSddStatusReports(input)
  const report = first!
  if (others.length === 0) return report
  others.forEach((other, i) => {
    const field = `CBIEnvelSDDStsRptLogMsg[${i + 2}]/${MESSAGE}/OrgnlGrpInfAndSts/${other.originalMessageId !== report.originalMessageId ? 'OrgnlMsgId' : 'GrpSts'}`
    if (other.originalMessageId !== report.originalMessageId) {
      throw EcoleError.invalidInput(field, `answers the request ${other.originalMessageId}, the first message ${report.originalMessageId}: read this file with parseCbiSddStatusReports (one report per message)`, { function: 'parseCbiSddStatusReport', field })
    }
    if (other.groupStatus !== report.groupStatus) {
      throw EcoleError.invalidInput(field, `is ${other.groupStatus ?? '(none)'}, the first message's ${report.groupStatus ?? '(none)'}: read this file with parseCbiSddStatusReports (one report per message)`, { function: 'parseCbiSddStatusReport', field })
    }
  })
  const all = [report, ...others]
  return {
    ...report,
    groupReasons: all.flatMap((r) => r.groupReasons),
    paymentInformation: all.flatMap((r) => r.paymentInformation),
    transactions: all.flatMap((r) => r.transactions),
  }
}

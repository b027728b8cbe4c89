import { EcoleError, isEcoleError, isLocalDate, type LocalDate, type MinorAmount } from '@ecole/core'
import type { StatementParty } from '../statement/bank-statement'
import { decimalToMinor } from '../statement/amount'
import { decodeXml } from '../xml/decode-xml'
import { readSmallXml } from '../xml/read-small-xml'
import { XmlReader } from '../xml/xml-read'
import type { XmlElement } from '../xml/xml-scanner'

/** Why a bank gave a status (pain.002 `StsRsnInf`). */
export interface StatusReason {
  /** ISO 20022 external status reason code (`AC01`, `AM04`, `MD06`, `MS02`, `NARR`...). */
  reasonCode?: string
  /** Proprietary reason, when no ISO code is given. */
  proprietaryReason?: string
  /** The bank's free text. */
  additionalInfo: string[]
}

/** The status of one transaction of the original file (pain.002 `TxInfAndSts`). */
export interface PaymentStatusTransaction {
  /** `OrgnlPmtInfId` of the payment block the transaction was in. */
  originalPaymentInformationId?: string
  /** `OrgnlInstrId`, when given. */
  originalInstructionId?: string
  /** `OrgnlEndToEndId`: the end-to-end id we set in the pain.008, the key to find our debit. */
  originalEndToEndId?: string
  /** `TxSts` (`RJCT`, `ACCP`, `PDNG`...), else the block's or the group's status. */
  status: string
  /** True when the status is a rejection (`RJCT`). */
  rejected: boolean
  /** Why. */
  reasons: StatusReason[]
  /** The original instructed amount in minor units, when the report repeats it. */
  amount?: MinorAmount
  /** The original requested collection date, when given. */
  requestedCollectionDate?: LocalDate
  /** The original mandate id (RUM), when given. */
  mandateId?: string
  /** The original debtor, when given. */
  debtor?: StatementParty
}

/** A payment block's status (pain.002 `OrgnlPmtInfAndSts`). */
export interface PaymentInformationStatus {
  /** `OrgnlPmtInfId`. */
  originalPaymentInformationId: string
  /** `PmtInfSts`, when given. */
  status?: string
  /** Why. */
  reasons: StatusReason[]
}

/**
 * A customer payment status report (pain.002): what the bank did with a pain.008 (or pain.001)
 * before settlement, typically rejections with their reason codes.
 */
export interface PaymentStatusReport {
  /** The report's `GrpHdr/MsgId`. */
  messageId: string
  /** The report's `GrpHdr/CreDtTm`, as given. */
  createdAt?: string
  /** `OrgnlMsgId`: the message id of our pain.008. */
  originalMessageId: string
  /** `OrgnlMsgNmId` (`pain.008.001.02`...), when given. */
  originalMessageType?: string
  /** `GrpSts` (`ACCP`, `PART`, `RJCT`...), when given. */
  groupStatus?: string
  /** Reasons given at group level. */
  groupReasons: StatusReason[]
  /** Status of each payment block the report mentions. */
  paymentInformation: PaymentInformationStatus[]
  /** Status of each transaction the report mentions, in file order. */
  transactions: PaymentStatusTransaction[]
}

function reasons(r: XmlReader, el: XmlElement | undefined): StatusReason[] {
  return r.all(el, 'StsRsnInf').map((s) => {
    const reason: StatusReason = { additionalInfo: r.all(s, 'AddtlInf').map((a) => r.text(a)).filter((x): x is string => x !== undefined) }
    const code = r.text(s, 'Rsn/Cd')
    if (code !== undefined) reason.reasonCode = code
    const prop = r.text(s, 'Rsn/Prtry')
    if (prop !== undefined) reason.proprietaryReason = prop
    return reason
  })
}

function transaction(r: XmlReader, tx: XmlElement, block: XmlElement | undefined, inherited: string | undefined, index: number): PaymentStatusTransaction {
  const e2e = r.text(tx, 'OrgnlEndToEndId')
  const status = r.text(tx, 'TxSts') ?? inherited
  const label = `TxInfAndSts ${index + 1}${e2e !== undefined ? ` (OrgnlEndToEndId ${e2e})` : ''}`
  if (status === undefined) throw r.error(tx, `${label}/TxSts`, 'is missing and no payment block or group status applies')
  const out: PaymentStatusTransaction = { status, rejected: status === 'RJCT', reasons: reasons(r, tx) }
  const pmtInfId = r.text(block, 'OrgnlPmtInfId')
  if (pmtInfId !== undefined) out.originalPaymentInformationId = pmtInfId
  const instr = r.text(tx, 'OrgnlInstrId')
  if (instr !== undefined) out.originalInstructionId = instr
  if (e2e !== undefined) out.originalEndToEndId = e2e
  const ref = r.at(tx, 'OrgnlTxRef')
  const amt = r.at(ref, 'Amt/InstdAmt')
  if (amt !== undefined) {
    const currency = amt.attrs?.Ccy
    if (currency === undefined) throw r.error(amt, `${label}/OrgnlTxRef/Amt/InstdAmt/@Ccy`, 'is missing')
    const minor = decimalToMinor(amt.text.trim(), currency)
    if (typeof minor === 'string') throw r.error(amt, `${label}/OrgnlTxRef/Amt/InstdAmt`, minor)
    out.amount = { minor, currency }
  }
  const date = r.text(ref, 'ReqdColltnDt') ?? r.text(ref, 'ReqdColltnDt/Dt')
  if (date !== undefined) {
    if (!isLocalDate(date)) throw r.error(tx, `${label}/OrgnlTxRef/ReqdColltnDt`, `is not a date: ${JSON.stringify(date)}`)
    out.requestedCollectionDate = date
  }
  const mandate = r.text(ref, 'MndtRltdInf/MndtId') ?? r.text(ref, 'MndtRltdInf/DrctDbtMndt/MndtId')
  if (mandate !== undefined) out.mandateId = mandate
  const name = r.text(ref, 'Dbtr/Nm') ?? r.text(ref, 'Dbtr/Pty/Nm')
  const iban = r.text(ref, 'DbtrAcct/Id/IBAN')
  const bic = r.text(ref, 'DbtrAgt/FinInstnId/BIC') ?? r.text(ref, 'DbtrAgt/FinInstnId/BICFI')
  if (name !== undefined || iban !== undefined || bic !== undefined) {
    out.debtor = {}
    if (name !== undefined) out.debtor.name = name
    if (iban !== undefined) out.debtor.iban = iban
    if (bic !== undefined) out.debtor.bic = bic
  }
  return out
}

/**
 * Reads a customer payment status report (pain.002, any `.001.xx` version and bank-community
 * variants in other namespaces: elements are read by local name) into a
 * {@link PaymentStatusReport}: the original message, group and payment-block statuses, and each
 * transaction's status with its reason codes. Rejections before settlement (`TxSts=RJCT`) are the
 * transactions with `rejected: true`; find our debit by `originalEndToEndId`.
 *
 * @example
 * const report = parsePain002(xml)
 * report.transactions.filter((t) => t.rejected).map((t) => [t.originalEndToEndId, t.reasons[0]?.reasonCode])
 * //=> [['E2EID1', 'AC01'], ...]
 * Bytes are decoded as the XML prolog declares (UTF-8, ISO-8859-1, UTF-16 with a byte-order mark).
 *
 * @throws EcoleError `MALFORMED_XML` (line and column) or `MALFORMED_BANK_FILE` naming the field;
 * `INVALID_INPUT` for input that is neither a string nor bytes.
 */
export function parsePain002(input: string | Uint8Array): PaymentStatusReport {
  const xml = decodeXml(input, 'pain.002')
  let root: XmlElement
  try {
    root = readSmallXml(xml, 'pain.002')
  } catch (e) {
    if (isEcoleError(e)) throw e
    throw new EcoleError('MALFORMED_XML', `pain.002: could not read the document: ${String(e)}`, { cause: e })
  }
  const r = new XmlReader(xml, 'pain.002')
  const report = root.name === 'Document' ? r.at(root, 'CstmrPmtStsRpt') : undefined
  if (report === undefined) {
    const found = root.name === 'Document' ? (root.children[0]?.name ?? 'nothing') : root.name
    throw r.error(root, 'Document/CstmrPmtStsRpt', `is not a pain.002 payment status report (found <${found}>)`)
  }
  const group = r.at(report, 'OrgnlGrpInfAndSts')
  if (group === undefined) throw r.error(report, 'CstmrPmtStsRpt/OrgnlGrpInfAndSts', 'is missing')
  const groupStatus = r.text(group, 'GrpSts')
  const out: PaymentStatusReport = {
    messageId: r.required(report, 'GrpHdr/MsgId'),
    originalMessageId: r.required(group, 'OrgnlMsgId'),
    groupReasons: reasons(r, group),
    paymentInformation: [],
    transactions: [],
  }
  const created = r.text(report, 'GrpHdr/CreDtTm')
  if (created !== undefined) out.createdAt = created
  const type = r.text(group, 'OrgnlMsgNmId')
  if (type !== undefined) out.originalMessageType = type
  if (groupStatus !== undefined) out.groupStatus = groupStatus
  for (const block of r.all(report, 'OrgnlPmtInfAndSts')) {
    const status = r.text(block, 'PmtInfSts')
    const info: PaymentInformationStatus = { originalPaymentInformationId: r.required(block, 'OrgnlPmtInfId'), reasons: reasons(r, block) }
    if (status !== undefined) info.status = status
    out.paymentInformation.push(info)
    for (const tx of r.all(block, 'TxInfAndSts')) {
      out.transactions.push(transaction(r, tx, block, status ?? groupStatus, out.transactions.length))
    }
  }
  // pain.002.001.02 and some banks list transactions directly under the report
  for (const tx of r.all(report, 'TxInfAndSts')) out.transactions.push(transaction(r, tx, undefined, groupStatus, out.transactions.length))
  return out
}

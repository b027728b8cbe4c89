import { EcoleError, isEcoleError, type MinorAmount } from '@ecole/core'
import { decimalToMinor } from '../statement/amount'
import { decodeXml } from '../xml/decode-xml'
import { XmlReader } from '../xml/xml-read'
import { scanXml, type XmlElement } from '../xml/xml-scanner'
import type { PaymentStatusReport, StatusReason } from './parse-pain-002'

/**
 * One debit a payment status report rejects, with the level the bank rejected it at.
 *
 * @example
 * const d: RejectedDebit = { endToEndId: 'DD2701-b:g1', paymentInformationId: 'DD-2027-01-1', level: 'paymentInformation', reasonCode: 'FF01', reasons: [] }
 */
export interface RejectedDebit {
  /** The end-to-end id of our debit: the key to find its payment. */
  endToEndId: string
  /** The payment block (`PmtInfId`) it was in, when known. */
  paymentInformationId?: string
  /** Where the rejection was given: the whole file (`group`), its payment block, or the debit itself. */
  level: 'group' | 'paymentInformation' | 'transaction'
  /** The reason code to record: the most specific the report gives, `MS03` ("reason not specified") when it gives none. */
  reasonCode: string
  /** Every reason the report gives at that level. */
  reasons: StatusReason[]
  /** The debit's amount, from the original file or the report, when either gives it. */
  amount?: MinorAmount
}

/** A debit of the original pain.008: its block, end-to-end id and amount. */
interface OriginalDebit {
  paymentInformationId: string
  endToEndId: string
  amount?: MinorAmount
}

/** The message id and the debits, block by block, of a pain.008 (any `.001.xx` version, read by local name). */
function readOriginal(input: string | Uint8Array): { messageId: string; blocks: Map<string, OriginalDebit[]> } {
  const xml = decodeXml(input, 'pain.008')
  let root: XmlElement
  try {
    root = scanXml(xml, { subject: 'pain.008' })
  } catch (e) {
    if (isEcoleError(e)) throw e
    throw new EcoleError('MALFORMED_XML', `pain.008: could not read the document: ${String(e)}`, { cause: e })
  }
  const r = new XmlReader(xml, 'pain.008')
  const message = root.name === 'Document' ? r.at(root, 'CstmrDrctDbtInitn') : undefined
  if (message === undefined) {
    const found = root.name === 'Document' ? (root.children[0]?.name ?? 'nothing') : root.name
    throw r.error(root, 'Document/CstmrDrctDbtInitn', `is not a pain.008 direct debit initiation (found <${found}>)`)
  }
  const blocks = new Map<string, OriginalDebit[]>()
  for (const block of r.all(message, 'PmtInf')) {
    const id = r.required(block, 'PmtInfId')
    const debits = blocks.get(id) ?? []
    blocks.set(id, debits)
    for (const tx of r.all(block, 'DrctDbtTxInf')) {
      const debit: OriginalDebit = { paymentInformationId: id, endToEndId: r.required(tx, 'PmtId/EndToEndId') }
      const amt = r.at(tx, 'InstdAmt')
      const currency = amt?.attrs?.Ccy
      if (amt !== undefined && currency !== undefined) {
        const minor = decimalToMinor(amt.text.trim(), currency)
        if (typeof minor === 'string') throw r.error(amt, 'DrctDbtTxInf/InstdAmt', minor)
        debit.amount = { minor, currency }
      }
      debits.push(debit)
    }
  }
  return { messageId: r.required(message, 'GrpHdr/MsgId'), blocks }
}

const NOT_SPECIFIED = 'MS03'

/** `INVALID_INPUT` for `field`, named in the message and in `details.field`. */
function invalid(field: string, problem: string): EcoleError {
  return EcoleError.invalidInput(field, problem, { function: 'rejectedDebits', field })
}

/** The first ISO reason code among `lists`, tried in order (the most specific first). */
function reasonOf(...lists: ReadonlyArray<readonly StatusReason[]>): string | undefined {
  for (const list of lists) for (const r of list) if (r.reasonCode !== undefined) return r.reasonCode
  return undefined
}

/**
 * The debits a payment status report (pain.002, read with `parsePain002`) rejects, one per
 * end-to-end id, in the original file's order: those it rejects one by one (`TxSts` `RJCT`), and
 * also, given `original` (the pain.008 the report answers), every debit of a payment block the
 * bank rejected whole (`PmtInfSts` `RJCT`) and every debit of the file when it rejected the whole
 * file (`GrpSts` `RJCT`). Banks often send such reports with no transaction listed: reading only
 * the transactions would leave every debit of a refused file counted as collected.
 *
 * Each debit's reason code is the most specific given (the transaction's, its block's, the
 * group's), `MS03` (reason not specified) when the report gives none.
 *
 * @example
 * const report = parsePain002(statusXml) // GrpSts RJCT, no transaction listed
 * rejectedDebits(report, storedPain008).map((d) => [d.endToEndId, d.level, d.reasonCode])
 * //=> [['DD2701-b:g1', 'group', 'FF01'], ['DD2701-b:g2', 'group', 'FF01']]
 * @throws EcoleError `INVALID_INPUT` when the report rejects a whole file or payment block and
 * `original` is not given, when `original` is another file than the one the report answers (its
 * message id), when the report names a payment block or debit the file does not hold, or when it
 * rejects a transaction without naming its end-to-end id; `MALFORMED_XML` or `MALFORMED_BANK_FILE`
 * for an `original` that is not a readable pain.008.
 */
export function rejectedDebits(report: PaymentStatusReport, original?: string | Uint8Array): RejectedDebit[] {
  if (typeof report !== 'object' || report === null || !Array.isArray(report.transactions) || !Array.isArray(report.paymentInformation) || !Array.isArray(report.groupReasons)) {
    throw invalid('report', 'must be a payment status report as parsePain002 reads it')
  }
  const file = original === undefined ? undefined : readOriginal(original)
  if (file !== undefined && file.messageId !== report.originalMessageId) {
    throw invalid('original', `is the pain.008 ${file.messageId}, but the report answers ${report.originalMessageId}`)
  }
  const groupRejected = report.groupStatus === 'RJCT'
  const rejectedBlocks = report.paymentInformation.filter((b) => b.status === 'RJCT')
  if (file === undefined && (groupRejected || rejectedBlocks.length > 0)) {
    const what = groupRejected ? 'the whole file (GrpSts RJCT)' : `the payment block ${rejectedBlocks[0]!.originalPaymentInformationId} (PmtInfSts RJCT)`
    throw invalid('original', `is needed: the report rejects ${what}; give the pain.008 ${report.originalMessageId} to know which debits it held`)
  }
  const out = new Map<string, RejectedDebit>()
  const amountOf = new Map<string, MinorAmount>()
  if (file !== undefined) for (const list of file.blocks.values()) for (const d of list) if (d.amount) amountOf.set(d.endToEndId, d.amount)
  const add = (d: RejectedDebit) => {
    const amount = d.amount ?? amountOf.get(d.endToEndId)
    out.set(d.endToEndId, amount ? { ...d, amount } : d)
  }
  if (file !== undefined) {
    if (groupRejected) {
      for (const list of file.blocks.values()) for (const d of list) {
        add({ endToEndId: d.endToEndId, paymentInformationId: d.paymentInformationId, level: 'group', reasonCode: reasonOf(report.groupReasons) ?? NOT_SPECIFIED, reasons: report.groupReasons })
      }
    }
    report.paymentInformation.forEach((b, i) => {
      if (b.status !== 'RJCT') return
      const list = file.blocks.get(b.originalPaymentInformationId)
      if (list === undefined) {
        throw invalid(`report.paymentInformation.${i}.originalPaymentInformationId`, `names ${b.originalPaymentInformationId}, a payment block the pain.008 ${file.messageId} does not hold`)
      }
      for (const d of list) {
        add({ endToEndId: d.endToEndId, paymentInformationId: d.paymentInformationId, level: 'paymentInformation', reasonCode: reasonOf(b.reasons, report.groupReasons) ?? NOT_SPECIFIED, reasons: b.reasons })
      }
    })
  }
  const known = file === undefined ? undefined : new Set([...file.blocks.values()].flat().map((d) => d.endToEndId))
  report.transactions.forEach((t, i) => {
    if (!t.rejected) return
    const e2e = t.originalEndToEndId
    if (e2e === undefined) {
      throw invalid(`report.transactions.${i}.originalEndToEndId`, 'is missing on a rejected transaction: find the debit by hand (its mandate, amount, debtor) and record its return')
    }
    if (known !== undefined && !known.has(e2e)) {
      throw invalid(`report.transactions.${i}.originalEndToEndId`, `names ${e2e}, a debit the pain.008 ${report.originalMessageId} does not hold`)
    }
    const block = report.paymentInformation.find((b) => b.originalPaymentInformationId === t.originalPaymentInformationId)
    const d: RejectedDebit = { endToEndId: e2e, level: 'transaction', reasonCode: reasonOf(t.reasons, block?.reasons ?? [], report.groupReasons) ?? NOT_SPECIFIED, reasons: t.reasons }
    if (t.originalPaymentInformationId !== undefined) d.paymentInformationId = t.originalPaymentInformationId
    if (t.amount !== undefined) d.amount = t.amount
    add(d)
  })
  if (file === undefined) return [...out.values()]
  // in the original file's order
  const order = new Map([...file.blocks.values()].flat().map((d, n) => [d.endToEndId, n]))
  return [...out.values()].sort((a, b) => order.get(a.endToEndId)! - order.get(b.endToEndId)!)
}

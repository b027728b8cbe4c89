import { EcoleError, isLocalDate, isEcoleError, type LocalDate, type MinorAmount } from '@ecole/core'
import type {
  BankStatement, CreditDebit, Remittance, ReturnInfo, StatementBalance, StatementEntry, StatementParty, StructuredReference,
  TransactionDetails,
} from '../statement/bank-statement'
import { decimalToMinor, minorToDecimal } from '../statement/amount'
import { balanceChecks, compare, statementCurrency, type StatementCheck } from '../statement/check-statement'
import { decodeXml } from '../xml/decode-xml'
import { XmlReader } from '../xml/xml-read'
import { scanXml, type XmlElement } from '../xml/xml-scanner'

const DETACH = new Set(['Ntry'])

/** The camt messages @ecole reads and their root and statement element names. */
const KINDS = {
  'camt.052': { root: 'BkToCstmrAcctRpt', statement: 'Rpt' },
  'camt.053': { root: 'BkToCstmrStmt', statement: 'Stmt' },
  'camt.054': { root: 'BkToCstmrDbtCdtNtfctn', statement: 'Ntfctn' },
} as const

/** An entry mapped while streaming, with the figures the file gives for its batch. */
interface MappedEntry {
  entry: StatementEntry
  checks: StatementCheck[]
  /** The entry's `NtryRef` when it has no `AcctSvcrRef` (qualified by account and statement once they are read). */
  entryRef?: string | undefined
}

/**
 * Reads a camt.052, camt.053 or camt.054 document of any `.001.xx` version into
 * {@link BankStatement}s, each with its checks. Shared by `parseCamt052`, `parseCamt053` and
 * `parseCamt054`.
 */
export function parseCamt(input: string | Uint8Array, kind: keyof typeof KINDS): BankStatement[] {
  const xml = decodeXml(input, kind)
  const r = new XmlReader(xml, kind)
  const entriesOf = new Map<XmlElement, MappedEntry[]>()
  let root: XmlElement
  try {
    root = scanXml(xml, {
      subject: kind,
      detach: DETACH,
      onDetached: (el, parent) => {
        let list = entriesOf.get(parent)
        if (list === undefined) entriesOf.set(parent, (list = []))
        list.push(mapEntry(r, el, list.length))
      },
    })
  } catch (e) {
    if (isEcoleError(e)) throw e
    throw new EcoleError('MALFORMED_XML', `${kind}: could not read the document: ${String(e)}`, { cause: e })
  }
  const spec = KINDS[kind]
  const message = root.name === 'Document' ? r.at(root, spec.root) : undefined
  if (message === undefined) {
    const found = root.name === 'Document' ? (root.children[0]?.name ?? 'nothing') : root.name
    throw r.error(root, `Document/${spec.root}`, `is not a ${kind} message (found <${found}>)`)
  }
  const messageId = r.text(message, 'GrpHdr/MsgId')
  const statements: BankStatement[] = []
  for (const stmt of r.all(message, spec.statement)) {
    const id = r.required(stmt, 'Id')
    const mapped = entriesOf.get(stmt) ?? []
    const acct = r.at(stmt, 'Acct')
    const accountId = r.text(acct, 'Id/IBAN') ?? r.text(acct, 'Id/Othr/Id') ?? ''
    const entries = mapped.map((m, i) => {
      // an AcctSvcrRef is the bank's own key for the entry; a NtryRef is unique only within its
      // statement (banks number entries 1, 2... each day), so it is qualified by the account and
      // the statement: two days of one account, each with an entry "1", stay two entries
      if (m.entry.reference === '') {
        m.entry.reference = m.entryRef !== undefined ? `${accountId}/${id}/${m.entryRef}` : `${id}/${i + 1}`
        m.entry.referenceSource = 'parser'
      }
      for (const c of m.checks) c.entryReference = m.entry.reference
      return m.entry
    })
    const statement: BankStatement = {
      format: kind,
      id,
      account: {
        iban: r.text(acct, 'Id/IBAN'),
        otherId: r.text(acct, 'Id/Othr/Id'),
        currency: r.text(acct, 'Ccy'),
        ownerName: r.text(acct, 'Ownr/Nm') ?? r.text(acct, 'Ownr/Pty/Nm'),
        bic: r.text(acct, 'Svcr/FinInstnId/BIC') ?? r.text(acct, 'Svcr/FinInstnId/BICFI'),
      },
      balances: r.all(stmt, 'Bal').map((b) => mapBalance(r, b)),
      entries,
      additionalInfo: [...r.all(stmt, 'AddtlStmtInf'), ...r.all(stmt, 'AddtlNtfctnInf'), ...r.all(stmt, 'AddtlRptInf')].map((a) => r.text(a)).filter((x): x is string => x !== undefined),
      checks: [],
    }
    const seq = r.text(stmt, 'ElctrncSeqNb') ?? r.text(stmt, 'LglSeqNb')
    if (seq !== undefined) statement.sequenceNumber = seq
    const created = r.text(stmt, 'CreDtTm') ?? r.text(message, 'GrpHdr/CreDtTm')
    if (created !== undefined) statement.createdAt = created
    if (messageId !== undefined) statement.messageId = messageId
    if (statement.account.currency !== undefined) money(r, acct as XmlElement, 'Acct/Ccy', '0', statement.account.currency)
    statement.checks = [...balanceChecks(statement), ...summaryChecks(r, stmt, statement), ...mapped.flatMap((m) => m.checks)]
    statements.push(statement)
  }
  return statements
}

function money(r: XmlReader, el: XmlElement, field: string, text: string, currency: string): bigint {
  const minor = decimalToMinor(text, currency)
  if (typeof minor === 'string') throw r.error(el, field, minor)
  return minor
}

function amountOf(r: XmlReader, el: XmlElement, path: string): MinorAmount {
  const amt = r.at(el, path)
  if (amt === undefined) throw r.error(el, `${el.name}/${path}`, 'is missing')
  const currency = amt.attrs?.Ccy
  if (currency === undefined) throw r.error(amt, `${el.name}/${path}/@Ccy`, 'is missing (the currency of the amount)')
  return { minor: money(r, amt, `${el.name}/${path}`, amt.text.trim(), currency), currency: currency }
}

function creditDebit(r: XmlReader, el: XmlElement, path: string): CreditDebit {
  const v = r.required(el, path)
  if (v === 'CRDT') return 'credit'
  if (v === 'DBIT') return 'debit'
  throw r.error(el, `${el.name}/${path}`, `must be CRDT or DBIT, got ${JSON.stringify(v)}`)
}

function dateOf(r: XmlReader, el: XmlElement | undefined, path: string): LocalDate | undefined {
  const d = r.at(el, path)
  if (d === undefined || el === undefined) return undefined
  const raw = r.text(d, 'Dt') ?? r.text(d, 'DtTm')
  if (raw === undefined) return undefined
  const date = raw.slice(0, 10)
  if (!isLocalDate(date)) throw r.error(d, `${el.name}/${path}`, `is not a date: ${JSON.stringify(raw)}`)
  return date
}

const BALANCE_KIND: Record<string, StatementBalance['kind']> = {
  OPBD: 'opening', PRCD: 'opening', CLBD: 'closing', OPAV: 'openingAvailable', CLAV: 'closingAvailable',
}

function mapBalance(r: XmlReader, b: XmlElement): StatementBalance {
  const code = r.text(b, 'Tp/CdOrPrtry/Cd') ?? r.text(b, 'Tp/CdOrPrtry/Prtry')
  if (code === undefined) throw r.error(b, 'Bal/Tp/CdOrPrtry/Cd', 'is missing (the balance type)')
  const amount = amountOf(r, b, 'Amt')
  const balance: StatementBalance = {
    kind: BALANCE_KIND[code] ?? 'other',
    code,
    amount: creditDebit(r, b, 'CdtDbtInd') === 'debit' ? { minor: -amount.minor, currency: amount.currency } : amount,
  }
  const date = dateOf(r, b, 'Dt')
  if (date !== undefined) balance.date = date
  return balance
}

function statusOf(r: XmlReader, el: XmlElement): StatementEntry['status'] {
  const s = r.text(el, 'Sts/Cd') ?? r.text(el, 'Sts/Prtry') ?? r.text(el, 'Sts')
  if (s === undefined) throw r.error(el, 'Ntry/Sts', 'is missing (BOOK, PDNG or INFO)')
  if (s === 'BOOK') return 'booked'
  if (s === 'PDNG' || s === 'FUTR') return 'pending'
  if (s === 'INFO') return 'info'
  throw r.error(el, 'Ntry/Sts', `must be BOOK, PDNG, FUTR or INFO, got ${JSON.stringify(s)}`)
}

function transactionCode(r: XmlReader, el: XmlElement | undefined): string | undefined {
  const domain = r.text(el, 'BkTxCd/Domn/Cd')
  if (domain !== undefined) {
    return [domain, r.text(el, 'BkTxCd/Domn/Fmly/Cd'), r.text(el, 'BkTxCd/Domn/Fmly/SubFmlyCd')].filter((x) => x !== undefined).join('-')
  }
  return r.text(el, 'BkTxCd/Prtry/Cd')
}

function party(r: XmlReader, tx: XmlElement, role: 'Dbtr' | 'Cdtr'): StatementParty | undefined {
  const p = r.at(tx, `RltdPties/${role}`)
  const acct = r.at(tx, `RltdPties/${role}Acct`)
  const agent = r.at(tx, `RltdAgts/${role}Agt/FinInstnId`)
  if (p === undefined && acct === undefined && agent === undefined) return undefined
  const out: StatementParty = {}
  const name = r.text(p, 'Nm') ?? r.text(p, 'Pty/Nm')
  if (name !== undefined) out.name = name
  const iban = r.text(acct, 'Id/IBAN') ?? r.text(acct, 'Id/Othr/Id')
  if (iban !== undefined) out.iban = iban
  const bic = r.text(agent, 'BIC') ?? r.text(agent, 'BICFI')
  if (bic !== undefined) out.bic = bic
  return out
}

function remittance(r: XmlReader, tx: XmlElement): Remittance {
  const rmt = r.at(tx, 'RmtInf')
  const unstructured: string[] = []
  const structured: StructuredReference[] = []
  if (rmt !== undefined) {
    for (const u of r.all(rmt, 'Ustrd')) {
      const t = r.text(u)
      if (t !== undefined) unstructured.push(t)
    }
    for (const s of r.all(rmt, 'Strd')) {
      const extra = r.all(s, 'AddtlRmtInf').map((a) => r.text(a)).filter((x): x is string => x !== undefined)
      const refs = r.all(s, 'CdtrRefInf')
      for (const c of refs) {
        const reference = r.text(c, 'Ref')
        if (reference === undefined) continue
        const ref: StructuredReference = { reference }
        const type = r.text(c, 'Tp/CdOrPrtry/Cd') ?? r.text(c, 'Tp/CdOrPrtry/Prtry')
        if (type !== undefined) ref.type = type
        const issuer = r.text(c, 'Tp/Issr')
        if (issuer !== undefined) ref.issuer = issuer
        if (extra.length > 0) ref.additionalInfo = extra.join(' ')
        structured.push(ref)
      }
      if (refs.length === 0) unstructured.push(...extra)
    }
  }
  return { structured, unstructured }
}

function returnInfo(r: XmlReader, tx: XmlElement): ReturnInfo | undefined {
  const rtr = r.at(tx, 'RtrInf')
  if (rtr === undefined) return undefined
  const info: ReturnInfo = {
    additionalInfo: r.all(rtr, 'AddtlInf').map((a) => r.text(a)).filter((x): x is string => x !== undefined),
  }
  const code = r.text(rtr, 'Rsn/Cd')
  if (code !== undefined) info.reasonCode = code
  const prop = r.text(rtr, 'Rsn/Prtry')
  if (prop !== undefined) info.proprietaryReason = prop
  return info
}

function mapTransaction(r: XmlReader, tx: XmlElement): TransactionDetails {
  const details: TransactionDetails = { remittance: remittance(r, tx) }
  const amtEl = r.at(tx, 'Amt') ?? r.at(tx, 'AmtDtls/TxAmt/Amt') ?? r.at(tx, 'AmtDtls/InstdAmt/Amt')
  if (amtEl !== undefined) {
    const currency = amtEl.attrs?.Ccy
    if (currency === undefined) throw r.error(amtEl, 'TxDtls/Amt/@Ccy', 'is missing (the currency of the amount)')
    details.amount = { minor: money(r, amtEl, 'TxDtls/Amt', amtEl.text.trim(), currency), currency: currency }
  }
  if (r.at(tx, 'CdtDbtInd') !== undefined) details.creditDebit = creditDebit(r, tx, 'CdtDbtInd')
  const set = (key: 'endToEndId' | 'mandateId' | 'instructionId' | 'accountServicerReference', value: string | undefined) => {
    if (value !== undefined && !(key === 'endToEndId' && value === 'NOTPROVIDED')) details[key] = value
  }
  set('endToEndId', r.text(tx, 'Refs/EndToEndId'))
  set('mandateId', r.text(tx, 'Refs/MndtId') ?? r.text(tx, 'RltdRmtInf/MndtId'))
  set('instructionId', r.text(tx, 'Refs/InstrId'))
  set('accountServicerReference', r.text(tx, 'Refs/AcctSvcrRef'))
  const debtor = party(r, tx, 'Dbtr')
  if (debtor !== undefined) details.debtor = debtor
  const creditor = party(r, tx, 'Cdtr')
  if (creditor !== undefined) details.creditor = creditor
  const ret = returnInfo(r, tx)
  if (ret !== undefined) details.returnInfo = ret
  const code = transactionCode(r, tx)
  if (code !== undefined) details.bankTransactionCode = code
  return details
}

function mapEntry(r: XmlReader, el: XmlElement, index: number): MappedEntry {
  const amount = amountOf(r, el, 'Amt')
  const cd0 = creditDebit(r, el, 'CdtDbtInd')
  const entry: StatementEntry = {
    reference: r.text(el, 'AcctSvcrRef') ?? '',
    referenceSource: 'bank',
    amount,
    creditDebit: cd0,
    reversal: isTrue(r.text(el, 'RvslInd')),
    status: statusOf(r, el),
    transactions: [],
    additionalInfo: r.all(el, 'AddtlNtryInf').map((a) => r.text(a)).filter((x): x is string => x !== undefined),
  }
  const booking = dateOf(r, el, 'BookgDt')
  if (booking !== undefined) entry.bookingDate = booking
  const value = dateOf(r, el, 'ValDt')
  if (value !== undefined) entry.valueDate = value
  const code = transactionCode(r, el)
  if (code !== undefined) entry.bankTransactionCode = code
  const checks: StatementCheck[] = []
  const label = `entry ${index + 1}`
  const currency = amount.currency
  let declaredCount = 0
  let everyCountGiven = true
  let batchTotal: bigint | undefined = 0n
  const txElements: XmlElement[] = []
  for (const dtls of r.all(el, 'NtryDtls')) {
    const elements = r.all(dtls, 'TxDtls')
    txElements.push(...elements)
    const txs = elements.map((t) => mapTransaction(r, t))
    entry.transactions.push(...txs)
    const nb = r.text(dtls, 'Btch/NbOfTxs')
    if (nb === undefined) everyCountGiven = false
    else {
      if (!/^\d{1,15}$/.test(nb)) throw r.error(dtls, 'NtryDtls/Btch/NbOfTxs', `must be a number of transactions, got ${JSON.stringify(nb)}`)
      const stated = Number(nb)
      declaredCount += stated
      const listed = txs.length
      checks.push(listed < stated
        ? { rule: 'batch', figure: `${label} Btch/NbOfTxs`, stated: String(stated), computed: String(listed), severity: 'ok', convention: `transaction details are optional: ${listed} of ${stated} listed` }
        : compare('batch', `${label} Btch/NbOfTxs`, String(stated), String(listed)))
    }
    const ttl = r.at(dtls, 'Btch/TtlAmt')
    if (ttl === undefined || batchTotal === undefined) batchTotal = undefined
    else {
      const ccy = ttl.attrs?.Ccy ?? currency
      const minor = money(r, ttl, 'NtryDtls/Btch/TtlAmt', ttl.text.trim(), ccy)
      const cd = r.at(dtls, 'Btch/CdtDbtInd') === undefined ? cd0 : creditDebit(r, dtls, 'Btch/CdtDbtInd')
      batchTotal = ccy !== currency ? undefined : batchTotal + (cd === cd0 ? minor : -minor)
    }
  }
  if (batchTotal !== undefined && r.at(el, 'NtryDtls/Btch/TtlAmt') !== undefined) {
    checks.push(compare('batch', `${label} amount against Btch/TtlAmt`, minorToDecimal(amount.minor, currency), minorToDecimal(batchTotal, currency)))
  }
  const sumCheck = transactionsSumCheck(r, el, txElements, entry, label, everyCountGiven ? declaredCount : undefined)
  if (sumCheck !== undefined) checks.push(sumCheck)
  if (entry.transactions.length === 0) entry.transactions.push({ remittance: { structured: [], unstructured: [] } })
  const entryRef = entry.reference === '' ? r.text(el, 'NtryRef') : undefined
  return entryRef !== undefined ? { entry, checks, entryRef } : { entry, checks }
}

/**
 * The entry's `TxDtls` amounts against the entry's amount, when every `TxDtls` gives one in the
 * entry's currency and there are several (or fewer than the batch counts): each in its own
 * direction, the entry's when it gives none (camt.053.001.02 `TxDtls` have no `CdtDbtInd`). The
 * same sum decides whether reconciliation splits the entry (`entrySplit`): only when it is the
 * entry's amount. Otherwise:
 * - fewer `TxDtls` than `Btch/NbOfTxs` (details are optional): a `notice`, the entry's amount
 *   cannot be derived from the ones listed;
 * - the `TxDtls` less the charges the entry states (`Chrgs`, else those of its `TxDtls`; a charge
 *   with `ChrgInclInd` false is not in the entry's amount) give the entry's amount: `ok`, naming
 *   the charges (the file adds up; reconciliation keeps the entry whole for review all the same,
 *   since the transfers' own amounts are more than the bank credited);
 * - else a `disagreement` (the statement is held).
 */
function transactionsSumCheck(
  r: XmlReader, el: XmlElement, txElements: readonly XmlElement[], entry: StatementEntry, label: string, declared: number | undefined,
): StatementCheck | undefined {
  const { amount, creditDebit: cd0 } = entry
  const currency = amount.currency
  const txs = entry.transactions
  const listed = txs.length
  const partial = declared !== undefined && declared > listed
  if (listed === 0 || (listed === 1 && !partial) || !txs.every((t) => t.amount?.currency === currency)) return undefined
  let sum = 0n
  for (const t of txs) sum += (t.creditDebit ?? cd0) === cd0 ? (t.amount as MinorAmount).minor : -(t.amount as MinorAmount).minor
  const figure = `${label} amount against the sum of its TxDtls`
  const stated = minorToDecimal(amount.minor, currency)
  const computed = minorToDecimal(sum, currency)
  if (sum === amount.minor) return compare('batch', figure, stated, computed)
  if (partial) {
    return {
      rule: 'batch', figure, stated, computed, severity: 'notice',
      convention: `transaction details are optional: ${listed} of ${declared} listed, the entry's amount is not derivable from them (reconciled whole, for review)`,
    }
  }
  let charges = chargesOf(r, el, currency, cd0)
  if (charges === undefined && txElements.length > 0) {
    const each = txElements.map((t) => chargesOf(r, t, currency, cd0))
    charges = each.every((c) => c !== undefined) ? each.reduce((a: bigint, c) => a + (c as bigint), 0n) : undefined
  }
  if (charges !== undefined && charges !== 0n && sum + charges === amount.minor) {
    const taken = charges < 0n ? -charges : charges
    return {
      rule: 'batch', figure, stated, computed: stated, severity: 'ok',
      convention: `the TxDtls (${computed}) ${charges < 0n ? 'less' : 'plus'} the charges stated in Chrgs (${minorToDecimal(taken, currency)}): the entry is reconciled whole, for review`,
    }
  }
  return compare('batch', figure, stated, computed)
}

/**
 * The charges `el` (an `Ntry` or a `TxDtls`) states in `Chrgs` that are in the entry's amount,
 * counted in the entry's direction `cd0` (a charge debits the account unless it says `CRDT`): each
 * record (`Chrgs/Rcrd` from .001.04 on, each `Chrgs` before), else `TtlChrgsAndTaxAmt`; one with
 * `ChrgInclInd` false (added apart, as a pre-advice) left out. `undefined` when none is stated or
 * one is in another currency.
 */
function chargesOf(r: XmlReader, el: XmlElement, currency: string, cd0: CreditDebit): bigint | undefined {
  const blocks = r.all(el, 'Chrgs')
  if (blocks.length === 0) return undefined
  let total = 0n
  let found = false
  for (const block of blocks) {
    const records = r.all(block, 'Rcrd')
    const list = records.length > 0 ? records : r.at(block, 'Amt') !== undefined ? [block] : []
    if (list.length === 0) {
      const ttl = r.at(block, 'TtlChrgsAndTaxAmt')
      if (ttl === undefined) continue
      if ((ttl.attrs?.Ccy ?? currency) !== currency) return undefined
      total += cd0 === 'debit' ? money(r, ttl, 'Chrgs/TtlChrgsAndTaxAmt', ttl.text.trim(), currency) : -money(r, ttl, 'Chrgs/TtlChrgsAndTaxAmt', ttl.text.trim(), currency)
      found = true
      continue
    }
    for (const rec of list) {
      if (r.text(rec, 'ChrgInclInd') === 'false') continue
      const amt = r.at(rec, 'Amt') as XmlElement
      if ((amt.attrs?.Ccy ?? currency) !== currency) return undefined
      const minor = money(r, amt, 'Chrgs/Amt', amt.text.trim(), currency)
      const direction: CreditDebit = r.text(rec, 'CdtDbtInd') === 'CRDT' ? 'credit' : 'debit'
      total += direction === cd0 ? minor : -minor
      found = true
    }
  }
  return found ? total : undefined
}

function isTrue(v: string | undefined): boolean {
  return v === 'true' || v === '1'
}

function summaryChecks(r: XmlReader, stmt: XmlElement, statement: BankStatement): StatementCheck[] {
  const sum = r.at(stmt, 'TxsSummry')
  if (sum === undefined) return []
  const currency = statementCurrency(statement)
  const out: StatementCheck[] = []
  const groups: Array<[string, (e: StatementEntry) => boolean]> = [
    ['TtlNtries', () => true],
    ['TtlCdtNtries', (e) => e.creditDebit === 'credit'],
    ['TtlDbtNtries', (e) => e.creditDebit === 'debit'],
  ]
  for (const [name, keep] of groups) {
    const g = r.at(sum, name)
    if (g === undefined) continue
    const selected = statement.entries.filter(keep)
    const booked = selected.filter((e) => e.status === 'booked')
    const nb = r.text(g, 'NbOfNtries')
    if (nb !== undefined) {
      const stated = nb.replace(/^0+(?=\d)/, '')
      const check = compare('count', `TxsSummry/${name}/NbOfNtries`, stated, String(selected.length))
      if (check.severity !== 'ok' && booked.length !== selected.length && stated === String(booked.length)) {
        Object.assign(check, { severity: 'ok', computed: String(booked.length), convention: 'booked entries only (pending and information entries not counted)' })
      }
      out.push(check)
    }
    const stated = r.text(g, 'Sum')
    if (stated !== undefined && currency !== undefined && selected.every((e) => e.amount.currency === currency)) {
      const minor = money(r, g, `TxsSummry/${name}/Sum`, stated, currency)
      const all = selected.reduce((acc, e) => acc + e.amount.minor, 0n)
      const check = compare('sum', `TxsSummry/${name}/Sum`, minorToDecimal(minor, currency), minorToDecimal(all, currency))
      const bookedSum = booked.reduce((acc, e) => acc + e.amount.minor, 0n)
      if (check.severity !== 'ok' && bookedSum === minor) Object.assign(check, { severity: 'ok', computed: minorToDecimal(bookedSum, currency), convention: 'booked entries only' })
      out.push(check)
    }
  }
  const net = r.at(sum, 'TtlNtries/TtlNetNtry') ?? r.at(sum, 'TtlNtries/TtlNetNtryAmt')
  if (net !== undefined && currency !== undefined && statement.entries.every((e) => e.amount.currency === currency)) {
    const amt = r.text(net, 'Amt') ?? r.text(net)
    if (amt !== undefined) {
      const minor = money(r, net, 'TxsSummry/TtlNtries/TtlNetNtry/Amt', amt, currency)
      const signedStated = r.text(net, 'CdtDbtInd') === 'DBIT' ? -minor : minor
      const computed = statement.entries.reduce((acc, e) => acc + (e.creditDebit === 'credit' ? e.amount.minor : -e.amount.minor), 0n)
      out.push(compare('sum', 'TxsSummry/TtlNtries/TtlNetNtry', minorToDecimal(signedStated, currency), minorToDecimal(computed, currency)))
    }
  }
  return out
}

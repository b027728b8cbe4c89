import { EcoleError, isEcoleError, isLocalDate, parseInput, type LocalDate } from '@ecole/core'
import { isAscii } from 'node:buffer'
import iconv from 'iconv-lite'
import * as z from 'zod'
import type {
  BankStatement, CreditDebit, ReturnInfo, StatementBalance, StatementEntry, TransactionDetails,
} from '../statement/bank-statement'
import { decimalToMinor, minorToDecimal, moneyOfMinor } from '../statement/amount'
import { balanceChecks, compare, type StatementCheck } from '../statement/check-statement'

/** The encodings a CODA file may come in. Windows-1252 is the usual one; some banks send CP850. */
export const CodaEncodingSchema = z.enum(['windows-1252', 'cp850', 'utf-8'])

/** Options of {@link parseCoda}. */
export const CodaOptionsSchema = z
  .strictObject({
    /** How to decode bytes (ignored when the input is already a string). Default `windows-1252`. */
    encoding: CodaEncodingSchema.optional(),
  })
  .strict()

/** Options of {@link parseCoda}, as callers pass them. */
export type CodaOptions = z.input<typeof CodaOptionsSchema>

/** A CODA encoding name. */
export type CodaEncoding = z.output<typeof CodaEncodingSchema>

const R_KIND: Record<string, ReturnInfo['kind']> = { '0': 'paid', '1': 'reject', '2': 'return', '3': 'refund', '4': 'reversal', '5': 'cancellation' }
const REFUSAL: Record<string, string> = {
  '1': 'technical problem', '2': 'refused, reason not specified', '3': 'debtor disagrees', '4': "debtor's account problem",
}

/** A movement (record 2.1 and its 2.2 / 2.3) while its records are read. */
interface Movement {
  line: number
  seq: string
  detail: string
  bankRef: string
  creditDebit: CreditDebit
  minor: bigint
  valueDate?: LocalDate
  entryDate?: LocalDate
  code: string
  structured: boolean
  commType: string
  comm: string
  glob: string
  customerRef?: string
  bic?: string
  rType?: string
  rReason?: string
  counterpartyAccount?: string
  counterpartyName?: string
  info: string[]
  details: Movement[]
}

class CodaReader {
  constructor(readonly lines: readonly string[]) {}
  error(line: number, record: string, field: string, problem: string): EcoleError {
    return new EcoleError('MALFORMED_BANK_FILE', `CODA: line ${line}, record ${record}, field ${field}: ${problem}`, {
      details: { line, record, field, problem },
    })
  }
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim()
}

/** DDMMYY -> LocalDate already read (a file has few distinct dates); bounded. */
const DATES = new Map<string, LocalDate>()

function date6(r: CodaReader, line: number, record: string, field: string, s: string): LocalDate | undefined {
  const known = DATES.get(s)
  if (known !== undefined) return known
  if (s === '000000' || s.trim() === '') return undefined
  if (!/^\d{6}$/.test(s)) throw r.error(line, record, field, `must be a date DDMMYY, got ${JSON.stringify(s)}`)
  const yy = Number(s.slice(4, 6))
  const d = `${yy >= 90 ? 1900 + yy : 2000 + yy}-${s.slice(2, 4)}-${s.slice(0, 2)}`
  if (!isLocalDate(d)) throw r.error(line, record, field, `is not a real date: ${JSON.stringify(s)}`)
  if (DATES.size >= 5_000) DATES.clear()
  DATES.set(s, d)
  return d
}

function amount15(r: CodaReader, line: number, record: string, field: string, s: string, currency: string): bigint {
  if (!/^\d{15}$/.test(s)) throw r.error(line, record, field, `must be 15 digits (3 implied decimals), got ${JSON.stringify(s)}`)
  const minor = decimalToMinor(`${s.slice(0, 12)}.${s.slice(12)}`, currency)
  if (typeof minor === 'string') throw r.error(line, record, field, minor)
  return minor
}

function sign(r: CodaReader, line: number, record: string, field: string, c: string): CreditDebit {
  if (c === '0') return 'credit'
  if (c === '1') return 'debit'
  throw r.error(line, record, field, `must be 0 (credit) or 1 (debit), got ${JSON.stringify(c)}`)
}

function decode(input: string | Uint8Array, encoding: CodaEncoding): string {
  if (typeof input === 'string') return input
  // CODA files are mostly plain ASCII, which every supported encoding reads the same: native and fast
  if (isAscii(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1')
  if (encoding === 'utf-8') return new TextDecoder('utf-8', { fatal: false }).decode(input)
  return iconv.decode(Buffer.from(input.buffer, input.byteOffset, input.byteLength), encoding === 'cp850' ? 'cp850' : 'win1252')
}

/**
 * Reads a Belgian CODA file (fixed 128-character records, CODA 1 or 2.x) into
 * {@link BankStatement}s, one per header (record 0) to trailer (record 9) block, several
 * statements and accounts per file.
 *
 * Records: 0 header, 1 old balance and account (Belgian account, foreign account, Belgian or
 * foreign IBAN; any currency), 2.1/2.2/2.3 movements, 3.1/3.2/3.3 information, 4 free
 * communication, 8 new balance, 9 trailer. A movement with detail number 0 is an entry; detail
 * records of the same sequence (a globalisation) are its transactions. Communications are joined
 * across 2.1, 2.2 and 2.3; structured type 101/102 gives the OGM (issuer `BBA`), type 127 (SEPA
 * direct debit) gives the mandate reference and, for an R-transaction, the return's kind and ISO
 * reason code. Bytes are decoded with `encoding` (Windows-1252 by default, CP850 through
 * iconv-lite since Node's TextDecoder has no CP850).
 *
 * Figures that disagree are reported in each statement's `checks`, never thrown: old balance +
 * movements = new balance, the trailer's record count and debit/credit totals (and the
 * convention that made them agree), the account and currency of record 8 against record 1, and
 * each globalisation against its details.
 *
 * @example
 * const [statement] = parseCoda(readFileSync('statement.cod'), { encoding: 'cp850' })
 * statement.entries[0].transactions[0].remittance.structured[0] //=> { reference: '123456789002', type: '101', issuer: 'BBA' }
 * statement.checks.filter((c) => c.severity === 'disagreement') //=> []
 * @throws EcoleError `MALFORMED_BANK_FILE` naming the line, record and field; `INVALID_INPUT`
 * for bad options or input that is neither a string nor bytes.
 */
export function parseCoda(input: string | Uint8Array, options: CodaOptions = {}): BankStatement[] {
  const opts = parseInput(CodaOptionsSchema, options, 'parseCoda options')
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new EcoleError('INVALID_INPUT', `CODA: the input must be a string or bytes (Uint8Array), got ${input === null ? 'null' : typeof input}`)
  }
  let text: string
  try {
    text = decode(input, opts.encoding ?? 'windows-1252')
  } catch (e) {
    if (isEcoleError(e)) throw e
    throw new EcoleError('MALFORMED_BANK_FILE', `CODA: could not decode the file as ${opts.encoding ?? 'windows-1252'}: ${String(e)}`, { cause: e })
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const lines = text.split(/\r\n|\n|\r/)
  const r = new CodaReader(lines)
  const statements: BankStatement[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i] as string
    if (line.trim() === '') {
      i++
      continue
    }
    if (line[0] !== '0') throw r.error(i + 1, line[0] ?? '?', 'record type', 'a statement must start with a header record 0')
    i = readStatement(r, lines, i, statements)
  }
  if (statements.length === 0) throw r.error(1, '0', 'record type', 'the file has no statement (no header record 0)')
  return statements
}

function recordAt(r: CodaReader, lines: readonly string[], i: number): string {
  const raw = lines[i] as string
  if (raw.length > 128) throw r.error(i + 1, raw.slice(0, 2), 'record length', `must be 128 characters, got ${raw.length}`)
  if (raw.length < 128) {
    if (raw.length < 2) throw r.error(i + 1, raw.slice(0, 2) || '?', 'record length', `must be 128 characters, got ${raw.length}`)
    return raw.padEnd(128, ' ')
  }
  return raw
}

/** Reads one statement starting at the header on line index `start`; returns the index after its trailer. */
function readStatement(r: CodaReader, lines: readonly string[], start: number, out: BankStatement[]): number {
  const header = recordAt(r, lines, start)
  const version = header[127]
  if (version !== '2' && version !== '1') throw r.error(start + 1, '0', 'version code (position 128)', `must be 1 or 2 (CODA 1 or 2.x), got ${JSON.stringify(version)}`)
  const created = date6(r, start + 1, '0', 'creation date', header.slice(5, 11))
  let account: { id: string; iban?: string; currency: string; owner: string; seq: string; description: string } | undefined
  let opening: StatementBalance | undefined
  let closing: StatementBalance | undefined
  let closingAccount: string | undefined
  let closingCurrency: string | undefined
  const counted = { info: 0, free: 0 }
  const entries: Movement[] = []
  const freeText: string[] = []
  let current: Movement | undefined
  let lastRecord = '0'
  let records = 0
  let trailer: { line: number; count: string; debit: bigint; credit: bigint } | undefined
  let i = start + 1
  for (; i < lines.length; i++) {
    if ((lines[i] as string).trim() === '') continue
    const rec = recordAt(r, lines, i)
    const ln = i + 1
    const type = rec[0] as string
    if (type === '9') {
      if (account === undefined) throw r.error(ln, '9', 'record order', 'trailer before the old-balance record 1')
      const currency = account.currency
      trailer = {
        line: ln,
        count: rec.slice(16, 22),
        debit: amount15(r, ln, '9', 'debit total', rec.slice(22, 37), currency),
        credit: amount15(r, ln, '9', 'credit total', rec.slice(37, 52), currency),
      }
      if (!/^\d{6}$/.test(trailer.count)) throw r.error(ln, '9', 'number of records', `must be 6 digits, got ${JSON.stringify(trailer.count)}`)
      i++
      break
    }
    records++
    if (type === '1') {
      if (account !== undefined) throw r.error(ln, '1', 'record order', 'a second old-balance record 1 in one statement')
      const structure = version === '1' ? 'v1' : rec[1]
      let id: string
      let currency: string
      if (structure === 'v1' || structure === '0') {
        id = rec.slice(5, 17).trim()
        currency = rec.slice(18, 21)
      } else if (structure === '2') {
        id = rec.slice(5, 21).trim()
        currency = rec.slice(39, 42)
      } else if (structure === '1' || structure === '3') {
        id = rec.slice(5, 39).trim()
        currency = rec.slice(39, 42)
      } else {
        throw r.error(ln, '1', 'account structure (position 2)', `must be 0, 1, 2 or 3, got ${JSON.stringify(structure)}`)
      }
      if (!/^[A-Z]{3}$/.test(currency)) throw r.error(ln, '1', 'currency', `must be an ISO 4217 code, got ${JSON.stringify(currency)}`)
      if (id === '') throw r.error(ln, '1', 'account number', 'is empty')
      account = { id, currency, owner: squash(rec.slice(64, 90)), seq: rec.slice(125, 128).trim(), description: squash(rec.slice(90, 125)) }
      if (structure === '2' || structure === '3') account.iban = id
      const minor = amount15(r, ln, '1', 'old balance', rec.slice(43, 58), currency)
      const cd = sign(r, ln, '1', 'old balance sign', rec[42] as string)
      opening = { kind: 'opening', code: 'CODA1', amount: moneyOfMinor(cd === 'debit' ? -minor : minor, currency) }
      const d = date6(r, ln, '1', 'old balance date', rec.slice(58, 64))
      if (d !== undefined) opening.date = d
      lastRecord = '1'
      continue
    }
    if (account === undefined) throw r.error(ln, type, 'record order', 'the old-balance record 1 must follow the header')
    const currency = account.currency
    if (type === '2') {
      const sub = rec[1]
      const seq = rec.slice(2, 6)
      const detail = rec.slice(6, 10)
      if (sub === '1') {
        if (!/^\d{4}$/.test(seq) || !/^\d{4}$/.test(detail)) throw r.error(ln, '2.1', 'sequence number', `must be 4+4 digits, got ${JSON.stringify(rec.slice(2, 10))}`)
        const structured = rec[61] === '1'
        if (rec[61] !== '0' && rec[61] !== '1') throw r.error(ln, '2.1', 'communication type (position 62)', `must be 0 or 1, got ${JSON.stringify(rec[61])}`)
        const m: Movement = {
          line: ln,
          seq,
          detail,
          bankRef: rec.slice(10, 31).trim(),
          creditDebit: sign(r, ln, '2.1', 'amount sign (position 32)', rec[31] as string),
          minor: amount15(r, ln, '2.1', 'amount', rec.slice(32, 47), currency),
          code: rec.slice(53, 61),
          structured,
          commType: structured ? rec.slice(62, 65) : '',
          comm: structured ? rec.slice(65, 115) : rec.slice(62, 115),
          glob: rec[124] as string,
          info: [],
          details: [],
        }
        const vd = date6(r, ln, '2.1', 'value date', rec.slice(47, 53))
        if (vd !== undefined) m.valueDate = vd
        const ed = date6(r, ln, '2.1', 'entry date', rec.slice(115, 121))
        if (ed !== undefined) m.entryDate = ed
        if (detail === '0000') {
          entries.push(m)
        } else {
          const owner = entries[entries.length - 1]
          if (owner === undefined || owner.seq !== seq) {
            throw r.error(ln, '2.1', 'sequence number', `detail ${seq}/${detail} does not follow a movement ${seq}/0000`)
          }
          owner.details.push(m)
        }
        current = m
        lastRecord = '2.1'
        continue
      }
      if (sub === '2' || sub === '3') {
        if (current === undefined || current.seq !== seq || current.detail !== detail || (sub === '2' ? lastRecord !== '2.1' : lastRecord !== '2.1' && lastRecord !== '2.2')) {
          throw r.error(ln, `2.${sub}`, 'sequence number', `${seq}/${detail} does not continue the movement record before it`)
        }
        if (sub === '2') {
          current.comm += rec.slice(10, 63)
          const ref = rec.slice(63, 98).trim()
          if (ref !== '') current.customerRef = ref
          const bic = rec.slice(98, 109).trim()
          if (bic !== '') current.bic = bic
          const rType = rec[112] as string
          if (rType !== ' ' && rType !== '0') current.rType = rType
          const reason = rec.slice(113, 117).trim()
          if (reason !== '') current.rReason = reason
        } else {
          if (lastRecord === '2.1') current.comm += ' '.repeat(53)
          const foreign = rec[22] !== ' '
          const acct = (foreign ? rec.slice(10, 44) : rec.slice(10, 22)).trim()
          if (acct !== '') current.counterpartyAccount = acct
          const name = squash(rec.slice(47, version === '1' ? 73 : 82))
          if (name !== '') current.counterpartyName = name
          if (version !== '1') current.comm += rec.slice(82, 125)
        }
        lastRecord = `2.${sub}`
        continue
      }
      throw r.error(ln, `2.${sub}`, 'article code (position 2)', `must be 1, 2 or 3, got ${JSON.stringify(sub)}`)
    }
    if (type === '3') {
      const sub = rec[1]
      if (sub !== '1' && sub !== '2' && sub !== '3') throw r.error(ln, `3.${sub}`, 'article code (position 2)', `must be 1, 2 or 3, got ${JSON.stringify(sub)}`)
      const seq = rec.slice(2, 6)
      const owner = entries[entries.length - 1]
      if (owner === undefined || owner.seq !== seq) throw r.error(ln, `3.${sub}`, 'sequence number', `information ${seq} does not follow its movement`)
      const text = sub === '1' ? rec.slice(40, 113) : sub === '2' ? rec.slice(10, 115) : rec.slice(10, 100)
      const target = owner.details.find((d) => d.detail === rec.slice(6, 10)) ?? owner
      if (sub === '1') target.info.push(text)
      else target.info[target.info.length - 1] = (target.info[target.info.length - 1] ?? '') + text
      counted.info++
      lastRecord = `3.${sub}`
      continue
    }
    if (type === '4') {
      const t = squash(rec.slice(32, 112))
      if (t !== '') freeText.push(t)
      counted.free++
      lastRecord = '4'
      continue
    }
    if (type === '8') {
      if (closing !== undefined) throw r.error(ln, '8', 'record order', 'a second new-balance record 8 in one statement')
      const minor = amount15(r, ln, '8', 'new balance', rec.slice(42, 57), currency)
      const cd = sign(r, ln, '8', 'new balance sign', rec[41] as string)
      closing = { kind: 'closing', code: 'CODA8', amount: moneyOfMinor(cd === 'debit' ? -minor : minor, currency) }
      const d = date6(r, ln, '8', 'new balance date', rec.slice(57, 63))
      if (d !== undefined) closing.date = d
      const acctZone = rec.slice(4, 41).trim()
      closingAccount = acctZone.split(/\s+/)[0] ?? ''
      const ccy = /([A-Z]{3})$/.exec(acctZone)?.[1]
      if (ccy !== undefined) closingCurrency = ccy
      lastRecord = '8'
      continue
    }
    if (type === '0') throw r.error(ln, '0', 'record order', 'a new header before the trailer record 9 of the previous statement')
    throw r.error(ln, type, 'record type (position 1)', `must be 0, 1, 2, 3, 4, 8 or 9, got ${JSON.stringify(type)}`)
  }
  if (account === undefined) throw r.error(start + 1, '0', 'record order', 'the statement has no old-balance record 1')
  if (closing === undefined) throw r.error(i, '8', 'record order', 'the statement has no new-balance record 8')
  if (trailer === undefined) throw r.error(i, '9', 'record order', 'the statement has no trailer record 9')
  const acct = account
  const statementId = `${acct.id}/${created ?? ''}/${acct.seq}`
  const statement: BankStatement = {
    format: 'coda',
    id: statementId,
    account: { otherId: acct.id, currency: acct.currency },
    balances: [opening as StatementBalance, closing],
    entries: entries.map((m) => toEntry(m, acct.currency, statementId)),
    additionalInfo: freeText,
    checks: [],
  }
  if (acct.iban !== undefined) statement.account.iban = acct.iban
  if (acct.owner !== '') statement.account.ownerName = acct.owner
  const bic = header.slice(60, 71).trim()
  if (bic !== '') statement.account.bic = bic
  if (acct.seq !== '') statement.sequenceNumber = acct.seq
  if (created !== undefined) statement.createdAt = created
  statement.checks = [...balanceChecks(statement), ...codaChecks(entries, acct, { records, counted, trailer, closingAccount, closingCurrency })]
  out.push(statement)
  return i
}

/** The trailer's figures and the account of record 8 against the statement's content. */
function codaChecks(
  entries: readonly Movement[],
  acct: { id: string; currency: string },
  f: { records: number; counted: { info: number; free: number }; trailer: { count: string; debit: bigint; credit: bigint }; closingAccount: string | undefined; closingCurrency: string | undefined },
): StatementCheck[] {
  const cur = acct.currency
  const checks: StatementCheck[] = []
  const stated = String(Number(f.trailer.count))
  const ways: Array<[string | undefined, number]> = [
    [undefined, f.records],
    ['the header and trailer records 0 and 9 counted too', f.records + 2],
    ['the trailer record 9 counted too', f.records + 1],
    ['information records 3 and free communications 4 not counted', f.records - f.counted.info - f.counted.free],
  ]
  const way = ways.find(([, n]) => String(n) === stated)
  checks.push(way === undefined
    ? compare('records', 'trailer record 9 number of records', stated, String(f.records), { convention: 'records 1 to 8' })
    : { rule: 'records', figure: 'trailer record 9 number of records', stated, computed: stated, severity: 'ok', ...(way[0] !== undefined ? { convention: way[0] } : {}) })
  const sums = (withDetails: boolean) => {
    let debit = 0n
    let credit = 0n
    for (const m of entries) {
      for (const x of withDetails ? [m, ...m.details] : [m]) {
        if (x.creditDebit === 'debit') debit += x.minor
        else credit += x.minor
      }
    }
    return { debit, credit }
  }
  const plain = sums(false)
  const detailed = entries.some((m) => m.details.length > 0) ? sums(true) : undefined
  for (const side of ['debit', 'credit'] as const) {
    const figure = `trailer record 9 ${side} total`
    const want = f.trailer[side]
    if (plain[side] === want || detailed === undefined || detailed[side] !== want) {
      checks.push(compare('sum', figure, minorToDecimal(want, cur), minorToDecimal(plain[side], cur)))
    } else {
      checks.push({ rule: 'sum', figure, stated: minorToDecimal(want, cur), computed: minorToDecimal(want, cur), severity: 'ok', convention: 'globalisation details counted with their movements' })
    }
  }
  checks.push(compare('account', 'new balance record 8 account (record 1 gives the account)', f.closingAccount ?? '', acct.id))
  if (f.closingCurrency !== undefined) checks.push(compare('currency', 'new balance record 8 currency (record 1 gives the currency)', f.closingCurrency, cur))
  for (const m of entries) {
    if (m.details.length === 0) continue
    // a globalisation: the details of its own level (or all of them when the levels are not given) add up to the movement
    const level = m.details.filter((d) => d.glob !== '0' && d.glob !== ' ')
    const ways: Array<[string | undefined, Movement[]]> = [[undefined, m.details]]
    if (level.length > 0 && level.length < m.details.length) ways.push(['only the details that carry a globalisation code', level])
    const leaves = m.details.filter((d) => d.glob === '0' || d.glob === ' ')
    if (leaves.length > 0 && leaves.length < m.details.length) ways.push(['only the details without a globalisation code', leaves])
    const sumOf = (ds: Movement[]) => ds.reduce((acc, d) => acc + (d.creditDebit === m.creditDebit ? d.minor : -d.minor), 0n)
    const hit = ways.find(([, ds]) => sumOf(ds) === m.minor)
    const figure = `movement ${m.seq} (line ${m.line}) amount against its details`
    checks.push(hit === undefined
      ? compare('batch', figure, minorToDecimal(m.minor, cur), minorToDecimal(sumOf(m.details), cur), m.bankRef !== '' ? { entryReference: m.bankRef } : {})
      : { rule: 'batch', figure, stated: minorToDecimal(m.minor, cur), computed: minorToDecimal(m.minor, cur), severity: 'ok', ...(hit[0] !== undefined ? { convention: hit[0] } : {}), ...(m.bankRef !== '' ? { entryReference: m.bankRef } : {}) })
  }
  return checks
}

function toTransaction(m: Movement, currency: string): TransactionDetails {
  const tx: TransactionDetails = {
    amount: moneyOfMinor(m.minor, currency),
    creditDebit: m.creditDebit,
    remittance: { structured: [], unstructured: [] },
    bankTransactionCode: m.code,
  }
  if (m.bankRef !== '') tx.accountServicerReference = m.bankRef
  if (m.customerRef !== undefined) tx.endToEndId = m.customerRef
  const party = m.creditDebit === 'credit' ? 'debtor' : 'creditor'
  if (m.counterpartyAccount !== undefined || m.counterpartyName !== undefined || m.bic !== undefined) {
    tx[party] = {}
    if (m.counterpartyName !== undefined) tx[party]!.name = m.counterpartyName
    if (m.counterpartyAccount !== undefined) tx[party]!.iban = m.counterpartyAccount
    if (m.bic !== undefined) tx[party]!.bic = m.bic
  }
  if (m.structured && (m.commType === '101' || m.commType === '102')) {
    const ogm = m.comm.slice(0, 12)
    tx.remittance.structured.push({ reference: ogm, type: m.commType, issuer: 'BBA' })
  } else if (m.structured && m.commType === '127') {
    const c = m.comm.padEnd(146, ' ')
    const mandate = c.slice(44, 79).trim()
    if (mandate !== '') tx.mandateId = mandate
    const text = squash(c.slice(79, 141))
    if (text !== '') tx.remittance.unstructured.push(text)
    const rType = c[141] as string
    const paid = c[8] as string
    if ((rType !== ' ' && rType !== '0') || (paid !== ' ' && paid !== '0')) {
      const info: ReturnInfo = { additionalInfo: [] }
      const kind = R_KIND[rType]
      if (kind !== undefined) info.kind = kind
      const reason = c.slice(142, 146).trim()
      if (reason !== '') info.reasonCode = reason
      const refusal = REFUSAL[paid]
      if (refusal !== undefined) info.additionalInfo.push(refusal)
      tx.returnInfo = info
    }
  } else {
    const text = squash(m.structured ? `${m.commType} ${m.comm}` : m.comm)
    if (text !== '') tx.remittance.unstructured.push(m.structured ? squash(m.comm) : text)
  }
  if (tx.returnInfo === undefined && m.rType !== undefined) {
    const info: ReturnInfo = { additionalInfo: [] }
    const kind = R_KIND[m.rType]
    if (kind !== undefined) info.kind = kind
    if (m.rReason !== undefined) info.reasonCode = m.rReason
    tx.returnInfo = info
  }
  return tx
}

function toEntry(m: Movement, currency: string, statementId: string): StatementEntry {
  const entry: StatementEntry = {
    reference: m.bankRef !== '' ? m.bankRef : `${statementId}/${m.seq}`,
    amount: moneyOfMinor(m.minor, currency),
    creditDebit: m.creditDebit,
    reversal: false,
    status: 'booked',
    bankTransactionCode: m.code,
    transactions: m.details.length > 0 ? m.details.map((d) => toTransaction(d, currency)) : [toTransaction(m, currency)],
    additionalInfo: [...m.info, ...m.details.flatMap((d) => d.info)].map(squash).filter((s) => s !== ''),
  }
  if (m.entryDate !== undefined) entry.bookingDate = m.entryDate
  if (m.valueDate !== undefined) entry.valueDate = m.valueDate
  // a globalisation's own communication applies to details that have none
  if (m.details.length > 0) {
    const own = toTransaction({ ...m, details: [] }, currency)
    for (const tx of entry.transactions) {
      if (tx.remittance.structured.length === 0 && tx.remittance.unstructured.length === 0) tx.remittance = own.remittance
    }
  }
  return entry
}

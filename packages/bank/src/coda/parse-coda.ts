import { EcoleError, isEcoleError, isLocalDate, parseInput, type LocalDate } from '@ecole/core'
import { isAscii } from 'node:buffer'
import iconv from 'iconv-lite'
import * as z from 'zod'
import type {
  BankStatement, CreditDebit, ReturnInfo, StatementBalance, StatementEntry, TransactionDetails,
} from '../statement/bank-statement'
import { decimalToMinor, minorToDecimal } from '../statement/amount'
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
  /** A movement's details by detail number (the first of a number), for its information records 3.x. */
  byDetail?: Map<string, Movement>
  /** A globalised movement's transactions, once chosen ({@link globalisationOf}). */
  globalisation?: Globalisation
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

/**
 * The CODA record layouts: each field as its first and last position (1-based, inclusive), as
 * the bank specification lists them — Febelfin, "Standard CODA 2.6: coded statement of account"
 * (Belgian banking federation, 2017), chapter "Record descriptions" (records 0, 1, 2.1, 2.2, 2.3,
 * 3.1, 3.2, 3.3, 4, 8, 9; CODA 1 differs only where noted). Read with {@link field}.
 */
export const CODA_FIELDS = {
  header0: { creationDate: [6, 11], bic: [61, 71], versionCode: [128, 128] },
  oldBalance1: {
    accountStructure: [2, 2],
    /** structure 0 (Belgian account) and CODA 1 */
    belgianAccount: [6, 17], belgianCurrency: [19, 21],
    /** structure 2 (Belgian IBAN) */
    belgianIban: [6, 21],
    /** structures 1 (foreign account) and 3 (foreign IBAN) */
    foreignAccount: [6, 39],
    ibanCurrency: [40, 42],
    sign: [43, 43], balance: [44, 58], balanceDate: [59, 64], holderName: [65, 90], description: [91, 125], sequenceNumber: [126, 128],
  },
  movement21: {
    article: [2, 2], sequence: [3, 6], detail: [7, 10], bankReference: [11, 31], sign: [32, 32], amount: [33, 47], valueDate: [48, 53],
    transactionCode: [54, 61], communicationType: [62, 62], structuredType: [63, 65], structuredCommunication: [66, 115], freeCommunication: [63, 115],
    entryDate: [116, 121], globalisationCode: [125, 125],
  },
  movement22: { communication: [11, 63], customerReference: [64, 98], counterpartyBic: [99, 109], rType: [113, 113], rReason: [114, 117] },
  movement23: {
    /** a blank at position 23 means a Belgian account number (positions 11-22) */
    accountKind: [23, 23], belgianAccount: [11, 22], foreignAccount: [11, 44],
    counterpartyName: [48, 82], counterpartyNameCoda1: [48, 73], communication: [83, 125],
  },
  information3: { article: [2, 2], sequence: [3, 6], detail: [7, 10], text31: [41, 113], text32: [11, 115], text33: [11, 100] },
  freeCommunication4: { text: [33, 112] },
  newBalance8: { account: [5, 41], sign: [42, 42], balance: [43, 57], balanceDate: [58, 63] },
  trailer9: { recordCount: [17, 22], debitTotal: [23, 37], creditTotal: [38, 52] },
} as const satisfies Record<string, Record<string, readonly [number, number]>>

/** The text of a field of a 128-character record, by its positions in {@link CODA_FIELDS}. */
export function field(rec: string, [from, to]: readonly [number, number]): string {
  return rec.slice(from - 1, to)
}

const H = CODA_FIELDS.header0
const R1 = CODA_FIELDS.oldBalance1
const R21 = CODA_FIELDS.movement21
const R22 = CODA_FIELDS.movement22
const R23 = CODA_FIELDS.movement23
const R3 = CODA_FIELDS.information3
const R4 = CODA_FIELDS.freeCommunication4
const R8 = CODA_FIELDS.newBalance8
const R9 = CODA_FIELDS.trailer9

/** What the records of one statement build up, read by one reader per record type. */
interface StatementState {
  readonly r: CodaReader
  readonly version: '1' | '2'
  account: { id: string; iban?: string; currency: string; owner: string; seq: string; description: string } | undefined
  opening: StatementBalance | undefined
  closing: StatementBalance | undefined
  closingAccount: string | undefined
  closingCurrency: string | undefined
  readonly counted: { info: number; free: number }
  readonly entries: Movement[]
  readonly freeText: string[]
  /** the movement that 2.2 and 2.3 records continue */
  current: Movement | undefined
  lastRecord: string
}

/** Reads one record into the statement state (`ln`: its 1-based line). */
type RecordReader = (s: StatementState, rec: string, ln: number) => void

/** Record 1: the account, its currency and the old balance. */
function readOldBalance(s: StatementState, rec: string, ln: number): void {
  const r = s.r
  if (s.account !== undefined) throw r.error(ln, '1', 'record order', 'a second old-balance record 1 in one statement')
  const structure = s.version === '1' ? 'v1' : field(rec, R1.accountStructure)
  let id: string
  let currency: string
  if (structure === 'v1' || structure === '0') {
    id = field(rec, R1.belgianAccount).trim()
    currency = field(rec, R1.belgianCurrency)
  } else if (structure === '2') {
    id = field(rec, R1.belgianIban).trim()
    currency = field(rec, R1.ibanCurrency)
  } else if (structure === '1' || structure === '3') {
    id = field(rec, R1.foreignAccount).trim()
    currency = field(rec, R1.ibanCurrency)
  } else {
    throw r.error(ln, '1', 'account structure (position 2)', `must be 0, 1, 2 or 3, got ${JSON.stringify(structure)}`)
  }
  if (!/^[A-Z]{3}$/.test(currency)) throw r.error(ln, '1', 'currency', `must be an ISO 4217 code, got ${JSON.stringify(currency)}`)
  if (id === '') throw r.error(ln, '1', 'account number', 'is empty')
  const account: NonNullable<StatementState['account']> = {
    id, currency, owner: squash(field(rec, R1.holderName)), seq: field(rec, R1.sequenceNumber).trim(), description: squash(field(rec, R1.description)),
  }
  if (structure === '2' || structure === '3') account.iban = id
  s.account = account
  const minor = amount15(r, ln, '1', 'old balance', field(rec, R1.balance), currency)
  const cd = sign(r, ln, '1', 'old balance sign', field(rec, R1.sign))
  const opening: StatementBalance = { kind: 'opening', code: 'CODA1', amount: { minor: cd === 'debit' ? -minor : minor, currency: currency } }
  const d = date6(r, ln, '1', 'old balance date', field(rec, R1.balanceDate))
  if (d !== undefined) opening.date = d
  s.opening = opening
}

/** Record 2.1: a movement (detail 0000) or one detail of a globalised movement. */
function readMovement21(s: StatementState, rec: string, ln: number, currency: string): void {
  const r = s.r
  const seq = field(rec, R21.sequence)
  const detail = field(rec, R21.detail)
  if (!/^\d{4}$/.test(seq) || !/^\d{4}$/.test(detail)) throw r.error(ln, '2.1', 'sequence number', `must be 4+4 digits, got ${JSON.stringify(seq + detail)}`)
  const commType = field(rec, R21.communicationType)
  if (commType !== '0' && commType !== '1') throw r.error(ln, '2.1', 'communication type (position 62)', `must be 0 or 1, got ${JSON.stringify(commType)}`)
  const structured = commType === '1'
  const m: Movement = {
    line: ln,
    seq,
    detail,
    bankRef: field(rec, R21.bankReference).trim(),
    creditDebit: sign(r, ln, '2.1', 'amount sign (position 32)', field(rec, R21.sign)),
    minor: amount15(r, ln, '2.1', 'amount', field(rec, R21.amount), currency),
    code: field(rec, R21.transactionCode),
    structured,
    commType: structured ? field(rec, R21.structuredType) : '',
    comm: structured ? field(rec, R21.structuredCommunication) : field(rec, R21.freeCommunication),
    glob: field(rec, R21.globalisationCode),
    info: [],
    details: [],
  }
  const vd = date6(r, ln, '2.1', 'value date', field(rec, R21.valueDate))
  if (vd !== undefined) m.valueDate = vd
  const ed = date6(r, ln, '2.1', 'entry date', field(rec, R21.entryDate))
  if (ed !== undefined) m.entryDate = ed
  if (detail === '0000') {
    s.entries.push(m)
  } else {
    const owner = s.entries[s.entries.length - 1]
    if (owner === undefined || owner.seq !== seq) {
      throw r.error(ln, '2.1', 'sequence number', `detail ${seq}/${detail} does not follow a movement ${seq}/0000`)
    }
    owner.details.push(m)
    const byDetail = (owner.byDetail ??= new Map<string, Movement>())
    if (!byDetail.has(detail)) byDetail.set(detail, m)
  }
  s.current = m
}

/** The movement a 2.2 or 2.3 record continues (same sequence and detail, right after its 2.1 or 2.2). */
function continued(s: StatementState, rec: string, ln: number, sub: '2' | '3'): Movement {
  const seq = field(rec, R21.sequence)
  const detail = field(rec, R21.detail)
  const current = s.current
  if (current === undefined || current.seq !== seq || current.detail !== detail || (sub === '2' ? s.lastRecord !== '2.1' : s.lastRecord !== '2.1' && s.lastRecord !== '2.2')) {
    throw s.r.error(ln, `2.${sub}`, 'sequence number', `${seq}/${detail} does not continue the movement record before it`)
  }
  return current
}

/** Record 2.2: communication continued, customer reference, counterparty BIC, R-transaction type and reason. */
function readMovement22(s: StatementState, rec: string, ln: number): void {
  const current = continued(s, rec, ln, '2')
  current.comm += field(rec, R22.communication)
  const ref = field(rec, R22.customerReference).trim()
  if (ref !== '') current.customerRef = ref
  const bic = field(rec, R22.counterpartyBic).trim()
  if (bic !== '') current.bic = bic
  const rType = field(rec, R22.rType)
  if (rType !== ' ' && rType !== '0') current.rType = rType
  const reason = field(rec, R22.rReason).trim()
  if (reason !== '') current.rReason = reason
}

/** Record 2.3: counterparty account and name, communication continued. */
function readMovement23(s: StatementState, rec: string, ln: number): void {
  const current = continued(s, rec, ln, '3')
  if (s.lastRecord === '2.1') current.comm += ' '.repeat(R22.communication[1] - R22.communication[0] + 1)
  const foreign = field(rec, R23.accountKind) !== ' '
  const acct = field(rec, foreign ? R23.foreignAccount : R23.belgianAccount).trim()
  if (acct !== '') current.counterpartyAccount = acct
  const name = squash(field(rec, s.version === '1' ? R23.counterpartyNameCoda1 : R23.counterpartyName))
  if (name !== '') current.counterpartyName = name
  if (s.version !== '1') current.comm += field(rec, R23.communication)
}

/** Records 2.x: by article code (position 2). */
function readMovement(s: StatementState, rec: string, ln: number): void {
  const sub = field(rec, R21.article)
  if (sub === '1') readMovement21(s, rec, ln, (s.account as { currency: string }).currency)
  else if (sub === '2') readMovement22(s, rec, ln)
  else if (sub === '3') readMovement23(s, rec, ln)
  else throw s.r.error(ln, `2.${sub}`, 'article code (position 2)', `must be 1, 2 or 3, got ${JSON.stringify(sub)}`)
  s.lastRecord = `2.${sub}`
}

/** Records 3.1, 3.2, 3.3: information attached to a movement (or one of its details). */
function readInformation(s: StatementState, rec: string, ln: number): void {
  const sub = field(rec, R3.article)
  if (sub !== '1' && sub !== '2' && sub !== '3') throw s.r.error(ln, `3.${sub}`, 'article code (position 2)', `must be 1, 2 or 3, got ${JSON.stringify(sub)}`)
  const seq = field(rec, R3.sequence)
  const owner = s.entries[s.entries.length - 1]
  if (owner === undefined || owner.seq !== seq) throw s.r.error(ln, `3.${sub}`, 'sequence number', `information ${seq} does not follow its movement`)
  const text = field(rec, sub === '1' ? R3.text31 : sub === '2' ? R3.text32 : R3.text33)
  // by detail number: looked up, never searched (a globalisation of 10,000 details each with a 3.1 record)
  const target = owner.byDetail?.get(field(rec, R3.detail)) ?? owner
  if (sub === '1') target.info.push(text)
  else target.info[target.info.length - 1] = (target.info[target.info.length - 1] ?? '') + text
  s.counted.info++
  s.lastRecord = `3.${sub}`
}

/** Record 4: free communication of the statement. */
function readFreeCommunication(s: StatementState, rec: string): void {
  const t = squash(field(rec, R4.text))
  if (t !== '') s.freeText.push(t)
  s.counted.free++
  s.lastRecord = '4'
}

/** Record 8: the new balance, and the account and currency it names. */
function readNewBalance(s: StatementState, rec: string, ln: number): void {
  const r = s.r
  if (s.closing !== undefined) throw r.error(ln, '8', 'record order', 'a second new-balance record 8 in one statement')
  const currency = (s.account as { currency: string }).currency
  const minor = amount15(r, ln, '8', 'new balance', field(rec, R8.balance), currency)
  const cd = sign(r, ln, '8', 'new balance sign', field(rec, R8.sign))
  const closing: StatementBalance = { kind: 'closing', code: 'CODA8', amount: { minor: cd === 'debit' ? -minor : minor, currency: currency } }
  const d = date6(r, ln, '8', 'new balance date', field(rec, R8.balanceDate))
  if (d !== undefined) closing.date = d
  s.closing = closing
  const acctZone = field(rec, R8.account).trim()
  s.closingAccount = acctZone.split(/\s+/)[0] ?? ''
  const ccy = /([A-Z]{3})$/.exec(acctZone)?.[1]
  if (ccy !== undefined) s.closingCurrency = ccy
  s.lastRecord = '8'
}

/** The reader of each record type that may follow record 1 (record 9 ends the statement). */
const RECORD_READERS: Readonly<Record<string, RecordReader>> = { '2': readMovement, '3': readInformation, '4': readFreeCommunication, '8': readNewBalance }

/** Reads one statement starting at the header on line index `start`; returns the index after its trailer. */
function readStatement(r: CodaReader, lines: readonly string[], start: number, out: BankStatement[]): number {
  const header = recordAt(r, lines, start)
  const version = field(header, H.versionCode)
  if (version !== '2' && version !== '1') throw r.error(start + 1, '0', 'version code (position 128)', `must be 1 or 2 (CODA 1 or 2.x), got ${JSON.stringify(version)}`)
  const created = date6(r, start + 1, '0', 'creation date', field(header, H.creationDate))
  const s: StatementState = {
    r, version, account: undefined, opening: undefined, closing: undefined, closingAccount: undefined, closingCurrency: undefined,
    counted: { info: 0, free: 0 }, entries: [], freeText: [], current: undefined, lastRecord: '0',
  }
  let records = 0
  let trailer: { line: number; count: string; debit: bigint; credit: bigint } | undefined
  let i = start + 1
  for (; i < lines.length; i++) {
    if ((lines[i] as string).trim() === '') continue
    const rec = recordAt(r, lines, i)
    const ln = i + 1
    const type = rec[0] as string
    if (type === '9') {
      if (s.account === undefined) throw r.error(ln, '9', 'record order', 'trailer before the old-balance record 1')
      const currency = s.account.currency
      trailer = {
        line: ln,
        count: field(rec, R9.recordCount),
        debit: amount15(r, ln, '9', 'debit total', field(rec, R9.debitTotal), currency),
        credit: amount15(r, ln, '9', 'credit total', field(rec, R9.creditTotal), currency),
      }
      if (!/^\d{6}$/.test(trailer.count)) throw r.error(ln, '9', 'number of records', `must be 6 digits, got ${JSON.stringify(trailer.count)}`)
      i++
      break
    }
    records++
    if (type === '1') {
      readOldBalance(s, rec, ln)
      s.lastRecord = '1'
      continue
    }
    if (s.account === undefined) throw r.error(ln, type, 'record order', 'the old-balance record 1 must follow the header')
    if (type === '0') throw r.error(ln, '0', 'record order', 'a new header before the trailer record 9 of the previous statement')
    const reader = RECORD_READERS[type]
    if (reader === undefined) throw r.error(ln, type, 'record type (position 1)', `must be 0, 1, 2, 3, 4, 8 or 9, got ${JSON.stringify(type)}`)
    reader(s, rec, ln)
  }
  const { account, closing, closingAccount, closingCurrency, counted, entries, freeText } = s
  const opening = s.opening
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
  const bic = field(header, H.bic).trim()
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
    // a globalisation: its transactions (the lowest level of its details) add up to the movement
    const g = globalisationOf(m)
    const figure = `movement ${m.seq} (line ${m.line}) amount against its details`
    const ref = m.bankRef !== '' ? { entryReference: m.bankRef } : {}
    checks.push(g.agrees
      ? { rule: 'batch', figure, stated: minorToDecimal(m.minor, cur), computed: minorToDecimal(m.minor, cur), severity: 'ok', ...(g.convention !== undefined ? { convention: g.convention } : {}), ...ref }
      : compare('batch', figure, minorToDecimal(m.minor, cur), minorToDecimal(signedSum(m, g.transactions), cur), { convention: g.convention ?? 'every detail counted', ...ref }))
  }
  return checks
}

/** The details of a globalised movement that are its transactions, and whether they add up to it. */
interface Globalisation {
  transactions: Movement[]
  /** The reading of the globalisation codes that made them add up (or, when none did, the one used). */
  convention: string | undefined
  agrees: boolean
}

/** The details' amounts in the movement's direction (a detail of the other direction counts negatively). */
function signedSum(m: Movement, details: readonly Movement[]): bigint {
  let sum = 0n
  for (const d of details) sum += d.creditDebit === m.creditDebit ? d.minor : -d.minor
  return sum
}

/** A detail's globalisation level (position 125): 0 for none (a blank or anything but a digit). */
function level(d: Movement): number {
  const c = d.glob.charCodeAt(0) - 48
  return c >= 0 && c <= 9 ? c : 0
}

/**
 * The transactions of a globalised movement: the lowest level of its details. A movement with
 * globalisation code n (Febelfin CODA 2.x, "globalisation code", position 125) totals the details
 * after it; a detail with a code of its own is a subtotal of the details of lower codes that
 * follow it, not money of its own (100.00 = subtotal 60.00 (30.00 + 30.00) + subtotal 40.00
 * (40.00): three transactions). Readings tried, in order, the first whose transactions add up to
 * the movement kept:
 * 1. nested levels: a detail followed by one of a lower code is a subtotal (with one level,
 *    every detail is a transaction, the last one carrying the level's code as banks write it);
 * 2. opening and closing codes (as Belgian accounting software reads them): a detail with the code
 *    of the level open closes it and is a transaction, one with another code opens a level and is
 *    a subtotal;
 * 3. every detail a transaction.
 * When none adds up, the nested reading is kept (the check disagrees, and reconciliation keeps
 * the entry whole, for review, since its transactions do not add up to it).
 */
function globalisationOf(m: Movement): Globalisation {
  if (m.globalisation !== undefined) return m.globalisation
  const ds = m.details
  const nested = ds.filter((d, i) => i + 1 >= ds.length || level(ds[i + 1] as Movement) >= level(d))
  const stack = [level(m)]
  const closing = ds.filter((d) => {
    const l = level(d)
    if (l === 0) return true
    if (stack[stack.length - 1] === l) {
      stack.pop()
      return true
    }
    stack.push(l)
    return false
  })
  const subtotals = (kept: Movement[]) => `${ds.length - kept.length} subtotal${ds.length - kept.length === 1 ? '' : 's'}`
  const ways: Array<[string | undefined, Movement[]]> = [
    [nested.length < ds.length ? `only the lowest level of the globalisation: ${subtotals(nested)} (a detail followed by one of a lower globalisation code) left out` : undefined, nested],
  ]
  if (!sameList(closing, nested)) ways.push([`globalisation codes read as opening and closing levels: ${subtotals(closing)} (details opening a level) left out`, closing])
  if (!sameList(ds, nested) && !sameList(ds, closing)) ways.push(['every detail counted, subtotals included', ds])
  const hit = ways.find(([, list]) => signedSum(m, list) === m.minor)
  const [convention, transactions] = hit ?? (ways[0] as [string | undefined, Movement[]])
  m.globalisation = { transactions, convention, agrees: hit !== undefined }
  return m.globalisation
}

function sameList(a: readonly Movement[], b: readonly Movement[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function toTransaction(m: Movement, currency: string): TransactionDetails {
  const tx: TransactionDetails = {
    amount: { minor: m.minor, currency: currency },
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
    referenceSource: m.bankRef !== '' ? 'bank' : 'parser',
    amount: { minor: m.minor, currency: currency },
    creditDebit: m.creditDebit,
    reversal: false,
    status: 'booked',
    bankTransactionCode: m.code,
    // a globalisation's transactions are the lowest level of its details: subtotals are not money of their own
    transactions: m.details.length > 0 ? globalisationOf(m).transactions.map((d) => toTransaction(d, currency)) : [toTransaction(m, currency)],
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

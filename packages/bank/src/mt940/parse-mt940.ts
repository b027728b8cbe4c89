import { EcoleError, isLocalDate, parseInput, type LocalDate } from '@ecole/core'
import { isAscii } from 'node:buffer'
import * as z from 'zod'
import type { BankStatement, CreditDebit, StatementBalance, StatementEntry, TransactionDetails } from '../statement/bank-statement'
import { decimalToMinor, minorToDecimal } from '../statement/amount'
import { balanceChecks, compare, type StatementCheck } from '../statement/check-statement'
import { decodeWindows1252 } from '../xml/windows-1252'

/** Options of {@link parseMt940}. */
export const Mt940OptionsSchema = z
  .strictObject({
    /** How to decode bytes (ignored when the input is a string). Default `windows-1252`; `utf-8` for banks that send it. */
    encoding: z.enum(['windows-1252', 'utf-8', 'iso-8859-1']).optional(),
  })
  .strict()

/** Options of {@link parseMt940}, as callers pass them. */
export type Mt940Options = z.input<typeof Mt940OptionsSchema>

function fail(line: number, field: string, problem: string): EcoleError {
  return new EcoleError('MALFORMED_BANK_FILE', `MT940: line ${line}, field ${field}: ${problem}`, { details: { line, field, problem } })
}

/** One `:tag:` field with its continuation lines. */
interface Field {
  tag: string
  line: number
  lines: string[]
}

function decode(input: string | Uint8Array, encoding: string): string {
  if (typeof input === 'string') return input
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  if (isAscii(input) || encoding === 'iso-8859-1') return buf.toString('latin1')
  if (encoding === 'utf-8') return new TextDecoder('utf-8', { fatal: false }).decode(input)
  return decodeWindows1252(buf)
}

const TAG = /^:(\d{2}[A-Z]?):/

/**
 * The fields of each message: SWIFT blocks (`{1:...}{2:...}{4:` ... `-}`) are unwrapped, and a
 * message starts at each `:20:`.
 */
function messages(text: string): Field[][] {
  const lines = text.split(/\r\n|\n|\r/)
  const out: Field[][] = []
  let current: Field[] | undefined
  let field: Field | undefined
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i] as string
    // block 4 opens after the headers on the same line or alone; '-}' (or '-') closes a message
    const open = raw.indexOf('{4:')
    if (open !== -1) raw = raw.slice(open + 3)
    if (/^-(?:\}|[A-Z]{0,4})\s*$/.test(raw) || raw.startsWith('-}')) {
      field = undefined
      current = undefined
      continue
    }
    if (raw.startsWith('{')) continue
    const m = TAG.exec(raw)
    if (m) {
      const tag = m[1] as string
      if (tag === '20' || current === undefined) {
        current = []
        out.push(current)
      }
      field = { tag, line: i + 1, lines: [raw.slice(m[0].length)] }
      current.push(field)
    } else if (field !== undefined && raw !== '') {
      field.lines.push(raw)
    } else if (raw.trim() !== '' && field === undefined && current !== undefined) {
      throw fail(i + 1, 'line', `text outside a field: ${JSON.stringify(raw.slice(0, 30))}`)
    }
  }
  return out.filter((fields) => fields.length > 0)
}

function date6(s: string, line: number, field: string): LocalDate {
  if (!/^\d{6}$/.test(s)) throw fail(line, field, `must be a date YYMMDD, got ${JSON.stringify(s)}`)
  const yy = Number(s.slice(0, 2))
  const d = `${yy >= 80 ? 1900 + yy : 2000 + yy}-${s.slice(2, 4)}-${s.slice(4, 6)}`
  if (!isLocalDate(d)) throw fail(line, field, `is not a real date: ${JSON.stringify(s)}`)
  return d
}

function amountOf(s: string, currency: string, line: number, field: string): bigint {
  if (!/^\d{1,15}(?:,\d*)?$/.test(s)) throw fail(line, field, `must be an amount with a decimal comma (e.g. 1234,56), got ${JSON.stringify(s)}`)
  const minor = decimalToMinor(s.endsWith(',') ? s.slice(0, -1) : s.includes(',') ? s.replace(',', '.') : s, currency)
  if (typeof minor === 'string') throw fail(line, field, minor)
  return minor
}

const BALANCE = /^([CD])(\d{6})([A-Z]{3})(\d{1,15},\d*)$/

function balanceOf(f: Field, kind: StatementBalance['kind']): StatementBalance {
  const text = f.lines[0]!.trim()
  const m = BALANCE.exec(text)
  if (!m) throw fail(f.line, `:${f.tag}:`, `must be D/C mark, date YYMMDD, currency and amount (C230131EUR1234,56), got ${JSON.stringify(text)}`)
  const currency = m[3] as string
  const minor = amountOf(m[4] as string, currency, f.line, `:${f.tag}:`)
  return { kind, code: f.tag, amount: { minor: m[1] === 'D' ? -minor : minor, currency: currency }, date: date6(m[2] as string, f.line, `:${f.tag}:`) }
}

/** `:61:` value date, entry date, mark, funds code, amount, type, references. */
const LINE61 = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d{1,15}(?:,\d*)?)([NFS][A-Z0-9]{3})(.*)$/

/** The `:86:` subfields of the German layout (`?20`..., or `>20`... as some Dutch banks write it). */
function questionFields(text: string, separator: string): Map<string, string> {
  const out = new Map<string, string>()
  const re = separator === '>' ? />(\d{2})([^>]*)/g : /\?(\d{2})([^?]*)/g
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.set(m[1] as string, (out.get(m[1] as string) ?? '') + (m[2] as string))
  return out
}

const SLASH_KEYS = new Set(['CNTP', 'TRCD', 'IREF', 'ISDT', 'ADDR', 'ID', 'EREF', 'MARF', 'CSID', 'RTRN', 'REMI', 'ORDP', 'BENM', 'NAME', 'IBAN', 'BIC', 'TRTP', 'PREF', 'ULTC', 'ULTD', 'PURP', 'ACCW', 'BENF', 'CDTRREF', 'CDTRREFTP', 'ISSR', 'NRTX', 'KREF', 'MREF', 'SVWZ', 'CRED', 'ABWA', 'ABWE', 'DEBT', 'COAM', 'OAMT', 'SVCL', 'FX'])

/** The `:86:` fields of the `/KEY/value/` layout (Dutch and other banks), when the text is in it. */
function slashFields(text: string): Map<string, string> | undefined {
  if (!text.startsWith('/')) return undefined
  const parts = text.slice(1).split('/')
  const out = new Map<string, string>()
  let key: string | undefined
  for (const p of parts) {
    if (key === undefined) {
      if (!SLASH_KEYS.has(p)) {
        if (out.size === 0) return undefined
        continue
      }
      key = p
      if (!out.has(key)) out.set(key, '')
      continue
    }
    if (SLASH_KEYS.has(p) && p !== '') {
      key = p
      if (!out.has(key)) out.set(key, '')
      continue
    }
    out.set(key, out.get(key) === '' ? p : `${out.get(key)}/${p}`)
  }
  for (const [k, v] of out) out.set(k, v.replace(/\/+$/, ''))
  return out.size > 0 ? out : undefined
}

const SEPA_KEYWORDS = /(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|COAM|OAMT)\+/g

/** Whether `s` passes the ISO 7064 mod 97-10 check once its first four characters are moved to the end (IBAN, RF). */
function mod97(s: string): boolean {
  const moved = s.slice(4) + s.slice(0, 4)
  let r = 0
  for (const ch of moved) {
    const v = ch >= 'A' && ch <= 'Z' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48
    if (v < 0 || v > 35) return false
    r = (v > 9 ? r * 100 + v : r * 10 + v) % 97
  }
  return r === 1
}

/**
 * A reference found in remittance text: an ISO 11649 RF creditor reference (written in groups or
 * not; the longest run that passes its check digits) or a Belgian OGM.
 */
function referenceIn(text: string): { reference: string; issuer: string } | undefined {
  const rf = /\bRF\d{2}(?:[ ]?[A-Z0-9]){1,21}/.exec(text.toUpperCase())
  if (rf) {
    const compact = rf[0].replace(/ /g, '')
    for (let len = compact.length; len >= 5; len--) if (mod97(compact.slice(0, len))) return { reference: compact.slice(0, len), issuer: 'ISO' }
  }
  const ogm = /\+\+\+(\d{3})\/(\d{4})\/(\d{5})\+\+\+|\*\*\*(\d{3})\/(\d{4})\/(\d{5})\*\*\*/.exec(text)
  if (ogm) return { reference: ogm.slice(1).filter((x) => x !== undefined).join(''), issuer: 'BBA' }
  return undefined
}

/** Reads one `:86:` into the transaction: structured where the bank structures it, free text otherwise. */
function readInfo(lines: readonly string[], tx: TransactionDetails, creditDebit: CreditDebit): void {
  const joined = lines.join('')
  const party = creditDebit === 'credit' ? 'debtor' : 'creditor'
  const setParty = (name: string | undefined, iban: string | undefined, bic: string | undefined) => {
    if (!name && !iban && !bic) return
    const p = (tx[party] ??= {})
    if (name) p.name = name
    if (iban) p.iban = iban
    if (bic) p.bic = bic
  }
  if (/^\d{3}[?>]\d{2}/.test(joined)) {
    // German layout: code, ?00 booking text, ?10 prima nota, ?20-?29 and ?60-?63 purpose, ?30 BIC/bank code, ?31 account, ?32-?33 name
    const q = questionFields(joined.slice(3), joined[3] as string)
    tx.bankTransactionCode = joined.slice(0, 3)
    const purpose = ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '60', '61', '62', '63'].map((k) => q.get(k) ?? '').join('')
    const keyed = new Map<string, string>()
    const marks = [...purpose.matchAll(SEPA_KEYWORDS)]
    marks.forEach((m, i) => keyed.set(m[1] as string, purpose.slice((m.index ?? 0) + (m[0] as string).length, marks[i + 1]?.index ?? purpose.length).trim()))
    const text = keyed.get('SVWZ') ?? (marks.length === 0 ? purpose.trim() : '')
    if (text !== '') tx.remittance.unstructured.push(text)
    const eref = keyed.get('EREF')
    if (eref && eref !== 'NOTPROVIDED') tx.endToEndId = eref
    const mref = keyed.get('MREF')
    if (mref) tx.mandateId = mref
    setParty(((q.get('32') ?? '') + (q.get('33') ?? '')).trim() || undefined, q.get('31')?.trim(), q.get('30')?.trim())
    const ref = referenceIn(text)
    if (ref) tx.remittance.structured.push({ reference: ref.reference, issuer: ref.issuer })
    return
  }
  const slash = slashFields(joined)
  if (slash !== undefined) {
    const remi = slash.get('REMI')
    let text = remi ?? ''
    if (remi !== undefined) {
      // REMI/USTD//text or REMI/STRD/CUR/reference
      const m = /^(USTD|STRD)\/(?:(CUR|ISO|BBA)?\/)?(.*)$/.exec(remi)
      if (m) {
        text = (m[3] as string).replace(/^\/+/, '')
        if (m[1] === 'STRD' && text !== '') tx.remittance.structured.push({ reference: text, ...(m[2] ? { issuer: m[2] === 'CUR' ? 'ISO' : m[2] } : {}) })
      }
    }
    if (text !== '' && tx.remittance.structured.length === 0) {
      tx.remittance.unstructured.push(text)
      const ref = referenceIn(text)
      if (ref) tx.remittance.structured.push({ reference: ref.reference, issuer: ref.issuer })
    }
    const cdtrRef = slash.get('CDTRREF')
    if (cdtrRef) tx.remittance.structured.push({ reference: cdtrRef, ...(slash.get('ISSR') ? { issuer: slash.get('ISSR') as string } : {}) })
    const eref = slash.get('EREF')
    if (eref && eref !== 'NOTPROVIDED') tx.endToEndId = eref
    const mref = slash.get('MARF') ?? slash.get('MREF')
    if (mref) tx.mandateId = mref
    const rtrn = slash.get('RTRN')
    if (rtrn) tx.returnInfo = { reasonCode: rtrn.split('/')[0] as string, additionalInfo: [] }
    const counterparty = slash.get(creditDebit === 'credit' ? 'ORDP' : 'BENM') ?? ''
    const nested = counterparty !== '' ? slashFields(`/${counterparty.replace(/^\//, '')}`) : undefined
    // CNTP: account / BIC / name / city, by position
    const [cntpAccount, cntpBic, cntpName] = (slash.get('CNTP') ?? '').split('/').map((x) => x.trim())
    setParty(slash.get('NAME') ?? nested?.get('NAME') ?? (cntpName || undefined), slash.get('IBAN') ?? nested?.get('IBAN') ?? slash.get('ACCW') ?? (cntpAccount || undefined),
      slash.get('BIC') ?? nested?.get('BIC') ?? (cntpBic || undefined))
    if (slash.get('TRTP')) tx.bankTransactionCode = slash.get('TRTP') as string
    return
  }
  // free text: a full line (65 characters) was wrapped, a shorter one ended a phrase
  const text = lines.map((l, i) => (i < lines.length - 1 && l.length < 65 ? `${l} ` : l)).join('').replace(/\s+/g, ' ').trim()
  if (text !== '') tx.remittance.unstructured.push(text)
  const ref = referenceIn(text)
  if (ref) tx.remittance.structured.push({ reference: ref.reference, issuer: ref.issuer })
}

/**
 * Reads a SWIFT MT940 customer statement file (one or more messages, with or without SWIFT
 * blocks `{1:}{2:}{4:...-}`) into {@link BankStatement}s, one per message: the account (`:25:`),
 * the statement number (`:28C:`), the balances (`:60F:`/`:60M:` opening, `:62F:`/`:62M:`
 * closing booked, `:64:` closing available, `:65:` forward available) and one entry per `:61:`,
 * its `:86:` read structured where the bank structures it: the German `?20`...`?33` subfields with
 * their SEPA keywords (`EREF+`, `MREF+`, `SVWZ+`), the `/KEY/value/` layout (`/EREF/`, `/REMI/`,
 * `/NAME/`, `/IBAN/`, `/RTRN/`), else free text, in which an RF reference or a Belgian OGM is
 * found. `RC`/`RD` marks are reversals (a reversed credit is a debit). Bytes are decoded with
 * `encoding` (Windows-1252 by default).
 *
 * Figures that disagree are reported in `checks`, never thrown: opening + entries = closing, each
 * balance in the account's currency, available balances by their definition, and a statement's
 * opening against the previous statement's closing for the same account in the same file.
 *
 * @example
 * const [statement] = parseMt940(readFileSync('statement.sta'))
 * statement.entries[0].transactions[0].endToEndId //=> 'INV-2027-0001'
 * @throws EcoleError `MALFORMED_BANK_FILE` naming the line and field (a missing `:25:` or
 * `:60F:`, a `:61:` that is not one, an amount or date that is not one); `INVALID_INPUT` for bad
 * options or input that is neither a string nor bytes.
 */
export function parseMt940(input: string | Uint8Array, options: Mt940Options = {}): BankStatement[] {
  const opts = parseInput(Mt940OptionsSchema, options, 'parseMt940 options')
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new EcoleError('INVALID_INPUT', `MT940: the input must be a string or bytes (Uint8Array), got ${input === null ? 'null' : typeof input}`, { details: { field: 'input' } })
  }
  let text = decode(input, opts.encoding ?? 'windows-1252')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const statements: BankStatement[] = []
  const lastClosing = new Map<string, StatementBalance>()
  for (const fields of messages(text)) statements.push(readMessage(fields, lastClosing))
  if (statements.length === 0) throw fail(1, ':20:', 'the file has no statement (no :20: field)')
  return statements
}

function readMessage(fields: readonly Field[], lastClosing: Map<string, StatementBalance>): BankStatement {
  const first = fields[0] as Field
  const one = (tag: string) => fields.find((f) => f.tag === tag)
  const ref20 = one('20')
  if (ref20 === undefined) throw fail(first.line, ':20:', 'is missing (the transaction reference number starts a statement)')
  const f25 = one('25')
  if (f25 === undefined) throw fail(ref20.line, ':25:', 'is missing (the account)')
  const account = f25.lines[0]!.trim()
  if (account === '') throw fail(f25.line, ':25:', 'is empty')
  const f60 = one('60F') ?? one('60M')
  if (f60 === undefined) throw fail(ref20.line, ':60F:', 'is missing (the opening balance)')
  const opening = balanceOf(f60, 'opening')
  const currency = opening.amount.currency
  const seq = one('28C') ?? one('28')
  const sequenceNumber = seq?.lines[0]!.trim()
  const id = `${account}/${opening.date}/${sequenceNumber ?? ref20.lines[0]!.trim()}`
  // ':25:' may be BIC/account, and the account may end with its currency (NL20INGB0001234567EUR)
  const bare = account.replace(/^[A-Z0-9]{8,11}\//, '').replace(/\s+/g, '')
  const iban = [bare, bare.endsWith(currency) ? bare.slice(0, -3) : ''].find((x) => /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(x) && mod97(x))
  const statement: BankStatement = {
    format: 'mt940',
    id,
    account: { currency, ...(iban !== undefined ? { iban } : { otherId: account }) },
    balances: [opening],
    entries: [],
    additionalInfo: [],
    checks: [],
  }
  if (sequenceNumber !== undefined) statement.sequenceNumber = sequenceNumber
  const bic = /^([A-Z0-9]{8,11})\//.exec(account)?.[1]
  if (bic !== undefined) statement.account.bic = bic
  let entry: StatementEntry | undefined
  let afterEntry = false
  for (const f of fields) {
    if (f.tag === '61') {
      entry = readLine61(f, currency, id, statement.entries.length)
      statement.entries.push(entry)
      afterEntry = true
    } else if (f.tag === '86') {
      if (entry !== undefined && afterEntry) readInfo(f.lines, entry.transactions[0] as TransactionDetails, entry.creditDebit)
      else statement.additionalInfo.push(f.lines.join(' ').replace(/\s+/g, ' ').trim())
      afterEntry = false
    } else if (f.tag === '62F' || f.tag === '62M') {
      statement.balances.push(balanceOf(f, 'closing'))
      afterEntry = false
    } else if (f.tag === '64') {
      statement.balances.push(balanceOf(f, 'closingAvailable'))
      afterEntry = false
    } else if (f.tag === '65') {
      statement.balances.push(balanceOf(f, 'other'))
      afterEntry = false
    } else if (f.tag !== '20' && f.tag !== '21' && f.tag !== '25' && f.tag !== '28C' && f.tag !== '28' && f.tag !== '60F' && f.tag !== '60M') {
      afterEntry = false
    }
  }
  const closing = statement.balances.find((b) => b.kind === 'closing')
  if (closing === undefined) throw fail(f60.line, ':62F:', 'is missing (the closing balance)')
  const checks: StatementCheck[] = balanceChecks(statement)
  const previous = lastClosing.get(account)
  if (previous !== undefined && previous.amount.currency === currency) {
    checks.push(compare('balance', `opening balance ${opening.code} against the previous statement's closing balance ${previous.code}`,
      `${minorToDecimal(opening.amount.minor, currency)} ${currency}`, `${minorToDecimal(previous.amount.minor, currency)} ${currency}`))
  }
  lastClosing.set(account, closing)
  statement.checks = checks
  return statement
}

function readLine61(f: Field, currency: string, statementId: string, index: number): StatementEntry {
  const first = f.lines[0]!
  const m = LINE61.exec(first)
  if (!m) throw fail(f.line, ':61:', `must be value date, [entry date], mark (C, D, RC, RD), amount, type and reference, got ${JSON.stringify(first.slice(0, 40))}`)
  const valueDate = date6(m[1] as string, f.line, ':61: value date')
  let bookingDate: LocalDate | undefined
  if (m[2] !== undefined) {
    const year = Number(valueDate.slice(0, 4))
    const mmdd = m[2]
    // the entry date has no year: the value date's, or the next or previous one across a year end
    const candidates = [year, year + 1, year - 1].map((y) => `${y}-${mmdd.slice(0, 2)}-${mmdd.slice(2)}`).filter(isLocalDate)
    const near = candidates.sort((a, b) => Math.abs(Date.parse(a) - Date.parse(valueDate)) - Math.abs(Date.parse(b) - Date.parse(valueDate)))[0]
    if (near === undefined) throw fail(f.line, ':61: entry date', `is not a real date: ${JSON.stringify(mmdd)}`)
    bookingDate = near
  }
  const mark = m[3] as string
  const creditDebit: CreditDebit = mark === 'C' || mark === 'RD' ? 'credit' : 'debit'
  const minor = amountOf(m[5] as string, currency, f.line, ':61: amount')
  const rest = m[7] as string
  const slashes = rest.indexOf('//')
  const customerRef = (slashes === -1 ? rest : rest.slice(0, slashes)).trim()
  const bankRef = slashes === -1 ? '' : rest.slice(slashes + 2).trim()
  const tx: TransactionDetails = { amount: { minor: minor, currency: currency }, creditDebit, remittance: { structured: [], unstructured: [] }, bankTransactionCode: m[6] as string }
  if (customerRef !== '' && customerRef !== 'NONREF') tx.endToEndId = customerRef
  if (bankRef !== '' && bankRef !== 'NONREF') tx.accountServicerReference = bankRef
  const entry: StatementEntry = {
    reference: bankRef !== '' && bankRef !== 'NONREF' ? bankRef : `${statementId}/${index + 1}`,
    referenceSource: bankRef !== '' && bankRef !== 'NONREF' ? 'bank' : 'parser',
    amount: { minor: minor, currency: currency },
    creditDebit,
    reversal: mark.startsWith('R'),
    status: 'booked',
    valueDate,
    bankTransactionCode: m[6] as string,
    transactions: [tx],
    additionalInfo: f.lines.slice(1).map((l) => l.trim()).filter((l) => l !== ''),
  }
  if (bookingDate !== undefined) entry.bookingDate = bookingDate
  return entry
}

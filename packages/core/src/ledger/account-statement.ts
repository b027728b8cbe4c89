import { describeValue } from '../describe-value'
import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { LocalDateSchema, TimeZoneSchema, addDays, addMonths, compareDates, localDateOf, startOfMonth, zonedInstant, type LocalDate, type TimeZone } from '../time'
import { reservedAt } from './balance-at'
import { accountHistory, internals, type LedgerState } from './ledger-state'
import type { LedgerTransfer, TransferCode, TransferLinks } from './transfer'

/**
 * One posted movement of a statement (a posted transfer, or the post of a booking), from the
 * account's point of view: `credit` when money came in, `debit` when it went out, and the
 * running `balance` after it (minor units).
 *
 * @example
 * const line: StatementLine = { transferId: 't1', timestamp: new Date('2026-03-02T09:00:00Z'), date: '2026-03-02',
 *   code: 'topUp', debit: 0n, credit: 2000n, balance: 2000n }
 */
export interface StatementLine {
  /** The transfer. */
  transferId: string
  /** When it happened. */
  timestamp: Date
  /** Its date in the site's zone. */
  date: LocalDate
  /** Why the money moved. */
  code: TransferCode
  /** Out of the account (minor units), or 0n. */
  debit: bigint
  /** Into the account (minor units), or 0n. */
  credit: bigint
  /** Posted balance after this line. */
  balance: bigint
  /** The transfer's memo. */
  memo?: string | undefined
  /** The transfer's links. */
  links?: TransferLinks | undefined
  /** For a correction: the transfer it reverses. */
  reversesId?: string | undefined
}

/**
 * A reservation still open at the end of a statement (a booking not yet served nor cancelled).
 *
 * @example
 * const r: StatementReservation = { transferId: 'b1', timestamp: new Date('2026-03-01T18:00:00Z'), date: '2026-03-01', code: 'booking', amount: 415n }
 */
export interface StatementReservation {
  /** The pending transfer. */
  transferId: string
  /** When it was made. */
  timestamp: Date
  /** Its date in the site's zone. */
  date: LocalDate
  /** Its code. */
  code: TransferCode
  /** Reserved amount (minor units); positive when it will leave the account. */
  amount: bigint
  /** The transfer's links. */
  links?: TransferLinks | undefined
}

/**
 * One month of a statement: opening balance, the month's movements, totals, closing balance.
 *
 * @example
 * const ok = (m: StatementMonth) => m.opening + m.credits - m.debits === m.closing
 */
export interface StatementMonth {
  /** `YYYY-MM`. */
  month: string
  /** Posted balance before the month's first line (within the statement's range). */
  opening: bigint
  /** The month's posted movements, by (timestamp, id). */
  lines: StatementLine[]
  /** Sum of the month's debits. */
  debits: bigint
  /** Sum of the month's credits. */
  credits: bigint
  /** Posted balance after the month's last line. */
  closing: bigint
}

/**
 * A statement of an account between two dates (inclusive, in the site's zone): opening balance,
 * movements grouped by month, closing balance, and the reservations still open at the end,
 * as the guardian's "Compte" panel of seed 001 shows it ("débits et crédits, triés par mois").
 *
 * @example
 * const ok = (s: AccountStatement) => s.opening + s.credits - s.debits === s.closing
 */
export interface AccountStatement {
  /** The account. */
  accountId: string
  /** Its currency. */
  currency: string
  /** First day (inclusive). */
  from: LocalDate
  /** Last day (inclusive). */
  to: LocalDate
  /** The zone dates are read in. */
  timeZone: TimeZone
  /** Posted balance before `from`. */
  opening: bigint
  /** Each month touched by the range, even without movements, in order. */
  months: StatementMonth[]
  /** Sum of debits over the range. */
  debits: bigint
  /** Sum of credits over the range. */
  credits: bigint
  /** Posted balance at the end of `to`. */
  closing: bigint
  /** Pending transfers still reserving at the end of `to` (bookings not yet served). */
  reservations: StatementReservation[]
  /** `closing` minus the reservations leaving the account: what the family could still spend. */
  available: bigint
}

/**
 * Schema of the statement options: `{ from, to, timeZone }`, dates `YYYY-MM-DD`, `from <= to`.
 *
 * @example
 * StatementOptionsSchema.parse({ from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Paris' }).to //=> '2026-03-31'
 */
export const StatementOptionsSchema = z
  .strictObject({ from: LocalDateSchema, to: LocalDateSchema, timeZone: TimeZoneSchema })
  .refine((o) => compareDates(o.from, o.to) <= 0, { message: 'from must not be after to', path: ['to'] })

/**
 * What {@link StatementOptionsSchema} accepts.
 *
 * @example
 * const options: StatementOptions = { from: '2026-03-01', to: '2026-04-30', timeZone: 'Europe/Brussels' }
 */
export type StatementOptions = z.input<typeof StatementOptionsSchema>

/**
 * The statement of an account from `from` to `to` (inclusive), dates read in the site's zone.
 *
 * Posted movements only (transfers and posts of bookings), each on the local date of its
 * timestamp; a voided or expired booking never appears; bookings still pending at the end are
 * listed in `reservations`. Opening + credits - debits = closing, for each month and overall.
 *
 * @example
 * const s = accountStatement(ledger, 'wallet:g1:o1:general', { from: '2026-03-01', to: '2026-04-30', timeZone: 'Europe/Paris' })
 * s.months.map((m) => m.month) //=> ['2026-03', '2026-04']
 * @throws EcoleError `INVALID_INPUT` for bad options; `ACCOUNT_NOT_FOUND` for an unknown account.
 */
export function accountStatement(state: LedgerState, accountId: string, options: StatementOptions): AccountStatement {
  const { from, to, timeZone } = parseInput(StatementOptionsSchema, options, 'statement')
  const s = internals(state)
  const slot = s.accounts.get(accountId)
  if (slot === undefined) throw new EcoleError('ACCOUNT_NOT_FOUND', `no ledger account ${describeValue(accountId)}`, { details: { accountId } })
  const endMs = zonedInstant(addDays(to, 1), '00:00', timeZone).getTime() - 1
  // accountHistory indexes the log, so s.resolvers is complete for reservedAt
  const history = accountHistory(s, slot)
  return foldStatement(accountId, slot.account.currency, history, { from, to, timeZone }, (t) => reservedAt(s, t, endMs))
}

/**
 * The statement of an account computed from its transfers, for a caller that holds them rather
 * than an in-memory ledger (a storage adapter's `ledger` port read page by page, an export): the
 * same {@link AccountStatement} as {@link accountStatement}, opening balance, posted movements
 * by month with the running balance, closing balance, and the bookings still reserving at the
 * end of `to`.
 *
 * `transfers` are every transfer touching the account, in any order, including the posts and
 * voids that resolve its reservations (even after `to`: their instant decides whether a
 * reservation was still open at the end). A pending transfer made by the end of `to`, neither
 * resolved nor expired by then, is listed in `reservations`.
 *
 * @example
 * const s = statementFromTransfers({ id: 'wallet:g1:o1:general', currency: 'EUR' }, accountTransfers(ledger, 'wallet:g1:o1:general'),
 *   { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Paris' })
 * s.months[0]!.lines.map((l) => [l.date, l.credit - l.debit, l.balance])
 * @throws EcoleError `INVALID_INPUT` naming the field for bad options, an account without a
 *   string id and currency, or a transfer list that is not one (each with a string id, a Date
 *   timestamp and a bigint amount).
 */
export function statementFromTransfers(account: { id: string; currency: string }, transfers: readonly LedgerTransfer[], options: StatementOptions): AccountStatement {
  if (typeof account !== 'object' || account === null || typeof account.id !== 'string' || account.id === '') throw EcoleError.invalidInput('account.id', 'must be a non-empty string')
  if (typeof account.currency !== 'string' || account.currency === '') throw EcoleError.invalidInput('account.currency', 'must be a non-empty string')
  if (!Array.isArray(transfers)) throw EcoleError.invalidInput('transfers', 'must be a list of ledger transfers')
  for (const [i, t] of (transfers as readonly unknown[]).entries()) {
    const ok = typeof t === 'object' && t !== null && typeof (t as LedgerTransfer).id === 'string' && isInstant((t as LedgerTransfer).timestamp)
      && typeof (t as LedgerTransfer).amount === 'bigint'
      && ((t as LedgerTransfer).expiresAt === undefined || isInstant((t as LedgerTransfer).expiresAt))
    if (!ok) throw EcoleError.invalidInput(`transfers.${i}`, 'must be a ledger transfer (a string id, a Date timestamp, a bigint amount)')
  }
  const { from, to, timeZone } = parseInput(StatementOptionsSchema, options, 'statement')
  const endMs = zonedInstant(addDays(to, 1), '00:00', timeZone).getTime() - 1
  const resolvedAt = new Map<string, number>()
  for (const t of transfers) {
    if ((t.flags?.post === true || t.flags?.void === true) && t.pendingId !== undefined) resolvedAt.set(t.pendingId, t.timestamp.getTime())
  }
  const reservedAtEnd = (t: LedgerTransfer): boolean => {
    if (t.timestamp.getTime() > endMs) return false
    if (t.expiresAt !== undefined && t.expiresAt.getTime() <= endMs) return false
    const resolved = resolvedAt.get(t.id)
    return resolved === undefined || resolved > endMs
  }
  return foldStatement(account.id, account.currency, transfers, { from, to, timeZone }, reservedAtEnd)
}

const isInstant = (d: unknown): boolean => d instanceof Date && !Number.isNaN(d.getTime())

/** The fold both statements share: options already parsed, `reservedAtEnd` says whether a pending transfer still reserves at the end of `to`. */
function foldStatement(
  accountId: string,
  currency: string,
  transfers: Iterable<LedgerTransfer>,
  { from, to, timeZone }: { from: LocalDate; to: LocalDate; timeZone: TimeZone },
  reservedAtEnd: (pending: LedgerTransfer) => boolean,
): AccountStatement {
  let opening = 0n
  const inRange: Array<{ t: LedgerTransfer; date: LocalDate }> = []
  const reservations: StatementReservation[] = []
  for (const t of transfers) {
    const flags = t.flags
    if (flags?.void === true) continue
    if (flags?.pending === true) {
      if (reservedAtEnd(t)) {
        const r: StatementReservation = {
          transferId: t.id,
          timestamp: t.timestamp,
          date: localDateOf(t.timestamp, timeZone),
          code: t.code,
          amount: t.debitAccountId === accountId ? t.amount : -t.amount,
        }
        if (t.links !== undefined) r.links = t.links
        reservations.push(r)
      }
      continue
    }
    const date = localDateOf(t.timestamp, timeZone)
    if (compareDates(date, from) < 0) {
      opening += t.creditAccountId === accountId ? t.amount : -t.amount
    } else if (compareDates(date, to) <= 0) {
      inRange.push({ t, date })
    }
  }
  const byTime = (a: { t: { timestamp: Date; id: string } }, b: { t: { timestamp: Date; id: string } }) =>
    a.t.timestamp.getTime() - b.t.timestamp.getTime() || (a.t.id < b.t.id ? -1 : a.t.id > b.t.id ? 1 : 0)
  inRange.sort(byTime)
  reservations.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || (a.transferId < b.transferId ? -1 : 1))

  const months: StatementMonth[] = []
  let month = startOfMonth(from)
  let balance = opening
  let debits = 0n
  let credits = 0n
  let index = 0
  while (compareDates(month, to) <= 0) {
    const key = month.slice(0, 7)
    const m: StatementMonth = { month: key, opening: balance, lines: [], debits: 0n, credits: 0n, closing: balance }
    while (index < inRange.length && inRange[index]!.date.slice(0, 7) === key) {
      const { t, date } = inRange[index]!
      const credit = t.creditAccountId === accountId ? t.amount : 0n
      const debit = t.debitAccountId === accountId ? t.amount : 0n
      balance += credit - debit
      m.debits += debit
      m.credits += credit
      const line: StatementLine = { transferId: t.id, timestamp: t.timestamp, date, code: t.code, debit, credit, balance }
      if (t.memo !== undefined) line.memo = t.memo
      if (t.links !== undefined) line.links = t.links
      if (t.reversesId !== undefined) line.reversesId = t.reversesId
      m.lines.push(line)
      index++
    }
    m.closing = balance
    debits += m.debits
    credits += m.credits
    months.push(m)
    month = addMonths(month, 1)
  }
  let reserved = 0n
  for (const r of reservations) if (r.amount > 0n) reserved += r.amount
  return { accountId, currency, from, to, timeZone, opening, months, debits, credits, closing: balance, reservations, available: balance - reserved }
}

import {
  EcoleError, StatementOptionsSchema, addDays, addMonths, compareDates, localDateOf, parseInput, startOfMonth, zonedInstant,
  type AccountStatement, type LedgerTransfer, type LocalDate, type StatementLine, type StatementMonth, type StatementOptions, type StatementReservation,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { readAll } from './support'

/**
 * The statement of a stored ledger account (a family's prepaid wallet) between two dates,
 * inclusive, read in the site's zone: the same {@link AccountStatement} as `accountStatement` of
 * `@ecole/core` computes over an in-memory ledger (opening balance, posted movements by month
 * with the running balance, closing balance, bookings still reserving at the end), read from the
 * `ledger` port of a storage adapter. Seed 001, « Comptes prépayés »: the account's debits and
 * credits month by month.
 *
 * Posted movements only (plain transfers and the posts of bookings), each on the local date of
 * its timestamp; voids and pending reservations are not movements; a reservation made by the end
 * of `to` and neither resolved nor expired by then is listed in `reservations`.
 *
 * @example
 * const march = await readAccountStatement(storage, 'site-1', walletAccountId('g-1', 'office-1'), { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Paris' })
 * march.months[0]!.lines.map((l) => [l.date, l.credit - l.debit, l.balance])
 * @throws EcoleError `INVALID_INPUT` for bad options (naming the field); `ACCOUNT_NOT_FOUND` for
 *   an account the store does not have; `PORT_MISSING` without a `ledger` port.
 */
export async function readAccountStatement(storage: StoragePorts, siteId: string, accountId: string, options: StatementOptions): Promise<AccountStatement> {
  const { from, to, timeZone } = parseInput(StatementOptionsSchema, options, 'statement')
  const ledger = storage.ledger
  if (ledger === undefined) throw new EcoleError('PORT_MISSING', '[ecole] readAccountStatement: the storage adapter has no ledger port, which this workflow needs', { details: { port: 'ledger' } })
  const account = await ledger.getAccount(siteId, accountId)
  if (account === undefined) throw new EcoleError('ACCOUNT_NOT_FOUND', `[ecole] readAccountStatement: no ledger account ${JSON.stringify(accountId)}`, { details: { accountId } })
  const endMs = zonedInstant(addDays(to, 1), '00:00', timeZone).getTime() - 1
  // every transfer of the account up to the end (a post or void resolving a reservation after the end is read too, for its instant)
  const records = await readAll((page) => ledger.listTransfers(siteId, { accountId }, page))
  const resolvedAt = new Map<string, number>()
  for (const { transfer: t } of records) {
    if ((t.flags?.post === true || t.flags?.void === true) && t.pendingId !== undefined) resolvedAt.set(t.pendingId, t.timestamp.getTime())
  }
  const reservedAtEnd = (t: LedgerTransfer): boolean => {
    if (t.timestamp.getTime() > endMs) return false
    if (t.expiresAt !== undefined && t.expiresAt.getTime() <= endMs) return false
    const resolved = resolvedAt.get(t.id)
    return resolved === undefined || resolved > endMs
  }

  let opening = 0n
  const inRange: Array<{ t: LedgerTransfer; date: LocalDate }> = []
  const reservations: StatementReservation[] = []
  for (const { transfer: t } of records) {
    if (t.flags?.void === true) continue
    if (t.flags?.pending === true) {
      if (reservedAtEnd(t)) {
        const r: StatementReservation = { transferId: t.id, timestamp: t.timestamp, date: localDateOf(t.timestamp, timeZone), code: t.code, amount: t.debitAccountId === accountId ? t.amount : -t.amount }
        if (t.links !== undefined) r.links = t.links
        reservations.push(r)
      }
      continue
    }
    const date = localDateOf(t.timestamp, timeZone)
    if (compareDates(date, from) < 0) opening += t.creditAccountId === accountId ? t.amount : -t.amount
    else if (compareDates(date, to) <= 0) inRange.push({ t, date })
  }
  inRange.sort((a, b) => a.t.timestamp.getTime() - b.t.timestamp.getTime() || (a.t.id < b.t.id ? -1 : a.t.id > b.t.id ? 1 : 0))
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
  return { accountId, currency: account.currency, from, to, timeZone, opening, months, debits, credits, closing: balance, reservations, available: balance - reserved }
}

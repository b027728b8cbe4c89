import { EcoleError, StatementOptionsSchema, parseInput, statementFromTransfers, type AccountStatement, type StatementOptions } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { readAll } from './support'
import { asUseCaseError } from '../use-case-error'

/**
 * The statement of a stored ledger account (a family's prepaid wallet) between two dates,
 * inclusive, read in the site's zone: the same {@link AccountStatement} as `accountStatement` of
 * `@ecole/core` computes over an in-memory ledger (opening balance, posted movements by month
 * with the running balance, closing balance, bookings still reserving at the end), read from the
 * `ledger` port of a storage adapter and folded by `statementFromTransfers`. Seed 001, « Comptes prépayés »: the account's debits and
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
  try {
    const { from, to, timeZone } = parseInput(StatementOptionsSchema, options, 'statement')
    const ledger = storage.ledger
    if (ledger === undefined) throw new EcoleError('PORT_MISSING', '[ecole] readAccountStatement: the storage adapter has no ledger port, which this workflow needs', { details: { port: 'ledger' } })
    const account = await ledger.getAccount(siteId, accountId)
    if (account === undefined) throw new EcoleError('ACCOUNT_NOT_FOUND', `[ecole] readAccountStatement: no ledger account ${JSON.stringify(accountId)}`, { details: { accountId } })
    // every transfer of the account (a post or void resolving a reservation after the end is read too, for its instant)
    const records = await readAll((page) => ledger.listTransfers(siteId, { accountId }, page))
    return statementFromTransfers({ id: accountId, currency: account.currency }, records.map((r) => r.transfer), { from, to, timeZone })
  } catch (error) {
    throw asUseCaseError(error, 'readAccountStatement', { storage: [storage, 'object', 'the storage’s ports'], siteId: [siteId, 'string'], accountId: [accountId, 'string', 'the ledger account'], options: [options, 'object', 'the statement options ({ from, to, timeZone })'] })
  }
}

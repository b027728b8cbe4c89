import { describeValue } from '../describe-value'
import type { AccountBalance } from './account-balance'
import { accountHistory, internals, type LedgerInternals, type LedgerState } from './ledger-state'
import { EcoleError } from '../errors'
import type { LedgerTransfer } from './transfer'

/** @internal Whether a pending transfer still reserved at `atMs` (created, not resolved, not expired by then). */
export function reservedAt(s: LedgerInternals, p: LedgerTransfer, atMs: number): boolean {
  if (p.timestamp.getTime() > atMs) return false
  if (p.expiresAt !== undefined && p.expiresAt.getTime() <= atMs) return false
  // s.resolvers is complete: callers read the account's history (which indexes the log) first
  const resolver = s.resolvers.get(p.id)
  return resolver === undefined || resolver.timestamp.getTime() > atMs
}

/**
 * The balances of an account at the instant `at`, folded from its transfers: the posted
 * transfers (and posts) with `timestamp <= at`, and the reservations made by then and not yet
 * posted, voided or expired by then.
 *
 * @example
 * balanceAt(ledger, 'wallet:g1:o1:general', new Date('2026-03-01T00:00:00Z')).posted //=> 2000n
 * @throws EcoleError `ACCOUNT_NOT_FOUND` for an unknown account.
 */
export function balanceAt(state: LedgerState, accountId: string, at: Date): AccountBalance {
  const s = internals(state)
  const slot = s.accounts.get(accountId)
  if (slot === undefined) throw new EcoleError('ACCOUNT_NOT_FOUND', `no ledger account ${describeValue(accountId)}`, { details: { accountId } })
  const atMs = at.getTime()
  let debitsPosted = 0n
  let creditsPosted = 0n
  let debitsPending = 0n
  let creditsPending = 0n
  for (const t of accountHistory(s, slot)) {
    const flags = t.flags
    const debit = t.debitAccountId === accountId
    if (flags?.pending === true) {
      if (!reservedAt(s, t, atMs)) continue
      if (debit) debitsPending += t.amount
      else creditsPending += t.amount
    } else if (flags?.void !== true && t.timestamp.getTime() <= atMs) {
      if (debit) debitsPosted += t.amount
      else creditsPosted += t.amount
    }
  }
  const posted = creditsPosted - debitsPosted
  return { accountId, currency: slot.account.currency, debitsPosted, creditsPosted, debitsPending, creditsPending, posted, available: posted - debitsPending }
}

import { LEDGER_MAX_TOTAL, transferCheckFailure, type LedgerAccount, type LedgerTransfer, type TransferResult } from '@ecole/core'
import type { Database } from './driver'

/**
 * The definitions of ledger accounts the top-level store has read, per database. A definition never
 * changes once the account is open (`openAccounts` refuses other fields, and nothing deletes an
 * account), so it can be kept; balances are not kept. Only committed rows, read outside any
 * transaction, are put here. Bounded: cleared when it passes {@link CACHE_LIMIT} entries.
 *
 * @internal
 */
export type AccountDefinitions = Map<string, LedgerAccount>

const CACHE_LIMIT = 100_000
const caches = new WeakMap<Database, AccountDefinitions>()

/** The account definitions known for `db` (one map per database). @internal */
export function accountDefinitions(db: Database): AccountDefinitions {
  let cache = caches.get(db)
  if (cache === undefined) {
    cache = new Map()
    caches.set(db, cache)
  }
  return cache
}

const key = (siteId: string, accountId: string): string => `${siteId}\u0000${accountId}`

/** Remembers accounts read (committed) for `siteId`. @internal */
export function rememberAccounts(cache: AccountDefinitions, siteId: string, accounts: Iterable<LedgerAccount>): void {
  if (cache.size > CACHE_LIMIT) cache.clear()
  for (const a of accounts) cache.set(key(siteId, a.id), a)
}

/** A batch of plain postings as `ecole_ledger_post` takes it (JSON), with the results it gives when written. */
export interface Postings {
  transfers: string
  deltas: string
  results: TransferResult[]
}

/** An overdraft the `CHECK` constraint of `ecole_ledger_accounts` states exactly as the rules do. */
const boundedLikeTheRules = (a: LedgerAccount): boolean => a.overdraft.kind !== 'limit' || a.overdraft.limit <= LEDGER_MAX_TOTAL

/**
 * The batch as plain postings, when the rules can only create every transfer of it or refuse one
 * for a reason the database sees by itself: each transfer posted (no flags, no pending, expiry or
 * reversal), ids distinct, both accounts known and passing the static checks. Then the balance
 * rules (overdraft, the 2^51 bound) are the `CHECK` constraint's and `ecole_ledger_post`'s, an id
 * that exists is the primary key's, an id that failed before and an expired reservation to release
 * are `ecole_ledger_post`'s: any of them sends the batch down the other path. Otherwise undefined.
 *
 * @internal
 */
export function plainPostings(cache: AccountDefinitions, siteId: string, transfers: readonly LedgerTransfer[]): Postings | undefined {
  const ids = new Set<string>()
  const deltas = new Map<string, { dp: bigint; cp: bigint }>()
  const rows: unknown[] = []
  for (const t of transfers) {
    // Flags, even all false, are stored as given: such a transfer goes the other way, which keeps them.
    if (t.flags !== undefined || t.pendingId !== undefined || t.reversesId !== undefined || t.expiresAt !== undefined) return undefined
    if (typeof t.id !== 'string' || ids.has(t.id) || !(t.timestamp instanceof Date)) return undefined
    ids.add(t.id)
    const debit = cache.get(key(siteId, t.debitAccountId))
    const credit = cache.get(key(siteId, t.creditAccountId))
    if (debit === undefined || credit === undefined || !boundedLikeTheRules(debit)) return undefined
    if (transferCheckFailure(t, debit, credit) !== null) return undefined
    const d = deltas.get(debit.id) ?? { dp: 0n, cp: 0n }
    d.dp += t.amount
    deltas.set(debit.id, d)
    const c = deltas.get(credit.id) ?? { dp: 0n, cp: 0n }
    c.cp += t.amount
    deltas.set(credit.id, c)
    rows.push({ id: t.id, d: t.debitAccountId, c: t.creditAccountId, a: t.amount.toString(), cur: t.currency, code: t.code, ln: t.links, memo: t.memo, ts: t.timestamp })
  }
  // Rows are updated in key order, as the locking path locks them.
  const order = [...deltas.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return {
    transfers: JSON.stringify(rows),
    deltas: JSON.stringify(order.map((id) => ({ id, dp: deltas.get(id)!.dp.toString(), cp: deltas.get(id)!.cp.toString() }))),
    results: transfers.map((t) => ({ id: t.id, status: 'created' })),
  }
}

import { EcoleError } from '../errors'
import { minorUnits } from '../money'
import type { LedgerAccount } from './account'
import type { AccountBalance } from './account-balance'
import { ledgerSlot } from './ledger-engine'
import type { LedgerTransfer } from './transfer'
import { TransferIndex } from './transfer-index'
import type { AccountOpenResult, TransferFailureCode } from './transfer-result'
import { asInputError } from '../input-error'

const LEDGER = Symbol.for('@ecole/core/LedgerState')

/**
 * An in-memory ledger of one site: accounts, transfers and balances. Opaque: read it with the
 * query functions (`getAccountBalance`, `availableBalance`, `balanceAt`, `accountStatement`...)
 * and change it only with `openAccounts` and `applyTransfers`, which keep every invariant
 * (total debits = total credits, no wallet below its overdraft policy, idempotent ids).
 *
 * The state is mutable for speed (a million transfers per second); copy nothing out of it that
 * you intend to change. Recognise one with {@link isLedgerState}.
 *
 * @example
 * const ledger = createLedger()
 * openAccounts(ledger, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'o1' }], guardians: [] }))
 */
export interface LedgerState {
  /** @internal brand shared by every copy of @ecole/core. */
  readonly [LEDGER]: true
}

/**
 * The largest total, in minor units, any account may accumulate on one side (posted debits,
 * posted credits, pending debits or pending credits over its whole life): 2^51, about 22
 * trillion euros. The engine keeps its running totals as exact integer numbers below this bound
 * (so that sums of four of them stay exact doubles) and refuses a transfer that would cross it
 * (`AMOUNT_OVERFLOWS`) rather than lose a cent. Balances are reported as bigint.
 *
 * @example
 * LEDGER_MAX_TOTAL //=> 2251799813685248n
 */
export const LEDGER_MAX_TOTAL = 2n ** 51n

/** @internal {@link LEDGER_MAX_TOTAL} as a number. */
export const MAX_TOTAL = 2 ** 51

/**
 * @internal Per-account running totals, as exact integer numbers of minor units below
 * {@link MAX_TOTAL} (the hot path avoids bigint allocations).
 */
export interface AccountSlot {
  readonly account: LedgerAccount
  debitsPosted: number
  creditsPosted: number
  debitsPending: number
  creditsPending: number
  /** Whether debits are checked (policy none or limit). */
  readonly bounded: boolean
  /** The overdraft allowed (0 for none), capped at {@link MAX_TOTAL}. */
  readonly limit: number
  /**
   * Transfers touching the account, in application order: an index of `log` built lazily by
   * {@link accountHistory} (the hot path only appends to the log).
   */
  readonly history: LedgerTransfer[]
}

/** @internal The real shape behind {@link LedgerState}. */
export interface LedgerInternals extends LedgerState {
  readonly accounts: Map<string, AccountSlot>
  /** Created transfers: the log and its id index. */
  readonly transfers: TransferIndex
  readonly failed: Map<string, TransferFailureCode>
  readonly reversed: Map<string, bigint>
  /** Pending transfers with an expiry, still open: id -> epoch ms. */
  readonly expiring: Map<number, number>
  /** Lower bound of the earliest expiry in `expiring` (Infinity when none). */
  nextExpiryMs: number
  /** Largest `now` seen (epoch ms), -Infinity before the first batch. */
  lastNowMs: number
  /** For each resolved pending transfer: the post or void that resolved it (filled with the histories). */
  readonly resolvers: Map<string, LedgerTransfer>
  /** How many entries of `log` the per-account histories cover. */
  indexed: number
}

/**
 * An empty ledger.
 *
 * @example
 * const ledger = createLedger()
 * isLedgerState(ledger) //=> true
 */
export function createLedger(): LedgerState {
  const state: LedgerInternals = {
    [LEDGER]: true,
    accounts: new Map(),
    transfers: new TransferIndex(),
    failed: new Map(),
    reversed: new Map(),
    expiring: new Map(),
    nextExpiryMs: Number.POSITIVE_INFINITY,
    lastNowMs: Number.NEGATIVE_INFINITY,
    resolvers: new Map(),
    indexed: 0,
  }
  return state
}

/**
 * Whether `value` is a {@link LedgerState} (from either build of @ecole/core).
 *
 * @example
 * isLedgerState(createLedger()) //=> true
 * isLedgerState({}) //=> false
 */
export function isLedgerState(value: unknown): value is LedgerState {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[LEDGER] === true
}

/** @internal */
export function internals(state: LedgerState): LedgerInternals {
  if (!isLedgerState(state)) throw new EcoleError('INVALID_INPUT', 'expected a ledger state made by createLedger()')
  return state as LedgerInternals
}

/**
 * The fields in which two definitions of one account differ, sorted (an overdraft policy counts
 * as one field): what an idempotent open compares, in memory and in a storage adapter.
 *
 * @example
 * const a: LedgerAccount = { id: 'w1', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } }
 * accountDifferences(a, { ...a, currency: 'CHF' }) // ['currency']
 */
export function accountDifferences(a: LedgerAccount, b: LedgerAccount): string[] {
  try {
    const fields: string[] = []
    const ra = a as unknown as Record<string, unknown>
    const rb = b as unknown as Record<string, unknown>
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)])
    for (const key of [...keys].sort()) {
      if (key === 'overdraft') {
        const pa = a.overdraft
        const pb = b.overdraft
        if (pa.kind !== pb.kind || (pa.kind === 'limit' && pb.kind === 'limit' && pa.limit !== pb.limit)) fields.push('overdraft')
      } else if (ra[key] !== rb[key]) {
        fields.push(key)
      }
    }
    return fields
  } catch (error) {
    throw asInputError(error, 'accountDifferences', { a: [a, 'object', 'a ledger account'], b: [b, 'object', 'a ledger account'] })
  }
}

/**
 * Refuses an account definition the ledger cannot hold: an empty id, an unknown currency, a
 * `limit` overdraft whose limit is not a bigint >= 0. Throws `INVALID_INPUT` naming the field.
 *
 * @example
 * checkLedgerAccount({ id: 'w1', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'limit', limit: 500n } })
 */
export function checkLedgerAccount(account: LedgerAccount): void {
  try {
    if (typeof account.id !== 'string' || account.id.length === 0) {
      throw new EcoleError('INVALID_INPUT', 'account.id must be a non-empty string', { details: { field: 'id' } })
    }
    minorUnits(account.currency)
    if (account.overdraft.kind === 'limit' && !(typeof account.overdraft.limit === 'bigint' && account.overdraft.limit >= 0n)) {
      throw new EcoleError('INVALID_INPUT', `account ${account.id}: overdraft.limit must be a bigint >= 0 (minor units)`, {
        details: { field: 'overdraft.limit', accountId: account.id },
      })
    }
  } catch (error) {
    throw asInputError(error, 'checkLedgerAccount', { account: [account, 'object', 'a ledger account'] })
  }
}

/** @internal Extends the per-account histories and the resolvers to the whole log. */
export function indexLog(s: LedgerInternals): void {
  const log = s.transfers.log
  for (let i = s.indexed; i < log.length; i++) {
    const t = log[i]!
    s.accounts.get(t.debitAccountId)!.history.push(t)
    s.accounts.get(t.creditAccountId)!.history.push(t)
    if (t.pendingId !== undefined) s.resolvers.set(t.pendingId, t)
  }
  s.indexed = log.length
}

/** @internal The transfers touching an account, in application order. */
export function accountHistory(s: LedgerInternals, slot: AccountSlot): readonly LedgerTransfer[] {
  indexLog(s)
  return slot.history
}

/** @internal The balances of a slot, as bigint. */
export function slotBalance(slot: AccountSlot): AccountBalance {
  const debitsPosted = BigInt(slot.debitsPosted)
  const creditsPosted = BigInt(slot.creditsPosted)
  const debitsPending = BigInt(slot.debitsPending)
  const posted = creditsPosted - debitsPosted
  return {
    accountId: slot.account.id,
    currency: slot.account.currency,
    debitsPosted,
    creditsPosted,
    debitsPending,
    creditsPending: BigInt(slot.creditsPending),
    posted,
    available: posted - debitsPending,
  }
}

/**
 * Opens accounts, idempotently: an id seen before with the same fields is `exists`; with other
 * fields it is refused (`EXISTS_WITH_DIFFERENT_FIELDS`, naming them) and the existing account is
 * kept unchanged. Accounts are never closed or deleted (their history stays readable).
 *
 * @example
 * const ledger = createLedger()
 * openAccounts(ledger, [{ id: 'w1', kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1',
 *   compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } }]) //=> [{ id: 'w1', status: 'created' }]
 * @throws EcoleError `INVALID_INPUT` for an empty id or a negative overdraft limit; `UNKNOWN_CURRENCY`.
 */
export function openAccounts(state: LedgerState, accounts: readonly LedgerAccount[]): AccountOpenResult[] {
  const s = internals(state)
  const results: AccountOpenResult[] = []
  for (const account of accounts) {
    checkLedgerAccount(account)
    const existing = s.accounts.get(account.id)
    if (existing) {
      const fields = accountDifferences(existing.account, account)
      results.push(fields.length === 0 ? { id: account.id, status: 'exists' } : { id: account.id, status: 'failed', code: 'EXISTS_WITH_DIFFERENT_FIELDS', fields })
      continue
    }
    const slot = ledgerSlot({ ...account }, 0, 0, 0, 0)
    // one literal, so that every slot shares one shape (a spread would not)
    s.accounts.set(account.id, {
      account: slot.account,
      debitsPosted: 0,
      creditsPosted: 0,
      debitsPending: 0,
      creditsPending: 0,
      bounded: slot.bounded,
      limit: slot.limit,
      history: [],
    })
    results.push({ id: account.id, status: 'created' })
  }
  return results
}

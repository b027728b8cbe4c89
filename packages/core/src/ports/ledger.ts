/**
 * The ledger port: how the wallet ledger is persisted. Types only; `@ecole/storage-memory` and
 * `@ecole/storage-postgres` implement it, the conformance suite of `@ecole/testing` checks it.
 *
 * @module
 */
import type {
  AccountBalance,
  AccountOpenResult,
  LedgerAccount,
  LedgerTransfer,
  LedgerTransferRecord,
  TransferFailureCode,
  TransferResult,
} from '../ledger'
import type { Page, PageRequest } from './storage'

/**
 * Which accounts {@link LedgerStore.listAccounts} returns; every field given must match.
 *
 * @example
 * const filter: LedgerAccountFilter = { kind: 'wallet', billingOfficeId: 'office-1', compartment: 'general' }
 */
export interface LedgerAccountFilter {
  /** `wallet` or `system`. */
  kind?: 'wallet' | 'system' | undefined
  /** Wallets of this guardian. */
  guardianId?: string | undefined
  /** Accounts of this billing office. */
  billingOfficeId?: string | undefined
  /** Wallets of this compartment. */
  compartment?: string | undefined
}

/**
 * Which transfers {@link LedgerStore.listTransfers} returns: those touching `accountId` (either
 * side) with `from <= timestamp < to`, ordered by (timestamp, id).
 *
 * @example
 * const march: LedgerTransferFilter = { accountId: 'wallet:g-1:office-1:general',
 *   from: new Date('2026-03-01T00:00:00+01:00'), to: new Date('2026-04-01T00:00:00+02:00') }
 */
export interface LedgerTransferFilter {
  /** Only transfers debiting or crediting this account. */
  accountId?: string | undefined
  /** Inclusive lower bound of `timestamp`. */
  from?: Date | undefined
  /** Exclusive upper bound of `timestamp`. */
  to?: Date | undefined
}

/**
 * Persistence of the wallet ledger, with the same semantics as the pure engine
 * (`createLedger` / `applyTransfers` of `@ecole/core`, which the memory adapter uses as is).
 *
 * Contract (the conformance suite tests each point):
 * - **Site scoping.** Every method takes `siteId` first. Account and transfer ids are unique per
 *   site; a read never returns, a write never touches, another site's records.
 * - **Atomicity.** {@link LedgerStore.createTransfers} applies each transfer, or linked chain
 *   (`flags.linked`), entirely or not at all: balances, the transfer row, pending state and
 *   reversal totals change together. A failure inside a chain rolls back the chain's earlier
 *   transfers (they report `LINKED_EVENT_FAILED`); transfers outside the chain are unaffected.
 *   When the store's `transaction` is open, the whole call joins it.
 * - **No overdraft under concurrency.** Balance checks and updates are serialised per account
 *   (e.g. `SELECT ... FOR UPDATE` on the account rows, locked in id order to avoid deadlocks, or
 *   a conditional `UPDATE ... WHERE available >= amount`): two concurrent debits that together
 *   exceed a `none` wallet (or its overdraft limit) never both succeed, and a pending transfer is
 *   posted or voided at most once even when two requests race.
 * - **Idempotency.** Submitting an id again with the same fields (the `timestamp` excepted)
 *   returns `exists` and changes nothing; with other fields, `EXISTS_WITH_DIFFERENT_FIELDS`
 *   naming them. Concurrent submissions of one id create it once (a unique key on (site, id)).
 * - **Failed ids stay failed.** A refusal that `isRecordedFailure` (e.g. `EXCEEDS_BALANCE`) is
 *   recorded against the id, and every later submission of that id returns `ID_ALREADY_FAILED`.
 *   The record is written OUTSIDE the transaction that rolled back (after the rollback, or in an
 *   autonomous transaction), so it survives the rollback; transfers of a rolled-back chain that
 *   report `LINKED_EVENT_FAILED` are not recorded and may be retried.
 * - **Immutable history.** Transfers are never updated or deleted; corrections are new,
 *   reversing transfers. Only the pending state and reversed totals of a record evolve.
 * - **Expiry.** A pending transfer whose `expiresAt` is at or before the `now` given to
 *   `createTransfers` can no longer be posted or voided (`PENDING_EXPIRED`) and stops reserving.
 * - **Exact amounts.** Amounts and balances are bigint minor units (NUMERIC/BIGINT columns, never
 *   floating point).
 *
 * @example
 * const results = await store.createTransfers('site-1', [topUp], now)
 * if (results[0]!.status === 'failed') console.log(results[0]!.code)
 * const [balance] = await store.getBalances('site-1', [topUp.creditAccountId])
 */
export interface LedgerStore {
  /**
   * Opens accounts (idempotent per id): `created`, `exists` (same fields) or
   * `EXISTS_WITH_DIFFERENT_FIELDS` naming the fields; an existing account is never changed.
   */
  createAccounts(siteId: string, accounts: readonly LedgerAccount[]): Promise<AccountOpenResult[]>
  /** One account, or `undefined`. */
  getAccount(siteId: string, accountId: string): Promise<LedgerAccount | undefined>
  /** Accounts matching `filter`, by id. */
  listAccounts(siteId: string, filter?: LedgerAccountFilter, page?: PageRequest): Promise<Page<LedgerAccount>>
  /**
   * Applies a batch of transfers in order with the engine's rules; one result per transfer, in
   * batch order. Business refusals are results, not exceptions; only store failures throw.
   */
  createTransfers(siteId: string, transfers: readonly LedgerTransfer[], now: Date): Promise<TransferResult[]>
  /** A created transfer with its pending state and reversed total, or `undefined`. */
  getTransfer(siteId: string, transferId: string): Promise<LedgerTransferRecord | undefined>
  /** The recorded failure of an id that failed, or `undefined` (never failed, or unknown). */
  getFailedTransfer(siteId: string, transferId: string): Promise<TransferFailureCode | undefined>
  /** Created transfers matching `filter`, ordered by (timestamp, id). */
  listTransfers(siteId: string, filter?: LedgerTransferFilter, page?: PageRequest): Promise<Page<LedgerTransferRecord>>
  /**
   * Current balances of the accounts, in the order asked; an unknown id is left out. Pending
   * transfers expired at or before `now` (when given) no longer count as reserved.
   */
  getBalances(siteId: string, accountIds: readonly string[], now?: Date): Promise<AccountBalance[]>
}

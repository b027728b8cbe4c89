import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import type { LedgerAccount } from './account'
import type { AccountBalance } from './account-balance'
import { accountHistory, indexLog, internals, slotBalance, type AccountSlot, type LedgerState } from './ledger-state'
import { hashId } from './transfer-index'
import type { LedgerTransfer } from './transfer'
import type { LedgerTransferRecord } from './transfer-record'
import type { PendingStatus, TransferFailureCode } from './transfer-result'
import { asInputError } from '../input-error'

/** Pending states by their code in the transfer index. */
const PENDING_STATUS: ReadonlyArray<PendingStatus | undefined> = [undefined, 'pending', 'posted', 'voided', 'expired']

function slotOf(state: LedgerState, accountId: string): AccountSlot {
  const slot = internals(state).accounts.get(accountId)
  if (slot === undefined) throw new EcoleError('ACCOUNT_NOT_FOUND', `no ledger account ${describeValue(accountId)}`, { details: { accountId } })
  return slot
}

/**
 * An account of the ledger, or `undefined`.
 *
 * @example
 * getLedgerAccount(ledger, 'wallet:g1:o1:general')?.kind //=> 'wallet'
 */
export function getLedgerAccount(state: LedgerState, accountId: string): LedgerAccount | undefined {
  return internals(state).accounts.get(accountId)?.account
}

/**
 * The accounts of the ledger, by id.
 *
 * @example
 * listLedgerAccounts(ledger).filter((a) => a.kind === 'wallet').length //=> 2
 */
export function listLedgerAccounts(state: LedgerState): LedgerAccount[] {
  return [...internals(state).accounts.values()].map((s) => s.account).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * The current balances of an account (posted, pending, available), as of the last `now` the
 * ledger was given (reservations expired since then still count; see `expirePendingTransfers`).
 *
 * @example
 * getAccountBalance(ledger, 'wallet:g1:o1:general').available //=> 1585n
 * @throws EcoleError `ACCOUNT_NOT_FOUND` for an unknown account.
 */
export function getAccountBalance(state: LedgerState, accountId: string): AccountBalance {
  return slotBalance(slotOf(state, accountId))
}

/**
 * The available balance of an account in minor units: posted credits - posted debits - pending
 * debits. This is what a booking is checked against: a booking (pending transfer) lowers it at
 * once, cancelling in time (void) raises it back.
 *
 * @example
 * availableBalance(ledger, 'wallet:g1:o1:general') //=> 1585n
 * @throws EcoleError `ACCOUNT_NOT_FOUND` for an unknown account.
 */
export function availableBalance(state: LedgerState, accountId: string): bigint {
  const slot = slotOf(state, accountId)
  return BigInt(slot.creditsPosted - slot.debitsPosted - slot.debitsPending)
}

/**
 * Whether debiting (or reserving) `amount` minor units from `account` with the balance `balance`
 * would respect its overdraft policy: the check `applyTransfers` makes, for callers (a booking
 * form) that want to explain a refusal before submitting.
 *
 * @example
 * canDebit({ ...wallet, overdraft: { kind: 'none' } }, { ...balance, available: 415n }, 415n) //=> true
 * canDebit({ ...wallet, overdraft: { kind: 'none' } }, { ...balance, available: 414n }, 415n) //=> false
 */
export function canDebit(account: LedgerAccount, balance: AccountBalance, amount: bigint): boolean {
  try {
    const policy = account.overdraft
    switch (policy.kind) {
      case 'unbounded':
        return true
      case 'none':
        return balance.available - amount >= 0n
      case 'limit':
        return balance.available - amount >= -policy.limit
      default: {
        const never: never = policy
        return never
      }
    }
  } catch (error) {
    throw asInputError(error, 'canDebit', { account: [account, 'object', 'a ledger account'], balance: [balance, 'object', "the account's balance"], amount: [amount, 'bigint'] })
  }
}

/**
 * A created transfer with its pending state and the total reversed by corrections, or `undefined`.
 *
 * @example
 * getTransferRecord(ledger, 'booking-1')?.pendingStatus //=> 'voided'
 */
export function getTransferRecord(state: LedgerState, transferId: string): LedgerTransferRecord | undefined {
  const s = internals(state)
  const position = s.transfers.position(transferId, hashId(transferId))
  if (position < 0) return undefined
  const transfer = s.transfers.log[position]!
  const record: LedgerTransferRecord = { transfer, reversedAmount: s.reversed.get(transferId) ?? 0n }
  const status = PENDING_STATUS[s.transfers.status[position]!]
  if (status !== undefined) {
    record.pendingStatus = status
    indexLog(s)
    const resolver = s.resolvers.get(transferId)
    if (resolver !== undefined) record.resolvedById = resolver.id
  }
  return record
}

/**
 * The recorded failure of an id (it stays failed), or `undefined`.
 *
 * @example
 * getFailedTransfer(ledger, 'booking-too-expensive') //=> 'EXCEEDS_BALANCE'
 */
export function getFailedTransfer(state: LedgerState, transferId: string): TransferFailureCode | undefined {
  return internals(state).failed.get(transferId)
}

/**
 * The transfers touching an account (either side), in the order they were applied.
 *
 * @example
 * accountTransfers(ledger, 'wallet:g1:o1:general').map((t) => t.code) //=> ['topUp', 'booking']
 * @throws EcoleError `ACCOUNT_NOT_FOUND` for an unknown account.
 */
export function accountTransfers(state: LedgerState, accountId: string): readonly LedgerTransfer[] {
  return accountHistory(internals(state), slotOf(state, accountId))
}

/**
 * Totals of one currency over the whole ledger, in minor units (see {@link ledgerTotals}).
 *
 * @example
 * const ok = (t: LedgerTotals) => t.debitsPosted === t.creditsPosted
 */
export interface LedgerTotals {
  /** The currency. */
  currency: string
  /** Sum of posted debits of every account. */
  debitsPosted: bigint
  /** Sum of posted credits of every account. */
  creditsPosted: bigint
  /** Sum of pending debits of every account. */
  debitsPending: bigint
  /** Sum of pending credits of every account. */
  creditsPending: bigint
}

/**
 * Totals over the whole ledger, per currency: posted debits, posted credits, pending debits and
 * pending credits (minor units). Double entry means debits always equal credits.
 *
 * @example
 * const [eur] = ledgerTotals(ledger)
 * eur!.debitsPosted === eur!.creditsPosted //=> true
 */
export function ledgerTotals(state: LedgerState): LedgerTotals[] {
  const byCurrency = new Map<string, LedgerTotals>()
  for (const slot of internals(state).accounts.values()) {
    const c = slot.account.currency
    let t = byCurrency.get(c)
    if (t === undefined) {
      t = { currency: c, debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n }
      byCurrency.set(c, t)
    }
    t.debitsPosted += BigInt(slot.debitsPosted)
    t.creditsPosted += BigInt(slot.creditsPosted)
    t.debitsPending += BigInt(slot.debitsPending)
    t.creditsPending += BigInt(slot.creditsPending)
  }
  return [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1))
}

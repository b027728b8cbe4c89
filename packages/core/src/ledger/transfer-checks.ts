import type { LedgerAccount } from './account'
import { LEDGER_MAX_TOTAL } from './ledger-state'
import type { LedgerTransfer } from './transfer'
import type { TransferFailureCode } from './transfer-result'
import { asInputError } from '../input-error'

/** Why a transfer is refused before any balance or pending state is looked at: its code and the fields at fault. */
export interface TransferCheckFailure {
  /** The failure code the transfer's result carries. */
  code: TransferFailureCode
  /** The transfer fields at fault. */
  fields: string[]
}

/**
 * The checks a transfer must pass on its own and against its two accounts, in the order every
 * ledger applies them (the in-memory engine and the storage adapters share this function, so
 * they refuse the same transfers with the same codes): one of pending/post/void at most; a
 * positive amount below {@link LEDGER_MAX_TOTAL}; two different, existing accounts of one
 * currency; a `pendingId` exactly for posts and voids; an expiry only on a pending transfer; a
 * reversal only of a plain transfer; a compartment transfer only between two wallets of one
 * guardian and billing office. Balances, pending states and reversal limits come after.
 *
 * @example
 * transferCheckFailure({ id: 't1', debitAccountId: 'a', creditAccountId: 'a', amount: 100n, code: 'topUp', timestamp: now }, a, a)
 * //=> { code: 'ACCOUNTS_MUST_BE_DIFFERENT', fields: ['debitAccountId', 'creditAccountId'] }
 */
export function transferCheckFailure(t: LedgerTransfer, debit: LedgerAccount | undefined, credit: LedgerAccount | undefined): TransferCheckFailure | null {
  try {
    const flags = t.flags
    const isPending = flags !== undefined && flags.pending === true
    const isPost = flags !== undefined && flags.post === true
    const isVoid = flags !== undefined && flags.void === true
    if ((isPending ? 1 : 0) + (isPost ? 1 : 0) + (isVoid ? 1 : 0) > 1) return { code: 'FLAGS_ARE_MUTUALLY_EXCLUSIVE', fields: ['flags'] }
    if (typeof t.amount !== 'bigint' || !(t.amount > 0n)) return { code: 'AMOUNT_MUST_BE_POSITIVE', fields: ['amount'] }
    if (t.amount > LEDGER_MAX_TOTAL) return { code: 'AMOUNT_OVERFLOWS', fields: ['amount'] }
    if (t.debitAccountId === t.creditAccountId) return { code: 'ACCOUNTS_MUST_BE_DIFFERENT', fields: ['debitAccountId', 'creditAccountId'] }
    if (debit === undefined || credit === undefined) {
      const fields: string[] = []
      if (debit === undefined) fields.push('debitAccountId')
      if (credit === undefined) fields.push('creditAccountId')
      return { code: 'ACCOUNT_NOT_FOUND', fields }
    }
    if (credit.currency !== debit.currency || (t.currency !== undefined && t.currency !== debit.currency)) return { code: 'CURRENCY_MISMATCH', fields: ['currency'] }
    if (isPost || isVoid) {
      if (t.pendingId === undefined) return { code: 'PENDING_ID_REQUIRED', fields: ['pendingId'] }
    } else if (t.pendingId !== undefined) {
      return { code: 'PENDING_ID_NOT_ALLOWED', fields: ['pendingId'] }
    }
    if (t.expiresAt !== undefined && !isPending) return { code: 'EXPIRY_NOT_ALLOWED', fields: ['expiresAt'] }
    if (t.reversesId !== undefined && (isPending || isPost || isVoid)) return { code: 'REVERSAL_NOT_ALLOWED', fields: ['reversesId'] }
    if (t.code === 'compartmentTransfer') {
      if (debit.kind !== 'wallet' || credit.kind !== 'wallet' || debit.guardianId !== credit.guardianId || debit.billingOfficeId !== credit.billingOfficeId) {
        return { code: 'COMPARTMENT_TRANSFER_MISMATCH', fields: ['debitAccountId', 'creditAccountId'] }
      }
    }
    return null
  } catch (error) {
    throw asInputError(error, 'transferCheckFailure', { t: [t, 'object', 'a ledger transfer'], debit: [debit, 'object?', 'the debit account'], credit: [credit, 'object?', 'the credit account'] })
  }
}

/**
 * Why a transfer was not applied (TigerBeetle's result codes, named for `@ecole`).
 *
 * Idempotency:
 * - `EXISTS_WITH_DIFFERENT_FIELDS`: the id was already used for another transfer (`fields` names the differences);
 * - `ID_ALREADY_FAILED`: the id failed before and stays failed (retry with a new id).
 *
 * Linked chains:
 * - `LINKED_EVENT_FAILED`: another transfer of the chain failed, this one was rolled back;
 * - `LINKED_EVENT_CHAIN_OPEN`: the last transfer of the batch has `flags.linked`.
 *
 * Business refusals:
 * - `ACCOUNT_NOT_FOUND` (`fields`: `debitAccountId` and/or `creditAccountId`), `ACCOUNTS_MUST_BE_DIFFERENT`,
 *   `AMOUNT_MUST_BE_POSITIVE`, `CURRENCY_MISMATCH`, `EXCEEDS_BALANCE` (a wallet would go below its overdraft policy),
 *   `FLAGS_ARE_MUTUALLY_EXCLUSIVE`;
 * - pending transfers: `PENDING_ID_REQUIRED`, `PENDING_ID_NOT_ALLOWED`, `PENDING_TRANSFER_NOT_FOUND`,
 *   `PENDING_TRANSFER_NOT_PENDING` (the id names a transfer that is not pending), `PENDING_ALREADY_RESOLVED`
 *   (posted or voided before), `PENDING_EXPIRED`, `PENDING_TRANSFER_MISMATCH` (accounts or amount differ; `fields`),
 *   `EXPIRY_NOT_ALLOWED` (expiresAt on a transfer that is not pending), `EXPIRY_NOT_IN_FUTURE`;
 * - corrections: `REVERSED_TRANSFER_NOT_FOUND`, `REVERSAL_NOT_ALLOWED` (the reversed transfer is pending, or the
 *   reversal is two-phase), `REVERSAL_MISMATCH` (accounts not swapped or currency differs; `fields`),
 *   `REVERSAL_EXCEEDS_ORIGINAL` (more than what is left to reverse);
 * - `COMPARTMENT_TRANSFER_MISMATCH`: a `compartmentTransfer` not between two wallets of one guardian and office;
 * - `AMOUNT_OVERFLOWS`: an account's lifetime total would pass `LEDGER_MAX_TOTAL` (about 22 trillion euros).
 *
 * @example
 * const code: TransferFailureCode = 'EXCEEDS_BALANCE'
 */
export type TransferFailureCode =
  | 'EXISTS_WITH_DIFFERENT_FIELDS'
  | 'ID_ALREADY_FAILED'
  | 'LINKED_EVENT_FAILED'
  | 'LINKED_EVENT_CHAIN_OPEN'
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNTS_MUST_BE_DIFFERENT'
  | 'AMOUNT_MUST_BE_POSITIVE'
  | 'CURRENCY_MISMATCH'
  | 'EXCEEDS_BALANCE'
  | 'FLAGS_ARE_MUTUALLY_EXCLUSIVE'
  | 'PENDING_ID_REQUIRED'
  | 'PENDING_ID_NOT_ALLOWED'
  | 'PENDING_TRANSFER_NOT_FOUND'
  | 'PENDING_TRANSFER_NOT_PENDING'
  | 'PENDING_ALREADY_RESOLVED'
  | 'PENDING_EXPIRED'
  | 'PENDING_TRANSFER_MISMATCH'
  | 'EXPIRY_NOT_ALLOWED'
  | 'EXPIRY_NOT_IN_FUTURE'
  | 'REVERSED_TRANSFER_NOT_FOUND'
  | 'REVERSAL_NOT_ALLOWED'
  | 'REVERSAL_MISMATCH'
  | 'REVERSAL_EXCEEDS_ORIGINAL'
  | 'COMPARTMENT_TRANSFER_MISMATCH'
  | 'AMOUNT_OVERFLOWS'

/**
 * Failure codes that are recorded against the id (a later submission of the same id returns
 * `ID_ALREADY_FAILED`): every refusal except those about idempotency itself and linked chains
 * (`EXISTS_WITH_DIFFERENT_FIELDS`, `ID_ALREADY_FAILED`, `LINKED_EVENT_FAILED`,
 * `LINKED_EVENT_CHAIN_OPEN`), whose transfer was never judged on its own.
 *
 * @example
 * isRecordedFailure('EXCEEDS_BALANCE') //=> true
 * isRecordedFailure('LINKED_EVENT_FAILED') //=> false
 */
export function isRecordedFailure(code: TransferFailureCode): boolean {
  return code !== 'EXISTS_WITH_DIFFERENT_FIELDS' && code !== 'ID_ALREADY_FAILED' && code !== 'LINKED_EVENT_FAILED' && code !== 'LINKED_EVENT_CHAIN_OPEN'
}

/**
 * The outcome of one transfer of a batch, in batch order.
 *
 * - `created`: applied now;
 * - `exists`: the same id with the same fields was applied before; nothing changed;
 * - `failed`: not applied; `code` says why, `fields` names the fields at fault when that helps
 *   (`EXISTS_WITH_DIFFERENT_FIELDS`, `ACCOUNT_NOT_FOUND`, `PENDING_TRANSFER_MISMATCH`...).
 *
 * @example
 * const ok = (r: TransferResult) => r.status !== 'failed'
 */
export type TransferResult =
  | { id: string; status: 'created' }
  | { id: string; status: 'exists' }
  | { id: string; status: 'failed'; code: TransferFailureCode; fields?: string[] | undefined }

/**
 * The outcome of opening one account: `created`, `exists` (same fields), or
 * `EXISTS_WITH_DIFFERENT_FIELDS` naming the fields that differ (the account is unchanged).
 *
 * @example
 * const opened = (r: AccountOpenResult) => r.status !== 'failed'
 */
export type AccountOpenResult =
  | { id: string; status: 'created' }
  | { id: string; status: 'exists' }
  | { id: string; status: 'failed'; code: 'EXISTS_WITH_DIFFERENT_FIELDS'; fields: string[] }

/**
 * The state of a pending transfer: still reserving, posted, voided, or expired (released
 * because `expiresAt` passed before it was posted or voided).
 *
 * @example
 * const open = (s: PendingStatus) => s === 'pending'
 */
export type PendingStatus = 'pending' | 'posted' | 'voided' | 'expired'

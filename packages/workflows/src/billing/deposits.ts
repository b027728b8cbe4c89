import { assertDepositDeletable, buildDeposit, checkOptions, contentDifferences, EcoleError, idempotencyConflict, type Deposit, type DepositInput, type OptionKinds } from '@ecole/core'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { need, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'

/** The kind of each key of {@link createDeposit}'s input (`paymentIds` a list, never one id as a string). */
const CREATE_DEPOSIT_INPUT_KINDS: OptionKinds<Parameters<typeof createDeposit>[1]> = { siteId: 'string', deposit: 'object', paymentIds: 'array' }

/** The kind of each key of {@link createDeposit}'s `input.deposit`, checked on a replay (a new deposit is parsed by `buildDeposit`). */
const DEPOSIT_REQUEST_KINDS: OptionKinds<DepositInput> = { id: 'string', method: 'string', bankAccountId: 'string', date: 'date' }

/** The kind of each key of {@link deleteDeposit}'s input. */
const DELETE_DEPOSIT_INPUT_KINDS: OptionKinds<Parameters<typeof deleteDeposit>[1]> = { siteId: 'string', depositId: 'string' }

/** The kind of each option of {@link createDeposit} and {@link deleteDeposit}. */
const DEPOSIT_OPTION_KINDS: OptionKinds<AuditOption<Deposit>> = { audit: 'function?' }

/**
 * The answer to a request whose deposit id is stored: the stored deposit when the request has its
 * method, bank account, date and payments (in their order), `IDEMPOTENCY_CONFLICT` naming the
 * fields otherwise. Nothing about the payments is checked again: a payment refused since (a
 * returned cheque) or a deposit locked since leaves the request a replay.
 */
function replayOf(stored: Deposit, input: { deposit: DepositInput; paymentIds: readonly string[] }): Deposit {
  const d = checkOptions('createDeposit', 'input.deposit', input.deposit, DEPOSIT_REQUEST_KINDS)
  const fields = contentDifferences(
    { method: stored.method, bankAccountId: stored.bankAccountId, date: stored.date, paymentIds: stored.paymentIds },
    { method: d.method, bankAccountId: d.bankAccountId, date: d.date, paymentIds: [...input.paymentIds] },
  )
  if (fields.length > 0) throw idempotencyConflict('deposit', stored.id, fields)
  return stored
}

/**
 * Creates a deposit from selected payments (seed 001, "Comment créer un dépôt"): all of one
 * method, one billing office (its bank account), none refused or already deposited, none received
 * after the deposit's date; stored with the payments marked, atomically. A deposit hands payments
 * over to the bank: `directDebit` (collected by its file), `transfer` (already on the account) and
 * `creditNote` (no money came in) are refused, naming `deposit.method`.
 * Idempotent on the deposit id: a replay with the same payments and details returns the stored
 * deposit, whatever happened to it or its payments since (locked, a payment refused); with
 * others, `IDEMPOTENCY_CONFLICT` names the differing fields, also when both are
 * sent at the same moment (the store decides under the payments' locks). With `options.audit`,
 * the entries built from the deposit are written in its transaction; a replay writes none.
 * The input and the options are checked key by key: `paymentIds` given as one string (`'cash1'`)
 * rather than a list, or a misspelt key, is `INVALID_INPUT` naming it.
 *
 * @example
 * const deposit = await createDeposit(deps, { siteId, deposit: { id: 'dep-1', method: 'cheque', bankAccountId: 'FR76...', date: '2027-01-12' },
 *   paymentIds: ['pay-1', 'pay-2'] })
 * @throws EcoleError `NOT_FOUND`, `DEPOSIT_METHOD_MISMATCH`, `PAYMENT_IN_DEPOSIT`, `PAYMENT_REFUSED`, `EMPTY_DEPOSIT`, `IDEMPOTENCY_CONFLICT`, `INVALID_INPUT` naming the argument that is not what the library builds,
 *   `deposit.method` (directDebit, transfer, creditNote), `payments.<i>` (a payment of another billing office) or `deposit.date` (before a payment's date).
 */
export async function createDeposit(deps: BillingDeps, input: { siteId: string; deposit: DepositInput; paymentIds: readonly string[] }, options: AuditOption<Deposit> = {}): Promise<Deposit> {
  try {
    checkOptions('createDeposit', 'input', input, CREATE_DEPOSIT_INPUT_KINDS)
    options = checkOptions('createDeposit', 'options', options, DEPOSIT_OPTION_KINDS)
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const { payments } = need(tx, 'payments')
      const stored = await payments.getDeposit(input.siteId, input.deposit.id)
      // a replay is judged on its request before the payments are checked again: what they gained
      // since (a returned debit refused, the deposit locked) is not content
      if (stored) return replayOf(stored, input)
      const list = []
      for (const id of input.paymentIds) {
        const p = await payments.getPayment(input.siteId, id)
        if (!p) throw new EcoleError('NOT_FOUND', `payment ${id} does not exist`, { details: { paymentId: id } })
        // a replay: the payments are in this very deposit since the first call (stored before this
        // call began, or committed by a concurrent one since the deposit was read: the store decides)
        list.push(p.depositId === input.deposit.id ? { ...p, depositId: null } : p)
      }
      const { deposit } = buildDeposit(input.deposit, list)
      // the store checks again under the payments' locks: the same deposit created at the same
      // moment answers 'exists' (another content: IDEMPOTENCY_CONFLICT)
      if ((await payments.createDeposit(input.siteId, deposit)) === 'exists') {
        const saved = await payments.getDeposit(input.siteId, deposit.id)
        if (!saved) throw new EcoleError('STORAGE_CONSTRAINT', `deposit ${deposit.id} is reported stored but cannot be read`, { details: { depositId: deposit.id } })
        return saved
      }
      await auditInTransaction(tx, input.siteId, options.audit, deposit)
      return deposit
    })
  } catch (error) {
    throw asUseCaseError(error, 'createDeposit', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the deposit and its payments'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

/**
 * Deletes a deposit (seed 001, "Comment supprimer un dépôt"): its payments are free again and show
 * in the list of payments to deposit. A locked deposit cannot be deleted. With `options.audit`,
 * the entries built from the deleted deposit are written in the same transaction.
 *
 * @example
 * await deleteDeposit(deps, { siteId, depositId: 'dep-1' })
 * @throws EcoleError `NOT_FOUND`, `DEPOSIT_LOCKED`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function deleteDeposit(deps: BillingDeps, input: { siteId: string; depositId: string }, options: AuditOption<Deposit> = {}): Promise<void> {
  try {
    checkOptions('deleteDeposit', 'input', input, DELETE_DEPOSIT_INPUT_KINDS)
    options = checkOptions('deleteDeposit', 'options', options, DEPOSIT_OPTION_KINDS)
    await deps.storage.transaction(input.siteId, async (tx) => {
      const { payments } = need(tx, 'payments')
      const deposit = await payments.getDeposit(input.siteId, input.depositId)
      if (!deposit) throw new EcoleError('NOT_FOUND', `deposit ${input.depositId} does not exist`, { details: { depositId: input.depositId } })
      assertDepositDeletable(deposit)
      await payments.deleteDeposit(input.siteId, input.depositId)
      await auditInTransaction(tx, input.siteId, options.audit, deposit)
    })
  } catch (error) {
    throw asUseCaseError(error, 'deleteDeposit', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the deposit to delete ({ siteId, depositId })'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import type { CurrencyCode } from '../money'
import { LocalDateSchema, type LocalDate } from '../time'
import { CREDIT_NOTE_EXCESS_METHOD, type Payment } from './payment'
import { asInputError } from '../input-error'
import { describeValue } from '../describe-value'

/**
 * A deposit (dépôt): payments of one method handed to one bank account together.
 *
 * @example
 * const { deposit } = buildDeposit({ id: 'd1', method: 'cheque', bankAccountId: 'FR76...', date: '2027-01-12' }, cheques)
 */
export interface Deposit {
  /** Deposit id. */
  id: string
  /** The tenant. */
  siteId: string
  /** Method of every payment in it. */
  method: string
  /** Bank account the payments are handed to. */
  bankAccountId: string
  /** Deposit date. */
  date: LocalDate
  /** The payments, in the order given. */
  paymentIds: string[]
  /** Sum of the payments, minor units. */
  totalMinor: bigint
  /** Sum per product (the seed's "répartition selon les produits"); key '' for no product. */
  totalsByProduct: Record<string, bigint>
  /** Currency. */
  currency: CurrencyCode
  /** A locked deposit (handed to the bank) can no longer change or be deleted. */
  locked: boolean
}

/** A deposit request: id, method, bank account and date. */
export const DepositInputSchema = z.strictObject({
  id: z.string().min(1),
  // a credit note's excess (method `creditNote`) moves money already paid: there is nothing to hand to a bank
  method: z.string().min(1).refine((m) => m !== CREDIT_NOTE_EXCESS_METHOD, 'must be a method that brings money (payments of method creditNote carry a credit note\'s excess: nothing to deposit)'),
  bankAccountId: z.string().min(1),
  date: LocalDateSchema,
})

/** What callers pass to {@link buildDeposit}. */
export type DepositInput = z.input<typeof DepositInputSchema>

/**
 * Groups selected payments into a deposit and returns it with the payments marked as in it.
 *
 * Rules: at least one payment; every payment has the deposit's method, one site and one
 * currency, is not refused, is not already in a deposit and is selected once; the method brings
 * money (not `creditNote`: such a payment carries a credit note's excess, money already paid).
 *
 * @example
 * buildDeposit({ id: 'd1', method: 'cheque', bankAccountId: 'acc', date: '2027-01-12' }, [p1, p2]).deposit.totalMinor
 * //=> p1.amountMinor + p2.amountMinor
 * buildDeposit(input, null)   // throws INVALID_INPUT 'buildDeposit: payments must be the payments to deposit (an array), got null'
 * buildDeposit(input, [null]) // throws INVALID_INPUT 'payments.0: must be a stored payment (an object), got null'
 * @throws EcoleError `EMPTY_DEPOSIT` (no payment given), `DUPLICATE_PAYMENT`, `DEPOSIT_METHOD_MISMATCH`, `PAYMENT_IN_DEPOSIT`,
 * `PAYMENT_REFUSED`, `CURRENCY_MISMATCH`; `INVALID_INPUT` naming the argument that is not what the library builds
 * (`payments` not an array, `payments.<i>` not a payment).
 */
export function buildDeposit(input: DepositInput, payments: readonly Payment[]): { deposit: Deposit; payments: Payment[] } {
  try {
    return depositOf(parseInput(DepositInputSchema, input, 'deposit'), payments)
  } catch (error) {
    throw asInputError(error, 'buildDeposit', { input: [input, 'object', 'the deposit ({ id, method, bankAccountId, date })'], payments: [payments, 'array', 'the payments to deposit'] })
  }
}

function depositOf(d: z.output<typeof DepositInputSchema>, payments: readonly Payment[]): { deposit: Deposit; payments: Payment[] } {
  // not an array: a TypeError here, told by asInputError as an INVALID_INPUT naming `payments`
  // an item that is not a payment is named, not taken for an empty deposit
  payments.forEach((p: unknown, i) => {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw EcoleError.invalidInput(`payments.${i}`, `must be a stored payment (an object), got ${describeValue(p)}`, { function: 'buildDeposit' })
  })
  const first = payments[0]
  if (!first) throw new EcoleError('EMPTY_DEPOSIT', 'a deposit needs at least one payment')
  let total = 0n
  const byProduct: Record<string, bigint> = {}
  const ids = new Set<string>()
  for (const p of payments) {
    if (ids.has(p.id)) throw new EcoleError('DUPLICATE_PAYMENT', `payment ${p.id} is selected twice for deposit ${d.id}`, { details: { paymentId: p.id } })
    ids.add(p.id)
    if (p.method !== d.method) throw new EcoleError('DEPOSIT_METHOD_MISMATCH', `payment ${p.id} is paid by ${p.method}, not ${d.method}`, { details: { paymentId: p.id } })
    if (p.depositId !== null) throw new EcoleError('PAYMENT_IN_DEPOSIT', `payment ${p.id} is already in deposit ${p.depositId}`, { details: { paymentId: p.id, depositId: p.depositId } })
    if (p.status === 'refused') throw new EcoleError('PAYMENT_REFUSED', `payment ${p.id} was refused and cannot be deposited`, { details: { paymentId: p.id } })
    if (p.currency !== first.currency || p.siteId !== first.siteId) throw new EcoleError('CURRENCY_MISMATCH', `payment ${p.id} differs in site or currency from ${first.id}`, { details: { paymentId: p.id } })
    total += p.amountMinor
    const k = p.product ?? ''
    byProduct[k] = (byProduct[k] ?? 0n) + p.amountMinor
  }
  const deposit: Deposit = {
    id: d.id, siteId: first.siteId, method: d.method, bankAccountId: d.bankAccountId, date: d.date, paymentIds: payments.map((p) => p.id),
    totalMinor: total, totalsByProduct: byProduct, currency: first.currency, locked: false,
  }
  return { deposit, payments: payments.map((p) => ({ ...p, depositId: d.id })) }
}

/**
 * Throws unless the deposit may be deleted (or changed): a locked deposit never changes.
 * Deleting a deposit frees its payments (their `depositId` becomes null).
 *
 * @example
 * assertDepositDeletable({ ...deposit, locked: true }) // throws DEPOSIT_LOCKED
 * @throws EcoleError `DEPOSIT_LOCKED`, `INVALID_INPUT`.
 */
export function assertDepositDeletable(deposit: Deposit): void {
  try {
    if (deposit.locked) throw new EcoleError('DEPOSIT_LOCKED', `deposit ${deposit.id} is locked: it was handed to the bank and cannot change`, { details: { depositId: deposit.id } })
  } catch (error) {
    throw asInputError(error, 'assertDepositDeletable', { deposit: [deposit, 'object', 'a stored deposit'] })
  }
}

/**
 * Throws unless the payment may be deleted: a payment inside a deposit cannot be (delete the
 * deposit first, if it is not locked).
 *
 * @example
 * assertPaymentDeletable({ ...payment, depositId: 'd1' }) // throws PAYMENT_IN_DEPOSIT
 * @throws EcoleError `PAYMENT_IN_DEPOSIT`, `INVALID_INPUT`.
 */
export function assertPaymentDeletable(payment: Payment): void {
  try {
    if (payment.depositId !== null) throw new EcoleError('PAYMENT_IN_DEPOSIT', `payment ${payment.id} is in deposit ${payment.depositId}: delete the deposit first`, { details: { paymentId: payment.id, depositId: payment.depositId } })
  } catch (error) {
    throw asInputError(error, 'assertPaymentDeletable', { payment: [payment, 'object', 'a stored payment'] })
  }
}

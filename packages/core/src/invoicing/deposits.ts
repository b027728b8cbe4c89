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

/**
 * The methods whose payments are never handed to a bank in a deposit, each with the reason: a
 * credit note's excess moves money already paid, a direct debit reaches the bank in its
 * collection file (pain.008) and comes back as a return, a transfer is on the account already.
 */
const NOT_DEPOSITED: Readonly<Record<string, string>> = {
  [CREDIT_NOTE_EXCESS_METHOD]: 'payments of method creditNote carry a credit note\'s excess: no money came in, nothing to deposit',
  transfer: 'a transfer is credited to the bank account by the payer\'s bank: there is nothing to hand over',
}

/**
 * A deposit request: id, method, bank account and date. The method is one whose payments are
 * handed to the bank (cheques, cash, card slips, vouchers, a site's own): `creditNote`,
 * `directDebit` and `transfer` are refused, naming `method`.
 */
export const DepositInputSchema = z.strictObject({
  id: z.string().min(1),
  method: z.string().min(1).superRefine((m, ctx) => {
    const why = Object.hasOwn(NOT_DEPOSITED, m) ? NOT_DEPOSITED[m] : undefined
    if (why !== undefined) ctx.addIssue({ code: 'custom', message: `must be a method whose payments are handed to the bank (cheques, cash...), got ${m}: ${why}` })
  }),
  bankAccountId: z.string().min(1),
  date: LocalDateSchema,
})

/** What callers pass to {@link buildDeposit}. */
export type DepositInput = z.input<typeof DepositInputSchema>

/**
 * Groups selected payments into a deposit and returns it with the payments marked as in it.
 *
 * Rules: at least one payment; every payment has the deposit's method, one site, one currency
 * and one billing office (a deposit goes to one office's bank account), is not refused, is not
 * already in a deposit, is selected once and was received on or before the deposit's date; the
 * method is one whose payments are handed to the bank (not `creditNote`: such a payment carries a
 * credit note's excess, money already paid; not `directDebit`, collected by its file; not
 * `transfer`, already on the account).
 *
 * @example
 * buildDeposit({ id: 'd1', method: 'cheque', bankAccountId: 'acc', date: '2027-01-12' }, [p1, p2]).deposit.totalMinor
 * //=> p1.amountMinor + p2.amountMinor
 * buildDeposit(input, null)   // throws INVALID_INPUT 'buildDeposit: payments must be the payments to deposit (an array), got null'
 * buildDeposit(input, [null]) // throws INVALID_INPUT 'payments.0: must be a stored payment (an object), got null'
 * buildDeposit({ ...input, date: '2027-01-05' }, [chequeOf20270110]) // throws INVALID_INPUT 'deposit.date: is 2027-01-05, before payment ... was received (2027-01-10) ...'
 * @throws EcoleError `EMPTY_DEPOSIT` (no payment given), `DUPLICATE_PAYMENT`, `DEPOSIT_METHOD_MISMATCH`, `PAYMENT_IN_DEPOSIT`,
 * `PAYMENT_REFUSED`, `CURRENCY_MISMATCH`; `INVALID_INPUT` naming the argument that is not what the library builds
 * (`payments` not an array, `payments.<i>` not a payment), `deposit.method` (creditNote, directDebit, transfer),
 * `payments.<i>` (a payment of another billing office than the deposit's first payment) or `deposit.date` (before a payment's date).
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
  for (const [i, p] of payments.entries()) {
    if (ids.has(p.id)) throw new EcoleError('DUPLICATE_PAYMENT', `payment ${p.id} is selected twice for deposit ${d.id}`, { details: { paymentId: p.id } })
    ids.add(p.id)
    if (p.method !== d.method) throw new EcoleError('DEPOSIT_METHOD_MISMATCH', `payment ${p.id} is paid by ${p.method}, not ${d.method}`, { details: { paymentId: p.id } })
    if (p.depositId !== null) throw new EcoleError('PAYMENT_IN_DEPOSIT', `payment ${p.id} is already in deposit ${p.depositId}`, { details: { paymentId: p.id, depositId: p.depositId } })
    if (p.status === 'refused') throw new EcoleError('PAYMENT_REFUSED', `payment ${p.id} was refused and cannot be deposited`, { details: { paymentId: p.id } })
    if (p.currency !== first.currency || p.siteId !== first.siteId) throw new EcoleError('CURRENCY_MISMATCH', `payment ${p.id} differs in site or currency from ${first.id}`, { details: { paymentId: p.id } })
    // one deposit, one bank account, one régie: an office's cheques never go to another's account
    if (p.billingOfficeId !== first.billingOfficeId) {
      throw EcoleError.invalidInput(`payments.${i}`, `payment ${p.id} was received by billing office ${p.billingOfficeId}, not by ${first.billingOfficeId} like payment ${first.id}: a deposit holds the payments of one billing office (its bank account)`, {
        function: 'buildDeposit', paymentId: p.id, billingOfficeId: p.billingOfficeId, depositBillingOfficeId: first.billingOfficeId,
      })
    }
    // a deposit hands over payments already received: never dated before one of them
    if (d.date < p.date) {
      throw EcoleError.invalidInput('deposit.date', `is ${d.date}, before payment ${p.id} was received (${p.date}): a deposit is dated on or after the day of each of its payments`, {
        function: 'buildDeposit', depositId: d.id, date: d.date, paymentId: p.id, paymentDate: p.date,
      })
    }
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

/**
 * The payments port: payments and their allocations, deposits, SEPA mandates. Types only.
 *
 * Contract (every method takes `siteId` first; tenant isolation as for every port):
 * - **Idempotent payments.** A payment id is unique per site: saving it again with the same
 *   content returns `exists` and changes nothing (its deposit, status and refusal, gained since,
 *   are not content); with other content fails with `IDEMPOTENCY_CONFLICT`, `details.fields`
 *   naming the differing fields. Deposits are idempotent the same way (`locked` aside).
 * - **No invoice receives more than it owes.** {@link PaymentStore.createPayment} locks the stored
 *   invoices the payment is allocated to, reads their credit notes and the other recorded
 *   payments after the lock, and refuses an allocation beyond what an invoice still owes at
 *   commit time (`PAYMENT_EXCEEDS_INVOICE`) or allocations that do not add up with the wallet
 *   credit to the amount (`INVALID_INPUT`). Allocations to invoices the adapter does not hold are
 *   not checked. Workflows lock the payer's invoices first (`InvoiceStore.lockInvoices`),
 *   so they allocate on what holds at commit and are never refused for a race.
 *   A payment's `bankEntryReference`, when set, is unique per site too (an imported bank entry
 *   never makes two payments).
 * - **Refusal, not deletion.** A returned direct debit is marked refused with
 *   {@link PaymentStore.refusePayment}; its allocations then count for nothing.
 * - **Deposits hold their payments.** A payment is in at most one deposit; a payment in a deposit
 *   cannot be deleted (`PAYMENT_IN_DEPOSIT`); deleting a deposit frees its payments; a locked
 *   deposit can be neither changed nor deleted (`DEPOSIT_LOCKED`).
 *
 * @module
 */
import type { Deposit, Payment, PaymentRefusal, PaymentStatus } from '../invoicing'
import type { Page, PageRequest } from './storage'

/**
 * Which payments {@link PaymentStore.listPayments} returns; every field given must match. Ordered by id.
 *
 * @example
 * const cheques: PaymentFilter = { method: 'cheque', inDeposit: false, status: 'recorded' }
 */
export interface PaymentFilter {
  /** Payments of this payer. */
  payerId?: string | undefined
  /** Payments with an allocation to this invoice. */
  invoiceId?: string | undefined
  /**
   * Payments with an allocation to at least one of these invoices (a page of invoices reads their
   * payments in one query); an empty list matches no payment. Combined with `invoiceId`, both must match.
   *
   * @example
   * const ofThePage: PaymentFilter = { invoiceIds: ['i-2027-01', 'i-2027-02'] }
   */
  invoiceIds?: readonly string[] | undefined
  /** Payments in this deposit. */
  depositId?: string | undefined
  /** Payments of this method. */
  method?: string | undefined
  /** Recorded or refused. */
  status?: PaymentStatus | undefined
  /** true: only payments in a deposit; false: only payments in none. */
  inDeposit?: boolean | undefined
  /** The payment with this end-to-end id (a direct debit). */
  endToEndId?: string | undefined
}

/**
 * What {@link PaymentStore.createPayments} answers for one payment.
 *
 * @example
 * const r: CreatePaymentResult = { id: 'dd:PRLV202701-1', status: 'created' }
 */
export interface CreatePaymentResult {
  /** The payment's id. */
  id: string
  /** `created`, or `exists` for a replay with the same content. */
  status: 'created' | 'exists'
}

/**
 * Persistence of payments, deposits and mandates. See the module contract above.
 *
 * @example
 * await tx.payments.createPayment(siteId, recordInvoicePayment(input, open))
 */
export interface PaymentStore {
  /**
   * Stores a payment with its allocations; `exists` for a replay with the same content,
   * `IDEMPOTENCY_CONFLICT` (naming the fields) for other content. Fails with
   * `PAYMENT_EXCEEDS_INVOICE` when an allocation exceeds what its invoice still owes at commit time.
   *
   * @example
   * await store.createPayment('site-1', payment) //=> 'created'
   */
  createPayment(siteId: string, payment: Payment): Promise<'created' | 'exists'>
  /**
   * Stores several payments with their allocations, all or none: one answer per payment, in the
   * order given, `created` or `exists` (a replay with the same content, stored before or earlier
   * in the same call). The rules of {@link PaymentStore.createPayment} hold for each payment, the
   * earlier payments of the call counting as recorded: `IDEMPOTENCY_CONFLICT` for an id stored
   * with other content, `PAYMENT_EXCEEDS_INVOICE` when the allocations to an invoice exceed what
   * it still owes at commit time, `ID_CONFLICT` for a bank entry that already made another
   * payment; one refusal stores none of them. A batch is one round trip's worth of work for the
   * adapter instead of several per payment (a direct-debit collection, a bank statement).
   *
   * @example
   * await store.createPayments('site-1', [p1, p2]) //=> [{ id: 'p1', status: 'created' }, { id: 'p2', status: 'exists' }]
   */
  createPayments(siteId: string, payments: readonly Payment[]): Promise<CreatePaymentResult[]>
  /**
   * A payment by id, or `undefined` when absent.
   *
   * @example
   * await store.getPayment('site-1', 'p1')
   */
  getPayment(siteId: string, paymentId: string): Promise<Payment | undefined>
  /**
   * Payments matching `filter`, a page at a time.
   *
   * @example
   * await store.listPayments('site-1', { payerId: 'g1' })
   */
  listPayments(siteId: string, filter: PaymentFilter, page?: PageRequest): Promise<Page<Payment>>
  /**
   * Marks a recorded payment refused. Fails with `PAYMENT_ALREADY_REFUSED` when it is, `NOT_FOUND` when absent.
   *
   * @example
   * await store.refusePayment('site-1', 'p1', { reasonCode: 'AM04', date: '2027-01-25', action: 'retry' })
   */
  refusePayment(siteId: string, paymentId: string, refusal: PaymentRefusal): Promise<void>
  /**
   * Deletes a payment. Fails with `PAYMENT_IN_DEPOSIT` when it is in a deposit. Its bank entry
   * reference is freed: a payment recorded on the wrong family and deleted can be recorded again
   * from the same bank entry.
   *
   * @example
   * await store.deletePayment('site-1', 'p1')
   */
  deletePayment(siteId: string, paymentId: string): Promise<void>
  /**
   * Stores a new deposit and marks its payments as in it, atomically; `exists` for a replay with
   * the same content (locked since or not). Fails with `PAYMENT_IN_DEPOSIT` when one already is in
   * a deposit, `IDEMPOTENCY_CONFLICT` (naming the fields) when the id exists with other content.
   *
   * @example
   * await store.createDeposit('site-1', deposit) //=> 'created'
   */
  createDeposit(siteId: string, deposit: Deposit): Promise<'created' | 'exists'>
  /**
   * A deposit by id, or `undefined` when absent.
   *
   * @example
   * await store.getDeposit('site-1', 'd1')
   */
  getDeposit(siteId: string, depositId: string): Promise<Deposit | undefined>
  /**
   * Deletes a deposit and frees its payments. Fails with `DEPOSIT_LOCKED` when locked.
   *
   * @example
   * await store.deleteDeposit('site-1', 'd1')
   */
  deleteDeposit(siteId: string, depositId: string): Promise<void>
  /**
   * Locks a deposit (handed to the bank): it can no longer change.
   *
   * @example
   * await store.lockDeposit('site-1', 'd1')
   */
  lockDeposit(siteId: string, depositId: string): Promise<void>
}

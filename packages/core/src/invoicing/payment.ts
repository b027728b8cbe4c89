import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { CurrencySchema, Money, type CurrencyCode } from '../money'
import { LocalDateSchema, type LocalDate } from '../time'
import { allocatePayment, type OpenInvoice, type PaymentAllocation } from './allocation'

/** The payment methods every site has; a site may add its own (CESU, holiday vouchers...). */
export const BUILT_IN_PAYMENT_METHODS = ['cash', 'cheque', 'card', 'transfer', 'directDebit'] as const

/**
 * The method of the payments that carry what a credit note freed on a paid invoice
 * (`issueInvoiceCreditNote` of `@ecole/workflows`): no money came in, money already paid moved.
 * Deposits refuse them, the FEC posts no receipt for them, a payer's account does not count them
 * beside the note itself.
 *
 * @example
 * payments.filter((p) => p.method !== CREDIT_NOTE_EXCESS_METHOD) // the money that came in
 */
export const CREDIT_NOTE_EXCESS_METHOD = 'creditNote'

/** A payment method: a built-in one or a site-defined code. */
export type PaymentMethod = (typeof BUILT_IN_PAYMENT_METHODS)[number] | (string & {})

/** Recorded, or refused (a returned direct debit, a bounced cheque): a refused payment settles nothing. */
export type PaymentStatus = 'recorded' | 'refused'

/** Why a payment was refused, and what to do about it. */
export interface PaymentRefusal {
  /** SEPA reason code (AM04, MD01...) or a site code. */
  reasonCode: string
  /** Date of the return. */
  date: LocalDate
  /** The follow-up the code calls for. */
  action: DirectDebitReturnAction
}

/** The follow-up a returned direct debit calls for. */
export type DirectDebitReturnAction = 'retry' | 'fixAccount' | 'suspendMandate' | 'contactPayer'

/**
 * Money received from a payer: how, when, how much, and where it went (allocations to invoices,
 * the rest as wallet credit).
 *
 * @example
 * const p: Payment = recordInvoicePayment({ id: 'p1', siteId: 's', billingOfficeId: 'regie', payerId: 'g1', method: 'cheque',
 *   date: '2027-01-10', invoiceId: 'inv1' }, openInvoices)
 */
export interface Payment {
  /** Payment id (client-chosen: recording it twice changes nothing). */
  id: string
  /** The tenant. */
  siteId: string
  /** Billing office collecting it. */
  billingOfficeId: string
  /** The guardian who paid. */
  payerId: string
  /** Method. */
  method: PaymentMethod
  /** Accounting product it is booked under, if the site uses products. */
  product: string | null
  /** Date received. */
  date: LocalDate
  /** Currency. */
  currency: CurrencyCode
  /** Amount, minor units (positive). */
  amountMinor: bigint
  /** The invoice it was recorded against, if any (settled first). */
  invoiceId: string | null
  /** Recorded or refused. */
  status: PaymentStatus
  /** The deposit holding it, if any (then it cannot be deleted). */
  depositId: string | null
  /** Where the money went, invoice by invoice. */
  allocations: PaymentAllocation[]
  /** What was left after every open invoice: credited to the payer's wallet. */
  walletCreditMinor: bigint
  /** SEPA mandate of a direct debit. */
  mandateId: string | null
  /** End-to-end id of a direct debit or a transfer. */
  endToEndId: string | null
  /** The bank entry it was imported from (idempotency key of imports). */
  bankEntryReference: string | null
  /** Set when refused. */
  refusal: PaymentRefusal | null
  /**
   * The day the payment was recorded, in the site's time zone: for a direct debit, the day its
   * collection was made (requested from the bank), on or before its `date` (the collection date).
   * A return or reject cannot be dated before it ({@link applyDirectDebitReturn}). Absent on
   * payments recorded without it (by `collectDirectDebits` before 0.2.0, or by hand).
   */
  recordedOn?: LocalDate | undefined
}

/** A payment as a form or an API sends it; the amount defaults to what remains due on `invoiceId`. */
export const PaymentInputSchema = z.strictObject({
  id: z.string().min(1),
  siteId: z.string().min(1),
  billingOfficeId: z.string().min(1),
  payerId: z.string().min(1),
  method: z.string().min(1),
  product: z.string().min(1).nullable().default(null),
  date: LocalDateSchema,
  currency: CurrencySchema.default('EUR'),
  amount: z.string().regex(/^\d+(\.\d+)?$/, 'must be a positive decimal such as "12.50"').optional(),
  invoiceId: z.string().min(1).nullable().default(null),
  mandateId: z.string().min(1).nullable().default(null),
  endToEndId: z.string().min(1).nullable().default(null),
  bankEntryReference: z.string().min(1).nullable().default(null),
  /** The day it is recorded, in the site's time zone (see {@link Payment.recordedOn}). */
  recordedOn: LocalDateSchema.optional(),
  allowedMethods: z.array(z.string()).optional(),
})

/** What callers pass to {@link recordInvoicePayment}. */
export type PaymentInput = z.input<typeof PaymentInputSchema>

/**
 * Records a payment and allocates it: against its invoice first, then the payer's other open
 * invoices oldest due date first; what is left becomes wallet credit.
 *
 * Rules: the amount defaults to what remains due on the invoice it is recorded against (the
 * seed's "montant restant à régler"); an amount of zero is refused; a method outside
 * `allowedMethods` (built-ins plus the site's own) is refused.
 *
 * @example
 * const p = recordInvoicePayment({ id: 'p1', siteId: 's', billingOfficeId: 'regie', payerId: 'g1', method: 'cheque',
 *   date: '2027-01-10', invoiceId: 'inv1' }, [{ invoiceId: 'inv1', dueDate: '2027-01-15', outstandingMinor: 7055n }])
 * p.amountMinor //=> 7055n
 * @throws EcoleError `INVALID_INPUT`, `AMOUNT_REQUIRED`, `UNKNOWN_PAYMENT_METHOD`, `CURRENCY_MISMATCH` (an open invoice in another currency).
 */
export function recordInvoicePayment(input: PaymentInput, openInvoices: readonly OpenInvoice[]): Payment {
  const p = parseInput(PaymentInputSchema, input, 'payment')
  const allowed: readonly string[] = p.allowedMethods ?? BUILT_IN_PAYMENT_METHODS
  if (!allowed.includes(p.method)) throw new EcoleError('UNKNOWN_PAYMENT_METHOD', `payment.method: ${p.method} is not one of ${allowed.join(', ')}`, { details: { method: p.method } })
  const foreign = openInvoices.find((o) => o.currency !== undefined && o.currency !== p.currency)
  if (foreign) {
    throw new EcoleError('CURRENCY_MISMATCH', `payment.currency: ${p.currency} cannot settle invoice ${foreign.invoiceId} in ${foreign.currency}`, {
      details: { field: 'currency', currency: p.currency, invoiceId: foreign.invoiceId, invoiceCurrency: foreign.currency },
    })
  }
  let amount: bigint
  if (p.amount !== undefined) amount = Money.of(p.amount, p.currency).toMinor()
  else {
    const target = p.invoiceId === null ? undefined : openInvoices.find((o) => o.invoiceId === p.invoiceId)
    if (!target) throw new EcoleError('AMOUNT_REQUIRED', 'payment.amount: required when the payment is not recorded against an open invoice', { details: { invoiceId: p.invoiceId } })
    amount = target.outstandingMinor
  }
  if (amount <= 0n) throw new EcoleError('INVALID_INPUT', 'payment.amount: must be above zero', { details: { amount: String(amount) } })
  const { allocations, walletCreditMinor } = allocatePayment(amount, p.invoiceId, openInvoices)
  return {
    id: p.id, siteId: p.siteId, billingOfficeId: p.billingOfficeId, payerId: p.payerId, method: p.method, product: p.product, date: p.date,
    currency: p.currency, amountMinor: amount, invoiceId: p.invoiceId, status: 'recorded', depositId: null, allocations, walletCreditMinor,
    mandateId: p.mandateId, endToEndId: p.endToEndId, bankEntryReference: p.bankEntryReference, refusal: null,
    ...(p.recordedOn !== undefined ? { recordedOn: p.recordedOn } : {}),
  }
}

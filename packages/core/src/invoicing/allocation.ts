import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import { isLocalDate, type LocalDate } from '../time'

/** An invoice with money still due, as allocation sees it. */
export interface OpenInvoice {
  /** The invoice. */
  invoiceId: string
  /** Its due date (oldest first). */
  dueDate: LocalDate
  /** What remains due, minor units. */
  outstandingMinor: bigint
  /** Its number's sequence, to order invoices due the same day (optional). */
  sequence?: number | null | undefined
  /** Its currency; when given, a payment in another currency is refused. */
  currency?: string | undefined
}

/** The part of a payment that settles one invoice. */
export interface PaymentAllocation {
  /** The invoice settled. */
  invoiceId: string
  /** Amount applied, minor units. */
  amountMinor: bigint
}

/** What {@link allocatePayment} returns: allocations, and the rest as wallet credit. */
export interface PaymentAllocationResult {
  /** Allocations in the order they were made. */
  allocations: PaymentAllocation[]
  /** What was left, credited to the payer's wallet. */
  walletCreditMinor: bigint
}

/**
 * Allocates `amountMinor` to open invoices: the invoice the payment was made against first,
 * then the others by due date (oldest first; same day by sequence, then id); what remains
 * becomes wallet credit. Allocations plus wallet credit always equal the payment.
 *
 * @example
 * allocatePayment(1000n, 'b', [{ invoiceId: 'a', dueDate: '2026-11-15', outstandingMinor: 300n }, { invoiceId: 'b', dueDate: '2026-12-15', outstandingMinor: 500n }])
 * //=> { allocations: [{ invoiceId: 'b', amountMinor: 500n }, { invoiceId: 'a', amountMinor: 300n }], walletCreditMinor: 200n }
 * @throws EcoleError `INVALID_INPUT` naming the field: `amountMinor` when it is not a bigint above zero
 * (a payment of nothing, or a negative one, is refused as `recordInvoicePayment` refuses it),
 * `invoiceId` when neither a string nor null, `openInvoices.0.dueDate` when not a day written
 * YYYY-MM-DD (due dates are compared as strings), `openInvoices.0.outstandingMinor` when not a bigint,
 * `openInvoices.0.sequence` when given and not an integer.
 */
export function allocatePayment(amountMinor: bigint, invoiceId: string | null, openInvoices: readonly OpenInvoice[]): PaymentAllocationResult {
  if (typeof amountMinor !== 'bigint') throw EcoleError.invalidInput('amountMinor', `must be a bigint of minor units, got ${describeValue(amountMinor)}`)
  if (amountMinor <= 0n) throw EcoleError.invalidInput('amountMinor', `must be above zero, got ${describeValue(amountMinor)}`)
  if (invoiceId !== null && typeof invoiceId !== 'string') throw EcoleError.invalidInput('invoiceId', `must be a string or null, got ${describeValue(invoiceId)}`)
  if (!Array.isArray(openInvoices)) throw EcoleError.invalidInput('openInvoices', `must be an array, got ${describeValue(openInvoices)}`)
  for (let i = 0; i < openInvoices.length; i++) {
    const o = openInvoices[i] as OpenInvoice
    if (typeof o !== 'object' || o === null) throw EcoleError.invalidInput(`openInvoices.${i}`, `must be an open invoice, got ${describeValue(o)}`)
    if (typeof o.invoiceId !== 'string' || o.invoiceId === '') throw EcoleError.invalidInput(`openInvoices.${i}.invoiceId`, `must be a non-empty string, got ${describeValue(o.invoiceId)}`)
    if (!isLocalDate(o.dueDate)) throw EcoleError.invalidInput(`openInvoices.${i}.dueDate`, `must be a day written YYYY-MM-DD, got ${describeValue(o.dueDate)}`)
    if (typeof o.outstandingMinor !== 'bigint') throw EcoleError.invalidInput(`openInvoices.${i}.outstandingMinor`, `must be a bigint of minor units, got ${describeValue(o.outstandingMinor)}`)
    if (o.sequence != null && !Number.isSafeInteger(o.sequence)) throw EcoleError.invalidInput(`openInvoices.${i}.sequence`, `must be an integer when given, got ${describeValue(o.sequence)}`)
  }
  const ordered = openInvoices
    .filter((o) => o.outstandingMinor > 0n)
    .sort((a, b) => {
      if ((a.invoiceId === invoiceId) !== (b.invoiceId === invoiceId)) return a.invoiceId === invoiceId ? -1 : 1
      if (a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1
      const sa = a.sequence ?? Number.MAX_SAFE_INTEGER
      const sb = b.sequence ?? Number.MAX_SAFE_INTEGER
      if (sa !== sb) return sa - sb
      return a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : 0
    })
  let left = amountMinor
  const allocations: PaymentAllocation[] = []
  for (const o of ordered) {
    if (left <= 0n) break
    const applied = o.outstandingMinor < left ? o.outstandingMinor : left
    allocations.push({ invoiceId: o.invoiceId, amountMinor: applied })
    left -= applied
  }
  return { allocations, walletCreditMinor: left }
}

import * as z from 'zod'
import { parseInput } from '../errors'
import { CurrencySchema, Money, type CurrencyCode } from '../money'
import { compareDates, LocalDateSchema, type LocalDate } from '../time'

/**
 * An invoice batch as a form or an API sends it: the period, the billing office, the invoiced
 * services, the due / direct-debit / portal-display dates and the minimum amount under which no
 * invoice is made (amount as a decimal string).
 */
export const InvoiceBatchSchema = z
  .strictObject({
    id: z.string().min(1),
    siteId: z.string().min(1),
    billingOfficeId: z.string().min(1),
    period: z.strictObject({ from: LocalDateSchema, to: LocalDateSchema }),
    serviceIds: z.array(z.string().min(1)).min(1, 'must name at least one invoiced service'),
    currency: CurrencySchema.default('EUR'),
    dueDate: LocalDateSchema,
    directDebitDate: LocalDateSchema.nullable().default(null),
    portalDisplayDate: LocalDateSchema,
    minimumAmount: z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal such as "5.00"').default('0'),
    label: z.string().default(''),
  })
  .superRefine((b, ctx) => {
    if (compareDates(b.period.from, b.period.to) > 0) ctx.addIssue({ code: 'custom', path: ['period', 'to'], message: 'must not be before period.from' })
    if (compareDates(b.dueDate, b.period.from) < 0) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'must not be before the billed period' })
  })
  .transform((b) => {
    const minimumMinor = Money.of(b.minimumAmount, b.currency).toMinor()
    const { minimumAmount: _m, ...rest } = b
    return { ...rest, minimumMinor }
  })

/** What callers pass to {@link defineInvoiceBatch}. */
export type InvoiceBatchInput = z.input<typeof InvoiceBatchSchema>

/**
 * A checked invoice batch (groupe de factures).
 *
 * @example
 * const batch: InvoiceBatch = defineInvoiceBatch({ id: 'b-2026-12', siteId: 's', billingOfficeId: 'regie',
 *   period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15',
 *   portalDisplayDate: '2027-01-05' })
 */
export interface InvoiceBatch {
  /** Batch id (client-chosen; makes the batch idempotent). */
  id: string
  /** The tenant. */
  siteId: string
  /** The billing office (régie) invoicing. */
  billingOfficeId: string
  /** The billed period, inclusive. */
  period: { from: LocalDate; to: LocalDate }
  /** The invoiced services of this batch (prepaid services are never invoiced). */
  serviceIds: string[]
  /** Currency of every amount. */
  currency: CurrencyCode
  /** Due date printed on every invoice. */
  dueDate: LocalDate
  /** Direct-debit date for payers with a mandate, or null. */
  directDebitDate: LocalDate | null
  /** Date the invoices appear on the parent portal. */
  portalDisplayDate: LocalDate
  /** No invoice is made for a payer whose total is below this (minor units). */
  minimumMinor: bigint
  /** Free label. */
  label: string
}

/**
 * Checks an invoice batch definition and returns it with the minimum amount in minor units.
 *
 * Rules: at least one service; the period's end is not before its start; the due date is not
 * before the period; amounts are decimal strings.
 *
 * @example
 * defineInvoiceBatch({ id: 'b1', siteId: 's', billingOfficeId: 'r', period: { from: '2026-12-01', to: '2026-12-31' },
 *   serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05', minimumAmount: '5' }).minimumMinor //=> 500n
 * @throws EcoleError `INVALID_INPUT` naming the field at fault.
 */
export function defineInvoiceBatch(input: InvoiceBatchInput): InvoiceBatch {
  return parseInput(InvoiceBatchSchema, input, 'invoiceBatch')
}

import * as z from 'zod'
import { checkOptions, type OptionKinds } from '../check-options'
import { EcoleError, parseInput } from '../errors'
import { contentDifferences, idempotencyConflict } from '../idempotency'
import { Money, RoundingModeSchema, allocateMinor, type RoundingMode } from '../money'
import { assertInvoiceDraft } from './draft-guard'
import { withInvoiceTotals, type Invoice, type InvoiceAdjustment } from './invoice'
import { asInputError } from '../input-error'

const DECIMAL = /^\d+(\.\d+)?$/

/**
 * A reduction or surcharge as a form sends it: a reason, the kind, either an amount (decimal
 * string in the invoice's currency) or a percentage, and optionally the line it applies to.
 */
export const InvoiceAdjustmentInputSchema = z
  .strictObject({
    id: z.string().min(1),
    kind: z.enum(['reduction', 'surcharge']),
    reason: z.string().trim().min(1, 'a reduction or surcharge needs a reason'),
    amount: z.string().regex(DECIMAL, 'must be a positive decimal such as "5.00"').optional(),
    percent: z.string().regex(DECIMAL, 'must be a positive decimal such as "10"').optional(),
    lineId: z.string().min(1).nullable().default(null),
  })
  .refine((a) => (a.amount === undefined) !== (a.percent === undefined), { message: 'give exactly one of amount or percent', path: ['amount'] })

/** What callers pass to {@link addInvoiceAdjustment} and {@link updateInvoiceAdjustment}. */
export type InvoiceAdjustmentInput = z.input<typeof InvoiceAdjustmentInputSchema>

/** Options of the adjustment functions. */
export interface AdjustmentOptions {
  /** Rounding of percentage adjustments to the minor unit; half-up by default. */
  rounding?: RoundingMode
}

const OPTION_KINDS: OptionKinds<AdjustmentOptions> = { rounding: 'string?' }

/** The rounding mode of checked options: a misspelt key or an unknown mode is refused, naming it. */
function roundingOf(fn: string, options: unknown): RoundingMode {
  const { rounding } = checkOptions<AdjustmentOptions>(fn, 'options', options, OPTION_KINDS)
  return rounding === undefined ? 'halfUp' : parseInput(RoundingModeSchema, rounding, 'options.rounding')
}

function build(invoice: Invoice, input: InvoiceAdjustmentInput, rounding: RoundingMode): InvoiceAdjustment {
  const a = parseInput(InvoiceAdjustmentInputSchema, input, 'adjustment')
  let base = invoice.linesTotalMinor
  if (a.lineId !== null) {
    const line = invoice.lines.find((l) => l.id === a.lineId)
    if (!line) throw new EcoleError('INVALID_INPUT', `adjustment.lineId: invoice ${invoice.id} has no line ${a.lineId}`, { details: { lineId: a.lineId } })
    base = line.amountMinor
  }
  const magnitude =
    a.amount !== undefined
      ? Money.of(a.amount, invoice.currency).toMinor()
      : Money.fromMinor(base, invoice.currency).percentage(a.percent!).round(rounding).toMinor()
  const value: InvoiceAdjustment['value'] = a.amount !== undefined ? { type: 'amount', amountMinor: magnitude } : { type: 'percentage', percent: a.percent! }
  return { id: a.id, kind: a.kind, value, reason: a.reason, lineId: a.lineId, amountMinor: a.kind === 'reduction' ? -magnitude : magnitude }
}

function check(invoice: Invoice): Invoice {
  const next = withInvoiceTotals(invoice)
  for (const line of next.lines) {
    let net = line.amountMinor
    for (const a of next.adjustments) if (a.lineId === line.id) net += a.amountMinor
    if (net < 0n) throw new EcoleError('ADJUSTMENT_EXCEEDS_BASE', `reductions on line ${line.id} exceed its amount`, { details: { lineId: line.id } })
  }
  if (next.totalMinor < 0n) throw new EcoleError('ADJUSTMENT_EXCEEDS_BASE', `reductions on invoice ${invoice.id} exceed its amount`, { details: { invoiceId: invoice.id } })
  // an instalment schedule follows the new total (equal parts, same due dates), as withInstalmentSchedule splits it
  if (next.instalments.length > 0 && next.instalments.reduce((sum, x) => sum + x.amountMinor, 0n) !== next.totalMinor) {
    const parts = allocateMinor(next.totalMinor, new Array<number>(next.instalments.length).fill(1))
    next.instalments = next.instalments.map((x, i) => ({ dueDate: x.dueDate, amountMinor: parts[i]! }))
  }
  return next
}

/**
 * Adds a reduction or surcharge to a draft and returns the draft with its totals updated.
 *
 * Rules: only drafts; a percentage applies to its line (or to the sum of lines for the whole
 * invoice) and is rounded to the minor unit; reductions never take a line or the invoice below zero;
 * an instalment schedule is split again over the new total (equal parts, same due dates).
 * Idempotent on the adjustment id: adding the same adjustment again returns the draft unchanged;
 * another adjustment under an id the draft already has is refused with `IDEMPOTENCY_CONFLICT`
 * naming the differing fields. The options are checked key by key: a misspelt key (`rouding`) is
 * refused rather than read as absent (which rounded half-up).
 *
 * @example
 * addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: 'Goodwill', amount: '5.00' }).totalMinor
 * //=> draft.totalMinor - 500n
 * @throws EcoleError `INVOICE_NOT_DRAFT`, `ADJUSTMENT_EXCEEDS_BASE`, `IDEMPOTENCY_CONFLICT`;
 * `INVALID_INPUT` naming the field of the adjustment, or of the options: an unknown key
 * (`options.rouding`), a rounding that is not a {@link RoundingMode} (`options.rounding`), options
 * that are not an object.
 */
export function addInvoiceAdjustment(invoice: Invoice, input: InvoiceAdjustmentInput, options: AdjustmentOptions = {}): Invoice {
  try {
    const rounding = roundingOf('addInvoiceAdjustment', options)
    assertInvoiceDraft(invoice)
    const adj = build(invoice, input, rounding)
    const existing = invoice.adjustments.find((a) => a.id === adj.id)
    if (existing) {
      // a replay: the same adjustment changes nothing; another one under this id is refused
      const fields = contentDifferences(existing, adj)
      if (fields.length > 0) throw idempotencyConflict('adjustment', adj.id, fields)
      return invoice
    }
    return check({ ...invoice, adjustments: [...invoice.adjustments, adj] })
  } catch (error) {
    throw asInputError(error, 'addInvoiceAdjustment', { invoice: [invoice, 'object', 'a stored invoice'], input: [input, 'object', 'an adjustment'], options: [options, 'object?', 'the adjustment options'] })
  }
}

/**
 * Replaces an adjustment of a draft (reason, kind, amount or percentage, line) and updates the totals.
 *
 * The same rules as {@link addInvoiceAdjustment}, options included.
 *
 * @example
 * updateInvoiceAdjustment(draft, 'a1', { id: 'a1', kind: 'surcharge', reason: 'Late pickup', amount: '3' })
 * @throws EcoleError `INVOICE_NOT_DRAFT`, `ADJUSTMENT_NOT_FOUND`, `ADJUSTMENT_EXCEEDS_BASE`;
 * `INVALID_INPUT` naming the field of the adjustment, or of the options (`options.rouding`,
 * `options.rounding`, options that are not an object).
 */
export function updateInvoiceAdjustment(invoice: Invoice, adjustmentId: string, input: InvoiceAdjustmentInput, options: AdjustmentOptions = {}): Invoice {
  try {
    const rounding = roundingOf('updateInvoiceAdjustment', options)
    assertInvoiceDraft(invoice)
    const index = invoice.adjustments.findIndex((a) => a.id === adjustmentId)
    if (index < 0) throw new EcoleError('ADJUSTMENT_NOT_FOUND', `invoice ${invoice.id} has no adjustment ${adjustmentId}`, { details: { adjustmentId } })
    const adj = build(invoice, { ...input, id: adjustmentId }, rounding)
    const adjustments = invoice.adjustments.slice()
    adjustments[index] = adj
    return check({ ...invoice, adjustments })
  } catch (error) {
    throw asInputError(error, 'updateInvoiceAdjustment', { invoice: [invoice, 'object', 'a stored invoice'], adjustmentId: [adjustmentId, 'string'], input: [input, 'object', 'an adjustment'], options: [options, 'object?', 'the adjustment options'] })
  }
}

/**
 * Removes an adjustment from a draft and updates the totals.
 *
 * @example
 * removeInvoiceAdjustment(draft, 'a1').adjustments.length //=> 0
 * @throws EcoleError `INVOICE_NOT_DRAFT`, `ADJUSTMENT_NOT_FOUND`, `INVALID_INPUT`.
 */
export function removeInvoiceAdjustment(invoice: Invoice, adjustmentId: string): Invoice {
  try {
    assertInvoiceDraft(invoice)
    if (!invoice.adjustments.some((a) => a.id === adjustmentId)) throw new EcoleError('ADJUSTMENT_NOT_FOUND', `invoice ${invoice.id} has no adjustment ${adjustmentId}`, { details: { adjustmentId } })
    return check({ ...invoice, adjustments: invoice.adjustments.filter((a) => a.id !== adjustmentId) })
  } catch (error) {
    throw asInputError(error, 'removeInvoiceAdjustment', { invoice: [invoice, 'object', 'a stored invoice'], adjustmentId: [adjustmentId, 'string'] })
  }
}

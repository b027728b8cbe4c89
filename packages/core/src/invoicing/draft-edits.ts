import * as z from 'zod'
import { parseInput } from '../errors'
import { LocalDateSchema } from '../time'
import { assertInvoiceDraft } from './draft-guard'
import type { Invoice } from './invoice'
import { asInputError } from '../input-error'

/** The fields of a draft that may change after it is made: portal display date, due date, comment. */
export const InvoiceDraftChangeSchema = z.strictObject({
  portalDisplayDate: LocalDateSchema.optional(),
  dueDate: LocalDateSchema.optional(),
  comment: z.string().nullable().optional(),
})

/** What callers pass to {@link editInvoiceDrafts}. */
export type InvoiceDraftChange = z.input<typeof InvoiceDraftChangeSchema>

/**
 * Applies the same change (portal display date, due date, comment) to one draft or a filtered
 * group of drafts, returning the changed copies.
 *
 * Rule: only drafts change; one validated invoice in the group refuses the whole change.
 *
 * @example
 * editInvoiceDrafts(drafts, { portalDisplayDate: '2027-01-10', comment: 'Merry Christmas' })
 * @throws EcoleError `INVOICE_NOT_DRAFT`, `INVALID_INPUT`.
 */
export function editInvoiceDrafts(invoices: readonly Invoice[], change: InvoiceDraftChange): Invoice[] {
  try {
    const c = parseInput(InvoiceDraftChangeSchema, change, 'draftChange')
    for (const inv of invoices) assertInvoiceDraft(inv)
    return invoices.map((inv) => ({
      ...inv,
      ...(c.portalDisplayDate !== undefined ? { portalDisplayDate: c.portalDisplayDate } : {}),
      ...(c.dueDate !== undefined ? { dueDate: c.dueDate } : {}),
      ...(c.comment !== undefined ? { comment: c.comment } : {}),
    }))
  } catch (error) {
    throw asInputError(error, 'editInvoiceDrafts', { invoices: [invoices, 'array', 'the draft invoices'], change: [change, 'object', 'a draft change'] })
  }
}

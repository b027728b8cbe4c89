import { EcoleError } from '../errors'
import type { Invoice } from './invoice'
import { asInputError } from '../input-error'

/**
 * Throws unless `invoice` is still a draft: a validated invoice never changes (corrections are
 * credit notes).
 *
 * @example
 * assertInvoiceDraft(draft) // passes
 * assertInvoiceDraft(validated) // throws INVOICE_NOT_DRAFT
 * @throws EcoleError `INVOICE_NOT_DRAFT` naming the invoice and its number; `INVALID_INPUT`.
 */
export function assertInvoiceDraft(invoice: Invoice): void {
  try {
    if (invoice.status !== 'draft') {
      throw new EcoleError('INVOICE_NOT_DRAFT', `invoice ${invoice.id} is validated (number ${invoice.number}): a validated invoice never changes; issue a credit note instead`, {
        details: { invoiceId: invoice.id, number: invoice.number },
      })
    }
  } catch (error) {
    throw asInputError(error, 'assertInvoiceDraft', { invoice: [invoice, 'object', 'a stored invoice'] })
  }
}

import {
  creditNoteRequestDifferences, defineInvoiceNumbering, EcoleError, idempotencyConflict, invoiceCounterKey, invoiceSeriesKey, issueCreditNote, type CreditNote, type CreditNoteInput,
  type InvoiceNumberingInput, type LocalDate,
} from '@ecole/core'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { need, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'

/**
 * Issues a credit note against a validated invoice, numbered from the billing office's
 * credit-note counter in the same transaction (gapless), never exceeding what the invoice still bills.
 * The invoice is locked first, so concurrent credit notes of one invoice are decided one after the
 * other on what holds at commit. Idempotent on the credit note id: a replay with the same request
 * returns the stored note; with another request, `IDEMPOTENCY_CONFLICT` names the differing fields.
 * With `options.audit`, the entries built from the note (its number) are written in its
 * transaction; a replay writes none.
 *
 * @example
 * await issueInvoiceCreditNote(deps, { siteId, invoiceId: 'b-2026-12:g1', issueDate: '2027-01-20',
 *   creditNote: { id: 'cn-1', reason: 'Meal not served (strike)', scope: { kind: 'amount', amount: '4.15' } } })
 * @throws EcoleError `NOT_FOUND`, `INVOICE_NOT_VALIDATED`, `CREDIT_EXCEEDS_INVOICE`, `CREDIT_EXCEEDS_LINE`, `IDEMPOTENCY_CONFLICT`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function issueInvoiceCreditNote(
  deps: BillingDeps,
  input: { siteId: string; invoiceId: string; issueDate: LocalDate; creditNote: CreditNoteInput; numbering?: InvoiceNumberingInput },
  options: AuditOption<CreditNote> = {},
): Promise<CreditNote> {
  try {
    const numbering = defineInvoiceNumbering(input.numbering ?? {})
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const { invoicing, invoiceNumbers } = need(tx, 'invoicing', 'invoiceNumbers')
      // lock the invoice first: concurrent credit notes (and payments) of this invoice wait, and the
      // notes read below are those that hold at commit
      const [invoice] = await invoicing.lockInvoices(input.siteId, [input.invoiceId])
      if (!invoice) throw new EcoleError('NOT_FOUND', `invoice ${input.invoiceId} does not exist`, { details: { invoiceId: input.invoiceId } })
      const earlier = await invoicing.listCreditNotes(input.siteId, [invoice.id])
      const replay = earlier.find((c) => c.id === input.creditNote.id)
      if (replay) {
        const fields = creditNoteRequestDifferences(replay, { invoiceId: input.invoiceId, issueDate: input.issueDate, creditNote: input.creditNote })
        if (fields.length > 0) throw idempotencyConflict('credit note', replay.id, fields)
        return replay
      }
      const key = invoiceSeriesKey(invoiceCounterKey(numbering, invoice.billingOfficeId, 'creditNote', input.issueDate))
      // check before taking a number, then take it: a refusal never consumes one
      issueCreditNote(invoice, earlier, input.creditNote, { issueDate: input.issueDate, sequence: 1, numbering })
      const sequence = await invoiceNumbers.nextNumbers(input.siteId, key, 1)
      const note = issueCreditNote(invoice, earlier, input.creditNote, { issueDate: input.issueDate, sequence, numbering })
      await invoicing.createCreditNote(input.siteId, note)
      await auditInTransaction(tx, input.siteId, options.audit, note)
      return note
    })
  } catch (error) {
    throw asUseCaseError(error, 'issueInvoiceCreditNote', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the credit note to issue'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

import * as z from 'zod'
import { EcoleError, LocalDateSchema, parseInput, type Invoice, type LocalDate } from '@ecole/core'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { need, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'

/** What {@link setInvoicePortalDates} takes: the invoices (drafts or validated) and the day. */
export interface InvoicePortalDatesInput {
  /** The site of the invoices. */
  siteId: string
  /** The invoices, drafts or validated; at least one, each at most once counted. */
  invoiceIds: readonly string[]
  /** The day the family first sees them on the portal, 'YYYY-MM-DD'. */
  date: LocalDate
}

const InputSchema = z.strictObject({
  siteId: z.string().min(1),
  invoiceIds: z.array(z.string().min(1)).min(1),
  date: LocalDateSchema,
})

/**
 * Sets the portal display date of one invoice or a filtered set, drafts and validated invoices
 * alike (seed 001, Facturation, « mettre à disposition la facture sur le portail »): the family
 * sees each invoice on the portal from that day. Only that date changes: a validated invoice keeps
 * its number, lines, totals and due date (the store's `setPortalDisplayDate`). All or nothing: an
 * unknown invoice refuses the whole change. Answers the invoices as stored afterwards, in the
 * order given, each once. With `options.audit`, the entries built from the invoices as stored
 * afterwards are written in the same transaction.
 *
 * @example
 * await setInvoicePortalDates(deps, { siteId, invoiceIds: ['factures-2026-12:resp-01'], date: '2027-01-08' })
 * //=> [{ id: 'factures-2026-12:resp-01', status: 'validated', portalDisplayDate: '2027-01-08', … }]
 * @throws EcoleError `INVALID_INPUT` (naming `invoiceIds` or `date`), `NOT_FOUND` (naming the invoice), `PORT_MISSING`.
 */
export async function setInvoicePortalDates(deps: BillingDeps, input: InvoicePortalDatesInput, options: AuditOption<Invoice[]> = {}): Promise<Invoice[]> {
  try {
    const i = parseInput(InputSchema, input, 'portalDates')
    const ids = [...new Set(i.invoiceIds)]
    return await deps.storage.transaction(i.siteId, async (tx) => {
      const { invoicing } = need(tx, 'invoicing')
      await invoicing.setPortalDisplayDate(i.siteId, ids, i.date)
      const out: Invoice[] = []
      for (const id of ids) {
        const inv = await invoicing.getInvoice(i.siteId, id)
        if (!inv) throw new EcoleError('NOT_FOUND', `invoice ${id} does not exist`, { details: { invoiceId: id } })
        out.push(inv)
      }
      await auditInTransaction(tx, i.siteId, options.audit, out)
      return out
    })
  } catch (error) {
    throw asUseCaseError(error, 'setInvoicePortalDates', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the invoices and the day ({ siteId, invoiceIds, date })'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

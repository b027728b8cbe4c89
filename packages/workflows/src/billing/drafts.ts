import {
  checkOptions, type OptionKinds,
  addInvoiceAdjustment, EcoleError, editInvoiceDrafts, withInstalmentSchedule, type LocalDate, removeInvoiceAdjustment, updateInvoiceAdjustment, type Invoice, type InvoiceAdjustmentInput,
  type InvoiceDraftChange,
} from '@ecole/core'
import type { StorageTransaction } from '@ecole/core/ports'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { need, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'

/**
 * @internal The invoices `invoiceIds`, in that order, read under their locks (`lockInvoices`):
 * every writer of a draft (an adjustment, an edit, a schedule, the validation) locks it before
 * reading it, so none writes back a body another changed meanwhile (a reduction saved while the
 * batch was validated is on the invoice issued, or refused because the draft is validated).
 * @throws EcoleError `NOT_FOUND` naming the first unknown invoice.
 */
export async function lockedInvoices(tx: StorageTransaction, siteId: string, invoiceIds: readonly string[]): Promise<Invoice[]> {
  const found = await lockedInvoicesIfStored(tx, siteId, invoiceIds)
  return found.map((inv, n) => {
    if (!inv) throw new EcoleError('NOT_FOUND', `invoice ${invoiceIds[n]} does not exist`, { details: { invoiceId: invoiceIds[n] } })
    return inv
  })
}

/** @internal As {@link lockedInvoices}, an invoice no longer stored given as `undefined` in its place. */
export async function lockedInvoicesIfStored(tx: StorageTransaction, siteId: string, invoiceIds: readonly string[]): Promise<Array<Invoice | undefined>> {
  const byId = new Map((await need(tx, 'invoicing').invoicing.lockInvoices(siteId, invoiceIds)).map((i) => [i.id, i]))
  return invoiceIds.map((invoiceId) => byId.get(invoiceId))
}

async function load(tx: StorageTransaction, siteId: string, invoiceId: string): Promise<Invoice> {
  return (await lockedInvoices(tx, siteId, [invoiceId]))[0]!
}

/** One change to a draft's adjustments: add one, replace one, or remove one. */
export type DraftAdjustmentChange =
  | { add: InvoiceAdjustmentInput }
  | { update: { adjustmentId: string; adjustment: InvoiceAdjustmentInput } }
  | { remove: { adjustmentId: string } }

/**
 * Adds, changes or removes a reduction or surcharge on a stored draft (seed 001, "réduction /
 * majoration") and stores the draft with its totals updated. Only drafts: a validated invoice
 * is refused (`INVOICE_NOT_DRAFT`). With `options.audit`, the entries built from the draft as
 * stored are written in the same transaction.
 *
 * @example
 * await adjustDraft(deps, { siteId, invoiceId: 'factures-2026-12:resp-01',
 *   change: { add: { id: 'reduc-1', kind: 'reduction', reason: 'Sortie scolaire', percent: '10', lineId: 'factures-2026-12:resp-01:2' } } })
 * @throws EcoleError `NOT_FOUND`, `INVOICE_NOT_DRAFT`, `ADJUSTMENT_NOT_FOUND`, `ADJUSTMENT_EXCEEDS_BASE`, `INVALID_INPUT`.
 */
export async function adjustDraft(deps: BillingDeps, input: { siteId: string; invoiceId: string; change: DraftAdjustmentChange }, options: AuditOption<{ before: Invoice; after: Invoice }> = {}): Promise<Invoice> {
  try {
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const draft = await load(tx, input.siteId, input.invoiceId)
      const c = input.change
      const next = 'add' in c ? addInvoiceAdjustment(draft, c.add)
        : 'update' in c ? updateInvoiceAdjustment(draft, c.update.adjustmentId, c.update.adjustment)
        : removeInvoiceAdjustment(draft, c.remove.adjustmentId)
      await need(tx, 'invoicing').invoicing.updateDraft(input.siteId, next)
      await auditInTransaction(tx, input.siteId, options.audit, { before: draft, after: next })
      return next
    })
  } catch (error) {
    throw asUseCaseError(error, 'adjustDraft', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the draft and its change'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

/**
 * Changes the portal display date, due date or comment of one draft or a group of drafts
 * (seed 001, "mettre à disposition la facture sur le portail": a single invoice or a filtered
 * set). All or nothing: one validated invoice in the group refuses the whole change. With
 * `options.audit`, the entries built from the drafts before and after are written in the same transaction.
 *
 * @example
 * await editDrafts(deps, { siteId, invoiceIds: ['factures-2026-12:resp-01', 'factures-2026-12:resp-02'], change: { portalDisplayDate: '2027-01-08' } })
 * @throws EcoleError `NOT_FOUND`, `INVOICE_NOT_DRAFT`, `INVALID_INPUT`.
 */
export async function editDrafts(deps: BillingDeps, input: { siteId: string; invoiceIds: readonly string[]; change: InvoiceDraftChange }, options: AuditOption<{ before: Invoice[]; after: Invoice[] }> = {}): Promise<Invoice[]> {
  try {
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const drafts = await lockedInvoices(tx, input.siteId, input.invoiceIds)
      const changed = editInvoiceDrafts(drafts, input.change)
      for (const d of changed) await need(tx, 'invoicing').invoicing.updateDraft(input.siteId, d)
      await auditInTransaction(tx, input.siteId, options.audit, { before: drafts, after: changed })
      return changed
    })
  } catch (error) {
    throw asUseCaseError(error, 'editDrafts', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the drafts and their change'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

/**
 * Deletes drafts made by mistake (seed 001, step 6); their charges become billable again.
 * Validated invoices are never deleted (`INVOICE_NOT_DRAFT`, nothing deleted). With `options.audit`,
 * the entries built from the drafts deleted (read before) are written in the same transaction,
 * when something was deleted.
 *
 * @example
 * await deleteDrafts(deps, { siteId, invoiceIds: ['factures-2026-12:resp-01'] }) //=> 1
 * @throws EcoleError `INVOICE_NOT_DRAFT`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function deleteDrafts(deps: BillingDeps, input: { siteId: string; invoiceIds: readonly string[] }, options: AuditOption<Invoice[]> = {}): Promise<number> {
  try {
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const { invoicing } = need(tx, 'invoicing')
      const before: Invoice[] = []
      if (options.audit) for (const id of input.invoiceIds) {
        const inv = await invoicing.getInvoice(input.siteId, id)
        if (inv) before.push(inv)
      }
      const n = await invoicing.deleteDrafts(input.siteId, input.invoiceIds)
      if (n > 0) await auditInTransaction(tx, input.siteId, options.audit, before)
      return n
    })
  } catch (error) {
    throw asUseCaseError(error, 'deleteDrafts', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the drafts to delete ({ siteId, invoiceIds })'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

/**
 * A draft to pay in instalments, for {@link scheduleInstalments}: every key checked (a misspelt
 * `everyMonth` is refused, never read as monthly).
 *
 * @example
 * const input: ScheduleInstalmentsInput = { siteId: 's1', invoiceId: 'factures-2026-12:resp-06', count: 3, firstDueDate: '2027-01-15', everyMonths: 2 }
 */
export interface ScheduleInstalmentsInput {
  /** The site. */
  siteId: string
  /** The draft invoice. */
  invoiceId: string
  /** How many instalments (1 to 60). */
  count: number
  /** The first one's due date. */
  firstDueDate: LocalDate
  /** Months between two instalments, 1 by default. */
  everyMonths?: number
}

const INSTALMENTS_INPUT: OptionKinds<ScheduleInstalmentsInput> = { siteId: 'string', invoiceId: 'string', count: 'integer', firstDueDate: 'string', everyMonths: 'integer?' }

/**
 * Gives a stored draft a schedule of instalments: its total split in `count` parts that add up
 * exactly, `everyMonths` apart from `firstDueDate` (seed 004 shows the next one due). Only drafts.
 *
 * @example
 * await scheduleInstalments(deps, { siteId, invoiceId: 'factures-2026-12:resp-06', count: 3, firstDueDate: '2027-01-15' })
 * @throws EcoleError `NOT_FOUND`, `INVOICE_NOT_DRAFT`, `INVALID_INPUT`.
 */
export async function scheduleInstalments(deps: BillingDeps, input: ScheduleInstalmentsInput): Promise<Invoice> {
  try {
    checkOptions<ScheduleInstalmentsInput>('scheduleInstalments', 'input', input, INSTALMENTS_INPUT)
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const draft = await load(tx, input.siteId, input.invoiceId)
      const next = withInstalmentSchedule(draft, { count: input.count, firstDueDate: input.firstDueDate, ...(input.everyMonths !== undefined ? { everyMonths: input.everyMonths } : {}) })
      await need(tx, 'invoicing').invoicing.updateDraft(input.siteId, next)
      return next
    })
  } catch (error) {
    throw asUseCaseError(error, 'scheduleInstalments', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the draft and its instalments'] })
  }
}

import {
  checkIssueChronology, checkOptions, defineInvoiceNumbering, EcoleError, invoiceCounterKey, invoicePaymentReference, invoiceSeriesKey, validateInvoiceDrafts,
  type Invoice, type InvoiceNumberingInput, type LocalDate, type OptionKinds, type ReferenceSpaceInput,
} from '@ecole/core'
import { queueNoticesInTransaction, type DocumentNotify } from '../messaging/notifications'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { lockedInvoices, lockedInvoicesIfStored } from './drafts'
import { need, readAll, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'

/** The kind of each key of {@link validateDrafts}' input: any other key is refused, naming the nearest known one. */
const VALIDATE_DRAFTS_INPUT_KINDS: OptionKinds<Parameters<typeof validateDrafts>[1]> = {
  siteId: 'string', batchId: 'string?', invoiceIds: 'array?', issueDate: 'date', numbering: 'object?', paymentReferences: 'object?', notify: 'object?',
}

/** The kind of each of {@link validateDrafts}' options. */
const VALIDATE_DRAFTS_OPTION_KINDS: OptionKinds<AuditOption<Invoice[]>> = { audit: 'function?' }

/**
 * Validates drafts into numbered, immutable invoices (seed 001, steps 7-8), in one transaction:
 * the numbers come from the billing office's counter row (`invoiceNumbers.nextNumbers`) in the
 * same transaction that marks the drafts validated, so a failure gives the numbers back and the
 * series stays gapless; numbers follow the order of `invoiceIds` (or invoice id order for a
 * whole batch). With a reference space, each invoice also gets a unique structured payment
 * reference (OGM or RF) from its own counter.
 *
 * Numbers follow their issue dates (CGI annexe II art. 242 nonies A: one continuous, chronological
 * series): an `issueDate` before the latest issue date already used in the office's series is
 * refused with `INVALID_INPUT` naming `issueDate`, whose `details` give that date
 * (`latestIssueDate`), the series' last number (`lastNumber`) and the series (`seriesKey`); the
 * same date, or a later one, is accepted. The date is kept with the series' counter and checked
 * under its lock (`invoiceNumbers.reserveNumbers`), so two validations of one series running at
 * once are decided one after the other: the second one dated earlier is refused, nothing of it
 * written.
 *
 * With `notify`, the "your invoice is available" mails (one per invoice and recipient: the payer
 * and each joint debtor with an e-mail, not sent before the invoice's portal display date) are
 * written to the outbox in this same transaction: if the validation fails or rolls back no mail is
 * queued, and a replay (refused, the drafts being validated already) queues nothing new. Without
 * `notify` nothing is queued (call `queueDocumentNotices` yourself).
 *
 * With `options.audit`, the audit entries built from the validated invoices (their numbers) are
 * written in this same transaction: a validation is never stored without them.
 *
 * The input and the options are checked key by key before anything is read: a misspelt key
 * (`numbering_`, `paymentReference`, `audt`) is `INVALID_INPUT` naming it and the nearest known
 * key, never read as absent (which numbered in the default series, gave no payment reference or
 * stored no audit entry).
 *
 * @example
 * const invoices = await validateDrafts(deps, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04',
 *   numbering: { prefix: 'F{YYYY}-' }, paymentReferences: { scheme: 'rf', siteCode: '042' } })
 * // the notices written with the validation:
 * await validateDrafts(deps, { siteId, batchId: 'b-2027-01', issueDate: '2027-02-01',
 *   notify: { timeZone: 'Europe/Paris', locale: 'fr', sender: { from: '"École" <no-reply@ecole.example>' }, portalUrl: 'https://portail.example' } })
 * // the audit entries written with the validation:
 * await validateDrafts(deps, { siteId, batchId: 'b-2027-02', issueDate: '2027-03-01' }, { audit: (_tx, invoices) => invoices.map((i) => ({
 *   id: `validated:${i.id}`, siteId, at: new Date().toISOString(), actor: { kind: 'user', id: 'u-cashier' }, action: 'invoice.validated', subject: { kind: 'invoice', id: i.id }, after: { number: i.number } })) })
 * // dated before the latest invoice of its series: refused, nothing written
 * await validateDrafts(deps, { siteId, batchId: 'b-2027-01', issueDate: '2027-01-03' })
 * // throws INVALID_INPUT: 'issueDate: must be on or after 2027-01-04: invoice series regie/invoice/2027 (last number F2027-000012) has a document issued that day...'
 * @throws EcoleError `NOTHING_TO_VALIDATE`, `INVOICE_NOT_DRAFT` (validated meanwhile: nothing is written), `INVALID_INPUT` naming `issueDate` (before the latest issue date of the series), `DUPLICATE_INVOICE`, `PORT_MISSING` (also the outbox, with `notify`), `INVALID_HEADER` (a line break in a recipient's address or name, with `notify`: nothing is validated); `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function validateDrafts(
  deps: BillingDeps,
  input: { siteId: string; batchId?: string; invoiceIds?: readonly string[]; issueDate: LocalDate; numbering?: InvoiceNumberingInput; paymentReferences?: ReferenceSpaceInput; notify?: DocumentNotify },
  options: AuditOption<Invoice[]> = {},
): Promise<Invoice[]> {
  try {
    checkOptions('validateDrafts', 'input', input, VALIDATE_DRAFTS_INPUT_KINDS)
    options = checkOptions('validateDrafts', 'options', options, VALIDATE_DRAFTS_OPTION_KINDS)
    const numbering = defineInvoiceNumbering(input.numbering ?? {})
    const { siteId } = input
    return await deps.storage.transaction(siteId, async (tx) => {
      const { invoicing, invoiceNumbers } = need(tx, 'invoicing', 'invoiceNumbers')
      // the drafts read under their locks: an adjustment or an edit committed meanwhile is in the
      // body validated, and one arriving later waits, then finds the invoice validated
      let drafts: Invoice[]
      if (input.invoiceIds) {
        drafts = await lockedInvoices(tx, siteId, input.invoiceIds)
      } else if (input.batchId) {
        const listed = await readAll((p) => invoicing.listInvoices(siteId, { batchId: input.batchId, status: 'draft' }, p))
        // (one deleted or validated by another call since the listing is left out)
        drafts = (await lockedInvoicesIfStored(tx, siteId, listed.map((i) => i.id))).filter((i): i is Invoice => i?.status === 'draft')
      } else throw new EcoleError('INVALID_INPUT', 'give invoiceIds or batchId')
      if (drafts.length === 0) throw new EcoleError('NOTHING_TO_VALIDATE', 'no draft to validate')
      const byOffice = new Map<string, Invoice[]>()
      for (const d of drafts) {
        // appended in place: copying the list at each draft made a city's validation quadratic
        const list = byOffice.get(d.billingOfficeId)
        if (list) list.push(d)
        else byOffice.set(d.billingOfficeId, [d])
      }
      const out: Invoice[] = []
      for (const [office, list] of byOffice) {
        const key = invoiceSeriesKey(invoiceCounterKey(numbering, office, 'invoice', input.issueDate))
        // the numbers and the series' latest issue date, under the counter's lock: numbers follow
        // their issue dates, so a date before the latest invoice of the series is refused (rolled back)
        const { first, latestIssueDate } = await invoiceNumbers.reserveNumbers(siteId, key, list.length, input.issueDate)
        checkIssueChronology({ series: 'invoice', seriesKey: key, numbering, issueDate: input.issueDate, first, latestIssueDate })
        const space = input.paymentReferences
        const refFirst = space ? await invoiceNumbers.nextNumbers(siteId, `payment-reference/${space.siteCode}`, list.length) : 0
        const validated = validateInvoiceDrafts(list, {
          issueDate: input.issueDate, firstSequence: first, numbering,
          paymentReference: space ? (_inv, seq) => invoicePaymentReference(space, refFirst + (seq - first)).electronic : undefined,
        })
        await invoicing.markValidated(siteId, validated)
        out.push(...validated)
      }
      if (input.notify) {
        await queueNoticesInTransaction(tx, siteId, input.notify, out.map((i) => ({
          kind: 'invoice' as const, documentId: i.id, reference: i.number ?? i.id, displayDate: i.portalDisplayDate,
          amount: { minor: i.totalMinor, currency: i.currency }, recipientIds: [i.debtorId, ...i.jointDebtorIds],
        })))
      }
      await auditInTransaction(tx, siteId, options.audit, out)
      return out
    })
  } catch (error) {
    throw asUseCaseError(error, 'validateDrafts', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the drafts to validate'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

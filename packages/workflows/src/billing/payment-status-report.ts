import { rejectedDebits, type PaymentStatusReport, type RejectedDebit } from '@ecole/bank'
import { checkOptions, EcoleError, isLocalDate, type LocalDate, type OptionKinds } from '@ecole/core'
import { recordDirectDebitReturnIn, type DirectDebitReturnResult } from './direct-debits'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { need, readAll, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'

/** One rejected debit of a payment status report, with what recording its return did. */
export type RecordedRejection = DirectDebitReturnResult & {
  /** The debit's end-to-end id. */
  endToEndId: string
  /** Where the bank rejected it: the whole file, its payment block, or the debit. */
  level: RejectedDebit['level']
  /** The reason code recorded. */
  reasonCode: string
}

/**
 * What {@link recordPaymentStatusReport} returns.
 *
 * @example
 * const r: PaymentStatusReportResult = { collectionFileId: 'DD-2027-01', rejections: [] }
 */
export interface PaymentStatusReportResult {
  /** The stored collection file the report answers (its message id), or `null` when none is stored. */
  collectionFileId: string | null
  /** One per rejected debit, in the file's order. */
  rejections: RecordedRejection[]
}

type ReportInput = { siteId: string; report: PaymentStatusReport; date: LocalDate }
const REPORT_INPUT_KINDS: OptionKinds<ReportInput> = { siteId: 'string', report: 'object', date: 'date' }

/**
 * Records the rejections of a bank's payment status report (pain.002, read with `parsePain002` of
 * `@ecole/bank`): each rejected debit's payment is REFUSED and its invoices are due again, as
 * {@link recordDirectDebitReturn} does, all in one transaction. The debits are found with
 * `rejectedDebits`: those rejected one by one, and, from the collection file stored with the
 * collection (the `collectionFile` record named by the report's original message id), every debit
 * of a payment block or of the whole file the bank rejected, which banks often report without
 * listing a single transaction. Recording the same report again changes nothing (each rejection
 * answers `alreadyApplied: true`).
 *
 * `date` is the day the rejections are recorded on (the report's day in the site's time zone): a
 * rejection before settlement may precede the collection date.
 *
 * With `options.audit`, the entries built from the result are written in the same transaction.
 *
 * @example
 * const report = parsePain002(bytes) // GrpSts RJCT, no transaction listed
 * const { rejections } = await recordPaymentStatusReport(deps, { siteId, report, date: '2027-01-08' })
 * rejections.map((r) => [r.endToEndId, r.level, r.payment.status]) //=> [['DD2701-b:g1', 'group', 'refused'], ...]
 * @throws EcoleError `INVALID_INPUT` (a misspelt key, a date that is not a calendar day, a report
 * rejecting a whole file or block whose file is not stored, a block or debit the stored file does
 * not hold), `NOT_FOUND` naming a rejected end-to-end id that is no direct-debit payment of the
 * site; nothing is recorded then.
 */
export async function recordPaymentStatusReport(
  deps: BillingDeps,
  input: { siteId: string; report: PaymentStatusReport; date: LocalDate },
  options: AuditOption<PaymentStatusReportResult> = {},
): Promise<PaymentStatusReportResult> {
  try {
    const checked = checkOptions<ReportInput>('recordPaymentStatusReport', 'input', input, REPORT_INPUT_KINDS)
    if (!isLocalDate(checked.date)) throw EcoleError.invalidInput('input.date', `must be a calendar day written YYYY-MM-DD, got "${checked.date}"`, { function: 'recordPaymentStatusReport' })
    const { siteId, report, date } = checked
    return await deps.storage.transaction(siteId, async (tx) => {
      const file = tx.directory ? await tx.directory.getDirectoryRecord(siteId, 'collectionFile', report.originalMessageId) : undefined
      const rejected = rejectedDebits(report, file?.xml)
      // every rejected debit is found before anything is written: a report naming one we never
      // sent records nothing, rather than half of it
      const { payments } = need(tx, 'payments')
      const missing: string[] = []
      for (const d of rejected) {
        const found = await readAll((p) => payments.listPayments(siteId, { endToEndId: d.endToEndId }, p))
        if (!found.some((p) => p.method === 'directDebit')) missing.push(d.endToEndId)
      }
      if (missing.length > 0) {
        throw new EcoleError('NOT_FOUND', `the report ${report.messageId} rejects ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} no direct-debit payment of site ${siteId}; nothing was recorded`, {
          details: { endToEndIds: missing, reportMessageId: report.messageId, originalMessageId: report.originalMessageId },
        })
      }
      const now = deps.clock.now()
      const rejections: RecordedRejection[] = []
      for (const d of rejected) {
        const outcome = await recordDirectDebitReturnIn(tx, now, { siteId, endToEndId: d.endToEndId, reasonCode: d.reasonCode, date })
        rejections.push({ ...outcome, endToEndId: d.endToEndId, level: d.level, reasonCode: d.reasonCode })
      }
      const result: PaymentStatusReportResult = { collectionFileId: file ? file.id : null, rejections }
      if (rejections.some((r) => !r.alreadyApplied)) await auditInTransaction(tx, siteId, options.audit, result)
      return result
    })
  } catch (error) {
    throw asUseCaseError(error, 'recordPaymentStatusReport', {
      deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the report and its day ({ siteId, report, date })'], options: [options, 'object?', 'the options ({ audit })'],
    })
  }
}

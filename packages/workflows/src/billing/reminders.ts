import { EcoleError, isLocalDate, selectDueReminders, type LocalDate, type ReminderDue, type ReminderPolicyInput } from '@ecole/core'
import { queueNoticesInTransaction, type DocumentNotify } from '../messaging/notifications'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { need, readAll, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'
import { lockDirectoryKeys } from '../directory/record-versions'

/**
 * Selects the reminders due on `today` (seed 001, "mettre à disposition la lettre de relance"):
 * among the invoices to remind (`isReminderCandidate` of `@ecole/core`, read with the invoice
 * filter `{ balance: 'toRemind', today }`: validated, due before `today`, still owing), those past
 * their due date by each level's delay, at a level not sent yet; with `invoiceIds`, only those
 * invoices (the ones a filtered « à relancer » list showed); with `record`, marks them sent (and
 * available on the portal when `onPortal`).
 *
 * With `notify` (which needs `record`), the "a reminder letter is available" mails (one per
 * reminder and recipient: the debtor and each joint debtor with an e-mail, from `today`) are written
 * to the outbox in the same transaction that records the reminders: a failure or rollback queues
 * nothing, and a replay on the same day finds the level sent already and queues nothing new.
 * With `options.audit` (and `record`), the entries built from the reminders recorded are written
 * in that transaction too; a replay records none and writes none.
 *
 * @example
 * const due = await selectReminders(deps, { siteId, today: '2027-02-01', policy: { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] } })
 * // recorded, on the portal, and announced by mail in the same transaction:
 * await selectReminders(deps, { siteId, today: '2027-02-01', policy: { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] }, record: true, onPortal: true,
 *   notify: { timeZone: 'Europe/Paris', locale: 'fr', sender: { from: '"École" <no-reply@ecole.example>' }, portalUrl: 'https://portail.example' } })
 * // only the invoices a filtered list showed:
 * await selectReminders(deps, { siteId, today: '2027-02-01', policy: { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] }, invoiceIds: ['inv-1', 'inv-7'] })
 * @throws EcoleError `INVALID_INPUT` for a `today` that is not a calendar day, `notify` without `record` or `invoiceIds` that is not an array of ids, `PORT_MISSING`.
 */
export async function selectReminders(
  deps: BillingDeps,
  input: { siteId: string; today: LocalDate; policy: ReminderPolicyInput; record?: boolean; onPortal?: boolean; notify?: DocumentNotify; invoiceIds?: readonly string[] },
  options: AuditOption<ReminderDue[]> = {},
): Promise<ReminderDue[]> {
  try {
    if (input.notify && !input.record) {
      throw new EcoleError('INVALID_INPUT', 'selectReminders notify: needs record: true (a reminder is announced only when it is recorded)', { details: { field: 'notify', rule: 'notify needs record' } })
    }
    if (!isLocalDate(input.today)) {
      throw EcoleError.invalidInput('today', 'must be a calendar day written YYYY-MM-DD', { field: 'today', rule: 'calendar day' })
    }
    if (input.invoiceIds !== undefined && (!Array.isArray(input.invoiceIds) || input.invoiceIds.some((id) => typeof id !== 'string'))) {
      throw EcoleError.invalidInput('invoiceIds', 'must be an array of invoice ids', { field: 'invoiceIds', rule: 'array of strings' })
    }
    return await deps.storage.transaction(input.siteId, async (tx) => {
      const { invoicing } = need(tx, 'invoicing', 'payments')
      // a run that records takes the site's reminder lock first: two runs of one day at the same
      // moment (two clerks, a clerk and the nightly job) run one after the other, and the second
      // reads the levels the first recorded, so no letter is returned, announced or audited twice
      if (input.record) await lockDirectoryKeys(tx, input.siteId, ['reminders'])
      // the invoices to remind (validated, due before today, still owing: the store's `toRemind`
      // state, the list « à relancer » shows) with their balances, read together
      const rows = await readAll((p) => invoicing.listInvoicesWithBalances(input.siteId, { balance: 'toRemind', today: input.today }, p))
      const only = input.invoiceIds === undefined ? undefined : new Set(input.invoiceIds)
      const late = only === undefined ? rows : rows.filter((r) => only.has(r.invoice.id))
      const levels = late.length === 0 ? new Map<string, number>() : await invoicing.lastReminderLevels(input.siteId, late.map((r) => r.invoice.id))
      const due = selectDueReminders(
        late.map(({ invoice: i, balance }) => ({ invoiceId: i.id, debtorId: i.debtorId, number: i.number, dueDate: i.dueDate, outstandingMinor: balance.outstandingMinor, lastLevelSent: levels.get(i.id) ?? 0 })),
        input.policy,
        input.today,
      )
      if (input.record && due.length > 0) await invoicing.recordReminders(input.siteId, due.map((d) => ({ invoiceId: d.invoiceId, level: d.level, date: input.today, onPortal: input.onPortal ?? false })))
      if (input.notify && due.length > 0) {
        const byId = new Map(late.map((r) => [r.invoice.id, r.invoice]))
        await queueNoticesInTransaction(tx, input.siteId, input.notify, due.map((d) => {
          const inv = byId.get(d.invoiceId)!
          return {
            kind: 'reminder' as const, documentId: `${d.invoiceId}:level-${d.level}`, reference: d.number ?? d.invoiceId, displayDate: input.today,
            amount: { minor: d.outstandingMinor, currency: inv.currency }, recipientIds: [d.debtorId, ...inv.jointDebtorIds],
          }
        }))
      }
      if (input.record && due.length > 0) await auditInTransaction(tx, input.siteId, options.audit, due)
      return due
    })
  } catch (error) {
    throw asUseCaseError(error, 'selectReminders', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the reminder request'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

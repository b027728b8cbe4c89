import { selectDueReminders, type LocalDate, type ReminderDue, type ReminderPolicyInput } from '@ecole/core'
import { loadAccounts, need, type BillingDeps } from './support'

/**
 * Selects the reminders due on `today` (seed 001, "mettre à disposition la lettre de relance"):
 * validated invoices past their due date by each level's delay, at a level not sent yet; with
 * `record`, marks them sent (and available on the portal when `onPortal`).
 *
 * @example
 * const due = await selectReminders(deps, { siteId, today: '2027-02-01', policy: { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] } })
 */
export async function selectReminders(
  deps: BillingDeps,
  input: { siteId: string; today: LocalDate; policy: ReminderPolicyInput; record?: boolean; onPortal?: boolean },
): Promise<ReminderDue[]> {
  return deps.storage.transaction(input.siteId, async (tx) => {
    const { invoicing } = need(tx, 'invoicing', 'payments')
    const acc = await loadAccounts(tx, input.siteId, { dueBefore: input.today })
    const late = acc.invoices.filter((i) => acc.balances.get(i.id)!.outstandingMinor > 0n)
    const levels = late.length === 0 ? new Map<string, number>() : await invoicing.lastReminderLevels(input.siteId, late.map((i) => i.id))
    const due = selectDueReminders(
      late.map((i) => ({ invoiceId: i.id, payerId: i.payerId, number: i.number, dueDate: i.dueDate, outstandingMinor: acc.balances.get(i.id)!.outstandingMinor, lastLevelSent: levels.get(i.id) ?? 0 })),
      input.policy,
      input.today,
    )
    if (input.record && due.length > 0) await invoicing.recordReminders(input.siteId, due.map((d) => ({ invoiceId: d.invoiceId, level: d.level, date: input.today, onPortal: input.onPortal ?? false })))
    return due
  })
}

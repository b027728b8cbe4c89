import type { ReconciliationResult, StatementEntry } from '@ecole/bank'

/**
 * The keys of the entries whose parts, as `reconcile` reports them (invoice payments and wallet
 * top-ups as credits, direct-debit returns as debits, ambiguous and unmatched payments in their own
 * direction), do not add up to the entry's amount. The import keeps such an entry whole for review
 * (`BATCH_AMOUNTS_DIFFER`) and posts nothing of it: whatever reconciliation reports, what an import
 * posts and keeps for review is each entry's amount, never money the bank did not credit, never
 * some of what it did left out. Reconciliation splits an entry only when its transactions add up to
 * it (`entrySplit` of `@ecole/bank`), so this finds none: it is the import's own guard. Entries
 * reconciliation reports nothing of (imported before, not booked) are not looked at. @internal
 *
 * @example
 * unbalancedEntries(new Map([['BE68…|B1', { entry }]]), reconcile(statements, openItems))
 * //=> ['BE68…|B1'] when the entry is 150.00 and its reported parts 50.00 + 50.00
 */
export function unbalancedEntries(entries: ReadonlyMap<string, { entry: StatementEntry }>, result: ReconciliationResult): string[] {
  const totals = new Map<string, bigint>()
  const add = (ref: string, minor: bigint, direction: 'credit' | 'debit') => {
    const entry = entries.get(ref)?.entry
    if (entry) totals.set(ref, (totals.get(ref) ?? 0n) + (direction === entry.creditDebit ? minor : -minor))
  }
  for (const x of result.invoicePayments) add(x.entryReference, x.amount.minor, 'credit')
  for (const x of result.walletTopUps) add(x.entryReference, x.amount.minor, 'credit')
  for (const x of result.directDebitReturns) add(x.entryReference, x.amount.minor, 'debit')
  for (const x of result.ambiguous) add(x.entryReference, x.amount.minor, x.creditDebit)
  for (const x of result.unmatched) add(x.entryReference, x.amount.minor, x.creditDebit)
  const out: string[] = []
  for (const [ref, total] of totals) if (total !== entries.get(ref)!.entry.amount.minor) out.push(ref)
  return out
}

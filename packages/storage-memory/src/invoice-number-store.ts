import { EcoleError, isLocalDate, type LocalDate } from '@ecole/core'
import type { InvoiceNumberCounterStore, ReservedNumbers } from '@ecole/core/ports'
import type { Access } from './access'

const COUNTERS = 'invoiceNumberCounters'
/** The latest issue date of each series numbered through `reserveNumbers`, beside its counter. */
const ISSUE_DATES = 'invoiceNumberIssueDates'

/** Checks the count of numbers asked for. @internal */
export function assertCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new EcoleError('INVALID_INPUT', `count: must be a positive integer, got ${String(count)}`)
  }
}

/** The in-memory {@link InvoiceNumberCounterStore}: a counter per series, in the site's transaction. @internal */
export class MemoryInvoiceNumberStore implements InvoiceNumberCounterStore {
  constructor(private readonly access: Access) {}

  nextNumbers(siteId: string, seriesKey: string, count: number): Promise<number> {
    return this.access(siteId, (v) => {
      assertCount(count)
      const counters = v.write<number>(COUNTERS)
      const last = counters.get(seriesKey) ?? 0
      counters.set(seriesKey, last + count)
      return last + 1
    })
  }

  reserveNumbers(siteId: string, seriesKey: string, count: number, issueDate: LocalDate): Promise<ReservedNumbers> {
    return this.access(siteId, (v) => {
      assertCount(count)
      if (!isLocalDate(issueDate)) throw new EcoleError('INVALID_INPUT', `issueDate: must be a calendar day written YYYY-MM-DD, got ${String(issueDate)}`)
      const counters = v.write<number>(COUNTERS)
      const dates = v.write<LocalDate>(ISSUE_DATES)
      const last = counters.get(seriesKey) ?? 0
      const kept = dates.get(seriesKey)
      const latestIssueDate = kept !== undefined && kept > issueDate ? kept : issueDate
      counters.set(seriesKey, last + count)
      dates.set(seriesKey, latestIssueDate)
      return { first: last + 1, latestIssueDate }
    })
  }

  lastNumber(siteId: string, seriesKey: string): Promise<number> {
    return this.access(siteId, (v) => v.read<number>(COUNTERS).get(seriesKey) ?? 0)
  }
}

import { EcoleError } from '@ecole/core'
import type { InvoiceNumberCounterStore } from '@ecole/core/ports'
import type { Access } from './access'

const COUNTERS = 'invoiceNumberCounters'

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

  lastNumber(siteId: string, seriesKey: string): Promise<number> {
    return this.access(siteId, (v) => v.read<number>(COUNTERS).get(seriesKey) ?? 0)
  }
}

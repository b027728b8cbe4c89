import {
  EcoleError, invoiceBalances, type CreditNote, type Invoice, type InvoiceBalance, type Payment,
} from '@ecole/core'
import type { Clock, InvoiceFilter, Page, PageRequest, StoragePorts, StorageTransaction } from '@ecole/core/ports'

/**
 * What the billing workflows need: a storage adapter (its `invoicing`, `invoiceNumbers`,
 * `payments`, `bankImports` and, for wallet credits, `ledger` ports) and a clock.
 *
 * @example
 * const deps: BillingDeps = { storage: createMemoryStorage(), clock: { now: () => new Date() } }
 */
export interface BillingDeps {
  /** The storage adapter. */
  storage: StoragePorts
  /** The clock (ledger transfers are stamped with it). */
  clock: Clock
}

type PortName = 'invoicing' | 'invoiceNumbers' | 'payments' | 'bankImports' | 'ledger'

/** @internal The named ports of a transaction, or an error naming the missing one. */
export function need<K extends PortName>(tx: StorageTransaction, ...names: K[]): { [P in K]-?: NonNullable<StorageTransaction[P]> } {
  const out = {} as { [P in K]-?: NonNullable<StorageTransaction[P]> }
  for (const n of names) {
    const port = tx[n]
    if (port === undefined) throw new EcoleError('PORT_MISSING', `the storage adapter has no ${n} port, which this workflow needs`, { details: { port: n } })
    ;(out as Record<string, unknown>)[n] = port
  }
  return out
}

/** @internal Reads every page of a paginated list. */
export async function readAll<T>(read: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = []
  let page = await read({ limit: 500 })
  out.push(...page.items)
  while (page.next) {
    page = await read({ limit: 500, after: page.next })
    out.push(...page.items)
  }
  return out
}

/** @internal Invoices, credit notes and recorded payments of the site (optionally one payer), with balances. */
export async function loadAccounts(tx: StorageTransaction, siteId: string, filter: InvoiceFilter = {}): Promise<{
  invoices: Invoice[]
  creditNotes: CreditNote[]
  payments: Payment[]
  balances: Map<string, InvoiceBalance>
}> {
  const { invoicing, payments: paymentStore } = need(tx, 'invoicing', 'payments')
  const invoices = await readAll((p) => invoicing.listInvoices(siteId, { ...filter, status: 'validated' }, p))
  const ids = invoices.map((i) => i.id)
  const creditNotes = ids.length === 0 ? [] : await invoicing.listCreditNotes(siteId, ids)
  const payments = await readAll((p) => paymentStore.listPayments(siteId, { status: 'recorded', ...(filter.debtorId ? { payerId: filter.debtorId } : {}) }, p))
  const balances = invoiceBalances(invoices, creditNotes, payments)
  return { invoices, creditNotes, payments, balances }
}

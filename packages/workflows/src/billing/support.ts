import {
  EcoleError, invoiceBalances, localDateOf, type LocalDate, type CreditNote, type Invoice, type InvoiceBalance, type Payment, type SepaMandate,
} from '@ecole/core'
import type { Clock, DirectoryStore, InvoiceFilter, Page, PageRequest, StoragePorts, StorageTransaction } from '@ecole/core/ports'

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

type PortName = 'invoicing' | 'invoiceNumbers' | 'payments' | 'bankImports' | 'ledger' | 'directory' | 'audit'

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

/** @internal Reads every page of a paginated list, `limit` items a page. */
export async function readAll<T>(read: (page: PageRequest) => Promise<Page<T>>, limit = 500): Promise<T[]> {
  const out: T[] = []
  let page = await read({ limit })
  out.push(...page.items)
  while (page.next) {
    page = await read({ limit, after: page.next })
    out.push(...page.items)
  }
  return out
}

/** @internal The SEPA mandates of the debtors (the directory's `sepaMandate` records), read 1,000 debtors at a time, in id order. */
export async function mandatesOf(directory: DirectoryStore, siteId: string, debtorIds: readonly string[]): Promise<SepaMandate[]> {
  const unique = [...new Set(debtorIds)]
  const out: SepaMandate[] = []
  for (let i = 0; i < unique.length; i += 1000) out.push(...(await directory.listSepaMandatesOf(siteId, unique.slice(i, i + 1000))))
  return unique.length > 1000 ? out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : out
}

/** @internal The SEPA mandates with the given ids (the directory's `sepaMandate` records), read 1,000 at a time. */
export async function mandatesById(directory: DirectoryStore, siteId: string, ids: readonly string[]): Promise<Map<string, SepaMandate>> {
  const unique = [...new Set(ids)]
  const out = new Map<string, SepaMandate>()
  for (let i = 0; i < unique.length; i += 1000) {
    for (const [id, m] of await directory.getDirectoryRecords(siteId, 'sepaMandate', unique.slice(i, i + 1000))) out.set(id, m)
  }
  return out
}

/**
 * @internal Invoices, credit notes and recorded payments of the site (optionally one payer, or the
 * invoices of several billing offices: `billingOfficeIds`), with balances.
 */
export async function loadAccounts(tx: StorageTransaction, siteId: string, scope: InvoiceFilter & { billingOfficeIds?: readonly string[] } = {}): Promise<{
  invoices: Invoice[]
  creditNotes: CreditNote[]
  payments: Payment[]
  balances: Map<string, InvoiceBalance>
}> {
  const { invoicing, payments: paymentStore } = need(tx, 'invoicing', 'payments')
  const { billingOfficeIds, ...filter } = scope
  const filters = billingOfficeIds === undefined ? [filter] : billingOfficeIds.map((billingOfficeId) => ({ ...filter, billingOfficeId }))
  const invoices: Invoice[] = []
  for (const f of filters) invoices.push(...(await readAll((p) => invoicing.listInvoices(siteId, { ...f, status: 'validated' }, p))))
  const ids = invoices.map((i) => i.id)
  const creditNotes = ids.length === 0 ? [] : await invoicing.listCreditNotes(siteId, ids)
  const payments = await readAll((p) => paymentStore.listPayments(siteId, { status: 'recorded', ...(filter.debtorId ? { payerId: filter.debtorId } : {}) }, p))
  const balances = invoiceBalances(invoices, creditNotes, payments)
  return { invoices, creditNotes, payments, balances }
}

/**
 * Locks, in one call (id order), the debtor's validated invoices of a billing office, with `extra`
 * ids (an invoice the caller works on): what a payment allocates to, and what a credit note's excess
 * is carried to, so writers of one family's money run one after the other and never deadlock.
 * Answers the invoices as locked. @internal
 */
export async function lockDebtorInvoices(tx: StorageTransaction, siteId: string, debtor: { debtorId: string; billingOfficeId: string }, extra: readonly string[] = []): Promise<Invoice[]> {
  const { invoicing } = need(tx, 'invoicing')
  const filter = { debtorId: debtor.debtorId, billingOfficeId: debtor.billingOfficeId, status: 'validated' as const }
  const ids = (await readAll((p) => invoicing.listInvoices(siteId, filter, p))).map((i) => i.id)
  return invoicing.lockInvoices(siteId, [...new Set([...extra, ...ids])])
}


/** The first zone on Earth to start a day (UTC+14): a date is after today only once it is after today everywhere. */
const LATEST_ZONE = 'Etc/GMT-14'

/**
 * Refuses `date` when it is after the site's today: the clock's instant in the site's zone
 * (`timeZone` when given, else its directory record's), or in UTC+14 when neither says, so that
 * a date is refused only once it is future everywhere. Money movements are recorded once they
 * happened, and a date typed for another year (2072 for 2027) would move them out of their year's
 * tax certificate.
 *
 * @example
 * await refuseAfterSiteToday(tx, { siteId: 's1', now: clock.now(), date: '2072-01-10', field: 'payment.date', function: 'recordPayment', rule: 'a payment is recorded once it is received' })
 * // throws INVALID_INPUT 'payment.date: is 2072-01-10, after today 2027-01-10 at the site (Europe/Paris): a payment is recorded once it is received'
 */
export async function refuseAfterSiteToday(tx: StorageTransaction, check: {
  siteId: string; now: Date; date: LocalDate; field: string; function: string; rule: string; timeZone?: string | undefined
}): Promise<void> {
  const zone = check.timeZone ?? (tx.directory ? (await tx.directory.getSite(check.siteId))?.timeZone : undefined) ?? LATEST_ZONE
  const today = localDateOf(check.now, zone)
  if (check.date <= today) return
  const where = zone === LATEST_ZONE ? 'in UTC+14: the site has no time zone on record' : zone
  throw EcoleError.invalidInput(check.field, `is ${check.date}, after today ${today} at the site (${where}): ${check.rule}`, {
    function: check.function, field: check.field.split('.').at(-1), date: check.date, today, timeZone: zone,
  })
}

import { assertCreditNoteFits, checkIdempotentReplay, EcoleError, invoiceBalances, type CreditNote, type Invoice, type LocalDate, type InvoiceBatch, type Payment } from '@ecole/core'
import { chargeDayKey, checkChargeDayKeys, checkDebtorBalanceQuery, checkInvoiceFilter, checkInvoicePage, compareInvoicesBy, invoiceCursor, matchesInvoiceBalanceAndSearch, type CheckedInvoicePage, type InvoicePageRequest, type InvoiceSortKey, type DebtorBalancePage, type DebtorBalancePageRequest, type DebtorBalanceQuery, type InvoiceFilter, type InvoiceStore, type InvoiceWithBalance, type Page, type PageRequest, type SentReminder } from '@ecole/core/ports'
import { compareKeys, pageLimit, paginateTable, tupleKey, type Access } from './access'
import { sameContent } from './documents'
import { copy, type TxView } from './site-state'

const BATCHES = 'invoiceBatches'
const INVOICES = 'invoices'
const CHARGES = 'invoiceCharges'
/** The index of billed charges by day ({@link chargeDayKey} -> the charge ids billing it). */
const CHARGE_DAYS = 'invoiceChargeDays'
const NUMBERS = 'invoiceNumbersTaken'
const CREDIT_NOTES = 'creditNotes'
/** The payment store's table (read here for the balances). */
const PAYMENTS = 'payments'
/** the directory's invoice folders (kind `invoiceFolder`): `fileInvoices` checks the folder there */
const FOLDERS = 'directory:invoiceFolder'
const FILING = 'invoiceFiling'
const REMINDERS = 'invoiceReminders'

function chargesOf(invoice: Invoice): string[] {
  return invoice.lines.flatMap((l) => l.chargeIds)
}

/** Adds `chargeId` to the day index (a new array per write: the committed one is shared). */
function indexDay(days: Map<string, readonly string[]>, chargeId: string): void {
  const day = chargeDayKey(chargeId)
  if (day === undefined) return
  const ids = days.get(day)
  days.set(day, ids === undefined ? [chargeId] : [...ids, chargeId])
}

/** Takes `chargeId` out of the day index. */
function unindexDay(days: Map<string, readonly string[]>, chargeId: string): void {
  const day = chargeDayKey(chargeId)
  if (day === undefined) return
  const ids = days.get(day)?.filter((id) => id !== chargeId)
  if (ids === undefined) return
  if (ids.length === 0) days.delete(day)
  else days.set(day, ids)
}

function sameLines(a: Invoice, b: Invoice): boolean {
  return sameContent(a.lines, b.lines)
}

function notDraft(id: string): EcoleError {
  return new EcoleError('INVOICE_NOT_DRAFT', `invoice ${id} is validated: it can no longer change (issue a credit note)`, { details: { invoiceId: id } })
}

function numberKey(invoice: { billingOfficeId: string; number: string | null }): string | undefined {
  return invoice.number === null ? undefined : tupleKey(invoice.billingOfficeId, invoice.number)
}

/** The in-memory {@link InvoiceStore}. @internal */
export class MemoryInvoiceStore implements InvoiceStore {
  constructor(private readonly access: Access) {}

  createInvoiceBatch(siteId: string, batch: InvoiceBatch): Promise<'created' | 'exists'> {
    return this.access(siteId, (v) => {
      const existing = v.read<InvoiceBatch>(BATCHES).get(batch.id)
      if (existing) {
        if (sameContent(existing, batch)) return 'exists'
        throw new EcoleError('ID_CONFLICT', `invoice batch ${batch.id} exists with other content`, { details: { id: batch.id } })
      }
      v.write<InvoiceBatch>(BATCHES).set(batch.id, copy(batch))
      return 'created'
    })
  }

  getInvoiceBatch(siteId: string, batchId: string): Promise<InvoiceBatch | undefined> {
    return this.access(siteId, (v) => copy(v.read<InvoiceBatch>(BATCHES).get(batchId)))
  }

  billedChargeIds(siteId: string, chargeIds: readonly string[]): Promise<Set<string>> {
    return this.access(siteId, (v) => {
      const charges = v.read<string>(CHARGES)
      return new Set(chargeIds.filter((c) => charges.has(c)))
    })
  }

  billedChargeIdsByDay(siteId: string, days: readonly string[]): Promise<Map<string, string[]>> {
    return this.access(siteId, (v) => {
      checkChargeDayKeys(days)
      const index = v.read<readonly string[]>(CHARGE_DAYS)
      const found = new Map<string, string[]>()
      for (const day of days) {
        const ids = index.get(day)
        if (ids !== undefined && ids.length > 0) found.set(day, [...ids].sort())
      }
      return found
    })
  }

  createDrafts(siteId: string, drafts: readonly Invoice[]): Promise<void> {
    return this.access(siteId, (v) => {
      const invoices = v.read<Invoice>(INVOICES)
      const charges = v.read<string>(CHARGES)
      const ids = new Set<string>()
      const newCharges = new Set<string>()
      for (const d of drafts) {
        if (d.status !== 'draft') throw notDraft(d.id)
        if (invoices.has(d.id) || ids.has(d.id)) throw new EcoleError('ID_CONFLICT', `invoice ${d.id} already exists`, { details: { id: d.id } })
        ids.add(d.id)
        for (const c of chargesOf(d)) {
          if (charges.has(c) || newCharges.has(c)) {
            throw new EcoleError('CHARGE_ALREADY_BILLED', `charge ${c} is already on an invoice`, { details: { chargeId: c, invoiceId: charges.get(c) ?? d.id } })
          }
          newCharges.add(c)
        }
      }
      const wi = v.write<Invoice>(INVOICES)
      const wc = v.write<string>(CHARGES)
      const wd = v.write<readonly string[]>(CHARGE_DAYS)
      for (const d of drafts) {
        wi.set(d.id, copy(d))
        for (const c of chargesOf(d)) {
          wc.set(c, d.id)
          indexDay(wd, c)
        }
      }
    })
  }

  updateDraft(siteId: string, draft: Invoice): Promise<void> {
    return this.access(siteId, (v) => {
      const stored = v.read<Invoice>(INVOICES).get(draft.id)
      if (!stored) throw new EcoleError('NOT_FOUND', `invoice ${draft.id} does not exist`, { details: { invoiceId: draft.id } })
      if (stored.status !== 'draft' || draft.status !== 'draft') throw notDraft(draft.id)
      if (!sameContent([...chargesOf(stored)].sort(), [...chargesOf(draft)].sort())) {
        throw new EcoleError('INVALID_INPUT', `draft ${draft.id}: its lines' charges must stay the stored ones`, { details: { invoiceId: draft.id } })
      }
      v.write<Invoice>(INVOICES).set(draft.id, copy(draft))
    })
  }

  deleteDrafts(siteId: string, invoiceIds: readonly string[]): Promise<number> {
    return this.access(siteId, (v) => {
      const invoices = v.read<Invoice>(INVOICES)
      const found = [...new Set(invoiceIds)].flatMap((id) => {
        const inv = invoices.get(id)
        return inv ? [inv] : []
      })
      for (const inv of found) if (inv.status !== 'draft') throw notDraft(inv.id)
      const wi = v.write<Invoice>(INVOICES)
      const wc = v.write<string>(CHARGES)
      const wd = v.write<readonly string[]>(CHARGE_DAYS)
      for (const inv of found) {
        wi.delete(inv.id)
        for (const c of chargesOf(inv)) {
          wc.delete(c)
          unindexDay(wd, c)
        }
      }
      return found.length
    })
  }

  markValidated(siteId: string, validated: readonly Invoice[]): Promise<void> {
    return this.access(siteId, (v) => {
      const invoices = v.read<Invoice>(INVOICES)
      const numbers = v.read<string>(NUMBERS)
      const seen = new Set<string>()
      for (const inv of validated) {
        const stored = invoices.get(inv.id)
        if (!stored || stored.status !== 'draft' || inv.status !== 'validated' || !sameLines(stored, inv)) throw notDraft(inv.id)
        const key = numberKey(inv)
        if (key === undefined) throw new EcoleError('INVALID_INPUT', `invoice ${inv.id}: a validated invoice needs a number`, { details: { invoiceId: inv.id } })
        if (numbers.has(key) || seen.has(key)) {
          throw new EcoleError('DUPLICATE_INVOICE_NUMBER', `invoice number ${inv.number} of billing office ${inv.billingOfficeId} is already used`, {
            details: { invoiceId: inv.id, number: inv.number },
          })
        }
        seen.add(key)
      }
      const wi = v.write<Invoice>(INVOICES)
      const wn = v.write<string>(NUMBERS)
      for (const inv of validated) {
        wi.set(inv.id, copy(inv))
        wn.set(numberKey(inv)!, inv.id)
      }
    })
  }

  lockInvoices(siteId: string, invoiceIds: readonly string[]): Promise<Invoice[]> {
    // a transaction of the site already excludes every other one: nothing more to lock
    return this.access(siteId, (v) => {
      const invoices = v.read<Invoice>(INVOICES)
      return [...new Set(invoiceIds)].sort(compareKeys).flatMap((id) => {
        const inv = invoices.get(id)
        return inv ? [copy(inv)] : []
      })
    })
  }

  getInvoice(siteId: string, invoiceId: string): Promise<Invoice | undefined> {
    return this.access(siteId, (v) => copy(v.read<Invoice>(INVOICES).get(invoiceId)))
  }

  listInvoices(siteId: string, filter: InvoiceFilter, page?: InvoicePageRequest): Promise<Page<Invoice>> {
    let order: CheckedInvoicePage
    try { checkInvoiceFilter(filter); order = checkInvoicePage(page) } catch (e) { return Promise.reject(e) }
    return this.access(siteId, (v) => {
      if (needsBalances(filter, order)) {
        const rows = invoicesWithBalancesPage(v, filter, page, order)
        return { ...rows, items: rows.items.map((r) => r.invoice) }
      }
      return invoicesPage(v, filter, page)
    })
  }

  listInvoicesWithBalances(siteId: string, filter: InvoiceFilter, page?: InvoicePageRequest): Promise<Page<InvoiceWithBalance>> {
    let order: CheckedInvoicePage
    try { checkInvoiceFilter(filter); order = checkInvoicePage(page) } catch (e) { return Promise.reject(e) }
    return this.access(siteId, (v) => {
      if (needsBalances(filter, order)) return invoicesWithBalancesPage(v, filter, page, order)
      const invoices = invoicesPage(v, filter, page)
      return { ...invoices, items: withBalances(v, invoices.items) }
    })
  }

  listDebtorBalances(siteId: string, query: DebtorBalanceQuery, page?: DebtorBalancePageRequest): Promise<DebtorBalancePage> {
    let bounds: { limit: number; offset: number }
    try { bounds = checkDebtorBalanceQuery(query, page) } catch (e) { return Promise.reject(e) }
    return this.access(siteId, (v) => {
      const only = query.debtorIds === undefined ? undefined : new Set(query.debtorIds)
      const invoices = [...v.read<Invoice>(INVOICES).values()].filter((i) => i.status === 'validated' && i.billingOfficeId === query.billingOfficeId && (only === undefined || only.has(i.debtorId)))
      const ids = new Set(invoices.map((i) => i.id))
      const notes = [...v.read<CreditNote>(CREDIT_NOTES).values()].filter((c) => ids.has(c.invoiceId))
      const payments = [...v.read<Payment>(PAYMENTS).values()].filter((p) => p.allocations.some((a) => ids.has(a.invoiceId)))
      const balances = invoiceBalances(invoices, notes, payments)
      const sums = new Map<string, { debtorId: string; currency: string; outstandingMinor: bigint; openInvoices: number }>()
      for (const i of invoices) {
        const owed = balances.get(i.id)!.outstandingMinor
        if (owed === 0n) continue
        const key = tupleKey(i.debtorId, i.currency)
        const row = sums.get(key) ?? { debtorId: i.debtorId, currency: i.currency, outstandingMinor: 0n, openInvoices: 0 }
        row.outstandingMinor += owed
        row.openInvoices += 1
        sums.set(key, row)
      }
      const rows = [...sums.values()].sort((a, b) => (a.outstandingMinor !== b.outstandingMinor ? (b.outstandingMinor > a.outstandingMinor ? 1 : -1) : compareKeys(a.debtorId, b.debtorId) || compareKeys(a.currency, b.currency)))
      const totals = new Map<string, { currency: string; debtors: number; outstandingMinor: bigint }>()
      for (const r of rows) {
        const t = totals.get(r.currency) ?? { currency: r.currency, debtors: 0, outstandingMinor: 0n }
        t.debtors += 1
        t.outstandingMinor += r.outstandingMinor
        totals.set(r.currency, t)
      }
      return { items: rows.slice(bounds.offset, bounds.offset + bounds.limit), totals: [...totals.values()].sort((a, b) => compareKeys(a.currency, b.currency)) }
    })
  }

  createCreditNote(siteId: string, creditNote: CreditNote): Promise<'created' | 'exists'> {
    return this.access(siteId, (v) => {
      const existing = v.read<CreditNote>(CREDIT_NOTES).get(creditNote.id)
      if (existing) return checkIdempotentReplay('credit note', creditNote.id, existing, creditNote)
      // the site's transactions run one at a time, so the notes read here are those at commit
      const earlier = [...v.read<CreditNote>(CREDIT_NOTES).values()].filter((c) => c.invoiceId === creditNote.invoiceId)
      assertCreditNoteFits(v.read<Invoice>(INVOICES).get(creditNote.invoiceId), earlier, creditNote)
      const key = tupleKey('credit', creditNote.billingOfficeId, creditNote.number)
      if (v.read<string>(NUMBERS).has(key)) {
        throw new EcoleError('DUPLICATE_INVOICE_NUMBER', `credit note number ${creditNote.number} is already used`, { details: { id: creditNote.id } })
      }
      v.write<string>(NUMBERS).set(key, creditNote.id)
      v.write<CreditNote>(CREDIT_NOTES).set(creditNote.id, copy(creditNote))
      return 'created'
    })
  }

  listCreditNotes(siteId: string, invoiceIds?: readonly string[]): Promise<CreditNote[]> {
    return this.access(siteId, (v) => {
      const wanted = invoiceIds === undefined ? undefined : new Set(invoiceIds)
      return [...v.read<CreditNote>(CREDIT_NOTES).values()]
        .filter((c) => wanted === undefined || wanted.has(c.invoiceId))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(copy)
    })
  }

  fileInvoices(siteId: string, invoiceIds: readonly string[], folderId: string | null): Promise<void> {
    return this.access(siteId, (v: TxView) => {
      if (folderId !== null && !v.read(FOLDERS).has(folderId)) throw new EcoleError('NOT_FOUND', `invoice folder ${folderId} does not exist`, { details: { folderId } })
      const filing = v.write<string>(FILING)
      for (const id of invoiceIds) {
        if (folderId === null) filing.delete(id)
        else filing.set(id, folderId)
      }
    })
  }

  setPortalDisplayDate(siteId: string, invoiceIds: readonly string[], date: LocalDate): Promise<number> {
    return this.access(siteId, (v) => {
      const ids = [...new Set(invoiceIds)]
      const stored = v.read<Invoice>(INVOICES)
      const missing = ids.find((id) => !stored.has(id))
      if (missing !== undefined) throw new EcoleError('NOT_FOUND', `invoice ${missing} does not exist`, { details: { invoiceId: missing } })
      const table = v.write<Invoice>(INVOICES)
      for (const id of ids) table.set(id, { ...copy(stored.get(id)!), portalDisplayDate: date })
      return ids.length
    })
  }

  recordReminders(siteId: string, reminders: readonly SentReminder[]): Promise<void> {
    return this.access(siteId, (v) => {
      const table = v.write<SentReminder>(REMINDERS)
      for (const r of reminders) table.set(tupleKey(r.invoiceId, String(r.level).padStart(6, '0'), r.date), copy(r))
    })
  }

  lastReminderLevels(siteId: string, invoiceIds: readonly string[]): Promise<Map<string, number>> {
    return this.access(siteId, (v) => {
      const wanted = new Set(invoiceIds)
      const levels = new Map<string, number>()
      for (const r of v.read<SentReminder>(REMINDERS).values()) {
        if (wanted.has(r.invoiceId) && r.level > (levels.get(r.invoiceId) ?? Number.NEGATIVE_INFINITY)) levels.set(r.invoiceId, r.level)
      }
      return levels
    })
  }
}

/** The invoices of a filter, a page of them, copied (read in the caller's view). */
/** Whether the filter's fields outside the balance and the search keep `inv`. */
function keptByFields(filter: InvoiceFilter, filing: ReadonlyMap<string, string>, inv: Invoice): boolean {
  if (filter.batchId !== undefined && inv.batchId !== filter.batchId) return false
  if (filter.debtorId !== undefined && inv.debtorId !== filter.debtorId) return false
  if (filter.debtorOrJointDebtorId !== undefined && inv.debtorId !== filter.debtorOrJointDebtorId && !inv.jointDebtorIds.includes(filter.debtorOrJointDebtorId)) return false
  if (filter.status !== undefined && inv.status !== filter.status) return false
  if (filter.billingOfficeId !== undefined && inv.billingOfficeId !== filter.billingOfficeId) return false
  if (filter.folderId !== undefined && filing.get(inv.id) !== filter.folderId) return false
  if (filter.dueBefore !== undefined && !(inv.dueDate < filter.dueBefore)) return false
  return true
}

/** The id-ordered page of a filter without balance, search nor sort: read from the table's sorted index. */
function invoicesPage(v: TxView, filter: InvoiceFilter, page: PageRequest | undefined): Page<Invoice> {
  const filing = v.read<string>(FILING)
  const result = paginateTable(v.read<Invoice>(INVOICES), 'id', page, (inv) => keptByFields(filter, filing, inv))
  return { ...result, items: result.items.map(copy) }
}

function needsBalances(filter: InvoiceFilter, order: CheckedInvoicePage): boolean {
  return filter.balance !== undefined || filter.search !== undefined || order.by !== 'id' || order.desc
}

/** Each invoice with its balance over its credit notes and the allocations of recorded payments. */
function withBalances(v: TxView, invoices: Invoice[]): InvoiceWithBalance[] {
  const ids = new Set(invoices.map((i) => i.id))
  const notes = ids.size === 0 ? [] : [...v.read<CreditNote>(CREDIT_NOTES).values()].filter((c) => ids.has(c.invoiceId))
  const payments = ids.size === 0 ? [] : [...v.read<Payment>(PAYMENTS).values()].filter((p) => p.allocations.some((a) => ids.has(a.invoiceId)))
  const balances = invoiceBalances(invoices, notes, payments)
  return invoices.map((invoice) => ({ invoice, balance: balances.get(invoice.id)! }))
}

/**
 * A page under a balance state, a search or an order other than id ascending: the matching
 * invoices with their balances, in the page's order (key, then id), after the cursor's row.
 */
function invoicesWithBalancesPage(v: TxView, filter: InvoiceFilter, page: InvoicePageRequest | undefined, order: CheckedInvoicePage): Page<InvoiceWithBalance> {
  const filing = v.read<string>(FILING)
  const kept = [...v.read<Invoice>(INVOICES).values()].filter((inv) => keptByFields(filter, filing, inv))
  const rows = withBalances(v, kept).filter((r) => matchesInvoiceBalanceAndSearch(filter, r.invoice, r.balance.outstandingMinor))
  const sort = page?.sort
  rows.sort((a, b) => compareInvoicesBy(sort, a.invoice, b.invoice))
  const after = order.after
  const start = after === undefined ? 0 : rows.findIndex((r) => {
    const c = compareInvoicesBy(sort, r.invoice, { id: after.id, number: null, issueDate: null, dueDate: '' as LocalDate, totalMinor: 0n, ...cursorFields(order.by, after.value) })
    return c > 0
  })
  const rest = start < 0 ? [] : rows.slice(start)
  const limit = pageLimit(page)
  const items = rest.slice(0, limit)
  const last = items[items.length - 1]
  return { items: items.map((r) => ({ invoice: copy(r.invoice), balance: r.balance })), next: rest.length > limit && last ? invoiceCursor(sort, last.invoice) : undefined }
}

/** The invoice fields a cursor's sort value stands for. */
function cursorFields(by: InvoiceSortKey, value: string | bigint): Partial<Invoice> {
  switch (by) {
    case 'id': return {}
    case 'number': return { number: value as string }
    case 'issueDate': return { issueDate: (value as string) === '' ? null : (value as LocalDate) }
    case 'dueDate': return { dueDate: value as LocalDate }
    case 'total': return { totalMinor: value as bigint }
  }
}

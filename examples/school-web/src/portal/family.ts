/**
 * What a logged-in guardian may see, read from the library's stores and nothing else: their
 * children (through the children's guardian links), their invoices (as payer or joint debtor,
 * once the portal display date has come), their wallet. Every page goes through these functions,
 * so an id in a URL that is not the guardian's own is simply not found.
 */
import { GENERAL_COMPARTMENT, invoiceBalances, walletAccountId, walletPaymentReference, type Child, type Invoice, type InvoiceBalance, type LocalDate, type Payment } from '@ecole/core'
import type { AppContext } from '../compose'
import { SITE } from '../site-settings'

// built once: building an Intl format costs far more than using it
const SITE_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: SITE.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })

/** The site's "today" (a LocalDate in its zone) at an instant. */
export function siteToday(now: Date): LocalDate {
  return SITE_DAY.format(now) as LocalDate
}

/** The guardian's children (those who name them among their guardians). */
export async function childrenOf(ctx: AppContext, guardianId: string): Promise<Child[]> {
  const out: Child[] = []
  let after: string | undefined
  do {
    const page = await ctx.storage.directory!.listDirectoryRecords(ctx.config.siteId, 'child', { limit: 500, ...(after ? { after } : {}) })
    for (const c of page.items) if (c.guardians.some((g) => g.guardianId === guardianId) && c.archived === null) out.push(c)
    after = page.next
  } while (after)
  return out
}

/** An invoice with its balance. */
export interface InvoiceView {
  invoice: Invoice
  balance: InvoiceBalance
  /** Joint debtor only (not the payer). */
  asJointDebtor: boolean
}

/**
 * The guardian's validated invoices on the portal (payer or joint debtor), newest first, with
 * the label of each invoice's batch when `withLabels` is set. All reads run in one storage
 * transaction that says it only reads (`readOnly`): one connection for the page, and on a
 * PostgreSQL server no BEGIN/COMMIT round trips (a read outside a transaction is its own
 * transaction: three round trips). Three queries: the invoices, their credit notes, their payments.
 */
export async function invoicesOf(ctx: AppContext, guardianId: string): Promise<InvoiceView[]> {
  return (await invoicesPage(ctx, guardianId, false)).views
}

/** Batch labels do not change once invoices are on the portal: kept for a minute per batch. */
const batchLabels = new Map<string, { label: string; until: number }>()
const LABEL_TTL_MS = 60_000

/** The guardian's invoices (see {@link invoicesOf}) and, when asked, their batches' labels. */
export async function invoicesPage(ctx: AppContext, guardianId: string, withLabels: boolean): Promise<{ views: InvoiceView[]; labels: Map<string, string> }> {
  const siteId = ctx.config.siteId
  const today = siteToday(ctx.clock.now())
  return ctx.storage.transaction(siteId, async (tx) => {
    const invoices: Invoice[] = []
    let after: string | undefined
    do {
      const page = await tx.invoicing!.listInvoices(siteId, { debtorOrJointDebtorId: guardianId, status: 'validated' }, { limit: 500, ...(after ? { after } : {}) })
      for (const i of page.items) if (i.portalDisplayDate <= today) invoices.push(i)
      after = page.next
    } while (after)
    // one query at a time (a transaction is one connection), and one query for the payments of
    // all the page's invoices, not one per invoice
    const ids = invoices.map((i) => i.id)
    const creditNotes = invoices.length ? await tx.invoicing!.listCreditNotes(siteId, ids) : []
    const payments: Payment[] = []
    if (invoices.length) {
      let after: string | undefined
      do {
        const page = await tx.payments!.listPayments(siteId, { invoiceIds: ids }, { limit: 500, ...(after ? { after } : {}) })
        payments.push(...page.items)
        after = page.next
      } while (after)
    }
    const labels = new Map<string, string>()
    if (withLabels) {
      const now = Date.now()
      for (const batchId of new Set(invoices.map((i) => i.batchId))) {
        const cached = batchLabels.get(`${siteId}|${batchId}`)
        if (cached && cached.until > now) {
          labels.set(batchId, cached.label)
          continue
        }
        const label = (await tx.invoicing!.getInvoiceBatch(siteId, batchId))?.label ?? ''
        batchLabels.set(`${siteId}|${batchId}`, { label, until: now + LABEL_TTL_MS })
        labels.set(batchId, label)
      }
    }
    const balances = invoiceBalances(invoices, creditNotes, payments)
    const views = invoices
      .map((invoice) => ({
        invoice,
        balance: balances.get(invoice.id)!,
        asJointDebtor: invoice.debtorId !== guardianId,
      }))
      .sort((a, b) => (a.invoice.issueDate! < b.invoice.issueDate! ? 1 : a.invoice.issueDate! > b.invoice.issueDate! ? -1 : a.invoice.id < b.invoice.id ? 1 : -1))
    return { views, labels }
  }, { readOnly: true })
}

/** One of the guardian's invoices, or undefined (another family's invoice is not found). */
export async function invoiceOf(ctx: AppContext, guardianId: string, invoiceId: string): Promise<InvoiceView | undefined> {
  return (await invoicesOf(ctx, guardianId)).find((v) => v.invoice.id === invoiceId)
}

/** The guardian's wallet compartments with their available balance. */
export async function walletsOf(ctx: AppContext, guardianId: string): Promise<Array<{ accountId: string; compartment: string; availableMinor: bigint; currency: string }>> {
  const siteId = ctx.config.siteId
  const accounts = await ctx.storage.ledger!.listAccounts(siteId, { kind: 'wallet', guardianId })
  if (accounts.items.length === 0) return []
  const balances = await ctx.storage.ledger!.getBalances(siteId, accounts.items.map((a) => a.id), ctx.clock.now())
  return accounts.items.map((a, i) => ({ accountId: a.id, compartment: a.kind === 'wallet' ? a.compartment : GENERAL_COMPARTMENT, availableMinor: balances[i]!.available, currency: balances[i]!.currency }))
}

/** The wallet number of a demo guardian (its family index: `resp-21` -> 21), which its structured communication encodes. */
export function walletNumber(guardianId: string): number {
  const digits = /(\d+)/.exec(guardianId)?.[1] ?? '0'
  return Number(digits) * 10 + (guardianId.endsWith('b') ? 1 : guardianId.endsWith('j') ? 2 : 0)
}

/** The structured communication a guardian puts on a wallet top-up transfer (`electronic` for the bank, `display` for people). */
export function walletReference(guardianId: string): { electronic: string; display: string } {
  const n = walletNumber(guardianId)
  // the demo's families 20-27 topped up with the references the billing-run example allocated (the family index)
  return walletPaymentReference(SITE.references, /^resp-\d+$/.test(guardianId) ? Math.floor(n / 10) : n)
}

/** The wallet account id of a guardian's general compartment. */
export function generalWallet(guardianId: string): string {
  return walletAccountId(guardianId, SITE.billingOfficeId)
}

/**
 * What a logged-in guardian may see, read from the library's stores and nothing else: their
 * children (through the children's guardian links), their invoices (as payer or joint debtor,
 * once the portal display date has come), their wallet. Every page goes through these functions,
 * so an id in a URL that is not the guardian's own is simply not found.
 */
import { GENERAL_COMPARTMENT, walletAccountId, walletPaymentReference, type Child, type Invoice, type InvoiceBalance, type LocalDate } from '@ecole/core'
import { walletNumberOf } from '@ecole/workflows'
import type { AppContext } from '../compose'
import { SITE } from '../site-settings'
import { dayIn, siteFactsOf } from '../site-facts'

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

/**
 * One of the guardian's children (not archived), or undefined when the child is another family's
 * or absent: one read of the child's record, not of the site's children.
 */
export async function childOf(ctx: AppContext, guardianId: string, childId: string): Promise<Child | undefined> {
  if (childId === '') return undefined
  const siteId = ctx.config.siteId
  // read-only: one statement, no BEGIN and COMMIT round trips
  const child = await ctx.storage.transaction(siteId, (tx) => tx.directory!.getDirectoryRecord(siteId, 'child', childId), { readOnly: true })
  return child && child.archived === null && child.guardians.some((g) => g.guardianId === guardianId) ? child : undefined
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
 * the label of each invoice's batch when `withLabels` is set. One read for the invoices with
 * their balances (`listInvoicesWithBalances` in a read-only storage transaction: on a PostgreSQL
 * server one statement, no BEGIN or COMMIT), a page of 500 at a time; batch labels are kept a minute.
 */
export async function invoicesOf(ctx: AppContext, guardianId: string): Promise<InvoiceView[]> {
  return (await invoicesPage(ctx, guardianId, false)).views
}

/**
 * Batch labels do not change once invoices are on the portal: kept for a minute per batch, per
 * composed host (two hosts of one process over two databases may serve the same site and batch
 * ids; neither sees the other's labels). Kept by the host's clock, as its stored settings are.
 */
const batchLabels = new WeakMap<AppContext, Map<string, { label: string; at: number; until: number }>>()
const LABEL_TTL_MS = 60_000

/** The guardian's invoices (see {@link invoicesOf}) and, when asked, their batches' labels. */
export async function invoicesPage(ctx: AppContext, guardianId: string, withLabels: boolean): Promise<{ views: InvoiceView[]; labels: Map<string, string> }> {
  const siteId = ctx.config.siteId
  const today = dayIn((await siteFactsOf(ctx)).timeZone, ctx.clock.now())
  const invoicing = ctx.storage.invoicing!
  // a read-only storage transaction: on a PostgreSQL server no BEGIN and COMMIT round trips (a
  // read outside a transaction is its own transaction: three round trips for one statement)
  const views = await ctx.storage.transaction(siteId, async (tx) => {
    const out: InvoiceView[] = []
    let after: string | undefined
    do {
      const page = await tx.invoicing!.listInvoicesWithBalances(siteId, { debtorOrJointDebtorId: guardianId, status: 'validated' }, { limit: 500, ...(after ? { after } : {}) })
      for (const { invoice, balance } of page.items) if (invoice.portalDisplayDate <= today) out.push({ invoice, balance, asJointDebtor: invoice.debtorId !== guardianId })
      after = page.next
    } while (after)
    return out
  }, { readOnly: true })
  views.sort((a, b) => (a.invoice.issueDate! < b.invoice.issueDate! ? 1 : a.invoice.issueDate! > b.invoice.issueDate! ? -1 : a.invoice.id < b.invoice.id ? 1 : -1))
  const labels = new Map<string, string>()
  if (withLabels) {
    const now = ctx.clock.now().getTime()
    let kept = batchLabels.get(ctx)
    if (!kept) batchLabels.set(ctx, (kept = new Map()))
    for (const view of views) {
      const batchId = view.invoice.batchId
      if (labels.has(batchId)) continue
      const cached = kept.get(`${siteId}|${batchId}`)
      if (cached && cached.at <= now && now < cached.until) {
        labels.set(batchId, cached.label)
        continue
      }
      const label = (await invoicing.getInvoiceBatch(siteId, batchId))?.label ?? ''
      kept.set(`${siteId}|${batchId}`, { label, at: now, until: now + LABEL_TTL_MS })
      labels.set(batchId, label)
    }
  }
  return { views, labels }
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

/**
 * The structured communication a guardian puts on a wallet top-up transfer (`electronic` for the
 * bank, `display` for people): their stored wallet number (drawn once, on first use, by
 * `walletNumberOf`: no two guardians share one) in the billing office's reference space.
 */
export async function walletReferenceOf(ctx: AppContext, guardianId: string): Promise<{ electronic: string; display: string }> {
  return walletReferenceOfNumber(await walletNumberOf({ storage: ctx.storage }, { siteId: ctx.config.siteId, guardianId }))
}

/** The structured communication of a stored wallet number (the bank import's list of wallets). */
export function walletReferenceOfNumber(walletNumber: number): { electronic: string; display: string } {
  return walletPaymentReference(SITE.references, walletNumber)
}

/** The wallet account id of a guardian's general compartment. */
export function generalWallet(guardianId: string): string {
  return walletAccountId(guardianId, SITE.billingOfficeId)
}

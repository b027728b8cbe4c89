import {
  buildInvoiceDrafts, defineInvoiceBatch, EcoleError, type BelowMinimumPayer, type DraftSkipCounts, type Invoice, type InvoiceBatch,
  type InvoiceBatchInput, type InvoiceChargeLine,
} from '@ecole/core'
import { loadAccounts, need, type BillingDeps } from './support'

/** What {@link createInvoiceBatch} returns. */
export interface CreateInvoiceBatchResult {
  /** The batch as stored. */
  batch: InvoiceBatch
  /** The drafts made by this call (none for charges already billed). */
  drafts: Invoice[]
  /** Payers under the minimum amount (their charges stay unbilled). */
  belowMinimum: BelowMinimumPayer[]
  /** Charge lines left out, by reason. */
  skipped: DraftSkipCounts
}

/**
 * Creates an invoice batch and its drafts (seed 001, "Comment créer un groupe de factures"), in
 * one transaction: stores the batch, reads which charges are already billed, shows each payer's
 * earlier unpaid balance, builds one draft per payer and inserts them.
 *
 * Idempotent: running it again for the same period bills only charges not billed yet.
 *
 * @example
 * const { drafts } = await createInvoiceBatch(deps, { batch: { id: 'b-2026-12', siteId, billingOfficeId: 'regie',
 *   period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges })
 * @throws EcoleError `INVALID_INPUT`, `PORT_MISSING`, `ID_CONFLICT` (another batch with this id).
 */
export async function createInvoiceBatch(
  deps: BillingDeps,
  input: { batch: InvoiceBatchInput; charges: Iterable<InvoiceChargeLine>; showOpenBalances?: boolean; onProgress?: (step: string) => void },
): Promise<CreateInvoiceBatchResult> {
  const batch = defineInvoiceBatch(input.batch)
  const charges = [...input.charges]
  return deps.storage.transaction(batch.siteId, async (tx) => {
    const { invoicing } = need(tx, 'invoicing')
    await invoicing.saveInvoiceBatch(batch.siteId, batch)
    const stored = await invoicing.getInvoiceBatch(batch.siteId, batch.id)
    if (stored && (stored.period.from !== batch.period.from || stored.period.to !== batch.period.to || stored.billingOfficeId !== batch.billingOfficeId)) {
      throw new EcoleError('ID_CONFLICT', `invoice batch ${batch.id} exists with another period or billing office`, { details: { batchId: batch.id } })
    }
    input.onProgress?.('reading billed charges')
    const billed = await invoicing.billedChargeIds(batch.siteId, charges.map((c) => c.chargeId))
    let openBalances: Map<string, bigint> | undefined
    if (input.showOpenBalances !== false && tx.payments !== undefined) {
      const { invoices, balances } = await loadAccounts(tx, batch.siteId, { billingOfficeId: batch.billingOfficeId })
      openBalances = new Map()
      for (const inv of invoices) openBalances.set(inv.payerId, (openBalances.get(inv.payerId) ?? 0n) + balances.get(inv.id)!.outstandingMinor)
    }
    input.onProgress?.('building drafts')
    const result = buildInvoiceDrafts(batch, charges, { alreadyBilledChargeIds: billed, openBalances })
    // a draft id is <batch>:<payer>: a payer who already has a draft in this batch gets a suffix
    // one query at a time: a transaction's connection runs its statements in order
    const drafts: typeof result.drafts = []
    for (const d of result.drafts) {
      const existing = await invoicing.getInvoice(batch.siteId, d.id)
      if (!existing) {
        drafts.push(d)
        continue
      }
      let n = 2
      while (await invoicing.getInvoice(batch.siteId, `${d.id}:${n}`)) n++
      const id = `${d.id}:${n}`
      drafts.push({ ...d, id, lines: d.lines.map((l, i) => ({ ...l, id: `${id}:${i + 1}` })) })
    }
    input.onProgress?.(`inserting ${drafts.length} drafts`)
    await invoicing.insertDrafts(batch.siteId, drafts)
    return { batch, drafts, belowMinimum: result.belowMinimum, skipped: result.skipped }
  })
}

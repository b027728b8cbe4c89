import { isEcoleError, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { heldOpenAfter, within } from '../test-support/held-open'
import { serverStorage } from '../test-support/server-storage'
import { adjustDraft, createInvoiceBatch, editDrafts, validateDrafts, type BillingDeps } from './index'

// A cashier adjusts or edits a draft while the batch is validated, on a real PostgreSQL server
// (PGlite runs one transaction at a time, so only a server shows a race).
const url = process.env['ECOLE_PG_URL']
const clock = { now: () => new Date('2027-01-04T09:00:00Z') }
const batch = (siteId: string): InvoiceBatchInput => ({
  id: 'b', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05',
})
/** Four meals of 25.00 in December for g1 and for g2: two drafts of 100.00. */
const charges: InvoiceChargeLine[] = ['g1', 'g2'].flatMap((g) => [1, 2, 3, 4].map((d) => {
  const date = `2026-12-0${d}` as LocalDate
  return { chargeId: `${g}|k|meal|${date}`, debtorId: g, beneficiaryId: `k-${g}`, serviceId: 'meal', date, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n }
}))
const reduction = { add: { id: 'r1', kind: 'reduction' as const, reason: 'Sortie scolaire', percent: '10' } }

describe.skipIf(!url)('a draft adjusted or edited while its batch is validated, on a PostgreSQL server', () => {
  const storage = serverStorage(url!, 8)
  let sites = 0
  async function drafts() {
    const siteId = `draft-race-${process.pid}-${Date.now()}-${++sites}`
    const deps: BillingDeps = { storage, clock }
    await createInvoiceBatch(deps, { batch: batch(siteId), charges })
    return { siteId, deps }
  }

  it('issues the reduction saved while the validation started: the validation waits for the adjustment, then validates the adjusted draft', async () => {
    const { siteId, deps } = await drafts()
    const held = heldOpenAfter(storage, 'invoicing', 'updateDraft')
    const adjusting = adjustDraft({ storage: held.storage, clock }, { siteId, invoiceId: 'b:g1', change: reduction })
    await within(held.written, 'the adjustment was written inside its transaction')
    const validating = validateDrafts(deps, { siteId, batchId: 'b', issueDate: '2027-01-04' })
    await new Promise((r) => setTimeout(r, 300))
    held.release()
    const adjusted = await adjusting
    expect(adjusted.totalMinor).toBe(9_000n)
    const issued = await validating
    // before the fix, the validation wrote back the draft it had read: issued at 100.00, the reduction lost
    expect(issued.map((i) => [i.id, i.totalMinor])).toEqual([['b:g1', 9_000n], ['b:g2', 10_000n]])
    const stored = (await storage.invoicing!.getInvoice(siteId, 'b:g1'))!
    expect([stored.status, stored.totalMinor, stored.adjustments.map((a) => a.id)]).toEqual(['validated', 9_000n, ['r1']])
  })

  it('refuses an adjustment arriving while the batch is validated (INVOICE_NOT_DRAFT): it waits for the validation, then finds the invoice issued', async () => {
    const { siteId, deps } = await drafts()
    const held = heldOpenAfter(storage, 'invoicing', 'markValidated')
    const validating = validateDrafts({ storage: held.storage, clock }, { siteId, batchId: 'b', issueDate: '2027-01-04' })
    await within(held.written, 'the validation was written inside its transaction')
    const adjusting = adjustDraft(deps, { siteId, invoiceId: 'b:g1', change: reduction }).then((i) => i, (e: unknown) => e)
    await new Promise((r) => setTimeout(r, 300))
    held.release()
    expect((await validating).map((i) => i.totalMinor)).toEqual([10_000n, 10_000n])
    expect(isEcoleError(await adjusting, 'INVOICE_NOT_DRAFT')).toBe(true)
    const stored = (await storage.invoicing!.getInvoice(siteId, 'b:g1'))!
    expect([stored.status, stored.totalMinor, stored.adjustments]).toEqual(['validated', 10_000n, []])
  })

  it('keeps a reduction saved while another cashier edits the same draft\'s portal date: neither writes back what the other changed', async () => {
    const { siteId } = await drafts()
    const held = heldOpenAfter(storage, 'invoicing', 'updateDraft')
    const adjusting = adjustDraft({ storage: held.storage, clock }, { siteId, invoiceId: 'b:g1', change: reduction })
    await within(held.written, 'the adjustment was written inside its transaction')
    const editing = editDrafts({ storage, clock }, { siteId, invoiceIds: ['b:g1'], change: { portalDisplayDate: '2027-01-08' } })
    await new Promise((r) => setTimeout(r, 300))
    held.release()
    await adjusting
    await editing
    const stored = (await storage.invoicing!.getInvoice(siteId, 'b:g1'))!
    expect([stored.totalMinor, stored.adjustments.map((a) => a.id), stored.portalDisplayDate]).toEqual([9_000n, ['r1'], '2027-01-08'])
  })
})

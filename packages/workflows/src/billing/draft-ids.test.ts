import type { InvoiceBatchInput, InvoiceChargeLine, LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { createInvoiceBatch, type BillingDeps } from './index'

const siteId = 'site-1'
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const batchInput: InvoiceBatchInput = {
  id: 'b-2026-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
  dueDate: '2027-01-15', portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
}

function meals(payers: number, day: number): InvoiceChargeLine[] {
  const date = `2026-12-${String(day).padStart(2, '0')}` as LocalDate
  return Array.from({ length: payers }, (_, i) => ({
    chargeId: `g${i + 1}|k${i + 1}|meal|${date}`, debtorId: `g${i + 1}`, beneficiaryId: `k${i + 1}`, serviceId: 'meal', date, quantity: 1, unitPriceMinor: 415n, amountMinor: 415n,
  }))
}

describe('the ids createInvoiceBatch gives its drafts', () => {
  it('names a draft <batch>:<payer>, and a later run of the batch that bills new charges of the same payer adds :2, then :3', async () => {
    const deps: BillingDeps = { storage: createMemoryStorage(), clock }
    const first = await createInvoiceBatch(deps, { batch: batchInput, charges: meals(3, 1) })
    expect(first.drafts.map((d) => d.id)).toEqual(['b-2026-12:g1', 'b-2026-12:g2', 'b-2026-12:g3'])
    const second = await createInvoiceBatch(deps, { batch: batchInput, charges: [...meals(3, 1), ...meals(2, 2)] })
    expect(second.drafts.map((d) => d.id)).toEqual(['b-2026-12:g1:2', 'b-2026-12:g2:2'])
    expect(second.drafts[0]!.lines.map((l) => l.id)).toEqual(['b-2026-12:g1:2:1'])
    const third = await createInvoiceBatch(deps, { batch: batchInput, charges: meals(1, 3) })
    expect(third.drafts.map((d) => d.id)).toEqual(['b-2026-12:g1:3'])
  })

  it('never reuses an id taken by an invoice outside the batch: that draft gets a suffix too, and the others keep theirs', async () => {
    const deps: BillingDeps = { storage: createMemoryStorage(), clock }
    // a draft of another batch, stored under the id this batch would give g2's draft
    const other = await createInvoiceBatch(deps, { batch: { ...batchInput, id: 'autre', period: { from: '2026-11-01', to: '2026-11-30' } }, charges: meals(1, 1).map((c) => ({ ...c, debtorId: 'g2', date: '2026-11-02', chargeId: 'nov' })) })
    const stranger = { ...other.drafts[0]!, id: 'b-2026-12:g2', lines: other.drafts[0]!.lines.map((l) => ({ ...l, id: `b-2026-12:g2:${l.id}`, chargeIds: ['nov-bis'] })) }
    await deps.storage.transaction(siteId, (tx) => tx.invoicing!.createDrafts(siteId, [stranger]))
    const made = await createInvoiceBatch(deps, { batch: batchInput, charges: meals(3, 1) })
    expect(made.drafts.map((d) => d.id)).toEqual(['b-2026-12:g1', 'b-2026-12:g2:2', 'b-2026-12:g3'])
    expect((await deps.storage.invoicing!.getInvoice(siteId, 'b-2026-12:g2'))!.batchId).toBe('autre')
  })
})

import type { BillableDay } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { chargesOf, septemberBatch, type Payers } from '../test-support/lea-charges'
import { createInvoiceBatch, validateDrafts, type BillingDeps } from './index'

const batch = septemberBatch
const depsOf = (): BillingDeps => ({ storage: createMemoryStorage(), clock: { now: () => new Date('2026-10-01T09:00:00Z') } })
const mum: Payers = [{ guardianId: 'mum', weight: 1 }]
const meal: BillableDay = { beneficiaryId: 'lea', serviceId: 'cantine', date: '2026-09-07', booked: true }

describe('createInvoiceBatch: billing a period again', () => {
  it('bills 5 hours of care at 2.00 EUR 10.00 in all when the second day is recorded after the first batch', async () => {
    const deps = depsOf()
    const d1: BillableDay = { beneficiaryId: 'lea', serviceId: 'garderie', date: '2026-09-07', booked: true, quantity: 4 }
    const d2: BillableDay = { beneficiaryId: 'lea', serviceId: 'garderie', date: '2026-09-08', booked: true, quantity: 1 }
    const a = await createInvoiceBatch(deps, { batch: batch('sept-1'), charges: chargesOf(mum, [d1]) })
    const b = await createInvoiceBatch(deps, { batch: batch('sept-2'), charges: chargesOf(mum, [d1, d2]) })
    expect(a.drafts.map((d) => d.totalMinor)).toEqual([800n])
    expect(b.drafts.map((d) => [d.totalMinor, d.lines[0]!.quantity])).toEqual([[200n, 1]])
  })

  it('does not bill dad a day billed to mum after the payer is corrected, even once mum is out of the rule: it reports the day', async () => {
    const deps = depsOf()
    await createInvoiceBatch(deps, { batch: batch('sept-1'), charges: chargesOf(mum, [meal]) })
    await validateDrafts(deps, { siteId: 's1', batchId: 'sept-1', issueDate: '2026-10-01' })
    const again = await createInvoiceBatch(deps, { batch: batch('sept-2'), charges: chargesOf([{ guardianId: 'dad', weight: 1 }], [meal]) })
    expect(again.drafts).toEqual([])
    expect(again.skipped.billedToAnotherDebtor).toBe(1)
    expect(again.billedToAnotherDebtor.map((d) => [d.chargeId, d.amountMinor, d.billedDebtorIds, d.billedChargeIds])).toEqual([
      ['dad|lea|cantine|service|2026-09-07', 400n, ['mum'], ['mum|lea|cantine|service|2026-09-07']],
    ])
  })

  it('does not bill dad half of a day billed in full to mum when the rule becomes mum and dad 1:1', async () => {
    const deps = depsOf()
    await createInvoiceBatch(deps, { batch: batch('sept-1'), charges: chargesOf(mum, [meal]) })
    const again = await createInvoiceBatch(deps, { batch: batch('sept-2'), charges: chargesOf([{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 1 }], [meal]) })
    expect(again.drafts).toEqual([])
    expect(again.skipped).toMatchObject({ alreadyBilled: 1, billedToAnotherDebtor: 1 })
  })

  it('bills a day again to its new payer once the draft that billed it is deleted', async () => {
    const deps = depsOf()
    await createInvoiceBatch(deps, { batch: batch('sept-1'), charges: chargesOf(mum, [meal]) })
    await deps.storage.invoicing!.deleteDrafts('s1', ['sept-1:mum'])
    const again = await createInvoiceBatch(deps, { batch: batch('sept-2'), charges: chargesOf([{ guardianId: 'dad', weight: 1 }], [meal]) })
    expect(again.drafts.map((d) => [d.debtorId, d.totalMinor])).toEqual([['dad', 400n]])
  })
})

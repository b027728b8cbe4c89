import type { BillableDay, LocalDate } from '@ecole/core'
import type { InvoiceStore, StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { chargesOf, septemberBatch, type Payers } from '../test-support/lea-charges'
import { createInvoiceBatch, validateDrafts, type BillingDeps, type InvoiceBatchProgress } from './index'

const batch = septemberBatch
const mum: Payers = [{ guardianId: 'mum', weight: 1 }]
const dad: Payers = [{ guardianId: 'dad', weight: 1 }]
const meal: BillableDay = { beneficiaryId: 'lea', serviceId: 'cantine', date: '2026-09-07', booked: true }

/**
 * The memory storage seen through an invoice store that records how the billed days are found in
 * the `billedCharges` step (`byDay`: a `billedChargeIdsByDay` call; `scan`: a page of invoices
 * read) and, with `byDay: false`, has no `billedChargeIdsByDay` (an integrator's adapter written
 * before it). `onProgress` tells it the step (pass it to `createInvoiceBatch`).
 */
function wired(options: { byDay: boolean }): { deps: BillingDeps; reads: string[]; onProgress: (p: InvoiceBatchProgress) => void } {
  const reads: string[] = []
  let step = ''
  const onProgress = (p: InvoiceBatchProgress): void => {
    step = p.step
  }
  const base = createMemoryStorage()
  const invoicingOf = (store: InvoiceStore): InvoiceStore =>
    new Proxy(store, {
      get(target, prop) {
        if (prop === 'billedChargeIdsByDay' && !options.byDay) return undefined
        const value: unknown = Reflect.get(target, prop, target)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          if (step === 'billedCharges' && prop === 'billedChargeIdsByDay') reads.push('byDay')
          if (step === 'billedCharges' && prop === 'listInvoices') reads.push('scan')
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
  const portsOf = <T extends object>(ports: T): T =>
    new Proxy(ports, {
      get(target, prop) {
        if (prop === 'invoicing') return invoicingOf(Reflect.get(target, prop, target) as InvoiceStore)
        if (prop === 'transaction') {
          return (siteId: string, fn: (tx: unknown) => Promise<unknown>, o?: unknown) =>
            (target as unknown as StoragePorts).transaction(siteId, (tx) => fn(portsOf(tx)), o as never)
        }
        const value: unknown = Reflect.get(target, prop, target)
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
      },
    })
  return { deps: { storage: portsOf(base), clock: { now: () => new Date('2026-10-01T09:00:00Z') } }, reads, onProgress }
}

describe('createInvoiceBatch: finding a day billed to another payer by day', () => {
  it('asks the store for the days charged instead of reading the site’s invoices when the store can answer by day', async () => {
    const { deps, reads, onProgress } = wired({ byDay: true })
    await createInvoiceBatch(deps, { batch: batch('sept-1'), charges: chargesOf(mum, [meal]) })
    await validateDrafts(deps, { siteId: 's1', batchId: 'sept-1', issueDate: '2026-10-01' })
    const again = await createInvoiceBatch(deps, { batch: batch('sept-2'), charges: chargesOf(dad, [meal]), onProgress })
    expect(reads).toEqual(['byDay'])
    expect(again.drafts).toEqual([])
    expect(again.billedToAnotherDebtor.map((d) => [d.chargeId, d.billedChargeIds])).toEqual([['dad|lea|cantine|service|2026-09-07', ['mum|lea|cantine|service|2026-09-07']]])
  })

  it('still finds the day billed to mum with a store that cannot answer by day, by reading the site’s invoices', async () => {
    const { deps, reads, onProgress } = wired({ byDay: false })
    await createInvoiceBatch(deps, { batch: batch('sept-1'), charges: chargesOf(mum, [meal]) })
    const again = await createInvoiceBatch(deps, { batch: batch('sept-2'), charges: chargesOf(dad, [meal]), onProgress })
    expect(reads).toEqual(['scan'])
    expect(again.drafts).toEqual([])
    expect(again.billedToAnotherDebtor.map((d) => [d.chargeId, d.billedDebtorIds])).toEqual([['dad|lea|cantine|service|2026-09-07', ['mum']]])
  })

  it.each([true, false])('does not bill dad a day billed to mum by another billing office of the site (store answers by day: %s)', async (byDay) => {
    const { deps } = wired({ byDay })
    await createInvoiceBatch(deps, { batch: batch('sept-1', 'regie'), charges: chargesOf(mum, [meal]) })
    const again = await createInvoiceBatch(deps, { batch: batch('sept-nord', 'regie-nord'), charges: chargesOf(dad, [meal]) })
    expect(again.drafts).toEqual([])
    expect(again.billedToAnotherDebtor.map((d) => [d.chargeId, d.billedDebtorIds])).toEqual([['dad|lea|cantine|service|2026-09-07', ['mum']]])
  })

  it('bills nothing twice when mum’s payer has a | in its id (escaped charge ids) and dad is billed the day after', async () => {
    const { deps } = wired({ byDay: true })
    const martin: Payers = [{ guardianId: 'martin|anna', weight: 1 }]
    await createInvoiceBatch(deps, { batch: batch('sept-1'), charges: chargesOf(martin, [meal]) })
    const next: BillableDay = { ...meal, date: '2026-09-08' }
    const again = await createInvoiceBatch(deps, { batch: batch('sept-2'), charges: chargesOf(dad, [meal, next]) })
    expect(again.drafts.map((d) => [d.debtorId, d.totalMinor])).toEqual([['dad', 400n]])
    expect(again.billedToAnotherDebtor.map((d) => [d.date, d.billedDebtorIds])).toEqual([['2026-09-07', ['martin|anna']]])
  })
})

describe('createInvoiceBatch: by day or by reading the invoices, the same batch', () => {
  const payersArb = fc.constantFrom<Payers>(mum, dad, [{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 1 }], [{ guardianId: 'martin|anna', weight: 1 }])
  const daysArb = fc.uniqueArray(fc.record({ serviceId: fc.constantFrom('cantine', 'garderie'), day: fc.integer({ min: 1, max: 12 }) }), { maxLength: 8, selector: (d) => `${d.serviceId}${d.day}` })
    .map((ds) => ds.map((d): BillableDay => ({ beneficiaryId: 'lea', serviceId: d.serviceId, date: `2026-09-${String(d.day).padStart(2, '0')}` as LocalDate, booked: true })))
  const runs = fc.array(fc.record({ payers: payersArb, days: daysArb, deleteFirst: fc.boolean() }), { minLength: 2, maxLength: 3 })

  test.prop([runs], { numRuns: 25 })('each run of a batch bills, skips and reports the same charges whichever way the store finds the billed days', async (plan) => {
    const results = []
    for (const byDay of [true, false]) {
      const { deps } = wired({ byDay })
      const out = []
      for (const [i, run] of plan.entries()) {
        if (run.deleteFirst && i > 0) await deps.storage.invoicing!.deleteDrafts('s1', out[0]!.drafts.map((d) => d.id))
        const r = await createInvoiceBatch(deps, { batch: batch(`sept-${i}`), charges: chargesOf(run.payers, run.days) })
        out.push(r)
      }
      results.push(out.map((r) => ({ drafts: r.drafts, skipped: r.skipped, billedToAnotherDebtor: r.billedToAnotherDebtor, belowMinimum: r.belowMinimum })))
    }
    expect(results[0]).toEqual(results[1])
  })
})

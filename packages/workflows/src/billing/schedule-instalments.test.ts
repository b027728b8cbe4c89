import { isEcoleError, type InvoiceBatchInput } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { createInvoiceBatch, scheduleInstalments, type BillingDeps } from './index'

const siteId = 'site-1'
const batch: InvoiceBatchInput = {
  id: 'b-2026-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
  dueDate: '2027-01-15', portalDisplayDate: '2027-01-05',
}

async function draft(): Promise<BillingDeps> {
  const deps = { storage: createMemoryStorage(), clock: { now: () => new Date('2027-01-02T09:00:00Z') } }
  await createInvoiceBatch(deps, { batch, charges: [{ chargeId: 'c1', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: '2026-12-01', quantity: 1, unitPriceMinor: 3000n, amountMinor: 3000n }] })
  return deps
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; paths: string[] }> {
  const e = await p.catch((error: unknown) => error)
  if (!isEcoleError(e)) throw new Error(`expected an EcoleError, got ${String(e)}`)
  return { code: e.code, paths: (e.details['issues'] as Array<{ path: string }> | undefined)?.map((i) => i.path) ?? [] }
}

describe('scheduleInstalments: the request is read as written, never with a default in place of a misspelt key', () => {
  it('spaces the instalments by everyMonths', async () => {
    const deps = await draft()
    const s = await scheduleInstalments(deps, { siteId, invoiceId: 'b-2026-12:g1', count: 2, firstDueDate: '2027-01-15', everyMonths: 2 })
    expect(s.instalments.map((i) => i.dueDate)).toEqual(['2027-01-15', '2027-03-15'])
  })

  it('refuses a misspelt everyMonths (it scheduled monthly) and leaves the draft as it was', async () => {
    const deps = await draft()
    const r = await refusal(scheduleInstalments(deps, { siteId, invoiceId: 'b-2026-12:g1', count: 2, firstDueDate: '2027-01-15', everyMonth: 2 } as never))
    expect(r).toEqual({ code: 'INVALID_INPUT', paths: ['input.everyMonth'] })
    expect((await deps.storage.invoicing!.getInvoice(siteId, 'b-2026-12:g1'))!.instalments).toEqual([])
  })

  it('refuses everyMonths 0 (it scheduled monthly) rather than dropping it', async () => {
    const deps = await draft()
    const r = await refusal(scheduleInstalments(deps, { siteId, invoiceId: 'b-2026-12:g1', count: 2, firstDueDate: '2027-01-15', everyMonths: 0 }))
    expect(r.code).toBe('INVALID_INPUT')
    expect(r.paths).toEqual(['options.everyMonths'])
  })
})

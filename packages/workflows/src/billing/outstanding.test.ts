import type { InvoiceChargeLine, LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { createInvoiceBatch, outstandingByDebtor, recordPayment, validateDrafts, type BillingDeps } from './index'

const siteId = 'site-1'
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const meal = (payer: string, day: number): InvoiceChargeLine => ({
  chargeId: `${payer}-${day}`, debtorId: payer, beneficiaryId: `k-${payer}`, serviceId: 'meal', date: `2026-12-0${day}` as LocalDate, quantity: 1, unitPriceMinor: 500n, amountMinor: 500n,
})

describe('outstandingByDebtor', () => {
  it('lists each payer of a validated invoice with something due and the sum due; drafts and paid invoices count for nothing', async () => {
    const d: BillingDeps = { storage: createMemoryStorage(), clock }
    await createInvoiceBatch(d, {
      batch: { id: 'dec', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' },
      charges: [meal('g1', 1), meal('g1', 2), meal('g2', 1), meal('g3', 1)],
    })
    expect(await outstandingByDebtor(d, { siteId })).toEqual([])
    await validateDrafts(d, { siteId, invoiceIds: ['dec:g1', 'dec:g2'], issueDate: '2027-01-04' })
    await recordPayment(d, { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-01-12', amount: '3.00' })
    await recordPayment(d, { id: 'p2', siteId, billingOfficeId: 'regie', payerId: 'g2', method: 'cash', date: '2027-01-12', invoiceId: 'dec:g2' })
    expect(await outstandingByDebtor(d, { siteId })).toEqual([{ debtorId: 'g1', currency: 'EUR', outstandingMinor: 700n, invoiceIds: ['dec:g1'] }])
    expect(await outstandingByDebtor(d, { siteId, billingOfficeId: 'autre' })).toEqual([])
  })
})

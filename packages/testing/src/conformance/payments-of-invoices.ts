import type { Payment } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

function payment(siteId: string, id: string, allocations: Array<[string, bigint]>, over: Partial<Payment> = {}): Payment {
  const amountMinor = allocations.reduce((sum, [, minor]) => sum + minor, 0n)
  return {
    id, siteId, billingOfficeId: 'office-1', payerId: 'g-1', method: 'transfer', product: null, date: '2027-02-02', currency: 'EUR',
    amountMinor, invoiceId: allocations[0]?.[0] ?? null, status: 'recorded', depositId: null,
    allocations: allocations.map(([invoiceId, minor]) => ({ invoiceId, amountMinor: minor })),
    walletCreditMinor: 0n, mandateId: null, endToEndId: null, bankEntryReference: null, refusal: null, ...over,
  }
}

/**
 * Payments: `listPayments` with `invoiceIds` finds, in one call, the payments allocated to any of
 * several invoices (a portal page reads the payments of all its invoices at once; issue 17). @internal
 */
export function describePaymentsOfInvoices(ctx: ConformanceContext): void {
  describe('payments: payments of several invoices', () => {
    it('lists each payment allocated to at least one of the invoices once, by id, and no other', async () => {
      const store = need(ctx.storage().payments, 'payments')
      const s = freshSiteId()
      await store.createPayment(s, payment(s, 'p1', [['i1', 500n]]))
      // one transfer paying two invoices of the page: listed once
      await store.createPayment(s, payment(s, 'p2', [['i2', 300n], ['i3', 200n]]))
      await store.createPayment(s, payment(s, 'p3', [['i4', 100n]]))
      await store.createPayment(s, payment(s, 'p4', [['i2', 50n]], { payerId: 'g-2' }))
      // the same invoice ids on another site are never listed
      const other = freshSiteId()
      await store.createPayment(other, payment(other, 'p5', [['i1', 500n]]))
      const ids = async (filter: Parameters<typeof store.listPayments>[1], page?: { limit: number; after?: string }) => (await store.listPayments(s, filter, page)).items.map((p) => p.id)
      expect(await ids({ invoiceIds: ['i1', 'i2', 'i3'] })).toEqual(['p1', 'p2', 'p4'])
      expect(await ids({ invoiceIds: ['i3'] })).toEqual(['p2'])
      expect(await ids({ invoiceIds: ['nope'] })).toEqual([])
      expect(await ids({ invoiceIds: [] })).toEqual([])
      // combined with the other fields, every field must match
      expect(await ids({ invoiceIds: ['i1', 'i2'], payerId: 'g-2' })).toEqual(['p4'])
      expect(await ids({ invoiceIds: ['i1', 'i2'], invoiceId: 'i2' })).toEqual(['p2', 'p4'])
      // paged like every list
      expect(await ids({ invoiceIds: ['i1', 'i2', 'i4'] }, { limit: 2 })).toEqual(['p1', 'p2'])
      expect(await ids({ invoiceIds: ['i1', 'i2', 'i4'] }, { limit: 2, after: 'p2' })).toEqual(['p3', 'p4'])
    })
  })
}

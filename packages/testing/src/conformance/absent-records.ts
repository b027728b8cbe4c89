import { describe, expect, it } from 'vitest'
import { batch, draftInvoice } from './invoicing'
import { deposit, payment } from './payments'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * Getters answer `undefined` for an absent record (the naming table of the design guide), never
 * `null`: a caller testing `=== undefined` or `!record` is never misled. A record of another site,
 * or one deleted, is absent too. @internal
 */
export function describeAbsentInvoicing(ctx: ConformanceContext): void {
  describe('invoicing: an absent record is undefined', () => {
    it('answers undefined for an absent invoice batch, and for a batch of another site', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const site = freshSiteId()
      expect(await store.getInvoiceBatch(site, 'batch-2026-03')).toBeUndefined()
      await store.createInvoiceBatch(site, batch(site))
      expect(await store.getInvoiceBatch(site, 'batch-2026-03')).toEqual(batch(site))
      expect(await store.getInvoiceBatch(freshSiteId(), 'batch-2026-03')).toBeUndefined()
    })

    it('answers undefined for an absent invoice, for an invoice of another site and for a deleted draft', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const site = freshSiteId()
      expect(await store.getInvoice(site, 'i1')).toBeUndefined()
      await store.createDrafts(site, [draftInvoice(site, 'i1', ['c1'])])
      expect(await store.getInvoice(site, 'i1')).toEqual(draftInvoice(site, 'i1', ['c1']))
      expect(await store.getInvoice(freshSiteId(), 'i1')).toBeUndefined()
      expect(await store.deleteDrafts(site, ['i1'])).toBe(1)
      expect(await store.getInvoice(site, 'i1')).toBeUndefined()
    })
  })
}

/** The same rule for payments and deposits. @internal */
export function describeAbsentPayments(ctx: ConformanceContext): void {
  describe('payments: an absent record is undefined', () => {
    it('answers undefined for an absent payment, for a payment of another site and for a deleted payment', async () => {
      const store = need(ctx.storage().payments, 'payments')
      const site = freshSiteId()
      expect(await store.getPayment(site, 'p1')).toBeUndefined()
      await store.createPayment(site, payment(site, 'p1'))
      expect(await store.getPayment(site, 'p1')).toEqual(payment(site, 'p1'))
      expect(await store.getPayment(freshSiteId(), 'p1')).toBeUndefined()
      await store.deletePayment(site, 'p1')
      expect(await store.getPayment(site, 'p1')).toBeUndefined()
    })

    it('answers undefined for an absent deposit, for a deposit of another site and for a deleted deposit', async () => {
      const store = need(ctx.storage().payments, 'payments')
      const site = freshSiteId()
      expect(await store.getDeposit(site, 'd1')).toBeUndefined()
      await store.createPayment(site, payment(site, 'p1'))
      await store.createDeposit(site, deposit(site, 'd1', ['p1']))
      expect(await store.getDeposit(site, 'd1')).toEqual(deposit(site, 'd1', ['p1']))
      expect(await store.getDeposit(freshSiteId(), 'd1')).toBeUndefined()
      await store.deleteDeposit(site, 'd1')
      expect(await store.getDeposit(site, 'd1')).toBeUndefined()
    })
  })
}

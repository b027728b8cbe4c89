import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/** Atomicity, site scoping and concurrency of the transaction API (uses the invoice number counters). @internal */
export function describeTransactions(ctx: ConformanceContext): void {
  describe('transactions', () => {
    it('persists nothing when the callback throws, and rethrows its error unchanged', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const boom = new Error('boom')
      await expect(
        s.transaction(site, async (tx) => {
          await need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'series', 3)
          if (tx.outbox) await tx.outbox.enqueue(site, { id: 'm1', topic: 't', payload: { n: 1 } })
          throw boom
        }),
      ).rejects.toBe(boom)
      expect(await need(s.invoiceNumbers, 'invoiceNumbers').lastNumber(site, 'series')).toBe(0)
      if (s.outbox) expect(await s.outbox.get(site, 'm1')).toBeUndefined()
    })

    it('commits every write of a callback that resolves, and returns its value', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const first = await s.transaction(site, async (tx) => {
        const n = await need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'a', 2)
        await need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'b', 1)
        return n
      })
      expect(first).toBe(1)
      expect(await need(s.invoiceNumbers, 'invoiceNumbers').lastNumber(site, 'a')).toBe(2)
      expect(await need(s.invoiceNumbers, 'invoiceNumbers').lastNumber(site, 'b')).toBe(1)
    })

    it('sees its own writes before committing', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const seen = await s.transaction(site, async (tx) => {
        await need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'a', 4)
        return need(tx.invoiceNumbers, 'invoiceNumbers').lastNumber(site, 'a')
      })
      expect(seen).toBe(4)
    })

    it('refuses a call naming another site than its transaction (SITE_MISMATCH)', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const other = freshSiteId()
      const error = await s
        .transaction(site, async (tx) => need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(other, 'a', 1))
        .catch((e: unknown) => e)
      expect(isEcoleError(error) && error.code).toBe('SITE_MISMATCH')
      expect(await need(s.invoiceNumbers, 'invoiceNumbers').lastNumber(other, 'a')).toBe(0)
    })

    it('refuses an empty site id', async () => {
      const error = await ctx
        .storage()
        .transaction('', async () => 1)
        .catch((e: unknown) => e)
      expect(isEcoleError(error) && error.code).toBe('INVALID_INPUT')
    })
  })
}

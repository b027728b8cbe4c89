import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/** Invoice number counters: gapless, unique, per series and per site. @internal */
export function describeInvoiceNumbers(ctx: ConformanceContext): void {
  describe('invoice number counters', () => {
    it('starts a series at 1 and hands out consecutive numbers', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const c = need(s.invoiceNumbers, 'invoiceNumbers')
      expect(await c.lastNumber(site, 'office-1/2026')).toBe(0)
      expect(await c.nextNumbers(site, 'office-1/2026', 1)).toBe(1)
      expect(await c.nextNumbers(site, 'office-1/2026', 3)).toBe(2)
      expect(await c.nextNumbers(site, 'office-1/2026', 1)).toBe(5)
      expect(await c.lastNumber(site, 'office-1/2026')).toBe(5)
    })

    it('keeps series and sites independent', async () => {
      const s = ctx.storage()
      const a = freshSiteId()
      const b = freshSiteId()
      const c = need(s.invoiceNumbers, 'invoiceNumbers')
      await c.nextNumbers(a, 'x', 7)
      expect(await c.nextNumbers(a, 'y', 1)).toBe(1)
      expect(await c.nextNumbers(b, 'x', 1)).toBe(1)
      expect(await c.lastNumber(a, 'x')).toBe(7)
    })

    it('gives the numbers of a rolled-back validation back (no gap)', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      await s
        .transaction(site, async (tx) => {
          await need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'x', 10)
          throw new Error('validation failed')
        })
        .catch(() => undefined)
      expect(await s.transaction(site, (tx) => need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'x', 1))).toBe(1)
    })

    it('refuses a count that is not a positive integer', async () => {
      const c = need(ctx.storage().invoiceNumbers, 'invoiceNumbers')
      for (const count of [0, -1, 1.5]) {
        const error = await c.nextNumbers(freshSiteId(), 'x', count).catch((e: unknown) => e)
        expect(isEcoleError(error) && error.code).toBe('INVALID_INPUT')
      }
    })

    it('numbers N concurrent validations 1..N with no gap and no duplicate', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const n = ctx.concurrency
      const numbers = await Promise.all(
        Array.from({ length: n }, () => s.transaction(site, (tx) => need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'office-1/2026', 1))),
      )
      expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
    })

    it('keeps the series gapless when some of N concurrent validations roll back', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const n = ctx.concurrency
      const outcomes = await Promise.allSettled(
        Array.from({ length: n }, (_, i) =>
          s.transaction(site, async (tx) => {
            const first = await need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'x', 2)
            if (i % 3 === 0) throw new Error('rolled back')
            return first
          }),
        ),
      )
      const kept = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value, o.value + 1] : [])).sort((x, y) => x - y)
      const committed = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0).length
      expect(kept).toEqual(Array.from({ length: committed * 2 }, (_, i) => i + 1))
      expect(await need(s.invoiceNumbers, 'invoiceNumbers').lastNumber(site, 'x')).toBe(committed * 2)
    })
  })
}

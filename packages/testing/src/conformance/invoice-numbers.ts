import { isEcoleError, type LocalDate } from '@ecole/core'
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

    it('keeps the latest issue date of a series with its counter: reserveNumbers gives the first number and the later of the kept date and its own', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const reserve = (count: number, date: LocalDate) => s.transaction(site, (tx) => need(tx.invoiceNumbers, 'invoiceNumbers').reserveNumbers(site, 'regie/invoice/2027', count, date))
      expect(await reserve(2, '2027-01-10')).toEqual({ first: 1, latestIssueDate: '2027-01-10' })
      expect(await reserve(1, '2027-01-10')).toEqual({ first: 3, latestIssueDate: '2027-01-10' })
      // an earlier date is the caller's to refuse: the store keeps the later one
      expect(await reserve(1, '2027-01-03')).toEqual({ first: 4, latestIssueDate: '2027-01-10' })
      expect(await reserve(1, '2027-02-01')).toEqual({ first: 5, latestIssueDate: '2027-02-01' })
      // the same counter as nextNumbers, which keeps the date as it is
      expect(await s.transaction(site, (tx) => need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'regie/invoice/2027', 1))).toBe(6)
      expect(await reserve(1, '2027-01-20')).toEqual({ first: 7, latestIssueDate: '2027-02-01' })
      expect(await need(s.invoiceNumbers, 'invoiceNumbers').lastNumber(site, 'regie/invoice/2027')).toBe(7)
      // series and sites are independent; a series numbered only by nextNumbers has no date kept
      await s.transaction(site, (tx) => need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'regie/creditNote/2027', 2))
      expect(await s.transaction(site, (tx) => need(tx.invoiceNumbers, 'invoiceNumbers').reserveNumbers(site, 'regie/creditNote/2027', 1, '2027-01-02'))).toEqual({ first: 3, latestIssueDate: '2027-01-02' })
      const other = freshSiteId()
      expect(await s.transaction(other, (tx) => need(tx.invoiceNumbers, 'invoiceNumbers').reserveNumbers(other, 'regie/invoice/2027', 1, '2027-01-01'))).toEqual({ first: 1, latestIssueDate: '2027-01-01' })
    })

    it('gives the issue date of a rolled-back reservation back with its numbers', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const reserve = (date: LocalDate) => s.transaction(site, (tx) => need(tx.invoiceNumbers, 'invoiceNumbers').reserveNumbers(site, 'x', 1, date))
      await reserve('2027-01-04')
      await s
        .transaction(site, async (tx) => {
          await need(tx.invoiceNumbers, 'invoiceNumbers').reserveNumbers(site, 'x', 1, '2027-03-01')
          throw new Error('validation failed')
        })
        .catch(() => undefined)
      expect(await reserve('2027-01-05')).toEqual({ first: 2, latestIssueDate: '2027-01-05' })
    })

    it('refuses an issue date that is not a calendar day, and a count that is not a positive integer', async () => {
      const c = need(ctx.storage().invoiceNumbers, 'invoiceNumbers')
      for (const [count, date] of [[1, '2027-02-30'], [1, '05/01/2027'], [0, '2027-01-05']] as const) {
        const error = await c.reserveNumbers(freshSiteId(), 'x', count, date as LocalDate).catch((e: unknown) => e)
        expect(isEcoleError(error) && error.code).toBe('INVALID_INPUT')
      }
    })

    it('decides N concurrent reservations of one series one after the other: each refusing a date before the latest, the numbers kept follow their dates', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const n = ctx.concurrency
      // dates spread over a month, in an order unrelated to the order the transactions run in
      const dates = Array.from({ length: n }, (_, i) => `2027-01-${String(1 + ((i * 7) % 28)).padStart(2, '0')}` as LocalDate)
      const outcomes = await Promise.allSettled(dates.map((date) => s.transaction(site, async (tx) => {
        const { first, latestIssueDate } = await need(tx.invoiceNumbers, 'invoiceNumbers').reserveNumbers(site, 'regie/invoice/2027', 1, date)
        if (latestIssueDate > date) throw new Error('issued before the latest document of the series')
        return { first, date }
      })))
      const kept = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : [])).sort((a, b) => a.first - b.first)
      expect(kept.map((k) => k.first)).toEqual(kept.map((_, i) => i + 1))
      for (let i = 1; i < kept.length; i++) expect(kept[i]!.date >= kept[i - 1]!.date).toBe(true)
      expect(kept.length).toBeGreaterThan(0)
      expect(await need(s.invoiceNumbers, 'invoiceNumbers').lastNumber(site, 'regie/invoice/2027')).toBe(kept.length)
      const latest = kept.at(-1)!.date
      expect(await s.transaction(site, (tx) => need(tx.invoiceNumbers, 'invoiceNumbers').reserveNumbers(site, 'regie/invoice/2027', 1, '2027-01-01'))).toEqual({ first: kept.length + 1, latestIssueDate: latest > '2027-01-01' ? latest : '2027-01-01' })
    })
  })
}

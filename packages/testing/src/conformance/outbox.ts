import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

const t0 = new Date('2026-03-02T08:00:00.000Z')
const plus = (ms: number) => new Date(t0.getTime() + ms)

/** The outbox: idempotent enqueue, claims with leases, delivery and failure, rollback. @internal */
export function describeOutbox(ctx: ConformanceContext): void {
  describe('outbox', () => {
    it('stores a message once per id, and refuses the id with another payload', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      const m = { id: 'm1', topic: 'mail.invoice', payload: { invoiceId: 'i1', lines: [1, 2] } }
      expect(await box.enqueue(site, m)).toBe('created')
      expect(await box.enqueue(site, { ...m, payload: { lines: [1, 2], invoiceId: 'i1' } })).toBe('exists')
      const error = await box.enqueue(site, { ...m, payload: { invoiceId: 'i2' } }).catch((e: unknown) => e)
      expect(isEcoleError(error) && error.code).toBe('IDEMPOTENCY_CONFLICT')
      const stored = await box.get(site, 'm1')
      expect(stored).toMatchObject({ id: 'm1', topic: 'mail.invoice', payload: m.payload, status: 'pending', attempts: 0 })
    })

    it('sends nothing for a change that rolled back', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      await s
        .transaction(site, async (tx) => {
          await need(tx.outbox, 'outbox').enqueue(site, { id: 'm1', topic: 't', payload: null })
          throw new Error('rolled back')
        })
        .catch(() => undefined)
      expect(await need(s.outbox, 'outbox').claim(site, { now: plus(0), limit: 10, leaseMs: 1000 })).toEqual([])
    })

    it('claims due messages in enqueue order and hides them for the lease', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      await box.enqueue(site, { id: 'b', topic: 't', payload: 1 })
      await box.enqueue(site, { id: 'a', topic: 't', payload: 2 })
      await box.enqueue(site, { id: 'later', topic: 't', payload: 3, availableAt: plus(60_000) })
      const first = await box.claim(site, { now: plus(0), limit: 10, leaseMs: 30_000 })
      expect(first.map((m) => [m.id, m.attempts])).toEqual([
        ['b', 1],
        ['a', 1],
      ])
      expect(first[0]!.sequence).toBeLessThan(first[1]!.sequence)
      expect(await box.claim(site, { now: plus(10_000), limit: 10, leaseMs: 30_000 })).toEqual([])
      const again = await box.claim(site, { now: plus(61_000), limit: 10, leaseMs: 30_000 })
      expect(again.map((m) => [m.id, m.attempts])).toEqual([
        ['b', 2],
        ['a', 2],
        ['later', 1],
      ])
    })

    it('never claims a delivered message, retries a failed one from retryAt, and buries one without', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      for (const id of ['ok', 'retry', 'dead']) await box.enqueue(site, { id, topic: 't', payload: id })
      await box.claim(site, { now: plus(0), limit: 10, leaseMs: 1000 })
      await box.markDelivered(site, 'ok')
      await box.markFailed(site, 'retry', { error: 'SMTP 451', retryAt: plus(5000) })
      await box.markFailed(site, 'dead', { error: 'SMTP 550' })
      expect(await box.claim(site, { now: plus(4000), limit: 10, leaseMs: 1000 })).toEqual([])
      const retried = await box.claim(site, { now: plus(5000), limit: 10, leaseMs: 1000 })
      expect(retried.map((m) => [m.id, m.lastError])).toEqual([['retry', 'SMTP 451']])
      expect((await box.list(site, { status: 'dead' })).items.map((m) => m.id)).toEqual(['dead'])
      expect((await box.list(site, { status: 'delivered' })).items.map((m) => m.id)).toEqual(['ok'])
    })

    it('refuses to mark a message that does not exist (NOT_FOUND)', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const error = await box.markDelivered(freshSiteId(), 'nope').catch((e: unknown) => e)
      expect(isEcoleError(error) && error.code).toBe('NOT_FOUND')
    })

    it('gives each of N concurrent claims distinct messages', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      const n = ctx.concurrency
      for (let i = 0; i < n; i++) await box.enqueue(site, { id: `m${i}`, topic: 't', payload: i })
      const claims = await Promise.all(Array.from({ length: n }, () => box.claim(site, { now: plus(0), limit: 2, leaseMs: 60_000 })))
      const ids = claims.flat().map((m) => m.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids).toHaveLength(n)
    })

    it('lists in enqueue order, a page at a time, and never across sites', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      const other = freshSiteId()
      const ids = ['z', 'y', 'x', 'w', 'v']
      for (const id of ids) await box.enqueue(site, { id, topic: 't', payload: id })
      await box.enqueue(other, { id: 'z', topic: 'other', payload: 0 })
      const seen: string[] = []
      let page = await box.list(site, {}, { limit: 2 })
      seen.push(...page.items.map((m) => m.id))
      while (page.next) {
        page = await box.list(site, {}, { limit: 2, after: page.next })
        seen.push(...page.items.map((m) => m.id))
      }
      expect(seen).toEqual(ids)
      expect((await box.get(other, 'z'))?.topic).toBe('other')
    })
  })
}

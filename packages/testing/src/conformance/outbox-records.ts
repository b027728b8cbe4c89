import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

const t0 = new Date('2026-03-02T08:00:00.000Z')
const plus = (ms: number) => new Date(t0.getTime() + ms)

/** The outbox's delivery records, and a person's retry or discard of a dead message. @internal */
export function describeOutboxRecords(ctx: ConformanceContext): void {
  describe('outbox records and dead letters', () => {
    it('keeps the relay record given with a failure and replaces it with the one given on delivery', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      await box.enqueue(site, { id: 'm1', topic: 'mail', payload: { to: ['a@x.fr', 'b@x.fr'] } })
      await box.claim(site, { now: plus(0), limit: 1, leaseMs: 1000 })
      const partial = { recipients: { 'a@x.fr': { status: 'sent', response: '250 queued as A1' }, 'b@x.fr': { status: 'deferred', code: 452 } } }
      await box.markFailed(site, 'm1', { error: '452 mailbox full', retryAt: plus(2000), record: partial })
      expect((await box.get(site, 'm1'))?.record).toEqual(partial)
      const [again] = await box.claim(site, { now: plus(2000), limit: 1, leaseMs: 1000 })
      expect(again?.record).toEqual(partial)
      const done = { recipients: { ...partial.recipients, 'b@x.fr': { status: 'sent', response: '250 queued as B2' } } }
      await box.markDelivered(site, 'm1', done)
      expect(await box.get(site, 'm1')).toMatchObject({ status: 'delivered', record: done })
    })

    it('keeps the earlier record when a mark gives none, and a message never marked has none', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      await box.enqueue(site, { id: 'a', topic: 't', payload: 1 })
      await box.enqueue(site, { id: 'b', topic: 't', payload: 2 })
      await box.claim(site, { now: plus(0), limit: 2, leaseMs: 1000 })
      await box.markFailed(site, 'a', { error: 'down', retryAt: plus(10), record: { tries: 1 } })
      await box.claim(site, { now: plus(10), limit: 2, leaseMs: 1000 })
      await box.markDelivered(site, 'a')
      expect((await box.get(site, 'a'))?.record).toEqual({ tries: 1 })
      expect((await box.get(site, 'b'))?.record).toBeUndefined()
    })

    it('lets a person retry a dead message (pending again, attempts from 0) or discard it (never claimed)', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      for (const id of ['retry', 'drop']) await box.enqueue(site, { id, topic: 't', payload: id })
      await box.claim(site, { now: plus(0), limit: 2, leaseMs: 1000 })
      await box.markFailed(site, 'retry', { error: '550 no such user' })
      await box.markFailed(site, 'drop', { error: '550 no such user' })
      await box.requeue(site, 'retry', { now: plus(5000) })
      await box.discard(site, 'drop')
      expect(await box.get(site, 'retry')).toMatchObject({ status: 'pending', attempts: 0 })
      expect(await box.get(site, 'drop')).toMatchObject({ status: 'discarded', lastError: '550 no such user' })
      expect(await box.claim(site, { now: plus(4999), limit: 10, leaseMs: 1000 })).toEqual([])
      const claimed = await box.claim(site, { now: plus(5000), limit: 10, leaseMs: 1000 })
      expect(claimed.map((m) => [m.id, m.attempts])).toEqual([['retry', 1]])
      expect((await box.list(site, { status: 'discarded' })).items.map((m) => m.id)).toEqual(['drop'])
    })

    it('refuses to retry or discard a message that is not dead (OUTBOX_NOT_DEAD) or does not exist (NOT_FOUND)', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      await box.enqueue(site, { id: 'live', topic: 't', payload: 0 })
      const notDead = await box.discard(site, 'live').catch((e: unknown) => e)
      expect(isEcoleError(notDead) && notDead.code).toBe('OUTBOX_NOT_DEAD')
      const notDead2 = await box.requeue(site, 'live', { now: plus(0) }).catch((e: unknown) => e)
      expect(isEcoleError(notDead2) && notDead2.code).toBe('OUTBOX_NOT_DEAD')
      expect((await box.get(site, 'live'))?.status).toBe('pending')
      const missing = await box.requeue(site, 'nope', { now: plus(0) }).catch((e: unknown) => e)
      expect(isEcoleError(missing) && missing.code).toBe('NOT_FOUND')
    })
  })
}

/** Many messages at once: order, idempotency, all or none. @internal */
export function describeOutboxBulk(ctx: ConformanceContext): void {
  describe('outbox enqueueMany', () => {
    it('stores many messages in the given order, each once, and answers per message', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      await box.enqueue(site, { id: 'old', topic: 'mail', payload: { n: 0 } })
      const input = [
        { id: 'c', topic: 'mail', payload: { n: 1, to: ['a@x.fr'] } },
        { id: 'old', topic: 'mail', payload: { n: 0 } },
        { id: 'a', topic: 'mail', payload: { n: 2 }, availableAt: plus(60_000) },
        { id: 'c', topic: 'mail', payload: { to: ['a@x.fr'], n: 1 } },
        { id: 'b', topic: 'mail', payload: null },
      ]
      expect(await box.enqueueMany(site, input)).toEqual(['created', 'exists', 'created', 'exists', 'created'])
      const claimed = await box.claim(site, { now: plus(0), limit: 10, leaseMs: 1000 })
      expect(claimed.map((m) => m.id)).toEqual(['old', 'c', 'b'])
      expect((await box.get(site, 'a'))?.availableAt.toISOString()).toBe(plus(60_000).toISOString())
      expect(await box.enqueueMany(site, [])).toEqual([])
    })

    it('stores nothing when one message conflicts with a stored one or with another of the same call', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      await box.enqueue(site, { id: 'x', topic: 'mail', payload: 1 })
      for (const batch of [
        [{ id: 'n1', topic: 'mail', payload: 1 }, { id: 'x', topic: 'mail', payload: 2 }],
        [{ id: 'n2', topic: 'mail', payload: 1 }, { id: 'n2', topic: 'mail', payload: 2 }],
      ]) {
        const error = await box.enqueueMany(site, batch).catch((e: unknown) => e)
        expect(isEcoleError(error) && error.code).toBe('IDEMPOTENCY_CONFLICT')
      }
      expect((await box.list(site, {})).items.map((m) => m.id)).toEqual(['x'])
    })
  })
}

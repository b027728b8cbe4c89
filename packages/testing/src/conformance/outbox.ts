import { isEcoleError } from '@ecole/core'
import type { OutboxClaim } from '@ecole/core/ports'
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

    it('drops the outcome of a claim whose lease expired once another claim took the message (stale), and keeps the later outcome', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      for (const id of ['late-fail', 'late-ok', 'late-dead']) await box.enqueue(site, { id, topic: 't', payload: id })
      const [a1, a2, a3] = await box.claim(site, { now: plus(0), limit: 10, leaseMs: 1000 }) // worker A
      const [b1, b2, b3] = await box.claim(site, { now: plus(2000), limit: 10, leaseMs: 1000 }) // A's lease expired: worker B
      expect([b1!.attempts, b2!.attempts, b3!.attempts]).toEqual([2, 2, 2])
      // B ends its claims first: late-fail delivered, late-ok retried, late-dead delivered
      expect(await box.markDelivered(site, 'late-fail', { by: 'B' }, b1)).toBe('marked')
      expect(await box.markFailed(site, 'late-ok', { error: 'B: 451', retryAt: plus(60_000), record: { by: 'B' } }, b2)).toBe('marked')
      expect(await box.markDelivered(site, 'late-dead', { by: 'B' }, b3)).toBe('marked')
      // A's late outcomes change nothing
      expect(await box.markFailed(site, 'late-fail', { error: 'A: timeout', retryAt: plus(3000), record: { by: 'A' } }, a1)).toBe('stale')
      expect(await box.markDelivered(site, 'late-ok', { by: 'A' }, a2)).toBe('stale')
      expect(await box.markFailed(site, 'late-dead', { error: 'A: 550', record: { by: 'A' } }, a3)).toBe('stale')
      expect(await box.get(site, 'late-fail')).toMatchObject({ status: 'delivered', attempts: 2, record: { by: 'B' } })
      expect(await box.get(site, 'late-ok')).toMatchObject({ status: 'pending', attempts: 2, lastError: 'B: 451', availableAt: plus(60_000), record: { by: 'B' } })
      expect(await box.get(site, 'late-dead')).toMatchObject({ status: 'delivered', attempts: 2, record: { by: 'B' } })
      expect(await box.claim(site, { now: plus(10_000), limit: 10, leaseMs: 1000 })).toEqual([]) // the delivered ones are never claimed again
    })

    it('records the outcome of a claim that still holds, even after its lease passed while nobody claimed the message', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      await box.enqueue(site, { id: 'm', topic: 't', payload: 1 })
      const [a] = await box.claim(site, { now: plus(0), limit: 1, leaseMs: 1000 })
      expect(await box.markFailed(site, 'm', { error: 'slow', retryAt: plus(5000) }, a)).toBe('marked')
      const [b] = await box.claim(site, { now: plus(5000), limit: 1, leaseMs: 1000 })
      expect(await box.markDelivered(site, 'm', undefined, b)).toBe('marked')
      expect(await box.markDelivered(site, 'm', undefined, b)).toBe('stale') // a claim ends once delivered
      expect(await box.get(site, 'm')).toMatchObject({ status: 'delivered', attempts: 2 })
    })

    it('drops the outcome of a claim from before a person retried the dead message (stale), though the claim after the retry has the same attempts, and keeps that claim\'s outcome', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      for (const id of ['late-ok', 'late-fail']) await box.enqueue(site, { id, topic: 't', payload: id })
      const [a1, a2] = await box.claim(site, { now: plus(0), limit: 10, leaseMs: 1000 }) // worker A hangs past its lease
      const [b1, b2] = await box.claim(site, { now: plus(2000), limit: 10, leaseMs: 1000 }) // worker B: refused for good
      expect(await box.markFailed(site, 'late-ok', { error: 'B: 550', record: { by: 'B' } }, b1)).toBe('marked')
      expect(await box.markFailed(site, 'late-fail', { error: 'B: 550', record: { by: 'B' } }, b2)).toBe('marked')
      await box.requeue(site, 'late-ok', { now: plus(5000) }) // a person retries both dead letters
      await box.requeue(site, 'late-fail', { now: plus(5000) })
      const [c1, c2] = await box.claim(site, { now: plus(5000), limit: 10, leaseMs: 60_000 }) // worker C
      expect([c1!.attempts, c2!.attempts]).toEqual([a1!.attempts, a2!.attempts]) // the counts repeat
      // A's late outcomes change nothing
      expect(await box.markDelivered(site, 'late-ok', { by: 'A' }, a1)).toBe('stale')
      expect(await box.markFailed(site, 'late-fail', { error: 'A: timeout', retryAt: plus(6000), record: { by: 'A' } }, a2)).toBe('stale')
      expect(new Set([a1!.claimId, b1!.claimId, c1!.claimId, a2!.claimId, b2!.claimId, c2!.claimId]).size).toBe(6) // the claim ids never do
      for (const id of ['late-ok', 'late-fail']) {
        expect(await box.get(site, id)).toMatchObject({ status: 'pending', attempts: 1, claimId: (id === 'late-ok' ? c1 : c2)!.claimId, availableAt: plus(65_000), record: { by: 'B' } })
      }
      // C's outcomes land
      expect(await box.markFailed(site, 'late-ok', { error: 'C: 451', retryAt: plus(70_000), record: { by: 'C' } }, c1)).toBe('marked')
      expect(await box.markDelivered(site, 'late-fail', { by: 'C' }, c2)).toBe('marked')
      expect(await box.get(site, 'late-ok')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'C: 451', availableAt: plus(70_000), record: { by: 'C' } })
      expect(await box.get(site, 'late-fail')).toMatchObject({ status: 'delivered', attempts: 1, record: { by: 'C' } })
    })

    it('ends a claim with its outcome: the claim id goes, and a second outcome of the same claim is stale', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      await box.enqueue(site, { id: 'm', topic: 't', payload: 1 })
      expect((await box.get(site, 'm'))?.claimId).toBeUndefined()
      const [a] = await box.claim(site, { now: plus(0), limit: 1, leaseMs: 1000 })
      expect(typeof a!.claimId).toBe('string')
      expect((await box.get(site, 'm'))?.claimId).toBe(a!.claimId)
      expect(await box.markFailed(site, 'm', { error: '451', retryAt: plus(500), record: { n: 1 } }, a)).toBe('marked')
      expect((await box.get(site, 'm'))?.claimId).toBeUndefined()
      expect(await box.markDelivered(site, 'm', { n: 2 }, a)).toBe('stale')
      expect(await box.get(site, 'm')).toMatchObject({ status: 'pending', lastError: '451', record: { n: 1 } })
      const [b] = await box.claim(site, { now: plus(500), limit: 1, leaseMs: 1000 })
      expect(b!.claimId).not.toBe(a!.claimId)
      expect(await box.markDelivered(site, 'm', { n: 3 }, b)).toBe('marked')
    })

    it('refuses a claim that does not name itself (INVALID_INPUT: a count of attempts alone cannot be fenced), and changes nothing', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      await box.enqueue(site, { id: 'm', topic: 't', payload: 1 })
      const [a] = await box.claim(site, { now: plus(0), limit: 1, leaseMs: 1000 })
      const countOnly = { attempts: a!.attempts } as unknown as OutboxClaim
      for (const mark of [() => box.markDelivered(site, 'm', { by: 'A' }, countOnly), () => box.markFailed(site, 'm', { error: 'x' }, countOnly)]) {
        const error = await mark().catch((e: unknown) => e)
        expect(isEcoleError(error) && error.code).toBe('INVALID_INPUT')
      }
      expect(await box.get(site, 'm')).toMatchObject({ status: 'pending', claimId: a!.claimId })
      expect(await box.markDelivered(site, 'm', { by: 'A' }, a)).toBe('marked')
    })

    it('lets exactly one of two racing outcomes of a stale and a current claim land: the current one', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const site = freshSiteId()
      await box.enqueue(site, { id: 'm', topic: 't', payload: 1 })
      const [a] = await box.claim(site, { now: plus(0), limit: 1, leaseMs: 1000 })
      const [b] = await box.claim(site, { now: plus(2000), limit: 1, leaseMs: 1000 })
      const [late, current] = await Promise.all([
        box.markFailed(site, 'm', { error: 'A: timeout', retryAt: plus(3000) }, a),
        box.markDelivered(site, 'm', { by: 'B' }, b),
      ])
      expect([late, current]).toEqual(['stale', 'marked'])
      expect(await box.get(site, 'm')).toMatchObject({ status: 'delivered', record: { by: 'B' } })
    })

    it('refuses to mark a message that does not exist (NOT_FOUND), with or without a claim', async () => {
      const box = need(ctx.storage().outbox, 'outbox')
      const error = await box.markFailed(freshSiteId(), 'nope', { error: 'x' }, { claimId: 'no-such-claim', attempts: 1 }).catch((e: unknown) => e)
      expect(isEcoleError(error) && error.code).toBe('NOT_FOUND')
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

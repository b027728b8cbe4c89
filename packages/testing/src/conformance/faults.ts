import { isEcoleError } from '@ecole/core'
import type { InvoiceNumberCounterStore, StoragePortSet } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

function numbers(ports: StoragePortSet): InvoiceNumberCounterStore {
  return need(ports.invoiceNumbers, 'invoiceNumbers')
}

/** Why the connection-loss case cannot run on this adapter, or undefined when it can. @internal */
export function whyNoConnectionLoss(ctx: ConformanceContext): string | undefined {
  if (!ctx.hasTrait?.('connections')) return 'the adapter declares no connections (trait `connections`): it has no connection to lose'
  if (ctx.faults === undefined) return 'no fault hook given: pass faults: { dropConnection } to runStorageConformance to run it'
  return undefined
}

/** Why the crossing-transactions case cannot run on this adapter, or undefined when it can. @internal */
export function whyNoCrossingTransactions(ctx: ConformanceContext): string | undefined {
  if (!ctx.hasTrait?.('concurrentTransactions')) {
    return 'the adapter runs one transaction at a time (no trait `concurrentTransactions`): transactions cannot cross'
  }
  return undefined
}

/**
 * A meeting point for two parties: `arrive()` resolves once both have arrived (at once for a
 * late comer, such as a retried callback), or rejects after `timeoutMs` if the other never comes.
 */
function twoPartyBarrier(timeoutMs: number, why: string): { arrive(): Promise<void> } {
  let arrived = 0
  let release!: () => void
  const met = new Promise<void>((resolve) => (release = resolve))
  return {
    arrive() {
      arrived += 1
      if (arrived >= 2) release()
      let timer: ReturnType<typeof setTimeout> | undefined
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`[ecole] ${why}: the other transaction did not arrive within ${timeoutMs} ms`)), timeoutMs)
      })
      return Promise.race([met, late]).finally(() => clearTimeout(timer))
    },
  }
}

/**
 * A connection lost in the middle of a transaction (adapters with the `connections` trait and a
 * `faults.dropConnection` hook): the call fails with `STORAGE_UNAVAILABLE` (the driver's error as
 * `cause`), is not retried, nothing it wrote is stored, and the next calls, sequential and
 * parallel, work. A process-level crash (an unhandled `'error'` event) fails the run. @internal
 */
export function describeConnectionLoss(ctx: ConformanceContext): void {
  describe('connection loss mid-transaction', () => {
    it('fails the call with STORAGE_UNAVAILABLE, stores nothing of the transaction, does not retry it, and the next calls work', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const faults = ctx.faults!
      let runs = 0
      const error = await s
        .transaction(site, async (tx) => {
          runs += 1
          await numbers(tx).nextNumbers(site, 'lost', 2)
          if (tx.outbox) await tx.outbox.enqueue(site, { id: 'lost-1', topic: 'numbers.taken', payload: { first: 1 } })
          await faults.dropConnection()
          return numbers(tx).nextNumbers(site, 'lost', 1)
        })
        .catch((e: unknown) => e)
      expect(isEcoleError(error) && error.code, String(error)).toBe('STORAGE_UNAVAILABLE')
      expect((error as Error).cause, 'the driver error is attached as cause').toBeDefined()
      expect(runs, 'a lost connection is not retried').toBe(1)

      expect(await numbers(s).lastNumber(site, 'lost')).toBe(0)
      if (s.outbox) expect(await s.outbox.get(site, 'lost-1')).toBeUndefined()
      // More calls than a pool holds connections, one after the other, then in parallel.
      const sequential: number[] = []
      for (let i = 0; i < ctx.concurrency; i++) sequential.push(await s.transaction(site, (tx) => numbers(tx).nextNumbers(site, 'lost', 1)))
      expect(sequential).toEqual(Array.from({ length: ctx.concurrency }, (_, i) => i + 1))
      const parallel = await Promise.all(Array.from({ length: ctx.concurrency }, () => numbers(s).nextNumbers(site, 'after', 1)))
      expect([...parallel].sort((a, b) => a - b)).toEqual(Array.from({ length: ctx.concurrency }, (_, i) => i + 1))
    })
  })
}

/**
 * Two transactions that cross (adapters with the `concurrentTransactions` trait): each takes
 * one counter row, waits at a barrier until the other holds its own, then takes the other's, so
 * the lock order is opposite and the crossing certain. The database breaks the deadlock by
 * failing one of them; the adapter must run that one again, and both must commit, each exactly
 * once. @internal
 */
export function describeCrossingTransactions(ctx: ConformanceContext): void {
  describe('crossing transactions', () => {
    it('retries the loser of two transactions that lock two counters in opposite orders, and both commit exactly once', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      await numbers(s).nextNumbers(site, 'x', 1)
      await numbers(s).nextNumbers(site, 'y', 1)
      const barrier = twoPartyBarrier(
        15_000,
        'the adapter declares concurrentTransactions, but two transactions of one site could not each hold a row at the same time',
      )
      let runs = 0
      const cross = (first: string, second: string) =>
        s.transaction(site, async (tx) => {
          runs += 1
          const a = await numbers(tx).nextNumbers(site, first, 1)
          await barrier.arrive()
          const b = await numbers(tx).nextNumbers(site, second, 1)
          return { [first]: a, [second]: b } as Record<string, number>
        })
      const [one, two] = await Promise.all([cross('x', 'y'), cross('y', 'x')])
      expect(runs - 2, 'the loser of the crossing ran again').toBeGreaterThan(0)
      // Each transaction took one number of each counter, once: 2 and 3 after the seed's 1.
      expect(await numbers(s).lastNumber(site, 'x')).toBe(3)
      expect(await numbers(s).lastNumber(site, 'y')).toBe(3)
      expect([one!['x'], two!['x']].sort()).toEqual([2, 3])
      expect([one!['y'], two!['y']].sort()).toEqual([2, 3])
    }, 60_000)
  })
}

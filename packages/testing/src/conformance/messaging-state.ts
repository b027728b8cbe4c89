import { MailAccountSchema, type MailAccount } from '@ecole/core'
import type { LowBalanceAlertMark } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * Conformance of the messaging-state port: low-balance alert marks (a compare-and-set: of N
 * concurrent marks of one wallet exactly one wins, so exactly one alert is queued; re-arming
 * removes the mark; a mark in a transaction that fails is not kept). Mail accounts are directory
 * records (`describeDirectoryMailAccounts`).
 *
 * @example
 * describeMessagingState(ctx)
 */
export function describeMessagingState(ctx: ConformanceContext): void {
  describe('messaging state', () => {
    const mark = (accountId: string, available = 120n): LowBalanceAlertMark => ({ accountId, available, threshold: 500n, alertedAt: new Date('2027-01-20T09:00:00.000Z') })

    it('marks a wallet alerted once: again is already-alerted until it is re-armed, then it can be alerted again', async () => {
      const store = need(ctx.storage().messaging, 'messaging')
      const site = freshSiteId()
      expect(await store.markLowBalanceAlerted(site, mark('w1'))).toBe('marked')
      expect(await store.markLowBalanceAlerted(site, mark('w1', 80n))).toBe('already-alerted')
      expect(await store.listLowBalanceAlerted(site)).toEqual([mark('w1')])
      expect(await store.listLowBalanceAlerted(freshSiteId())).toEqual([])
      expect(await store.rearmLowBalance(site, 'w1')).toBe(true)
      expect(await store.rearmLowBalance(site, 'w1')).toBe(false)
      expect(await store.listLowBalanceAlerted(site)).toEqual([])
      expect(await store.markLowBalanceAlerted(site, mark('w1', 90n))).toBe('marked')
      expect(await store.listLowBalanceAlerted(site)).toEqual([mark('w1', 90n)])
    })

    it('of N concurrent transactions marking the same wallet, exactly one marks it', async () => {
      const storage = ctx.storage()
      need(storage.messaging, 'messaging')
      const site = freshSiteId()
      const outcomes = await Promise.all(
        Array.from({ length: ctx.concurrency }, (_, i) => storage.transaction(site, (tx) => tx.messaging!.markLowBalanceAlerted(site, mark('w-race', BigInt(i))))),
      )
      expect(outcomes.filter((o) => o === 'marked')).toHaveLength(1)
      expect(outcomes.filter((o) => o === 'already-alerted')).toHaveLength(ctx.concurrency - 1)
      expect((await storage.messaging!.listLowBalanceAlerted(site)).map((m) => m.accountId)).toEqual(['w-race'])
    })

    it('keeps no mark of a transaction that fails', async () => {
      const storage = ctx.storage()
      need(storage.messaging, 'messaging')
      const site = freshSiteId()
      await expect(
        storage.transaction(site, async (tx) => {
          await tx.messaging!.markLowBalanceAlerted(site, mark('w2'))
          throw new Error('the mail could not be queued')
        }),
      ).rejects.toThrow('the mail could not be queued')
      expect(await storage.messaging!.listLowBalanceAlerted(site)).toEqual([])
    })
  })
}

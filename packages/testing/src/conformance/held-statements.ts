import type { HeldBankStatement } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/** Statements held for review: held once, decided once, listed by status. @internal */
export function describeHeldStatements(ctx: ConformanceContext): void {
  describe('bank statements held for review', () => {
    const held = (key: string): HeldBankStatement => ({
      key, statementId: key.split('|')[2] ?? key, format: 'camt.053', accountIban: 'BE68539007547034', status: 'held', heldAt: '2027-01-18T08:00:00.000Z', entryCount: 2,
      checks: [
        { rule: 'balance', figure: 'closing balance CLBD', stated: '90.00 EUR', computed: '115.50 EUR', severity: 'disagreement' },
        { rule: 'batch', figure: 'entry 1 Btch/NbOfTxs', stated: '5', computed: '2', severity: 'ok', convention: 'transaction details are optional: 2 of 5 listed', entryReference: 'R1' },
      ],
      statementJson: '{"id":"S","amount":{"$money":["1.00","EUR"]}}', decision: null,
    })

    it('holds a statement once: holding it again, in any state, changes nothing', async () => {
      const store = need(ctx.storage().bankImports, 'bankImports')
      const site = freshSiteId()
      const h = held('camt.053|BE68539007547034|S1')
      expect(await store.createHeldStatement(site, h)).toBe('created')
      expect(await store.createHeldStatement(site, { ...h, entryCount: 99 })).toBe('exists')
      expect(await store.getHeldStatement(site, h.key)).toEqual(h)
      expect(await store.getHeldStatement(freshSiteId(), h.key)).toBeUndefined()
      const decision = { status: 'rejected' as const, decidedBy: 'u1', decidedAt: '2027-01-18T09:00:00.000Z', reason: 'wrong account' }
      expect(await store.decideHeldStatement(site, h.key, decision)).toEqual({ ...h, status: 'rejected', decision })
      expect(await store.createHeldStatement(site, h)).toBe('exists')
      expect((await store.getHeldStatement(site, h.key))?.status).toBe('rejected')
    })

    it('records one decision, with who and when; a second one, or one on an unknown key, changes nothing', async () => {
      const store = need(ctx.storage().bankImports, 'bankImports')
      const site = freshSiteId()
      const h = held('coda|BE68539007547034|S2')
      await store.createHeldStatement(site, h)
      const accept = { status: 'accepted' as const, decidedBy: 'u1', decidedAt: '2027-01-18T09:00:00.000Z', reason: null }
      expect(await store.decideHeldStatement(site, h.key, accept)).toEqual({ ...h, status: 'accepted', decision: accept })
      expect(await store.decideHeldStatement(site, h.key, { ...accept, status: 'rejected', decidedBy: 'u2' })).toBe('already-decided')
      expect(await store.getHeldStatement(site, h.key)).toEqual({ ...h, status: 'accepted', decision: accept })
      expect(await store.decideHeldStatement(site, 'nope', accept)).toBe('not-found')
    })

    it(`lets exactly one of ${ctx.concurrency} concurrent decisions win`, async () => {
      const store = need(ctx.storage().bankImports, 'bankImports')
      const site = freshSiteId()
      const h = held('camt.053|BE68539007547034|S3')
      await store.createHeldStatement(site, h)
      const results = await Promise.all(Array.from({ length: ctx.concurrency }, (_, i) =>
        store.decideHeldStatement(site, h.key, { status: i % 2 === 0 ? 'accepted' : 'rejected', decidedBy: `u${i}`, decidedAt: '2027-01-18T09:00:00.000Z', reason: null })))
      const winners = results.filter((r) => typeof r !== 'string') as HeldBankStatement[]
      expect(winners).toHaveLength(1)
      expect(results.filter((r) => r === 'already-decided')).toHaveLength(ctx.concurrency - 1)
      expect(await store.getHeldStatement(site, h.key)).toEqual(winners[0])
    })

    it('lists held statements of one status, by key, a page at a time', async () => {
      const store = need(ctx.storage().bankImports, 'bankImports')
      const site = freshSiteId()
      for (const k of ['c|A|3', 'c|A|1', 'c|A|2', 'c|A|4']) await store.createHeldStatement(site, held(k))
      await store.decideHeldStatement(site, 'c|A|4', { status: 'rejected', decidedBy: 'u1', decidedAt: '2027-01-18T09:00:00.000Z', reason: null })
      const seen: string[] = []
      let page = await store.listHeldStatements(site, { status: 'held' }, { limit: 2 })
      seen.push(...page.items.map((h) => h.key))
      while (page.next) {
        page = await store.listHeldStatements(site, { status: 'held' }, { limit: 2, after: page.next })
        seen.push(...page.items.map((h) => h.key))
      }
      expect(seen).toEqual(['c|A|1', 'c|A|2', 'c|A|3'])
      expect((await store.listHeldStatements(site, {})).items.map((h) => [h.key, h.status])).toEqual([['c|A|1', 'held'], ['c|A|2', 'held'], ['c|A|3', 'held'], ['c|A|4', 'rejected']])
    })
  })
}

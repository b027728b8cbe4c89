import type { BillingRule } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

function rule(id: string, over: Partial<BillingRule> = {}): BillingRule {
  return {
    id,
    payers: [{ guardianId: 'g-1', weight: 1 }],
    covers: [{ beneficiaryId: 'child-1', serviceId: 'lunch' }],
    from: '2026-01-01',
    criterion: { kind: 'always' },
    jointDebtorIds: [],
    ...over,
  }
}

/** Billing rules: round trip, replace, delete, filters, pagination, isolation. @internal */
export function describeBillingRules(ctx: ConformanceContext): void {
  describe('billing rules', () => {
    it('returns an equal copy of the rule it stored', async () => {
      const store = need(ctx.storage().billingRules, 'billingRules')
      const site = freshSiteId()
      const r = rule('r1', {
        payers: [{ guardianId: 'g-1', weight: 1 }, { guardianId: 'g-2', weight: 2 }],
        criterion: { kind: 'isoParity', parity: 'odd', week53: 'odd' },
        jointDebtorIds: ['g-3'],
        to: '2026-06-30',
      })
      expect(await store.putBillingRule(site, r)).toBe('created')
      const back = await store.getBillingRule(site, 'r1')
      expect(back).toEqual(r)
      back!.payers[0]!.weight = 99
      expect((await store.getBillingRule(site, 'r1'))!.payers[0]!.weight).toBe(1)
    })

    it('replaces a rule put again with its id (stopping it with a to date)', async () => {
      const store = need(ctx.storage().billingRules, 'billingRules')
      const site = freshSiteId()
      await store.putBillingRule(site, rule('r1'))
      expect(await store.putBillingRule(site, rule('r1', { to: '2026-03-31' }))).toBe('updated')
      expect((await store.getBillingRule(site, 'r1'))?.to).toBe('2026-03-31')
    })

    it('deletes a rule and says whether it existed', async () => {
      const store = need(ctx.storage().billingRules, 'billingRules')
      const site = freshSiteId()
      await store.putBillingRule(site, rule('r1'))
      expect(await store.deleteBillingRule(site, 'r1')).toBe(true)
      expect(await store.deleteBillingRule(site, 'r1')).toBe(false)
      expect(await store.getBillingRule(site, 'r1')).toBeUndefined()
    })

    it('finds rules by beneficiary, service and day in force', async () => {
      const store = need(ctx.storage().billingRules, 'billingRules')
      const site = freshSiteId()
      await store.putBillingRule(site, rule('a', { covers: [{ beneficiaryId: 'c1', serviceId: 'lunch' }], from: '2026-01-01', to: '2026-02-28' }))
      await store.putBillingRule(site, rule('b', { covers: [{ beneficiaryId: 'c1', serviceId: 'care' }], from: '2026-03-01' }))
      await store.putBillingRule(site, rule('c', { covers: [{ beneficiaryId: 'c2', serviceId: 'lunch' }, { beneficiaryId: 'c1', serviceId: 'care' }], from: '2026-01-01' }))
      const ids = async (f: Parameters<typeof store.listBillingRules>[1]) => (await store.listBillingRules(site, f)).items.map((r) => r.id)
      expect(await ids({ beneficiaryId: 'c1' })).toEqual(['a', 'b', 'c'])
      expect(await ids({ beneficiaryId: 'c1', serviceId: 'lunch' })).toEqual(['a'])
      expect(await ids({ beneficiaryId: 'c2', serviceId: 'care' })).toEqual([])
      expect(await ids({ serviceId: 'lunch' })).toEqual(['a', 'c'])
      expect(await ids({ activeOn: '2026-02-28' })).toEqual(['a', 'c'])
      expect(await ids({ activeOn: '2026-03-01', beneficiaryId: 'c1' })).toEqual(['b', 'c'])
      expect(await ids({ activeOn: '2025-12-31' })).toEqual([])
    })

    it('paginates in id order without losing or repeating a rule', async () => {
      const store = need(ctx.storage().billingRules, 'billingRules')
      const site = freshSiteId()
      const ids = ['r-10', 'r-02', 'R-1', 'r-01', 'a', 'r-100', 'b-7']
      for (const id of ids) await store.putBillingRule(site, rule(id))
      const seen: string[] = []
      let page = await store.listBillingRules(site, {}, { limit: 3 })
      seen.push(...page.items.map((r) => r.id))
      while (page.next) {
        page = await store.listBillingRules(site, {}, { limit: 3, after: page.next })
        seen.push(...page.items.map((r) => r.id))
      }
      expect(seen).toEqual([...ids].sort((x, y) => (x < y ? -1 : 1)))
    })

    it("never shows a site another site's rules", async () => {
      const store = need(ctx.storage().billingRules, 'billingRules')
      const a = freshSiteId()
      const b = freshSiteId()
      await store.putBillingRule(a, rule('r1'))
      expect(await store.getBillingRule(b, 'r1')).toBeUndefined()
      expect((await store.listBillingRules(b)).items).toEqual([])
      expect(await store.deleteBillingRule(b, 'r1')).toBe(false)
      expect(await store.getBillingRule(a, 'r1')).toBeDefined()
    })
  })
}

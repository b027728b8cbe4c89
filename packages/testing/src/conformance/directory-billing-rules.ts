import { billingRuleMatches, isEcoleError, type BillingRule, type BillingRuleFilter, type LocalDate } from '@ecole/core'
import fc from 'fast-check'
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

/** The reference: what the filter means, written without the library's matcher. */
function referenceMatches(r: BillingRule, f: BillingRuleFilter): boolean {
  const coverage = r.covers.filter((c) => (f.beneficiaryId === undefined || c.beneficiaryId === f.beneficiaryId) && (f.serviceId === undefined || c.serviceId === f.serviceId))
  const inForce = f.activeOn === undefined || (r.from <= f.activeOn && (r.to === undefined || f.activeOn <= r.to))
  return coverage.length > 0 && inForce
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Billing rules are a kind of the directory's record port (`billingRule`): round trip, replace,
 * delete, pagination and site isolation through the record methods; the rules of some
 * beneficiaries through `listBillingRulesOf`, narrowed by service and day in force with
 * `billingRuleMatches` (checked against a reference matcher on random rule sets). @internal
 */
export function describeDirectoryBillingRules(ctx: ConformanceContext): void {
  describe('directory: billing rules (kind billingRule)', () => {
    it('returns an equal copy of the rule it stored, never a live reference', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      const r = rule('r1', {
        payers: [{ guardianId: 'g-1', weight: 1 }, { guardianId: 'g-2', weight: 2 }],
        criterion: { kind: 'isoParity', parity: 'odd', week53: 'odd' },
        jointDebtorIds: ['g-3'],
        to: '2026-06-30',
      })
      expect(await store.putDirectoryRecord(site, 'billingRule', r)).toBe('created')
      const back = await store.getDirectoryRecord(site, 'billingRule', 'r1')
      expect(back).toEqual(r)
      back!.payers[0]!.weight = 99
      expect((await store.getDirectoryRecord(site, 'billingRule', 'r1'))!.payers[0]!.weight).toBe(1)
      const [listed] = await store.listBillingRulesOf(site, ['child-1'])
      listed!.covers[0]!.serviceId = 'changed'
      expect(await store.listBillingRulesOf(site, ['child-1'])).toEqual([r])
    })

    it('replaces a rule put again with its id (stopping it with a to date), and the rules of its beneficiaries show the new version', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      await store.putDirectoryRecord(site, 'billingRule', rule('r1'))
      expect(await store.putDirectoryRecord(site, 'billingRule', rule('r1', { to: '2026-03-31' }))).toBe('updated')
      expect((await store.getDirectoryRecord(site, 'billingRule', 'r1'))?.to).toBe('2026-03-31')
      // a new version that no longer covers child-1 leaves its list
      await store.putDirectoryRecord(site, 'billingRule', rule('r1', { covers: [{ beneficiaryId: 'child-2', serviceId: 'lunch' }] }))
      expect(await store.listBillingRulesOf(site, ['child-1'])).toEqual([])
      expect((await store.listBillingRulesOf(site, ['child-2'])).map((r) => r.id)).toEqual(['r1'])
    })

    it('deletes a rule and says whether it existed; a deleted rule is no longer among its beneficiaries\' rules', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      await store.putDirectoryRecord(site, 'billingRule', rule('r1'))
      expect(await store.deleteDirectoryRecord(site, 'billingRule', 'r1')).toBe(true)
      expect(await store.deleteDirectoryRecord(site, 'billingRule', 'r1')).toBe(false)
      expect(await store.getDirectoryRecord(site, 'billingRule', 'r1')).toBeUndefined()
      expect(await store.listBillingRulesOf(site, ['child-1'])).toEqual([])
    })

    it('finds rules by beneficiary, then by service and day in force', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      await store.putDirectoryRecord(site, 'billingRule', rule('a', { covers: [{ beneficiaryId: 'c1', serviceId: 'lunch' }], from: '2026-01-01', to: '2026-02-28' }))
      await store.putDirectoryRecord(site, 'billingRule', rule('b', { covers: [{ beneficiaryId: 'c1', serviceId: 'care' }], from: '2026-03-01' }))
      await store.putDirectoryRecord(site, 'billingRule', rule('c', { covers: [{ beneficiaryId: 'c2', serviceId: 'lunch' }, { beneficiaryId: 'c1', serviceId: 'care' }], from: '2026-01-01' }))
      const all = (await store.listDirectoryRecords(site, 'billingRule')).items
      const ofC1 = await store.listBillingRulesOf(site, ['c1'])
      const ids = (rules: BillingRule[], f: BillingRuleFilter) => rules.filter((r) => billingRuleMatches(r, f)).map((r) => r.id)
      expect(ofC1.map((r) => r.id)).toEqual(['a', 'b', 'c'])
      expect((await store.listBillingRulesOf(site, ['c2'])).map((r) => r.id)).toEqual(['c'])
      expect(ids(ofC1, { beneficiaryId: 'c1', serviceId: 'lunch' })).toEqual(['a'])
      expect(ids(await store.listBillingRulesOf(site, ['c2']), { beneficiaryId: 'c2', serviceId: 'care' })).toEqual([])
      expect(ids(all, { serviceId: 'lunch' })).toEqual(['a', 'c'])
      expect(ids(all, { activeOn: '2026-02-28' })).toEqual(['a', 'c'])
      expect(ids(ofC1, { activeOn: '2026-03-01', beneficiaryId: 'c1' })).toEqual(['b', 'c'])
      expect(ids(all, { activeOn: '2025-12-31' })).toEqual([])
    })

    it('lists the rules of the beneficiaries asked in id order, each rule once (a rule covering two of them, a beneficiary asked twice); an empty list answers []', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      await store.putDirectoryRecord(site, 'billingRule', rule('r-3', { covers: [{ beneficiaryId: 'k1', serviceId: 'lunch' }, { beneficiaryId: 'k2', serviceId: 'lunch' }] }))
      await store.putDirectoryRecord(site, 'billingRule', rule('r-1', { covers: [{ beneficiaryId: 'k2', serviceId: 'care' }] }))
      await store.putDirectoryRecord(site, 'billingRule', rule('r-2', { covers: [{ beneficiaryId: 'k3', serviceId: 'care' }] }))
      expect((await store.listBillingRulesOf(site, ['k2', 'k1', 'k2', 'nobody'])).map((r) => r.id)).toEqual(['r-1', 'r-3'])
      expect(await store.listBillingRulesOf(site, [])).toEqual([])
    })

    it('paginates the site\'s rules in id order without losing or repeating a rule', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      const ids = ['r-10', 'r-02', 'R-1', 'r-01', 'a', 'r-100', 'b-7']
      for (const id of ids) await store.putDirectoryRecord(site, 'billingRule', rule(id))
      const seen: string[] = []
      let page = await store.listDirectoryRecords(site, 'billingRule', { limit: 3 })
      seen.push(...page.items.map((r) => r.id))
      while (page.next) {
        page = await store.listDirectoryRecords(site, 'billingRule', { limit: 3, after: page.next })
        seen.push(...page.items.map((r) => r.id))
      }
      expect(seen).toEqual([...ids].sort(byId))
      expect((await store.listBillingRulesOf(site, ['child-1'])).map((r) => r.id)).toEqual([...ids].sort(byId))
    })

    it("never shows a site another site's rules", async () => {
      const store = need(ctx.storage().directory, 'directory')
      const a = freshSiteId()
      const b = freshSiteId()
      await store.putDirectoryRecord(a, 'billingRule', rule('r1'))
      expect(await store.getDirectoryRecord(b, 'billingRule', 'r1')).toBeUndefined()
      expect((await store.listDirectoryRecords(b, 'billingRule')).items).toEqual([])
      expect(await store.listBillingRulesOf(b, ['child-1'])).toEqual([])
      expect(await store.deleteDirectoryRecord(b, 'billingRule', 'r1')).toBe(false)
      expect(await store.getDirectoryRecord(a, 'billingRule', 'r1')).toBeDefined()
    })

    it("keeps sites apart in the rules of some beneficiaries whatever characters the ids hold (site `<s>:b` with child `c`, site `<s>` with child `b:c`)", async () => {
      const store = need(ctx.storage().directory, 'directory')
      const a = freshSiteId()
      const ab = `${a}:b`
      const covering = (id: string) => rule(`r-${id}`, { covers: [{ beneficiaryId: id, serviceId: 'lunch' }] })
      await store.putDirectoryRecord(ab, 'billingRule', covering('c'))
      await store.putDirectoryRecord(a, 'billingRule', covering('b:c'))
      expect((await store.listBillingRulesOf(a, ['b:c', 'c'])).map((r) => r.id)).toEqual(['r-b:c'])
      expect((await store.listBillingRulesOf(ab, ['c', 'b:c'])).map((r) => r.id)).toEqual(['r-c'])
      expect(await store.listBillingRulesOf(a, ['c'])).toEqual([])
    })

    it('refuses more than 1,000 beneficiaries or a beneficiary that is not a string with INVALID_INPUT naming beneficiaryIds', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      const refusal = async (ids: unknown[]) => store.listBillingRulesOf(site, ids as string[]).then(() => undefined, (e: unknown) => e)
      const tooMany = await refusal(Array.from({ length: 1001 }, (_, i) => `c-${i}`))
      expect(isEcoleError(tooMany) && tooMany.code).toBe('INVALID_INPUT')
      expect((tooMany as Error).message).toContain('beneficiaryIds')
      const notString = await refusal(['c-1', 7])
      expect(isEcoleError(notString) && notString.code).toBe('INVALID_INPUT')
      expect((notString as Error).message).toContain('beneficiaryIds[1]')
    })

    it('answers, for random rule sets and filters, the rules a reference matcher keeps: listBillingRulesOf for the beneficiaries, then billingRuleMatches (property)', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const days: LocalDate[] = ['2026-01-01', '2026-02-28', '2026-03-01', '2026-06-30', '2026-12-31']
      const coverage = fc.record({ beneficiaryId: fc.constantFrom('c1', 'c2', 'c3'), serviceId: fc.constantFrom('lunch', 'care') })
      const ruleArb = fc
        .record({
          id: fc.constantFrom('r-a', 'r-b', 'R-c', 'r-d', 'r-e', 'r-f', 'r-10'),
          covers: fc.uniqueArray(coverage, { minLength: 1, maxLength: 3, selector: (c) => `${c.beneficiaryId}/${c.serviceId}` }),
          from: fc.constantFrom(...days),
          length: fc.option(fc.nat(4), { nil: undefined }),
        })
        .map(({ id, covers, from, length }) => {
          const to = length === undefined ? undefined : days[Math.min(days.length - 1, days.indexOf(from) + length)]!
          return rule(id, { covers, from, ...(to === undefined ? {} : { to }) })
        })
      const filterArb = fc.record(
        { beneficiaryId: fc.constantFrom('c1', 'c2', 'c3', 'c4'), serviceId: fc.constantFrom('lunch', 'care'), activeOn: fc.constantFrom('2025-12-31', ...days, '2027-01-01') },
        { requiredKeys: [] },
      )
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(ruleArb, { maxLength: 6, selector: (r) => r.id }), fc.uniqueArray(fc.constantFrom<string>('c1', 'c2', 'c3', 'c4'), { maxLength: 3 }), filterArb, async (rules, asked, filter) => {
          const site = freshSiteId()
          for (const r of rules) await store.putDirectoryRecord(site, 'billingRule', r)
          const sorted = [...rules].sort((x, y) => byId(x.id, y.id))
          const of = await store.listBillingRulesOf(site, asked)
          expect(of).toEqual(sorted.filter((r) => r.covers.some((c) => asked.includes(c.beneficiaryId))))
          const all = (await store.listDirectoryRecords(site, 'billingRule')).items
          expect(all).toEqual(sorted)
          expect(all.filter((r) => billingRuleMatches(r, filter))).toEqual(sorted.filter((r) => referenceMatches(r, filter)))
          if (filter.beneficiaryId !== undefined) {
            const narrowed = (await store.listBillingRulesOf(site, [filter.beneficiaryId])).filter((r) => billingRuleMatches(r, filter))
            expect(narrowed).toEqual(sorted.filter((r) => referenceMatches(r, filter)))
          }
        }),
        { numRuns: ctx.numRuns },
      )
    })
  })
}

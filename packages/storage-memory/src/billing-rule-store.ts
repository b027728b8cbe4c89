import type { BillingRule } from '@ecole/core'
import type { BillingRuleFilter, BillingRuleStore, Page, PageRequest, PutBillingRuleResult } from '@ecole/core/ports'
import { paginate, type Access } from './access'
import { copy } from './site-state'

const TABLE = 'billingRules'

/** Whether `rule` matches every field of `filter`. @internal */
export function billingRuleMatches(rule: BillingRule, filter: BillingRuleFilter | undefined): boolean {
  if (!filter) return true
  const { beneficiaryId, serviceId, activeOn } = filter
  if (beneficiaryId !== undefined || serviceId !== undefined) {
    const covered = rule.covers.some(
      (c) => (beneficiaryId === undefined || c.beneficiaryId === beneficiaryId) && (serviceId === undefined || c.serviceId === serviceId),
    )
    if (!covered) return false
  }
  if (activeOn !== undefined) {
    if (rule.from > activeOn) return false
    if (rule.to !== undefined && rule.to < activeOn) return false
  }
  return true
}

/** The in-memory {@link BillingRuleStore}. @internal */
export class MemoryBillingRuleStore implements BillingRuleStore {
  constructor(private readonly access: Access) {}

  putBillingRule(siteId: string, rule: BillingRule): Promise<PutBillingRuleResult> {
    return this.access(siteId, (v) => {
      const table = v.write<BillingRule>(TABLE)
      const existed = table.has(rule.id)
      table.set(rule.id, copy(rule))
      return existed ? 'updated' : 'created'
    })
  }

  getBillingRule(siteId: string, id: string): Promise<BillingRule | undefined> {
    return this.access(siteId, (v) => {
      const rule = v.read<BillingRule>(TABLE).get(id)
      return rule === undefined ? undefined : copy(rule)
    })
  }

  deleteBillingRule(siteId: string, id: string): Promise<boolean> {
    return this.access(siteId, (v) => (v.read(TABLE).has(id) ? v.write(TABLE).delete(id) : false))
  }

  listBillingRules(siteId: string, filter?: BillingRuleFilter, page?: PageRequest): Promise<Page<BillingRule>> {
    return this.access(siteId, (v) => {
      const entries: Array<[string, BillingRule]> = []
      for (const [id, rule] of v.read<BillingRule>(TABLE)) if (billingRuleMatches(rule, filter)) entries.push([id, rule])
      const result = paginate(entries, page)
      return { ...result, items: result.items.map(copy) }
    })
  }
}

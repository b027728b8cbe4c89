/**
 * Billing rules storage (règles de facturation: who pays which beneficiary's services, when).
 *
 * @module
 */
import type { BillingRule } from '../billing'
import type { LocalDate } from '../time'
import type { Page, PageRequest } from './storage'

/**
 * A filter for {@link BillingRuleStore.listBillingRules}; every field present must match.
 *
 * @example
 * const filter: BillingRuleFilter = { beneficiaryId: 'child-1', activeOn: '2026-03-02' }
 */
export interface BillingRuleFilter {
  /** Only rules covering this beneficiary (for any of its services unless `serviceId` is set). */
  beneficiaryId?: string | undefined
  /** Only rules covering this service (with `beneficiaryId`: in the same coverage entry). */
  serviceId?: string | undefined
  /** Only rules in force on this day (`from <= activeOn` and no `to` or `to >= activeOn`). */
  activeOn?: LocalDate | undefined
}

/**
 * What {@link BillingRuleStore.putBillingRule} did.
 *
 * @example
 * const r: PutBillingRuleResult = await tx.billingRules!.putBillingRule('site-1', rule) // 'created'
 */
export type PutBillingRuleResult = 'created' | 'updated'

/**
 * Billing rules, stored whole (the domain's {@link BillingRule}, already validated with
 * `BillingRuleSchema`) and found by the beneficiaries and services they cover.
 *
 * Contract:
 * - one rule per (site, id); `putBillingRule` replaces it (stopping a rule is putting it back
 *   with a `to` date; history of invoices keeps what was billed);
 * - reads return an equal copy of what was put, never a live reference;
 * - listings are in `id` order (code-point order) and paginate stably.
 *
 * @example
 * await tx.billingRules!.putBillingRule('site-1', rule) //=> 'created'
 * const { items } = await storage.billingRules!.listBillingRules('site-1', { beneficiaryId: 'child-1', activeOn: '2026-03-02' })
 * resolveDebtors(items, { beneficiaryId: 'child-1', serviceId: 'lunch', date: '2026-03-02' })
 */
export interface BillingRuleStore {
  /**
   * Stores a rule, replacing the one with its id.
   *
   * @example
   * await tx.billingRules!.putBillingRule('site-1', { ...rule, to: '2026-06-30' }) //=> 'updated'
   */
  putBillingRule(siteId: string, rule: BillingRule): Promise<PutBillingRuleResult>
  /**
   * One rule, or `undefined`.
   *
   * @example
   * await storage.billingRules!.getBillingRule('site-1', 'rule-1') //=> { id: 'rule-1', ... }
   */
  getBillingRule(siteId: string, id: string): Promise<BillingRule | undefined>
  /**
   * Removes a rule entered by mistake; `true` when it existed.
   *
   * @example
   * await tx.billingRules!.deleteBillingRule('site-1', 'rule-1') //=> true
   */
  deleteBillingRule(siteId: string, id: string): Promise<boolean>
  /**
   * Rules matching the filter, in id order, a page at a time.
   *
   * @example
   * await storage.billingRules!.listBillingRules('site-1', { beneficiaryId: 'child-1' }, { limit: 50 })
   */
  listBillingRules(siteId: string, filter?: BillingRuleFilter, page?: PageRequest): Promise<Page<BillingRule>>
}

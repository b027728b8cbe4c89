import { EcoleError } from '../errors'
import { isLocalDate, type LocalDate } from '../time'
import type { BillingRule } from './billing-rule'

/**
 * Which billing rules to keep ({@link billingRuleMatches}); every field present must match. The
 * storage reads the rules of some beneficiaries (`listBillingRulesOf` of the directory port) or of
 * the whole site (`listDirectoryRecords(siteId, 'billingRule')`); this filter narrows them.
 *
 * @example
 * const filter: BillingRuleFilter = { beneficiaryId: 'child-1', serviceId: 'lunch', activeOn: '2026-03-02' }
 */
export interface BillingRuleFilter {
  /** Only rules covering this beneficiary (for any of its services unless `serviceId` is set). */
  beneficiaryId?: string | undefined
  /** Only rules covering this service (with `beneficiaryId`: in the same coverage entry). */
  serviceId?: string | undefined
  /** Only rules in force on this day (`from <= activeOn` and no `to` or `to >= activeOn`). */
  activeOn?: LocalDate | undefined
}

/** The keys a {@link BillingRuleFilter} may hold. */
const FILTER_KEYS: readonly string[] = ['beneficiaryId', 'serviceId', 'activeOn'] satisfies ReadonlyArray<keyof BillingRuleFilter>

function refuse(field: string, rule: string): EcoleError {
  return new EcoleError('INVALID_INPUT', `${field}: ${rule}`, { details: { issues: [{ path: field, code: 'custom', message: rule }] } })
}

/**
 * Checks a {@link BillingRuleFilter}: an object with known keys only (a filter built in a
 * variable with `childId`, say, fails instead of being ignored and keeping every rule), ids as
 * strings, `activeOn` a calendar day.
 *
 * @throws EcoleError `INVALID_INPUT` naming `filter.<key>` and the rule.
 * @example
 * checkBillingRuleFilter({ beneficiaryId: 'lea', activeOn: '2026-03-02' }) // passes
 * checkBillingRuleFilter({ childId: 'lea' } as BillingRuleFilter) // throws: filter.childId: unknown key
 */
export function checkBillingRuleFilter(filter: BillingRuleFilter): void {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) throw refuse('filter', 'must be an object')
  for (const [key, value] of Object.entries(filter)) {
    if (!FILTER_KEYS.includes(key)) throw refuse(`filter.${key}`, `unknown key \`${key}\` in the billing rule filter (known keys: ${FILTER_KEYS.join(', ')})`)
    if (value === undefined) continue
    if (key === 'activeOn') {
      if (!isLocalDate(value)) throw refuse('filter.activeOn', 'must be a calendar day written YYYY-MM-DD')
    } else if (typeof value !== 'string') {
      throw refuse(`filter.${key}`, 'must be a string')
    }
  }
}

/**
 * Whether a rule matches every field of the filter: it covers the beneficiary and the service
 * (both in one coverage entry when both are given) and is in force on `activeOn` (its `from` on
 * or before that day, its `to` absent or on or after it). The filter is checked first
 * ({@link checkBillingRuleFilter}).
 *
 * @throws EcoleError `INVALID_INPUT` naming `filter.<key>` for a bad filter.
 * @example
 * const rules = await storage.directory!.listBillingRulesOf('site-1', ['lea'])
 * const inForce = rules.filter((r) => billingRuleMatches(r, { serviceId: 'lunch', activeOn: '2026-03-02' }))
 */
export function billingRuleMatches(rule: BillingRule, filter: BillingRuleFilter): boolean {
  checkBillingRuleFilter(filter)
  const { beneficiaryId, serviceId, activeOn } = filter
  if (beneficiaryId !== undefined || serviceId !== undefined) {
    const covered = rule.covers.some((c) => (beneficiaryId === undefined || c.beneficiaryId === beneficiaryId) && (serviceId === undefined || c.serviceId === serviceId))
    if (!covered) return false
  }
  if (activeOn !== undefined) {
    if (rule.from > activeOn) return false
    if (rule.to !== undefined && rule.to < activeOn) return false
  }
  return true
}

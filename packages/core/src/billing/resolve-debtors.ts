import { asLocalDate, toEpochDay, type LocalDate } from '../time'
import type { BillingRule } from './billing-rule'
import { compileCriterion, type CriterionPredicate } from './criterion'
import { asInputError } from '../input-error'

/** Why a charge has no debtor. */
export type UnbilledReason = 'NO_RULE' | 'CRITERION_EXCLUDES_DATE' | 'RULE_STOPPED' | 'RULES_OVERLAP'

/** One debtor of a billed charge: a payer of the rule and its integer weight. */
export interface Debtor {
  /** The guardian billed. */
  guardianId: string
  /** Integer weight of its share. */
  weight: number
}

/**
 * The outcome of {@link resolveDebtors}: the rule used with its payers and joint debtors, or why
 * the charge is not billed and which rules are concerned.
 */
export type DebtorResolution =
  | { status: 'billed'; ruleId: string; debtors: Debtor[]; jointDebtorIds: string[] }
  | { status: 'unbilled'; reason: UnbilledReason; ruleIds: string[] }

/** The charge to find a debtor for: whose use of which service on which day. */
export interface ChargeKey {
  /** The person the service is for (child or adult). */
  beneficiaryId: string
  /** The service used. */
  serviceId: string
  /** The day of the charge. */
  date: LocalDate
}

/**
 * @internal One rule as {@link prepareRules} stores it: its period as epoch days (`to` is
 * `Number.MAX_SAFE_INTEGER` when open), its compiled criterion and its precomputed, frozen result.
 */
export interface PreparedBillingRule {
  /** The rule id. */
  readonly id: string
  /** First day, as an epoch day. */
  readonly from: number
  /** Last day, as an epoch day. */
  readonly to: number
  /** The compiled criterion. */
  readonly selects: CriterionPredicate
  /** What {@link resolvePrepared} returns when this rule alone covers a day. */
  readonly billed: Extract<DebtorResolution, { status: 'billed' }>
}
type PreparedRule = PreparedBillingRule

const PREPARED = Symbol.for('@ecole/core/PreparedBillingRules')

/**
 * Billing rules indexed by beneficiary then service, with criteria compiled and results
 * precomputed: resolving a charge does no validation, no linear scan over the rule set, and
 * allocates nothing when the charge is billed. Build one with {@link prepareRules}; recognise one
 * with {@link isPreparedBillingRules}. Opaque: a brand and the rules in id order; the index is internal.
 *
 * @example
 * const prepared: PreparedBillingRules = prepareRules(BillingRuleSetSchema.parse(json))
 * prepared.rules.map((r) => r.id) // in id order
 */
export interface PreparedBillingRules {
  /** @internal brand shared by every copy of the package (ESM and CJS). */
  readonly [PREPARED]: true
  /** The rules indexed, in id order. */
  readonly rules: readonly BillingRule[]
}

/** @internal what prepared rules hold: beneficiaryId -> serviceId -> the rules covering that pair, in id order. */
export interface PreparedRulesState extends PreparedBillingRules {
  readonly index: ReadonlyMap<string, ReadonlyMap<string, readonly PreparedRule[]>>
}

/** @internal a beneficiary's rules by service (each list in id order); `undefined` when none covers it. */
export function rulesCovering(prepared: PreparedBillingRules, beneficiaryId: string): ReadonlyMap<string, readonly PreparedBillingRule[]> | undefined {
  return (prepared as PreparedRulesState).index.get(beneficiaryId)
}

const NO_RULE: DebtorResolution = Object.freeze({ status: 'unbilled', reason: 'NO_RULE', ruleIds: Object.freeze([]) as unknown as string[] })
const END_OF_TIME = Number.MAX_SAFE_INTEGER

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Indexes already-validated rules for fast, repeated resolution (the hot-path form of
 * {@link resolveDebtors}). The result objects it returns are shared and frozen: do not mutate them.
 *
 * @example
 * const prepared = prepareRules(BillingRuleSetSchema.parse(json))
 * resolvePrepared(prepared, 'lea', 'canteen', toEpochDay('2026-09-07'))
 */
export function prepareRules(rules: readonly BillingRule[]): PreparedBillingRules {
  try {
    const sorted = [...rules].sort(byId)
    const index = new Map<string, Map<string, PreparedRule[]>>()
    for (const rule of sorted) {
      const billed = Object.freeze({
        status: 'billed' as const,
        ruleId: rule.id,
        debtors: Object.freeze(rule.payers.map((p) => Object.freeze({ guardianId: p.guardianId, weight: p.weight }))) as unknown as Debtor[],
        jointDebtorIds: Object.freeze([...rule.jointDebtorIds]) as unknown as string[],
      })
      const prepared: PreparedRule = {
        id: rule.id,
        from: toEpochDay(rule.from),
        to: rule.to === undefined ? END_OF_TIME : toEpochDay(rule.to),
        selects: compileCriterion(rule.criterion),
        billed,
      }
      for (const c of rule.covers) {
        let byService = index.get(c.beneficiaryId)
        if (!byService) index.set(c.beneficiaryId, (byService = new Map()))
        let list = byService.get(c.serviceId)
        if (!list) byService.set(c.serviceId, (list = []))
        list.push(prepared)
      }
    }
    const state: PreparedRulesState = { [PREPARED]: true, rules: sorted, index }
    return state
  } catch (error) {
    throw asInputError(error, 'prepareRules', { rules: [rules, 'array', 'the billing rules'] })
  }
}

/**
 * Whether `value` was built by {@link prepareRules}.
 *
 * @example
 * isPreparedBillingRules(prepareRules([])) //=> true
 */
export function isPreparedBillingRules(value: unknown): value is PreparedBillingRules {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PREPARED] === true
}

/**
 * Resolves the debtors of a charge on prepared rules, the day given as an epoch day
 * (days since 1970-01-01: `daysBetween('1970-01-01', date)`, the integer core's hot paths count
 * in). Same rules and result as {@link resolveDebtors}.
 *
 * @example
 * resolvePrepared(prepareRules(rules), 'lea', 'canteen', daysBetween('1970-01-01', '2026-09-07'))
 * //=> { status: 'billed', ruleId: 'r1', debtors: [{ guardianId: 'mum', weight: 1 }], jointDebtorIds: [] }
 */
export function resolvePrepared(prepared: PreparedBillingRules, beneficiaryId: string, serviceId: string, epochDay: number): DebtorResolution {
  try {
    return resolveAmong((prepared as PreparedRulesState).index.get(beneficiaryId)?.get(serviceId), epochDay)
  } catch (error) {
    throw asInputError(error, 'resolvePrepared', { prepared: [prepared, 'object', 'prepared billing rules'], beneficiaryId: [beneficiaryId, 'string'], serviceId: [serviceId, 'string'], epochDay: [epochDay, 'number', 'an epoch day'] })
  }
}

/**
 * @internal Resolves a day among the prepared rules covering one (beneficiary, service) pair
 * (`undefined` when none): the innermost step of {@link resolvePrepared}, for loops that already
 * hold the pair's rules.
 */
export function resolveAmong(candidates: readonly PreparedBillingRule[] | undefined, epochDay: number): DebtorResolution {
  if (candidates === undefined) return NO_RULE
  let found: PreparedRule | undefined
  let overlap = false
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i] as PreparedRule
    if (epochDay >= r.from && epochDay <= r.to && r.selects(epochDay)) {
      if (found === undefined) found = r
      else overlap = true
    }
  }
  if (found !== undefined && !overlap) return found.billed
  return explain(candidates, epochDay)
}

/** The unbilled outcome for a day with zero or several selecting rules among `candidates`. */
function explain(candidates: readonly PreparedRule[], day: number): DebtorResolution {
  const selecting: string[] = []
  const excluding: string[] = []
  const stopped: string[] = []
  for (const r of candidates) {
    if (day >= r.from && day <= r.to) (r.selects(day) ? selecting : excluding).push(r.id)
    else if (day > r.to) stopped.push(r.id)
  }
  if (selecting.length > 1) return { status: 'unbilled', reason: 'RULES_OVERLAP', ruleIds: selecting }
  if (excluding.length > 0) return { status: 'unbilled', reason: 'CRITERION_EXCLUDES_DATE', ruleIds: excluding }
  if (stopped.length > 0) return { status: 'unbilled', reason: 'RULE_STOPPED', ruleIds: stopped }
  return { status: 'unbilled', reason: 'NO_RULE', ruleIds: [] }
}

/**
 * Who pays a charge: the one rule covering the beneficiary's service on that day, its payers with
 * their integer weights, and its joint debtors; or why nobody does.
 *
 * A rule covers a day when the (beneficiary, service) pair is in its `covers`, the day is within
 * `from`..`to` inclusive, and its criterion selects the day. Two rules selecting the same day are
 * an overlap: `unbilled` with `RULES_OVERLAP` and both ids, never resolved silently. Without a
 * selecting rule, the reason is `CRITERION_EXCLUDES_DATE` when a rule's period contains the day
 * but its criterion does not select it (the other parent's week), else `RULE_STOPPED` when a rule
 * ended before the day, else `NO_RULE`. `ruleIds` are sorted, so the result never depends on the
 * order of `rules`. An impossible date throws `INVALID_DATE`. Rules are taken as validated ({@link BillingRuleSchema}); for millions of
 * charges use {@link prepareRules} and {@link resolvePrepared}.
 *
 * @example
 * resolveDebtors(rules, { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-12-28' })
 * //=> { status: 'billed', ruleId: 'odd-weeks-dad', debtors: [{ guardianId: 'dad', weight: 1 }], jointDebtorIds: [] }
 */
export function resolveDebtors(rules: readonly BillingRule[], charge: ChargeKey): DebtorResolution {
  try {
    const day = toEpochDay(asLocalDate(charge.date, 'charge.date'))
    const candidates = rules.filter((r) => r.covers.some((c) => c.beneficiaryId === charge.beneficiaryId && c.serviceId === charge.serviceId))
    const result = resolvePrepared(prepareRules(candidates), charge.beneficiaryId, charge.serviceId, day)
    // copy, so callers may keep or change what they get
    return result.status === 'billed'
      ? { status: 'billed', ruleId: result.ruleId, debtors: result.debtors.map((d) => ({ ...d })), jointDebtorIds: [...result.jointDebtorIds] }
      : { status: 'unbilled', reason: result.reason, ruleIds: [...result.ruleIds] }
  } catch (error) {
    throw asInputError(error, 'resolveDebtors', { rules: [rules, 'array', 'the billing rules'], charge: [charge, 'object', 'a charge key'] })
  }
}

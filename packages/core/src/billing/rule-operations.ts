import { describeValue } from '../describe-value'
import { match } from 'ts-pattern'
import { EcoleError } from '../errors'
import { addDays, asLocalDate, compareDates, eachDay, isoWeek, type LocalDate } from '../time'
import { BillingRuleSchema, type BillingCriterion, type BillingRule, type BillingRuleInput, type BillingWeek } from './billing-rule'
import { parseInput } from '../errors'
import { asInputError } from '../input-error'

/**
 * A charge already billed (on a validated invoice or a posted statement) under a rule: the
 * operations that remove billing days from a rule flag them, because the invoices keep what was
 * billed and need a credit note if the configuration changes under them.
 */
export interface BilledChargeRef {
  /** The rule the charge was billed under. */
  ruleId: string
  /** The day of the charge. */
  date: LocalDate
}

/** What a rule operation changed, for an audit trail or a confirmation screen. */
export type RuleChange =
  | { kind: 'added'; rule: BillingRule }
  | { kind: 'stopped'; ruleId: string; previousTo: LocalDate | undefined; to: LocalDate; billedAfterStop: BilledChargeRef[] }
  | { kind: 'deleted'; rule: BillingRule; alreadyBilled: boolean; billedCharges: BilledChargeRef[] }
  | { kind: 'transferred'; ruleId: string; fromGuardianId: string; toGuardianId: string; stoppedRule: BillingRule | undefined; newRule: BillingRule }
  | { kind: 'jointDebtorAdded'; ruleId: string; guardianId: string }
  | { kind: 'jointDebtorRemoved'; ruleId: string; guardianId: string }
  | { kind: 'mirrored'; sourceRuleId: string; mirrorRule: BillingRule }

/** The result of every rule operation: the new rule set (the input is not modified) and what changed. */
export interface RuleOperationResult {
  /** The new rule set, in the input's order with changes in place and new rules appended. */
  rules: BillingRule[]
  /** What changed. */
  change: RuleChange
}

function find(rules: readonly BillingRule[], ruleId: string): BillingRule {
  const rule = rules.find((r) => r.id === ruleId)
  if (!rule) throw new EcoleError('RULE_NOT_FOUND', `no billing rule with id ${describeValue(ruleId)}`, { details: { ruleId } })
  return rule
}

function replace(rules: readonly BillingRule[], rule: BillingRule): BillingRule[] {
  return rules.map((r) => (r.id === rule.id ? rule : r))
}

function checkNewId(rules: readonly BillingRule[], id: string, field: string): void {
  if (rules.some((r) => r.id === id)) throw new EcoleError('DUPLICATE_RULE_ID', `${field}: a billing rule with id ${describeValue(id)} already exists`, { details: { field, id } })
}

/**
 * Adds a rule (validated with {@link BillingRuleSchema}) to the set. Overlaps with existing rules
 * are not refused here (a back office may add the mirror rule next): {@link validateRuleSet}
 * reports them, and {@link resolveDebtors} never bills an overlapping day.
 *
 * @example
 * const { rules, change } = addRule([], { id: 'r1', from: '2026-09-01', criterion: { kind: 'always' },
 *   payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }] })
 * change.kind //=> 'added'
 * @throws EcoleError `INVALID_INPUT` naming the field; `DUPLICATE_RULE_ID`.
 */
export function addRule(rules: readonly BillingRule[], input: BillingRuleInput): RuleOperationResult {
  const rule = parseInput(BillingRuleSchema, input, 'rule')
  checkNewId(rules, rule.id, 'rule.id')
  return { rules: [...rules, rule], change: { kind: 'added', rule } }
}

/**
 * Stops a rule at a date: `date` becomes its last billed day ("Arrêter à la date souhaitée").
 * Charges already billed under the rule after that day are listed in `billedAfterStop` (they need
 * a credit note).
 *
 * @example
 * stopRule(rules, 'r1', '2026-12-31').rules[0].to //=> '2026-12-31'
 * @throws EcoleError `RULE_NOT_FOUND`; `STOP_BEFORE_START` when `date` is before the rule's first
 * day (delete it instead); `RULE_ALREADY_STOPPED` when it already ends earlier (stopping never
 * extends a rule); `INVALID_INPUT`.
 */
export function stopRule(rules: readonly BillingRule[], ruleId: string, date: LocalDate, billed: readonly BilledChargeRef[] = []): RuleOperationResult {
  try {
    const to = asLocalDate(date, 'date')
    const rule = find(rules, ruleId)
    if (compareDates(to, rule.from) < 0) {
      throw new EcoleError('STOP_BEFORE_START', `cannot stop rule ${ruleId} on ${to}: it starts on ${rule.from} (delete it instead)`, { details: { ruleId, date: to, from: rule.from } })
    }
    if (rule.to !== undefined && compareDates(to, rule.to) > 0) {
      throw new EcoleError('RULE_ALREADY_STOPPED', `rule ${ruleId} already ends on ${rule.to}, before ${to}`, { details: { ruleId, date: to, to: rule.to } })
    }
    const stopped: BillingRule = { ...rule, to }
    const billedAfterStop = billed.filter((b) => b.ruleId === ruleId && compareDates(b.date, to) > 0)
    return { rules: replace(rules, stopped), change: { kind: 'stopped', ruleId, previousTo: rule.to, to, billedAfterStop } }
  } catch (error) {
    throw asInputError(error, 'stopRule', { rules: [rules, 'array', 'the billing rules'], ruleId: [ruleId, 'string'], date: [date, 'date'], billed: [billed, 'array?', 'the billed charges'] })
  }
}

/**
 * Deletes a rule. When charges were already billed under it (`billed` lists them), the deletion
 * is still done but flagged (`alreadyBilled`), so a back office can ask for confirmation or
 * suggest stopping the rule instead: those invoices stay as they are.
 *
 * @example
 * deleteRule(rules, 'r1', [{ ruleId: 'r1', date: '2026-09-07' }]).change //=> { kind: 'deleted', alreadyBilled: true, ... }
 * @throws EcoleError `RULE_NOT_FOUND`; `INVALID_INPUT`.
 */
export function deleteRule(rules: readonly BillingRule[], ruleId: string, billed: readonly BilledChargeRef[] = []): RuleOperationResult {
  try {
    const rule = find(rules, ruleId)
    const billedCharges = billed.filter((b) => b.ruleId === ruleId)
    return { rules: rules.filter((r) => r.id !== ruleId), change: { kind: 'deleted', rule, alreadyBilled: billedCharges.length > 0, billedCharges } }
  } catch (error) {
    throw asInputError(error, 'deleteRule', { rules: [rules, 'array', 'the billing rules'], ruleId: [ruleId, 'string'], billed: [billed, 'array?', 'the billed charges'] })
  }
}

/** Arguments of {@link transferRule}. */
export interface TransferRuleArgs {
  /** The guardian who pays from `from` on. */
  toGuardianId: string
  /** First day paid by the new guardian. */
  from: LocalDate
  /** Id of the rule created for the new guardian (the caller chooses ids; the core has no id source). */
  newRuleId: string
  /** The payer replaced; required when the rule has several payers. */
  fromGuardianId?: string | undefined
}

/**
 * Transfers a rule to another guardian from a date ("Transférer la règle sur"): the rule ends the
 * day before `from`, and a copy with the new payer (same weight, same beneficiaries, criterion and
 * joint debtors; the new payer is removed from the joint debtors) starts on `from`. When `from` is
 * the rule's first day, the old rule is removed rather than left empty.
 *
 * @example
 * transferRule(rules, 'r1', { toGuardianId: 'dad', from: '2027-01-01', newRuleId: 'r2' }).rules
 * //=> [{ id: 'r1', ..., to: '2026-12-31' }, { id: 'r2', payers: [{ guardianId: 'dad', weight: 1 }], from: '2027-01-01', ... }]
 * @throws EcoleError `RULE_NOT_FOUND`; `TRANSFER_OUTSIDE_RULE` when `from` is outside the rule's
 * period; `AMBIGUOUS_PAYER` / `PAYER_NOT_FOUND` / `ALREADY_PAYER`; `DUPLICATE_RULE_ID`; `INVALID_INPUT`.
 */
export function transferRule(rules: readonly BillingRule[], ruleId: string, args: TransferRuleArgs): RuleOperationResult {
  try {
    const from = asLocalDate(args.from, 'from')
    const rule = find(rules, ruleId)
    checkNewId(rules, args.newRuleId, 'newRuleId')
    if (compareDates(from, rule.from) < 0 || (rule.to !== undefined && compareDates(from, rule.to) > 0)) {
      throw new EcoleError('TRANSFER_OUTSIDE_RULE', `cannot transfer rule ${ruleId} from ${from}: it runs ${rule.from}..${rule.to ?? ''}`, { details: { ruleId, from } })
    }
    let fromGuardianId = args.fromGuardianId
    if (fromGuardianId === undefined) {
      if (rule.payers.length > 1) throw new EcoleError('AMBIGUOUS_PAYER', `rule ${ruleId} has several payers: say which one is replaced (fromGuardianId)`, { details: { ruleId } })
      fromGuardianId = (rule.payers[0] as { guardianId: string }).guardianId
    }
    const replaced = fromGuardianId
    if (!rule.payers.some((p) => p.guardianId === replaced)) {
      throw new EcoleError('PAYER_NOT_FOUND', `${replaced} is not a payer of rule ${ruleId}`, { details: { ruleId, guardianId: replaced } })
    }
    if (rule.payers.some((p) => p.guardianId === args.toGuardianId)) {
      throw new EcoleError('ALREADY_PAYER', `${args.toGuardianId} already pays rule ${ruleId}`, { details: { ruleId, guardianId: args.toGuardianId } })
    }
    const newRule = parseInput(
      BillingRuleSchema,
      {
        ...rule,
        id: args.newRuleId,
        from,
        payers: rule.payers.map((p) => (p.guardianId === replaced ? { guardianId: args.toGuardianId, weight: p.weight } : p)),
        jointDebtorIds: rule.jointDebtorIds.filter((j) => j !== args.toGuardianId),
      },
      'newRule',
    )
    const stoppedRule = compareDates(from, rule.from) === 0 ? undefined : { ...rule, to: addDays(from, -1) }
    const kept = stoppedRule === undefined ? rules.filter((r) => r.id !== ruleId) : replace(rules, stoppedRule)
    return {
      rules: [...kept, newRule],
      change: { kind: 'transferred', ruleId, fromGuardianId: replaced, toGuardianId: args.toGuardianId, stoppedRule, newRule },
    }
  } catch (error) {
    throw asInputError(error, 'transferRule', { rules: [rules, 'array', 'the billing rules'], ruleId: [ruleId, 'string'], args: [args, 'object', 'the transfer arguments'] })
  }
}

/**
 * Adds a joint debtor ("tiers solidaire") to a rule: printed on the invoices beside the payers,
 * jointly liable, not billed a share.
 *
 * @example
 * addJointDebtor(rules, 'r1', 'grandma').rules[0].jointDebtorIds //=> ['grandma']
 * @throws EcoleError `RULE_NOT_FOUND`; `ALREADY_PAYER` when the guardian pays the rule;
 * `ALREADY_JOINT_DEBTOR`; `INVALID_INPUT`.
 */
export function addJointDebtor(rules: readonly BillingRule[], ruleId: string, guardianId: string): RuleOperationResult {
  try {
    const rule = find(rules, ruleId)
    if (guardianId.trim() === '') throw new EcoleError('INVALID_INPUT', 'guardianId must not be empty', { details: { field: 'guardianId' } })
    if (rule.payers.some((p) => p.guardianId === guardianId)) {
      throw new EcoleError('ALREADY_PAYER', `${guardianId} pays rule ${ruleId}: a payer cannot also be its joint debtor`, { details: { ruleId, guardianId } })
    }
    if (rule.jointDebtorIds.includes(guardianId)) {
      throw new EcoleError('ALREADY_JOINT_DEBTOR', `${guardianId} is already a joint debtor of rule ${ruleId}`, { details: { ruleId, guardianId } })
    }
    return { rules: replace(rules, { ...rule, jointDebtorIds: [...rule.jointDebtorIds, guardianId] }), change: { kind: 'jointDebtorAdded', ruleId, guardianId } }
  } catch (error) {
    throw asInputError(error, 'addJointDebtor', { rules: [rules, 'array', 'the billing rules'], ruleId: [ruleId, 'string'], guardianId: [guardianId, 'string'] })
  }
}

/**
 * Removes a joint debtor from a rule.
 *
 * @example
 * removeJointDebtor(rules, 'r1', 'grandma').rules[0].jointDebtorIds //=> []
 * @throws EcoleError `RULE_NOT_FOUND`; `JOINT_DEBTOR_NOT_FOUND`; `INVALID_INPUT`.
 */
export function removeJointDebtor(rules: readonly BillingRule[], ruleId: string, guardianId: string): RuleOperationResult {
  try {
    const rule = find(rules, ruleId)
    if (!rule.jointDebtorIds.includes(guardianId)) {
      throw new EcoleError('JOINT_DEBTOR_NOT_FOUND', `${guardianId} is not a joint debtor of rule ${ruleId}`, { details: { ruleId, guardianId } })
    }
    return {
      rules: replace(rules, { ...rule, jointDebtorIds: rule.jointDebtorIds.filter((j) => j !== guardianId) }),
      change: { kind: 'jointDebtorRemoved', ruleId, guardianId },
    }
  } catch (error) {
    throw asInputError(error, 'removeJointDebtor', { rules: [rules, 'array', 'the billing rules'], ruleId: [ruleId, 'string'], guardianId: [guardianId, 'string'] })
  }
}

/**
 * The criterion selecting exactly the weeks `criterion` does not, over `from`..`to`.
 *
 * Parity flips and keeps its week-53 policy (the policy says what week 53 counts as, so both
 * sides agree; with `'none'` neither side bills week 53). Anchored alternation flips its week.
 * A week list becomes the list of the other ISO weeks touching the period, which needs a last day.
 *
 * @example
 * complementCriterion({ kind: 'isoParity', parity: 'even', week53: 'odd' }, '2026-09-01', undefined)
 * //=> { kind: 'isoParity', parity: 'odd', week53: 'odd' }
 * @throws EcoleError `MIRROR_NOT_POSSIBLE` for `always`, or a week list without a last day; `INVALID_INPUT`.
 */
export function complementCriterion(criterion: BillingCriterion, from: LocalDate, to: LocalDate | undefined): BillingCriterion {
  try {
    return match(criterion)
      .with({ kind: 'always' }, (): BillingCriterion => {
        throw new EcoleError('MIRROR_NOT_POSSIBLE', 'a rule that applies every day has no complementary weeks', { details: { criterion: 'always' } })
      })
      .with({ kind: 'isoParity' }, (c): BillingCriterion => ({ kind: 'isoParity', parity: c.parity === 'even' ? 'odd' : 'even', week53: c.week53 }))
      .with({ kind: 'anchored' }, (c): BillingCriterion => ({ kind: 'anchored', referenceMonday: c.referenceMonday, week: c.week === 'reference' ? 'other' : 'reference' }))
      .with({ kind: 'weekList' }, (c): BillingCriterion => {
        if (to === undefined) {
          throw new EcoleError('MIRROR_NOT_POSSIBLE', 'the complement of a week list needs the rule to have a last day', { details: { criterion: 'weekList' } })
        }
        const listed = new Set(c.weeks.map((w) => w.year * 100 + w.week))
        const weeks: BillingWeek[] = []
        const seen = new Set<number>()
        for (const day of eachDay({ from, to })) {
          const w = isoWeek(day)
          const key = w.year * 100 + w.week
          if (!listed.has(key) && !seen.has(key)) {
            seen.add(key)
            weeks.push(w)
          }
        }
        if (weeks.length === 0) throw new EcoleError('MIRROR_NOT_POSSIBLE', 'the week list already covers every week of the rule', { details: { criterion: 'weekList' } })
        return { kind: 'weekList', weeks }
      })
      .exhaustive()
  } catch (error) {
    throw asInputError(error, 'complementCriterion', { criterion: [criterion, 'object', 'a billing criterion'], from: [from, 'date'], to: [to, 'date?'] })
  }
}

/** Arguments of {@link mirrorRule}. */
export interface MirrorRuleArgs {
  /** The other parent, who pays the complementary weeks. */
  guardianId: string
  /** Id of the mirror rule (chosen by the caller). */
  newRuleId: string
  /** Joint debtors of the mirror rule (default none). */
  jointDebtorIds?: string[] | undefined
}

/**
 * Mirrors a rule onto the other parent of separated parents: a new rule over the same period and
 * beneficiary services, paid by `guardianId` alone, on the complementary weeks
 * ({@link complementCriterion}). Together the two rules bill every day of the period exactly
 * once (except ISO week 53 under the `'none'` policy, left for a week-list rule).
 *
 * @example
 * mirrorRule(rules, 'mum-even', { guardianId: 'dad', newRuleId: 'dad-odd' }).change.mirrorRule.criterion
 * //=> { kind: 'isoParity', parity: 'odd', week53: 'odd' }
 * @throws EcoleError `RULE_NOT_FOUND`; `MIRROR_NOT_POSSIBLE`; `ALREADY_PAYER` when the guardian
 * already pays the rule; `DUPLICATE_RULE_ID`; `INVALID_INPUT`.
 */
export function mirrorRule(rules: readonly BillingRule[], ruleId: string, args: MirrorRuleArgs): RuleOperationResult {
  try {
    const rule = find(rules, ruleId)
    checkNewId(rules, args.newRuleId, 'newRuleId')
    if (rule.payers.some((p) => p.guardianId === args.guardianId)) {
      throw new EcoleError('ALREADY_PAYER', `${args.guardianId} already pays rule ${ruleId}: the mirror rule is for the other parent`, { details: { ruleId, guardianId: args.guardianId } })
    }
    const mirror = parseInput(
      BillingRuleSchema,
      {
        id: args.newRuleId,
        payers: [{ guardianId: args.guardianId, weight: 1 }],
        covers: rule.covers.map((c) => ({ ...c })),
        from: rule.from,
        to: rule.to,
        criterion: complementCriterion(rule.criterion, rule.from, rule.to),
        jointDebtorIds: args.jointDebtorIds ?? [],
      },
      'mirrorRule',
    )
    return { rules: [...rules, mirror], change: { kind: 'mirrored', sourceRuleId: ruleId, mirrorRule: mirror } }
  } catch (error) {
    throw asInputError(error, 'mirrorRule', { rules: [rules, 'array', 'the billing rules'], ruleId: [ruleId, 'string'], args: [args, 'object', 'the mirror arguments'] })
  }
}

import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import type { LocalDate } from '../time'
import { BillingRuleSchema, type BillingRule, type BillingRuleInput } from './billing-rule'
import { resolveDebtors } from './resolve-debtors'
import { addJointDebtor, addRule, deleteRule, mirrorRule, removeJointDebtor, stopRule, transferRule } from './rule-operations'
import { validateRuleSet } from './validate-rule-set'

const lea = { beneficiaryId: 'lea', serviceId: 'canteen' }
const tom = { beneficiaryId: 'tom', serviceId: 'canteen' }

function rule(input: Record<string, unknown>): BillingRule {
  return BillingRuleSchema.parse({ covers: [lea], payers: [{ guardianId: 'mum', weight: 1 }], criterion: { kind: 'always' }, from: '2026-09-01', ...input })
}

function payerOn(rules: BillingRule[], date: LocalDate, pair = lea): string {
  const r = resolveDebtors(rules, { ...pair, date })
  return r.status === 'billed' ? r.debtors.map((d) => d.guardianId).join('+') : r.reason
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    return isEcoleError(e) ? e.code : 'not an EcoleError'
  }
  return undefined
}

describe('rule operations (seed 001, "Responsable")', () => {
  it('adds a rule with its period, criterion and the children services it covers', () => {
    const { rules, change } = addRule([], {
      id: 'r1',
      payers: [{ guardianId: 'mum', weight: 1 }],
      covers: [lea, tom],
      from: '2026-09-01',
      criterion: { kind: 'always' },
    })
    expect(change).toEqual({ kind: 'added', rule: rules[0] })
    expect(payerOn(rules, '2026-09-07')).toBe('mum')
    expect(payerOn(rules, '2026-09-07', tom)).toBe('mum')
    expect(payerOn(rules, '2026-08-31')).toBe('NO_RULE')
  })

  it('refuses a rule without a week-53 policy for ISO parity, naming the field', () => {
    const bad = { id: 'r1', payers: [{ guardianId: 'mum', weight: 1 }], covers: [lea], from: '2026-09-01', criterion: { kind: 'isoParity', parity: 'odd' } }
    expect(() => addRule([], bad as unknown as BillingRuleInput)).toThrow(/rule\.criterion\.week53/)
  })

  it('refuses a second rule with the same id', () => {
    const { rules } = addRule([], rule({ id: 'r1' }))
    expect(codeOf(() => addRule(rules, rule({ id: 'r1' })))).toBe('DUPLICATE_RULE_ID')
  })

  it('bills an adult who books meals through a rule on the adult', () => {
    const { rules } = addRule([], { id: 'adult', payers: [{ guardianId: 'teacher', weight: 1 }], covers: [{ beneficiaryId: 'teacher', serviceId: 'adult-meal' }], from: '2026-09-01', criterion: { kind: 'always' } })
    expect(payerOn(rules, '2026-09-07', { beneficiaryId: 'teacher', serviceId: 'adult-meal' })).toBe('teacher')
  })

  it('stops a rule at a date: the date is the last day billed', () => {
    const { rules, change } = stopRule([rule({ id: 'r1' })], 'r1', '2026-12-18')
    expect(change).toEqual({ kind: 'stopped', ruleId: 'r1', previousTo: undefined, to: '2026-12-18', billedAfterStop: [] })
    expect(payerOn(rules, '2026-12-18')).toBe('mum')
    expect(payerOn(rules, '2026-12-19')).toBe('RULE_STOPPED')
  })

  it('lists charges already billed after the stop date', () => {
    const billed = [
      { ruleId: 'r1', date: '2026-12-17' as LocalDate },
      { ruleId: 'r1', date: '2026-12-21' as LocalDate },
      { ruleId: 'other', date: '2026-12-21' as LocalDate },
    ]
    const { change } = stopRule([rule({ id: 'r1' })], 'r1', '2026-12-18', billed)
    expect(change).toMatchObject({ billedAfterStop: [{ ruleId: 'r1', date: '2026-12-21' }] })
  })

  it('refuses to stop a rule before it starts, or to extend a stopped rule', () => {
    expect(codeOf(() => stopRule([rule({ id: 'r1' })], 'r1', '2026-08-31'))).toBe('STOP_BEFORE_START')
    expect(codeOf(() => stopRule([rule({ id: 'r1', to: '2026-10-01' })], 'r1', '2026-11-01'))).toBe('RULE_ALREADY_STOPPED')
    expect(codeOf(() => stopRule([rule({ id: 'r1' })], 'nope', '2026-11-01'))).toBe('RULE_NOT_FOUND')
  })

  it('deletes a rule that billed nothing without a flag', () => {
    const { rules, change } = deleteRule([rule({ id: 'r1' }), rule({ id: 'r2', covers: [tom] })], 'r1', [{ ruleId: 'r2', date: '2026-09-07' }])
    expect(rules.map((r) => r.id)).toEqual(['r2'])
    expect(change).toMatchObject({ kind: 'deleted', alreadyBilled: false, billedCharges: [] })
  })

  it('flags the deletion of a rule under which charges were already billed', () => {
    const { rules, change } = deleteRule([rule({ id: 'r1' })], 'r1', [{ ruleId: 'r1', date: '2026-09-07' }])
    expect(rules).toEqual([])
    expect(change).toMatchObject({ kind: 'deleted', alreadyBilled: true, billedCharges: [{ ruleId: 'r1', date: '2026-09-07' }] })
  })

  it('transfers a rule to another guardian from a date: the old payer pays until the day before', () => {
    const { rules, change } = transferRule([rule({ id: 'r1', jointDebtorIds: ['grandma'] })], 'r1', { toGuardianId: 'dad', from: '2027-01-01', newRuleId: 'r2' })
    expect(payerOn(rules, '2026-12-31')).toBe('mum')
    expect(payerOn(rules, '2027-01-01')).toBe('dad')
    expect(rules.find((r) => r.id === 'r1')?.to).toBe('2026-12-31')
    expect(rules.find((r) => r.id === 'r2')).toMatchObject({ from: '2027-01-01', jointDebtorIds: ['grandma'], payers: [{ guardianId: 'dad', weight: 1 }] })
    expect(change).toMatchObject({ kind: 'transferred', ruleId: 'r1', fromGuardianId: 'mum', toGuardianId: 'dad' })
    expect(validateRuleSet(rules, '2026-09-01', '2027-07-04')).toEqual([])
  })

  it('replaces the rule when it is transferred from its first day', () => {
    const { rules, change } = transferRule([rule({ id: 'r1' })], 'r1', { toGuardianId: 'dad', from: '2026-09-01', newRuleId: 'r2' })
    expect(rules.map((r) => r.id)).toEqual(['r2'])
    expect(change).toMatchObject({ stoppedRule: undefined })
  })

  it('asks which payer is replaced when a rule has several', () => {
    const shared = rule({ id: 'r1', payers: [{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 1 }] })
    expect(codeOf(() => transferRule([shared], 'r1', { toGuardianId: 'step', from: '2026-10-01', newRuleId: 'r2' }))).toBe('AMBIGUOUS_PAYER')
    const { rules } = transferRule([shared], 'r1', { toGuardianId: 'step', from: '2026-10-01', newRuleId: 'r2', fromGuardianId: 'dad' })
    expect(payerOn(rules, '2026-10-01')).toBe('mum+step')
  })

  it('adds a joint debtor, who then appears beside the payer, and removes it', () => {
    const added = addJointDebtor([rule({ id: 'r1' })], 'r1', 'grandma')
    expect(added.change).toEqual({ kind: 'jointDebtorAdded', ruleId: 'r1', guardianId: 'grandma' })
    expect(resolveDebtors(added.rules, { ...lea, date: '2026-09-07' })).toMatchObject({ debtors: [{ guardianId: 'mum' }], jointDebtorIds: ['grandma'] })
    expect(codeOf(() => addJointDebtor(added.rules, 'r1', 'grandma'))).toBe('ALREADY_JOINT_DEBTOR')
    expect(codeOf(() => addJointDebtor(added.rules, 'r1', 'mum'))).toBe('ALREADY_PAYER')
    const removed = removeJointDebtor(added.rules, 'r1', 'grandma')
    expect(removed.rules[0]?.jointDebtorIds).toEqual([])
    expect(codeOf(() => removeJointDebtor(removed.rules, 'r1', 'grandma'))).toBe('JOINT_DEBTOR_NOT_FOUND')
  })

  it('does not change the rule set it is given', () => {
    const before = [rule({ id: 'r1' })]
    const copy = structuredClone(before)
    stopRule(before, 'r1', '2026-10-01')
    addJointDebtor(before, 'r1', 'grandma')
    transferRule(before, 'r1', { toGuardianId: 'dad', from: '2026-10-01', newRuleId: 'r2' })
    expect(before).toEqual(copy)
  })

  it('bills separated parents on alternate ISO weeks with a mirrored rule', () => {
    const { rules } = mirrorRule([rule({ id: 'mum-even', criterion: { kind: 'isoParity', parity: 'even', week53: 'odd' } })], 'mum-even', { guardianId: 'dad', newRuleId: 'dad-odd' })
    // 2026-09-07 is in ISO week 37 (odd), 2026-09-14 in week 38 (even)
    expect(payerOn(rules, '2026-09-07')).toBe('dad')
    expect(payerOn(rules, '2026-09-14')).toBe('mum')
    expect(rules[1]?.criterion).toEqual({ kind: 'isoParity', parity: 'odd', week53: 'odd' })
  })

  it('bills separated parents on a list of weeks, the mirror taking the other weeks of the period', () => {
    const listed = rule({ id: 'mum-list', to: '2026-09-27', criterion: { kind: 'weekList', weeks: [{ year: 2026, week: 36 }, { year: 2026, week: 38 }] } })
    const { rules } = mirrorRule([listed], 'mum-list', { guardianId: 'dad', newRuleId: 'dad-list' })
    expect(rules[1]?.criterion).toEqual({ kind: 'weekList', weeks: [{ year: 2026, week: 37 }, { year: 2026, week: 39 }] })
    expect(payerOn(rules, '2026-09-01')).toBe('mum') // W36
    expect(payerOn(rules, '2026-09-08')).toBe('dad') // W37
    expect(payerOn(rules, '2026-09-15')).toBe('mum') // W38
    expect(payerOn(rules, '2026-09-22')).toBe('dad') // W39
  })

  it('refuses to mirror a rule that applies every day', () => {
    expect(codeOf(() => mirrorRule([rule({ id: 'r1' })], 'r1', { guardianId: 'dad', newRuleId: 'r2' }))).toBe('MIRROR_NOT_POSSIBLE')
  })

  it('adapts the billing of a newly separated family: stop, new rule the next day, mirror on the other parent', () => {
    let rules = [rule({ id: 'family', payers: [{ guardianId: 'mum', weight: 1 }], covers: [lea, tom] })]
    rules = stopRule(rules, 'family', '2026-11-15').rules
    rules = addRule(rules, { id: 'mum-even', payers: [{ guardianId: 'mum', weight: 1 }], covers: [lea, tom], from: '2026-11-16', criterion: { kind: 'isoParity', parity: 'even', week53: 'odd' } }).rules
    rules = mirrorRule(rules, 'mum-even', { guardianId: 'dad', newRuleId: 'dad-odd' }).rules
    expect(payerOn(rules, '2026-11-13')).toBe('mum') // before the separation, every day
    // 2026-11-16 is the Monday of ISO week 47 (odd): dad; 2026-11-23, week 48 (even): mum
    expect(payerOn(rules, '2026-11-16')).toBe('dad')
    expect(payerOn(rules, '2026-11-16', tom)).toBe('dad')
    expect(payerOn(rules, '2026-11-23')).toBe('mum')
    expect(payerOn(rules, '2026-11-23', tom)).toBe('mum')
    const diagnostics = validateRuleSet(rules, '2026-09-01', '2027-07-04')
    expect(diagnostics.map((d) => d.code)).toEqual(['PARITY_CROSSES_WEEK_53', 'PARITY_CROSSES_WEEK_53'])
  })
})

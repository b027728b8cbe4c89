import { describe, expect, it } from 'vitest'
import { toEpochDay } from '../time'
import { BillingRuleSchema, type BillingRule } from './billing-rule'
import { prepareRules, resolveDebtors, resolvePrepared } from './resolve-debtors'

const pair = { beneficiaryId: 'lea', serviceId: 'canteen' }

function rule(input: Record<string, unknown>): BillingRule {
  return BillingRuleSchema.parse({ covers: [pair], payers: [{ guardianId: 'mum', weight: 1 }], criterion: { kind: 'always' }, ...input })
}

describe('resolveDebtors', () => {
  it('bills the payer of the one rule covering the day', () => {
    const rules = [rule({ id: 'r1', from: '2026-09-01', jointDebtorIds: ['grandpa'] })]
    expect(resolveDebtors(rules, { ...pair, date: '2026-09-07' })).toEqual({
      status: 'billed',
      ruleId: 'r1',
      debtors: [{ guardianId: 'mum', weight: 1 }],
      jointDebtorIds: ['grandpa'],
    })
  })

  it('returns NO_RULE when no rule covers the beneficiary service', () => {
    expect(resolveDebtors([], { ...pair, date: '2026-09-07' })).toEqual({ status: 'unbilled', reason: 'NO_RULE', ruleIds: [] })
    const other = [rule({ id: 'r1', from: '2026-09-01', covers: [{ beneficiaryId: 'tom', serviceId: 'canteen' }] })]
    expect(resolveDebtors(other, { ...pair, date: '2026-09-07' })).toEqual({ status: 'unbilled', reason: 'NO_RULE', ruleIds: [] })
  })

  it('returns NO_RULE for a day before the rule starts', () => {
    const rules = [rule({ id: 'r1', from: '2026-09-01' })]
    expect(resolveDebtors(rules, { ...pair, date: '2026-08-31' })).toEqual({ status: 'unbilled', reason: 'NO_RULE', ruleIds: [] })
  })

  it('returns RULE_STOPPED for a day after the rule was stopped', () => {
    const rules = [rule({ id: 'r1', from: '2026-09-01', to: '2026-12-31' })]
    expect(resolveDebtors(rules, { ...pair, date: '2026-12-31' }).status).toBe('billed')
    expect(resolveDebtors(rules, { ...pair, date: '2027-01-01' })).toEqual({ status: 'unbilled', reason: 'RULE_STOPPED', ruleIds: ['r1'] })
  })

  it('returns CRITERION_EXCLUDES_DATE on the other parent week when only one parity rule exists', () => {
    // 2026-09-07 is a Monday of ISO week 37 (odd); 2026-09-14 of week 38 (even)
    const rules = [rule({ id: 'odd', from: '2026-09-01', criterion: { kind: 'isoParity', parity: 'odd', week53: 'odd' } })]
    expect(resolveDebtors(rules, { ...pair, date: '2026-09-07' }).status).toBe('billed')
    expect(resolveDebtors(rules, { ...pair, date: '2026-09-14' })).toEqual({ status: 'unbilled', reason: 'CRITERION_EXCLUDES_DATE', ruleIds: ['odd'] })
  })

  it('reports two rules selecting the same day as an overlap, never picking one', () => {
    const rules = [rule({ id: 'b', from: '2026-09-01' }), rule({ id: 'a', from: '2026-01-01', payers: [{ guardianId: 'dad', weight: 1 }] })]
    expect(resolveDebtors(rules, { ...pair, date: '2026-09-07' })).toEqual({ status: 'unbilled', reason: 'RULES_OVERLAP', ruleIds: ['a', 'b'] })
    expect(resolveDebtors(rules, { ...pair, date: '2026-08-31' }).status).toBe('billed')
  })

  it('returns both payers with their weights when two guardians split the same days', () => {
    const rules = [rule({ id: 'r1', from: '2026-09-01', payers: [{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 2 }] })]
    const r = resolveDebtors(rules, { ...pair, date: '2026-09-07' })
    expect(r).toMatchObject({ status: 'billed', debtors: [{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 2 }] })
  })

  it('gives the same answer prepared as unprepared', () => {
    const rules = [rule({ id: 'r1', from: '2026-09-01', to: '2026-10-01' }), rule({ id: 'r2', from: '2026-10-01' })]
    const prepared = prepareRules(rules)
    for (const date of ['2026-08-01', '2026-09-15', '2026-10-01', '2026-10-02'] as const) {
      expect(resolvePrepared(prepared, 'lea', 'canteen', toEpochDay(date))).toEqual(resolveDebtors(rules, { ...pair, date }))
    }
  })

  it('refuses an impossible date with INVALID_DATE', () => {
    expect(() => resolveDebtors([], { ...pair, date: '2026-02-30' })).toThrow(/charge\.date/)
  })
})

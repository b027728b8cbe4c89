import { describe, expect, it } from 'vitest'
import { BillingRuleSchema, type BillingRule } from './billing-rule'
import { validateRuleSet } from './validate-rule-set'

const lea = { beneficiaryId: 'lea', serviceId: 'canteen' }

function rule(input: Record<string, unknown>): BillingRule {
  return BillingRuleSchema.parse({ covers: [lea], payers: [{ guardianId: 'mum', weight: 1 }], criterion: { kind: 'always' }, from: '2026-09-01', ...input })
}

describe('validateRuleSet', () => {
  it('finds nothing to say about one rule covering the whole window', () => {
    expect(validateRuleSet([rule({ id: 'r1' })], '2026-09-01', '2027-07-04')).toEqual([])
  })

  it('reports the days no rule covers, as runs', () => {
    const rules = [rule({ id: 'r1', to: '2026-09-10' }), rule({ id: 'r2', from: '2026-09-15' })]
    expect(validateRuleSet(rules, '2026-08-30', '2026-09-20')).toEqual([
      { code: 'UNCOVERED_DATES', beneficiaryId: 'lea', serviceId: 'canteen', from: '2026-08-30', to: '2026-08-31' },
      { code: 'UNCOVERED_DATES', beneficiaryId: 'lea', serviceId: 'canteen', from: '2026-09-11', to: '2026-09-14' },
    ])
  })

  it('reports overlapping rules with the days they overlap', () => {
    const rules = [rule({ id: 'r2', from: '2026-09-10', payers: [{ guardianId: 'dad', weight: 1 }] }), rule({ id: 'r1', to: '2026-09-12' })]
    expect(validateRuleSet(rules, '2026-09-01', '2026-09-20')).toEqual([
      { code: 'RULES_OVERLAP', beneficiaryId: 'lea', serviceId: 'canteen', ruleIds: ['r1', 'r2'], from: '2026-09-10', to: '2026-09-12' },
    ])
  })

  it('reports mirrored parity rules with different week-53 policies as an overlap on week 53', () => {
    const rules = [
      rule({ id: 'even', criterion: { kind: 'isoParity', parity: 'even', week53: 'even' } }),
      rule({ id: 'odd', payers: [{ guardianId: 'dad', weight: 1 }], criterion: { kind: 'isoParity', parity: 'odd', week53: 'odd' } }),
    ]
    const found = validateRuleSet(rules, '2026-12-21', '2027-01-10')
    expect(found.filter((d) => d.code === 'RULES_OVERLAP')).toEqual([
      { code: 'RULES_OVERLAP', beneficiaryId: 'lea', serviceId: 'canteen', ruleIds: ['even', 'odd'], from: '2026-12-28', to: '2027-01-03' },
    ])
  })

  it('reports payers with a zero or negative weight', () => {
    const rules = [rule({ id: 'r1', payers: [{ guardianId: 'mum', weight: 2 }, { guardianId: 'dad', weight: 0 }, { guardianId: 'step', weight: -1 }] })]
    expect(validateRuleSet(rules, '2026-09-01', '2026-09-30')).toEqual([
      { code: 'NON_POSITIVE_WEIGHT', ruleId: 'r1', guardianId: 'dad', weight: 0, ruleWeightTotal: 1 },
      { code: 'NON_POSITIVE_WEIGHT', ruleId: 'r1', guardianId: 'step', weight: -1, ruleWeightTotal: 1 },
    ])
  })

  it('reports a subscribed pair that no rule mentions as uncovered over the whole window', () => {
    const found = validateRuleSet([rule({ id: 'r1' })], '2026-09-01', '2026-09-30', { pairs: [lea, { beneficiaryId: 'tom', serviceId: 'canteen' }] })
    expect(found).toEqual([{ code: 'UNCOVERED_DATES', beneficiaryId: 'tom', serviceId: 'canteen', from: '2026-09-01', to: '2026-09-30' }])
  })

  it('refuses a window that ends before it starts', () => {
    expect(() => validateRuleSet([], '2026-09-02', '2026-09-01')).toThrow(/must be on or after from/)
  })
})

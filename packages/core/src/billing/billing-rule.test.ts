import { describe, expect, it } from 'vitest'
import { isEcoleError, parseInput } from '../errors'
import { BillingRuleSchema, BillingRuleSetSchema } from './billing-rule'
import { complementCriterion } from './rule-operations'

const valid = {
  id: 'r1',
  payers: [{ guardianId: 'mum', weight: 1 }],
  covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }],
  from: '2026-09-01',
  criterion: { kind: 'always' },
}

function paths(input: unknown): string[] {
  const r = BillingRuleSchema.safeParse(input)
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'))
}

describe('BillingRuleSchema', () => {
  it('accepts a plain JSON rule and defaults the joint debtors to none', () => {
    expect(BillingRuleSchema.parse(valid)).toEqual({ ...valid, to: undefined, jointDebtorIds: [] })
  })

  it('refuses a last day before the first day', () => {
    expect(paths({ ...valid, to: '2026-08-31' })).toEqual(['to'])
  })

  it('refuses a fractional weight but accepts zero, which validation reports', () => {
    expect(paths({ ...valid, payers: [{ guardianId: 'mum', weight: 0.5 }] })).toEqual(['payers.0.weight'])
    expect(paths({ ...valid, payers: [{ guardianId: 'mum', weight: 0 }] })).toEqual([])
  })

  it('refuses a rule without payer or without beneficiary service', () => {
    expect(paths({ ...valid, payers: [] })).toEqual(['payers'])
    expect(paths({ ...valid, covers: [] })).toEqual(['covers'])
  })

  it('refuses a guardian listed twice as payer, a pair listed twice, and a payer who is also joint debtor', () => {
    expect(paths({ ...valid, payers: [{ guardianId: 'mum', weight: 1 }, { guardianId: 'mum', weight: 2 }] })).toEqual(['payers.1.guardianId'])
    expect(paths({ ...valid, covers: [valid.covers[0], valid.covers[0]] })).toEqual(['covers.1'])
    expect(paths({ ...valid, jointDebtorIds: ['mum'] })).toEqual(['jointDebtorIds.0'])
  })

  it('refuses an anchored criterion whose reference day is not a Monday', () => {
    expect(paths({ ...valid, criterion: { kind: 'anchored', referenceMonday: '2026-09-01', week: 'reference' } })).toEqual(['criterion.referenceMonday'])
  })

  it('refuses ISO week 53 of a year that has 52 weeks, and accepts 2026-W53', () => {
    expect(paths({ ...valid, criterion: { kind: 'weekList', weeks: [{ year: 2027, week: 53 }] } })).toEqual(['criterion.weeks.0.week'])
    expect(paths({ ...valid, criterion: { kind: 'weekList', weeks: [{ year: 2026, week: 53 }] } })).toEqual([])
  })

  it('names the field in the EcoleError message', () => {
    let error: unknown
    try {
      parseInput(BillingRuleSchema, { ...valid, criterion: { kind: 'isoParity', parity: 'odd', week53: 'sometimes' } }, 'rule')
    } catch (e) {
      error = e
    }
    expect(isEcoleError(error) && error.code).toBe('INVALID_INPUT')
    expect(String(error)).toMatch(/rule\.criterion\.week53/)
  })

  it('refuses two rules with the same id in a set', () => {
    const r = BillingRuleSetSchema.safeParse([valid, valid])
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.path).toEqual([1, 'id'])
  })
})

describe('complementCriterion', () => {
  it('needs a last day to complement a week list', () => {
    expect(() => complementCriterion({ kind: 'weekList', weeks: [{ year: 2026, week: 37 }] }, '2026-09-01', undefined)).toThrow(/last day/)
  })

  it('flips anchored alternation and keeps its reference Monday', () => {
    expect(complementCriterion({ kind: 'anchored', referenceMonday: '2026-08-31', week: 'other' }, '2026-09-01', undefined)).toEqual({
      kind: 'anchored',
      referenceMonday: '2026-08-31',
      week: 'reference',
    })
  })
})

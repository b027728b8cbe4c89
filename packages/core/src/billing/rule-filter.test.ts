import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { BillingRuleSchema } from './billing-rule'
import { billingRuleMatches, checkBillingRuleFilter, type BillingRuleFilter } from './rule-filter'

const rule = BillingRuleSchema.parse({
  id: 'r1', from: '2026-01-01', to: '2026-02-28', criterion: { kind: 'always' }, payers: [{ guardianId: 'mum', weight: 1 }],
  covers: [{ beneficiaryId: 'lea', serviceId: 'lunch' }, { beneficiaryId: 'tom', serviceId: 'care' }],
})

function refusal(filter: unknown): { code: string; message: string } | undefined {
  try {
    checkBillingRuleFilter(filter as BillingRuleFilter)
    return undefined
  } catch (e) {
    if (!isEcoleError(e)) throw e
    return { code: e.code, message: e.message }
  }
}

describe('billingRuleMatches', () => {
  it('keeps a rule covering the beneficiary and the service in one coverage entry, not across two', () => {
    expect(billingRuleMatches(rule, { beneficiaryId: 'lea', serviceId: 'lunch' })).toBe(true)
    expect(billingRuleMatches(rule, { beneficiaryId: 'tom' })).toBe(true)
    expect(billingRuleMatches(rule, { serviceId: 'care' })).toBe(true)
    expect(billingRuleMatches(rule, { beneficiaryId: 'lea', serviceId: 'care' })).toBe(false)
    expect(billingRuleMatches(rule, { beneficiaryId: 'sam' })).toBe(false)
  })

  it('keeps a rule in force on its first and its last day, not the day before or after', () => {
    expect(billingRuleMatches(rule, { activeOn: '2026-01-01' })).toBe(true)
    expect(billingRuleMatches(rule, { activeOn: '2026-02-28' })).toBe(true)
    expect(billingRuleMatches(rule, { activeOn: '2025-12-31' })).toBe(false)
    expect(billingRuleMatches(rule, { activeOn: '2026-03-01' })).toBe(false)
    const { to: _, ...open } = rule
    expect(billingRuleMatches(open, { activeOn: '2099-12-31' })).toBe(true)
  })

  it('keeps every rule with an empty filter, and an absent field is no condition', () => {
    expect(billingRuleMatches(rule, {})).toBe(true)
    expect(billingRuleMatches(rule, { beneficiaryId: undefined, activeOn: undefined })).toBe(true)
  })

  it('refuses an unknown key naming it (a childId would otherwise keep every rule)', () => {
    const r = refusal({ childId: 'lea' })
    expect(r?.code).toBe('INVALID_INPUT')
    expect(r?.message).toContain('filter.childId')
    expect(() => billingRuleMatches(rule, { childId: 'sam' } as BillingRuleFilter)).toThrow(/filter\.childId/)
  })

  it('refuses a day that is not a calendar day, and an id that is not a string, naming the field', () => {
    expect(refusal({ activeOn: '2026-02-30' })?.message).toContain('filter.activeOn')
    expect(refusal({ activeOn: '2026-02-30' })?.message).toContain('YYYY-MM-DD')
    expect(refusal({ beneficiaryId: 7 })?.message).toContain('filter.beneficiaryId')
    expect(refusal({ serviceId: null })?.message).toContain('filter.serviceId')
    expect(refusal(null)?.message).toContain('filter')
    expect(refusal({ beneficiaryId: 'lea', serviceId: 'lunch', activeOn: '2026-02-28' })).toBeUndefined()
  })
})

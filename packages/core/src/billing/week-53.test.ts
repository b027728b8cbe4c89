import { describe, expect, it } from 'vitest'
import { addDays, toEpochDay, type LocalDate } from '../time'
import { BillingRuleSchema, type BillingCriterion, type BillingRule } from './billing-rule'
import { criterionSelects } from './criterion'
import { isoWeekKeyOfEpochDay } from '../time'
import { resolveDebtors } from './resolve-debtors'
import { mirrorRule } from './rule-operations'
import { validateRuleSet } from './validate-rule-set'

const lea = { beneficiaryId: 'lea', serviceId: 'canteen' }

function separated(criterion: BillingCriterion): BillingRule[] {
  const mum = BillingRuleSchema.parse({ id: 'mum', payers: [{ guardianId: 'mum', weight: 1 }], covers: [lea], from: '2026-09-01', to: '2027-07-04', criterion })
  return mirrorRule([mum], 'mum', { guardianId: 'dad', newRuleId: 'dad' }).rules
}

/** Who pays each Monday from `monday` for `weeks` weeks. */
function mondays(rules: BillingRule[], monday: LocalDate, weeks: number): string[] {
  return Array.from({ length: weeks }, (_, i) => {
    const r = resolveDebtors(rules, { ...lea, date: addDays(monday, 7 * i) })
    return r.status === 'billed' ? (r.debtors[0]?.guardianId as string) : r.reason
  })
}

// Mondays by hand: 2026-12-21 is 2026-W52, 2026-12-28 is 2026-W53, 2027-01-04 is 2027-W01, 2027-01-11 is 2027-W02.
describe('the 2026-2027 ISO week-53 transition', () => {
  it('places 2026-12-28 and 2027-01-01 in 2026-W53, and 2027-01-04 in 2027-W01', () => {
    expect(isoWeekKeyOfEpochDay(toEpochDay('2026-12-28'))).toBe(202653)
    expect(isoWeekKeyOfEpochDay(toEpochDay('2027-01-01'))).toBe(202653)
    expect(isoWeekKeyOfEpochDay(toEpochDay('2027-01-03'))).toBe(202653)
    expect(isoWeekKeyOfEpochDay(toEpochDay('2027-01-04'))).toBe(202701)
    expect(isoWeekKeyOfEpochDay(toEpochDay('2025-12-29'))).toBe(202601)
  })

  it('bills the odd-week parent on 2026-W53 and again on 2027-W01 under plain ISO parity (policy odd)', () => {
    const rules = separated({ kind: 'isoParity', parity: 'even', week53: 'odd' })
    expect(mondays(rules, '2026-12-21', 4)).toEqual(['mum', 'dad', 'dad', 'mum'])
    // every day of week 53, New Year's Day included, goes to the odd-week parent
    for (let d = 0; d < 7; d++) expect(mondays(rules, addDays('2026-12-28', d), 1)).toEqual(['dad'])
  })

  it('bills the even-week parent on 2026-W52 and again on 2026-W53 with the even policy, then the odd-week parent on 2027-W01', () => {
    const rules = separated({ kind: 'isoParity', parity: 'even', week53: 'even' })
    expect(mondays(rules, '2026-12-21', 4)).toEqual(['mum', 'mum', 'dad', 'mum'])
  })

  it('has no parity policy that alternates strictly across a week 53: one parent pays two weeks in a row', () => {
    for (const week53 of ['odd', 'even'] as const) {
      const payers = mondays(separated({ kind: 'isoParity', parity: 'even', week53 }), '2026-12-21', 4)
      expect(payers.some((p, i) => i > 0 && p === payers[i - 1])).toBe(true)
    }
  })

  it('leaves week 53 to nobody with the none policy, and reports those days as uncovered', () => {
    const rules = separated({ kind: 'isoParity', parity: 'even', week53: 'none' })
    expect(mondays(rules, '2026-12-21', 4)).toEqual(['mum', 'CRITERION_EXCLUDES_DATE', 'dad', 'mum'])
    expect(validateRuleSet(rules, '2026-12-01', '2027-01-31')).toContainEqual({ code: 'UNCOVERED_DATES', beneficiaryId: 'lea', serviceId: 'canteen', from: '2026-12-28', to: '2027-01-03' })
  })

  it('alternates strictly across the year end under anchored alternation, with no week-53 warning', () => {
    // 2026-08-31 is a Monday; 2026-12-28 is 17 weeks later (other week), 2027-01-04 18 weeks later (reference week)
    const rules = separated({ kind: 'anchored', referenceMonday: '2026-08-31', week: 'reference' })
    expect(mondays(rules, '2026-12-21', 4)).toEqual(['mum', 'dad', 'mum', 'dad'])
    expect(validateRuleSet(rules, '2026-09-01', '2027-07-04')).toEqual([])
  })

  it('warns that parity rules cross the 2026 ISO week 53, with each rule policy', () => {
    const rules = separated({ kind: 'isoParity', parity: 'even', week53: 'odd' })
    expect(validateRuleSet(rules, '2026-09-01', '2027-07-04')).toEqual([
      { code: 'PARITY_CROSSES_WEEK_53', ruleId: 'dad', isoYear: 2026, week53Monday: '2026-12-28', policy: 'odd' },
      { code: 'PARITY_CROSSES_WEEK_53', ruleId: 'mum', isoYear: 2026, week53Monday: '2026-12-28', policy: 'odd' },
    ])
    // a school year without a week 53 (2027-2028) has no warning
    expect(validateRuleSet(rules, '2027-01-04', '2027-07-04')).toEqual([])
  })

  it('treats the anchored week before the reference Monday by the same 14-day cycle', () => {
    const c: BillingCriterion = { kind: 'anchored', referenceMonday: '2026-08-31', week: 'reference' }
    expect(criterionSelects(c, '2026-08-17')).toBe(true) // two weeks before
    expect(criterionSelects(c, '2026-08-30')).toBe(false) // the Sunday before: previous week
  })
})

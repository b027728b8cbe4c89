import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { buildBelcotax28186 } from './belcotax-281-86'
import type { Belcotax28186Input } from './belcotax-281-86-input'
import { BELCOTAX_28186_RULES } from './belcotax-281-86-rules'
import { fiche, input } from './test-support/fixtures'

const period = (from: string, to: string, days: number, dailyRateMinor = 1000n) => ({ from, to, days, dailyRateMinor })

/** For each rule, an input that breaks it and the field the refusal must name. */
const broken: Record<string, { input: Belcotax28186Input; path: string }> = {
  'national-numbers': { input: input({ fiches: [fiche({ debtor: { ...fiche().debtor, nationalNumber: '85073003329' } })] }), path: 'belcotax.fiches.0.debtor.nationalNumber' },
  'enterprise-numbers': { input: input({ issuer: { ...input().issuer, enterpriseNumber: '0207373133' } }), path: 'belcotax.issuer.enterpriseNumber' },
  'creation-date': { input: input({ createdOn: '2026-01-01' }), path: 'belcotax.createdOn' },
  'care-took-place': { input: input({ createdOn: '2026-06-01', fiches: [fiche({ periods: [period('2026-03-02', '2026-03-06', 5), period('2026-06-01', '2026-06-05', 5)] })] }), path: 'belcotax.fiches.0.periods.1.to' },
  'periods-in-year': { input: input({ fiches: [fiche({ periods: [period('2025-12-29', '2026-01-09', 5)] })] }), path: 'belcotax.fiches.0.periods.0' },
  'periods-ordered': { input: input({ fiches: [fiche({ periods: [period('2026-03-01', '2026-03-31', 5), period('2026-03-31', '2026-04-30', 5)] })] }), path: 'belcotax.fiches.0.periods.1.from' },
  'days-fit-period': { input: input({ fiches: [fiche({ periods: [period('2026-03-02', '2026-03-06', 6)] })] }), path: 'belcotax.fiches.0.periods.0.days' },
  'daily-ceiling': { input: input({ fiches: [fiche({ periods: [period('2026-03-02', '2026-03-06', 5, 1700n)] })] }), path: 'belcotax.fiches.0.periods.0.dailyRateMinor' },
  'child-age': {
    input: input({ fiches: [fiche({ child: { lastName: 'Dupont', firstName: 'Tom', birthDate: '2012-06-15', address: fiche().child.address }, periods: [period('2026-06-01', '2026-06-30', 10)] })] }),
    path: 'belcotax.fiches.0.periods.0.to',
  },
  'child-birth-date': { input: input({ fiches: [fiche({ child: { ...fiche().child, birthDate: '2018-11-04' } })] }), path: 'belcotax.fiches.0.child.birthDate' },
  'one-fiche-per-child-and-debtor': { input: input({ fiches: [fiche(), fiche({ reference: 'OTHER' })] }), path: 'belcotax.fiches.1' },
  'treatment-matches-sending': { input: input({ fiches: [{ ...fiche(), treatment: 'modification' }] }), path: 'belcotax.fiches.0.treatment' },
  'amount-lengths': { input: input({ dailyCeilingMinor: 10n ** 12n, fiches: [fiche({ periods: [period('2026-01-01', '2026-12-31', 365, 10n ** 10n)] })] }), path: 'belcotax.fiches.0.periods' },
}

describe('the rules of a 281.86 file beyond its schema', () => {
  it('names a source for every rule, and this file breaks each one', () => {
    for (const r of BELCOTAX_28186_RULES) expect(r.source.length, r.id).toBeGreaterThan(20)
    expect(Object.keys(broken).sort()).toEqual(BELCOTAX_28186_RULES.map((r) => r.id).sort())
  })

  for (const rule of BELCOTAX_28186_RULES) {
    it(`refuses a file that breaks "${rule.id}": ${rule.rule}`, () => {
      const { input: bad, path } = broken[rule.id]!
      let caught: unknown
      try {
        buildBelcotax28186(bad)
      } catch (e) {
        caught = e
      }
      expect(isEcoleError(caught, 'INVALID_INPUT'), String(caught)).toBe(true)
      const issues = isEcoleError(caught, 'INVALID_INPUT') ? caught.details.issues : []
      expect(issues.map((i) => [i.code, i.path])).toContainEqual([rule.id, path])
    })
  }

  it('accepts a child on the day before the 14th birthday, and until 21 with a severe disability', () => {
    const child = { lastName: 'Dupont', firstName: 'Tom', birthDate: '2012-06-15', address: fiche().child.address }
    expect(() => buildBelcotax28186(input({ fiches: [fiche({ child, periods: [period('2026-06-01', '2026-06-14', 10)] })] }))).not.toThrow()
    const older = { ...child, birthDate: '2005-06-15', severeDisability: true }
    expect(() => buildBelcotax28186(input({ fiches: [fiche({ child: older, periods: [period('2026-06-01', '2026-06-14', 10)] })] }))).not.toThrow()
    expect(() => buildBelcotax28186(input({ fiches: [fiche({ child: older, periods: [period('2026-06-01', '2026-06-15', 10)] })] }))).toThrow(/the child turns 21 \(2026-06-15\)/)
  })

  it('reports every problem of a file at once', () => {
    const bad = input({ createdOn: '2025-12-01', fiches: [fiche({ debtor: { ...fiche().debtor, nationalNumber: '1' }, periods: [period('2026-03-02', '2026-03-06', 6, 9999n)] })] })
    try {
      buildBelcotax28186(bad)
      expect.fail('should refuse')
    } catch (e) {
      expect(isEcoleError(e, 'INVALID_INPUT') && e.details.issues.map((i) => i.code).sort()).toEqual(['care-took-place', 'creation-date', 'daily-ceiling', 'days-fit-period', 'national-numbers'])
    }
  })
})

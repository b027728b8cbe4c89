import { computeTaxCertificates, isEcoleError, type LocalDate, type TaxCertificateInvoice } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { buildBelcotax28186 } from './belcotax-281-86'
import type { Belcotax28186FicheInput, Belcotax28186Input } from './belcotax-281-86-input'
import { BELCOTAX_28186_RULES } from './belcotax-281-86-rules'
import { belcotaxFicheFromCertificate } from './from-tax-certificate'
import { fiche, input, NN_CHILD_2, NN_DEBTOR_2 } from './test-support/fixtures'

const period = (from: string, to: string, days: number, dailyRateMinor = 1000n) => ({ from, to, days, dailyRateMinor })
/** The fixture's child k1 on a second fiche, paid by a second guardian (g2), over the given periods. */
const secondGuardian = (periods: Belcotax28186FicheInput['periods'], over: Partial<Belcotax28186FicheInput> = {}) =>
  fiche({ reference: 'K1-G2-2026', debtorId: 'g2', debtor: { ...fiche().debtor, nationalNumber: NN_DEBTOR_2, firstName: 'Jan' }, periods, ...over })

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
  'daily-ceiling-per-child': {
    input: input({ fiches: [fiche({ periods: [period('2026-03-02', '2026-03-03', 2, 1500n)] }), secondGuardian([period('2026-03-02', '2026-03-03', 2, 1500n)])] }),
    path: 'belcotax.fiches.1.periods.0',
  },
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

describe('the daily ceiling per child, across the fiches of its payers (CIR 92 art. 145/36)', () => {
  const issuesOf = (file: Belcotax28186Input) => {
    try {
      buildBelcotax28186(file)
      return []
    } catch (e) {
      return isEcoleError(e, 'INVALID_INPUT') ? e.details.issues.filter((i) => i.code === 'daily-ceiling-per-child') : [String(e)]
    }
  }
  const twoDays = (rate: bigint) => [period('2026-03-02', '2026-03-03', 2, rate)]

  it('refuses two guardians\' fiches that certify 15.00 a day each for the same child on the same 2 days (30.00 > 16.90), naming both fiches', () => {
    const issues = issuesOf(input({ fiches: [fiche({ periods: twoDays(1500n) }), secondGuardian(twoDays(1500n))] }))
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ path: 'belcotax.fiches.1.periods.0', code: 'daily-ceiling-per-child' })
    const { message } = issues[0] as { message: string }
    expect(message).toContain('fiche 0 (reference K1-G1-2026, debtor g1, 30.00 EUR for 2 days) and fiche 1 (reference K1-G2-2026, debtor g2, 30.00 EUR for 2 days)')
    expect(message).toContain('together certify 60.00 EUR for child Léa Dupont (born 2018-11-03) from 2026-03-02 to 2026-03-03')
    expect(message).toContain('over the 33.80 EUR the daily ceiling allows (2 care days at most × 16.90 EUR per day and child')
  })

  it('accepts the same two fiches when they share the ceiling: 8.45 a day each, 33.80 for the child', () => {
    const file = buildBelcotax28186(input({ fiches: [fiche({ periods: twoDays(845n) }), secondGuardian(twoDays(845n))] }))
    expect(file.totals.amountMinor).toBe(2n * 1690n)
  })

  it('knows the child by last name, first name and birth date when the fiches carry no national number, whatever the case, spacing or Unicode form', () => {
    const noNn = { ...fiche().child, nationalNumber: undefined }
    const first = fiche({ child: noNn, periods: twoDays(1000n) })
    const second = secondGuardian(twoDays(1000n), { child: { ...noNn, lastName: ' DUPONT ', firstName: 'Léa'.normalize('NFD') } })
    expect(issuesOf(input({ fiches: [first, second] }))).toHaveLength(1)
    // another birth date: another child
    expect(issuesOf(input({ fiches: [first, secondGuardian(twoDays(1000n), { child: { ...noNn, birthDate: '2018-11-04' } })] }))).toEqual([])
  })

  it('knows the child by national number when both fiches give it, even with names spelled differently', () => {
    const second = secondGuardian(twoDays(1000n), { child: { ...fiche().child, firstName: 'Lea', nationalNumber: '18.11.03-456.35' } })
    expect(issuesOf(input({ fiches: [fiche({ periods: twoDays(1000n) }), second] }))).toHaveLength(1)
  })

  it('joins a fiche without national number to the fiche of the same name and birth date that gives one', () => {
    const second = secondGuardian(twoDays(1000n), { child: { ...fiche().child, nationalNumber: undefined } })
    expect(issuesOf(input({ fiches: [fiche({ periods: twoDays(1000n) }), second] }))).toHaveLength(1)
  })

  it('refuses a week of consecutive care days certified to one guardian for all 5 days and to another for 3 of them: together at most the 84.50 five days allow', () => {
    const week = (days: number, rate: bigint) => [period('2026-07-06', '2026-07-10', days, rate)]
    expect(issuesOf(input({ fiches: [fiche({ periods: week(5, 1690n) }), secondGuardian(week(3, 1000n))] }))).toHaveLength(1)
    // 5 × 12.00 + 3 × 10.00 = 90.00: over; 5 × 10.00 + 3 × 11.50 = 84.50: exactly the ceiling, accepted
    expect(issuesOf(input({ fiches: [fiche({ periods: week(5, 1200n) }), secondGuardian(week(3, 1000n))] }))).toHaveLength(1)
    expect(issuesOf(input({ fiches: [fiche({ periods: week(5, 1000n) }), secondGuardian(week(3, 1150n))] }))).toEqual([])
  })

  it('never refuses fiches whose care days may differ: 3 days each from 2 to 6 March may be 4 distinct days (the first and last are both\'s), so 2 × 3 × 11.26 fits 4 × 16.90', () => {
    const threeIn5 = [period('2026-03-02', '2026-03-06', 3, 1126n)]
    expect(issuesOf(input({ fiches: [fiche({ periods: threeIn5 }), secondGuardian(threeIn5)] }))).toEqual([])
    // at 16.90 a day each they certainly certify too much: 101.40 over 4 days at most
    expect(issuesOf(input({ fiches: [fiche({ periods: [period('2026-03-02', '2026-03-06', 3, 1690n)] }), secondGuardian([period('2026-03-02', '2026-03-06', 3, 1690n)])] }))).toHaveLength(1)
    // and a third guardian at 11.26 takes them past the 5 days at most (2 + 1 + 1 + 1): 101.34 > 84.50
    const third = fiche({ reference: 'K1-G3-2026', debtorId: 'g3', periods: threeIn5 })
    expect(issuesOf(input({ fiches: [fiche({ periods: threeIn5 }), secondGuardian(threeIn5), third] }))).toHaveLength(1)
  })

  it('never adds two children with different national numbers, periods that differ, or a cancelled fiche', () => {
    const otherChild = secondGuardian(twoDays(1000n), { childId: 'k2', child: { ...fiche().child, nationalNumber: NN_CHILD_2, firstName: 'Lotte', birthDate: '2019-05-20' } })
    expect(issuesOf(input({ fiches: [fiche({ periods: twoDays(1000n) }), otherChild] }))).toEqual([])
    const otherDays = secondGuardian([period('2026-03-02', '2026-03-04', 2, 1000n)])
    expect(issuesOf(input({ fiches: [fiche({ periods: twoDays(1000n) }), otherDays] }))).toEqual([])
    const corrective = input({
      correction: { originalSendingReference: 'A1' },
      fiches: [{ ...fiche({ periods: twoDays(1000n) }), treatment: 'modification' }, { ...secondGuardian(twoDays(1000n)), treatment: 'cancellation' }],
    })
    expect(issuesOf(corrective)).toEqual([])
  })

  it('accepts the file of two guardians who each paid 30.00 for the same child on the same 2 days, as computeTaxCertificates shares the ceiling: 33.80 in all', () => {
    const dates: LocalDate[] = ['2026-03-02', '2026-03-03']
    const paidBy = (invoiceId: string, debtorId: string): TaxCertificateInvoice => ({
      invoiceId, debtorId, currency: 'EUR', dueMinor: 6000n,
      lines: [{ beneficiaryId: 'k1', kind: 'care', dates, amountMinor: 6000n }], payments: [{ date: '2026-03-10', amountMinor: 6000n }],
    })
    const certs = computeTaxCertificates([paidBy('i1', 'g1'), paidBy('i2', 'g2')], [{ beneficiaryId: 'k1', birthDate: '2018-11-03' }], { country: 'BE', year: 2026, dailyCeilingMinor: 1690n })
    const fiches = certs.map((c, i) => belcotaxFicheFromCertificate(c, { reference: `K1-G${i + 1}`, debtor: i ? secondGuardian([]).debtor : fiche().debtor, child: fiche().child }).fiche)
    expect(buildBelcotax28186(input({ fiches })).totals.amountMinor).toBe(2n * 1690n)
  })

  it('accepts computeTaxCertificates\' fiches of two guardians whose days differ inside the same first and last day (2, 3, 6 and 2, 5, 6 March at 16.90)', () => {
    const paidBy = (invoiceId: string, debtorId: string, dates: LocalDate[]): TaxCertificateInvoice => ({
      invoiceId, debtorId, currency: 'EUR', dueMinor: 5070n,
      lines: [{ beneficiaryId: 'k1', kind: 'care', dates, amountMinor: 5070n }], payments: [{ date: '2026-03-10', amountMinor: 5070n }],
    })
    const certs = computeTaxCertificates([paidBy('i1', 'g1', ['2026-03-02', '2026-03-03', '2026-03-06']), paidBy('i2', 'g2', ['2026-03-02', '2026-03-05', '2026-03-06'])],
      [{ beneficiaryId: 'k1', birthDate: '2018-11-03' }], { country: 'BE', year: 2026, dailyCeilingMinor: 1690n })
    // each: 8.45 + 16.90 + 8.45 = 33.80 over 3 days (11.26 a day declared, rounded down); 4 distinct days for the child
    expect(certs.map((c) => c.eligibleMinor)).toEqual([3380n, 3380n])
    const fiches = certs.map((c, i) => belcotaxFicheFromCertificate(c, { reference: `K1-G${i + 1}`, debtor: i ? secondGuardian([]).debtor : fiche().debtor, child: fiche().child }).fiche)
    expect(() => buildBelcotax28186(input({ fiches }))).not.toThrow()
  })
})

import { fc, test } from '@fast-check/vitest'
import { computeTaxCertificates, isEcoleError, type LocalDate, type TaxCertificateInvoice } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { buildBelcotax28186 } from './belcotax-281-86'
import { belcotaxFicheFromCertificate } from './from-tax-certificate'
import { fiche, input } from './test-support/fixtures'
import { xsdErrors } from './test-support/xsd'

const people = { reference: 'K1-G1-2026', debtor: fiche().debtor, child: { ...fiche().child, birthDate: undefined } }
const rules = { country: 'BE' as const, year: 2026, dailyCeilingMinor: 1690n }
const child = { beneficiaryId: 'k1', birthDate: '2018-11-03' as const }

function invoice(dates: LocalDate[], amountMinor: bigint): TaxCertificateInvoice {
  return {
    invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: amountMinor, payments: [{ date: '2026-12-20', amountMinor }],
    lines: [{ beneficiaryId: 'k1', kind: 'care', dates, amountMinor }],
  }
}

describe('belcotaxFicheFromCertificate', () => {
  it('turns core\'s Belgian certificate into a fiche whose periods are days × a daily rate, and the file validates', async () => {
    // 10 days of December at 12.00 each
    const dates = Array.from({ length: 10 }, (_, i) => `2026-12-${String(i + 1).padStart(2, '0')}` as LocalDate)
    const [cert] = computeTaxCertificates([invoice(dates, 12000n)], [child], rules)
    const { fiche: f, warnings } = belcotaxFicheFromCertificate(cert!, people)
    expect(warnings).toEqual([])
    expect(f.periods).toEqual([{ from: '2026-12-01', to: '2026-12-10', days: 10, dailyRateMinor: 1200n }])
    expect([f.childId, f.debtorId, f.child.birthDate]).toEqual(['k1', 'g1', '2018-11-03'])
    const { bytes, totals } = buildBelcotax28186(input({ fiches: [f] }))
    expect(totals.amountMinor).toBe(cert!.eligibleMinor)
    expect(await xsdErrors([bytes])).toEqual([])
  })

  it('rounds a period that is not a whole daily rate down, never above what was paid, with a warning', () => {
    // 3 days for 10.00: 3.33 a day, 9.99 declared
    const [cert] = computeTaxCertificates([invoice(['2026-03-02', '2026-03-03', '2026-03-04'], 1000n)], [child], rules)
    const { fiche: f, warnings } = belcotaxFicheFromCertificate(cert!, people)
    expect(f.periods[0]!.dailyRateMinor).toBe(333n)
    expect(warnings).toEqual([{ code: 'AMOUNT_ROUNDED_DOWN', field: 'periods.0', message: '10.00 EUR for 3 days is not a whole daily rate: declared 3 × 3.33 = 9.99 EUR' }])
  })

  it('refuses a French certificate', () => {
    const [fr] = computeTaxCertificates([invoice(['2026-03-02'], 1000n)], [{ beneficiaryId: 'k1', birthDate: '2022-01-10' }], { country: 'FR', year: 2026 })
    expect(fr?.country).toBe('FR')
    let caught: unknown
    try {
      belcotaxFicheFromCertificate(fr!, people)
    } catch (e) {
      caught = e
    }
    expect(isEcoleError(caught, 'INVALID_INPUT')).toBe(true)
  })

  it('refuses a period without care days or with a negative amount, naming it (no division by zero)', () => {
    const [cert] = computeTaxCertificates([invoice(['2026-03-02'], 1000n)], [child], rules)
    for (const [period, path] of [[{ days: 0 }, 'certificate.periods.0.days'], [{ amountMinor: -1000n }, 'certificate.periods.0.amountMinor']] as const) {
      let caught: unknown
      try {
        belcotaxFicheFromCertificate({ ...cert!, periods: [{ ...cert!.periods[0]!, ...period }] }, people)
      } catch (e) {
        caught = e
      }
      expect(isEcoleError(caught, 'INVALID_INPUT') && caught.details.issues.map((i) => i.path)).toEqual([path])
    }
  })

  test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 364 }), fc.bigInt({ min: 1n, max: 5000n })), { minLength: 1, maxLength: 40 })], { numRuns: 60 })(
    'from random care days, the fiche declares the certificate\'s amount, less under one cent per day, each period at most the ceiling per day',
    (days) => {
      const invoices = days.map(([d, amount], i) => ({ ...invoice([new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10) as LocalDate], amount), invoiceId: `i${i}` }))
      const [cert] = computeTaxCertificates(invoices, [child], rules)
      const { fiche: f, warnings } = belcotaxFicheFromCertificate(cert!, people)
      const declared = f.periods.reduce((s, p) => s + p.dailyRateMinor * BigInt(p.days), 0n)
      const allDays = f.periods.reduce((s, p) => s + p.days, 0)
      expect(declared).toBeLessThanOrEqual(cert!.eligibleMinor)
      expect(cert!.eligibleMinor - declared).toBeLessThan(BigInt(allDays))
      expect(warnings.length > 0).toBe(declared !== cert!.eligibleMinor)
      for (const p of f.periods) expect(p.dailyRateMinor).toBeLessThanOrEqual(rules.dailyCeilingMinor)
      expect(() => buildBelcotax28186(input({ fiches: [f] }))).not.toThrow()
    },
  )
})

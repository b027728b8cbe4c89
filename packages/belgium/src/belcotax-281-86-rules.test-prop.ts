import { fc, test } from '@fast-check/vitest'
import { computeTaxCertificates, type LocalDate, type TaxCertificateInvoice } from '@ecole/core'
import { expect } from 'vitest'
import { buildBelcotax28186 } from './belcotax-281-86'
import { belcotaxFicheFromCertificate } from './from-tax-certificate'
import { fiche, input } from './test-support/fixtures'

// Care days of child k1 in 2026: a week of consecutive days (2 to 6 March) and a few days of
// other quarters, so that two guardians' periods often share their first and last day.
const careDays = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-05-04', '2026-05-05', '2026-11-02'] as const satisfies readonly LocalDate[]
const guardianArb = fc.uniqueArray(fc.record({ date: fc.constantFrom<LocalDate>(...careDays), amountMinor: fc.bigInt({ min: 100n, max: 4000n }) }), { minLength: 1, maxLength: 8, selector: (d) => d.date })
const ceilingArb = fc.bigInt({ min: 1000n, max: 2000n })

test.prop([fc.array(guardianArb, { minLength: 1, maxLength: 3 }), ceilingArb])(
  'the fiches computeTaxCertificates gives the guardians of one child are always accepted, and certify at most the daily ceiling for each distinct care day',
  (guardians, dailyCeilingMinor) => {
    const invoices: TaxCertificateInvoice[] = guardians.map((days, g) => {
      const due = days.reduce((s, d) => s + d.amountMinor, 0n)
      return {
        invoiceId: `i${g}`, debtorId: `g${g}`, currency: 'EUR', dueMinor: due, payments: [{ date: '2026-12-20', amountMinor: due }],
        lines: days.map((d) => ({ beneficiaryId: 'k1', kind: 'care' as const, dates: [d.date], amountMinor: d.amountMinor })),
      }
    })
    const certs = computeTaxCertificates(invoices, [{ beneficiaryId: 'k1', birthDate: '2018-11-03' }], { country: 'BE', year: 2026, dailyCeilingMinor })
    const fiches = certs.map((c, i) => belcotaxFicheFromCertificate(c, { reference: `K1-G${i}`, debtor: fiche().debtor, child: fiche().child }).fiche)
    const { totals } = buildBelcotax28186(input({ dailyCeilingMinor, fiches }))
    const distinctDays = new Set(guardians.flatMap((days) => days.map((d) => d.date))).size
    expect(totals.amountMinor <= dailyCeilingMinor * BigInt(distinctDays)).toBe(true)
  },
)

import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { LocalDate } from '../time'
import { computeTaxCertificates, type TaxCertificateInvoice } from './tax-certificates'

const child = { beneficiaryId: 'k1', birthDate: '2022-03-01' as LocalDate }
const careInvoice = (amountMinor: bigint): TaxCertificateInvoice => ({
  invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: amountMinor, payments: [{ date: '2026-12-20', amountMinor }],
  lines: [{ beneficiaryId: 'k1', kind: 'care', dates: ['2026-12-01'], amountMinor }],
})

test.prop([fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 100 }), fc.bigInt({ min: 0n, max: 10n ** 12n })])(
  'the French credit is the eligible amount times the percentage, rounded half up to the minor unit, and never above the eligible amount',
  (paid, creditPercent, ceilingMinor) => {
    const [cert] = computeTaxCertificates([careInvoice(paid)], [child], { country: 'FR', year: 2026, creditPercent, ceilingMinor })
    const exact = cert!.eligibleMinor * BigInt(creditPercent) // hundredths of a minor unit
    const error = cert!.creditMinor * 100n - exact
    expect(error > -50n && error <= 50n).toBe(true)
    expect(cert!.creditMinor <= cert!.eligibleMinor).toBe(true)
    expect(cert!.eligibleMinor).toBe(paid < ceilingMinor ? paid : ceilingMinor)
  },
)

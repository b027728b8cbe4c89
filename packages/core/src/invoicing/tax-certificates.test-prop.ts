import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { LocalDate } from '../time'
import { isEcoleError } from '../errors'
import { computeTaxCertificates, type TaxCertificateInvoice, type TaxServiceKind } from './tax-certificates'

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

// One invoice of December 2026 for child k1 (lines of care, meals or other services, each over
// one to three days), valid credit notes (by line, never more than a line still bills; or lump
// sums, never more than the invoice still bills) and payments made in 2026 or 2027.
const lineArb = fc.record({
  kind: fc.constantFrom<TaxServiceKind>('care', 'meal', 'other'),
  dates: fc.uniqueArray(fc.integer({ min: 1, max: 28 }), { minLength: 1, maxLength: 3 }).map((ds) => ds.sort((a, b) => a - b).map((d) => `2026-12-${String(d).padStart(2, '0')}` as LocalDate)),
  amountMinor: fc.bigInt({ min: 0n, max: 100000n }),
})
const creditArb = fc.record({ line: fc.nat(), lump: fc.boolean(), share: fc.integer({ min: 0, max: 100 }) })
const paymentArb = fc.record({ date: fc.constantFrom<LocalDate>('2026-12-20', '2027-01-12', '2027-06-30'), amountMinor: fc.bigInt({ min: 0n, max: 300000n }) })
const scenarioArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
  credits: fc.array(creditArb, { maxLength: 3 }),
  payments: fc.array(paymentArb, { maxLength: 3 }),
})

function invoiceOf(s: { lines: Array<{ kind: TaxServiceKind; dates: LocalDate[]; amountMinor: bigint }>; credits: Array<{ line: number; lump: boolean; share: number }>; payments: TaxCertificateInvoice['payments'] }) {
  const lines = s.lines.map((l, i) => ({ ...l, lineId: `i1:${i + 1}`, beneficiaryId: 'k1' }))
  const left = lines.map((l) => l.amountMinor) // what each line still bills, counting credits by line only
  let remaining = lines.reduce((sum, l) => sum + l.amountMinor, 0n)
  const creditNotes: NonNullable<TaxCertificateInvoice['creditNotes']> = []
  for (const c of s.credits) {
    if (c.lump) {
      const amountMinor = (remaining * BigInt(c.share)) / 100n
      if (amountMinor > 0n) creditNotes.push({ amountMinor, lines: [] })
      remaining -= amountMinor
    } else {
      const i = c.line % lines.length
      let amountMinor = (left[i]! * BigInt(c.share)) / 100n
      if (amountMinor > remaining) amountMinor = remaining
      if (amountMinor <= 0n) continue
      creditNotes.push({ amountMinor, lines: [{ lineId: lines[i]!.lineId, amountMinor }] })
      left[i] = left[i]! - amountMinor
      remaining -= amountMinor
    }
  }
  const careLeft = lines.reduce((sum, l, i) => (l.kind === 'care' ? sum + left[i]! : sum), 0n)
  const invoice: TaxCertificateInvoice = { invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: remaining, lines, creditNotes, payments: s.payments }
  return { invoice, careLeft, careBilled: lines.reduce((sum, l) => (l.kind === 'care' ? sum + l.amountMinor : sum), 0n), fullyCredited: remaining === 0n }
}

const young = { beneficiaryId: 'k1', birthDate: '2023-03-01' as LocalDate }
const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n)

test.prop([scenarioArb, fc.constantFrom(2026, 2027)])(
  'France: the care certified never exceeds the care lines net of credit notes, nor what was paid in the year, nor what the invoice still bills',
  (s, year) => {
    const { invoice, careLeft, fullyCredited } = invoiceOf(s)
    const paidCareMinor = computeTaxCertificates([invoice], [young], { country: 'FR', year })[0]?.paidCareMinor ?? 0n
    expect(paidCareMinor <= careLeft).toBe(true)
    expect(paidCareMinor <= sum(s.payments.filter((p) => p.date.startsWith(String(year))).map((p) => p.amountMinor))).toBe(true)
    expect(paidCareMinor <= invoice.dueMinor).toBe(true)
    if (fullyCredited) expect(paidCareMinor).toBe(0n)
  },
)

test.prop([scenarioArb])(
  'Belgium: the care certified never exceeds the care lines net of credit notes nor what was paid, and the ceiling only lowers it',
  (s) => {
    const { invoice, careLeft, fullyCredited } = invoiceOf(s)
    const cert = computeTaxCertificates([invoice], [young], { country: 'BE', year: 2026, dailyCeilingMinor: 10n ** 9n })[0]
    const capped = computeTaxCertificates([invoice], [young], { country: 'BE', year: 2026, dailyCeilingMinor: 1000n })[0]
    const paidCareMinor = cert?.paidCareMinor ?? 0n
    expect(paidCareMinor <= careLeft).toBe(true)
    expect(paidCareMinor <= sum(s.payments.map((p) => p.amountMinor))).toBe(true)
    expect(cert?.eligibleMinor ?? 0n).toBe(paidCareMinor)
    expect((capped?.eligibleMinor ?? 0n) <= paidCareMinor).toBe(true)
    if (fullyCredited) expect(paidCareMinor).toBe(0n)
  },
)

test.prop([fc.array(lineArb, { minLength: 1, maxLength: 4 }), fc.constantFrom<'FR' | 'BE'>('FR', 'BE')])(
  'with everything paid and nothing credited, the care certified is the care lines',
  (lines, country) => {
    const { invoice, careBilled } = invoiceOf({ lines, credits: [], payments: [] })
    const paid = { ...invoice, payments: [{ date: '2026-12-20' as LocalDate, amountMinor: invoice.dueMinor }] }
    const rules = country === 'FR' ? { country, year: 2026 } as const : { country, year: 2026, dailyCeilingMinor: 10n ** 9n } as const
    expect(computeTaxCertificates([paid], [young], rules)[0]?.paidCareMinor ?? 0n).toBe(careBilled)
  },
)

test.prop([scenarioArb, fc.bigInt({ min: -300000n, max: 300000n }).filter((d) => d !== 0n), fc.constantFrom<'FR' | 'BE'>('FR', 'BE')])(
  'an invoice whose due amount is not its lines minus its credit notes is refused, naming its lines, never certified',
  (s, difference, country) => {
    const { invoice } = invoiceOf(s)
    const unexplained = { ...invoice, dueMinor: invoice.dueMinor + difference }
    const rules = country === 'FR' ? { country, year: 2026 } as const : { country, year: 2026, dailyCeilingMinor: 10n ** 9n } as const
    let caught: unknown
    try {
      computeTaxCertificates([unexplained], [young], rules)
    } catch (e) {
      caught = e
    }
    expect(isEcoleError(caught, 'INVALID_INPUT')).toBe(true)
    expect((caught as Error).message).toContain('invoices.0.lines: ')
    expect((caught as Error).message).toContain(`dueMinor is ${unexplained.dueMinor}`)
  },
)

test.prop([fc.array(lineArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 100 }), fc.constantFrom<'FR' | 'BE'>('FR', 'BE')])(
  'with everything paid, a reduction line on the meals (no larger than the meals) leaves the care certified at the care lines',
  (lines, percent, country) => {
    const { invoice, careBilled } = invoiceOf({ lines, credits: [], payments: [] })
    const meals = invoice.lines.reduce((s, l) => (l.kind === 'meal' ? s + l.amountMinor : s), 0n)
    const reduction = (meals * BigInt(percent)) / 100n
    const reduced: TaxCertificateInvoice = {
      ...invoice, dueMinor: invoice.dueMinor - reduction,
      lines: [...invoice.lines, { beneficiaryId: 'k1', kind: 'meal', dates: [], amountMinor: -reduction }],
      payments: [{ date: '2026-12-20', amountMinor: invoice.dueMinor - reduction }],
    }
    const rules = country === 'FR' ? { country, year: 2026 } as const : { country, year: 2026, dailyCeilingMinor: 10n ** 9n } as const
    expect(computeTaxCertificates([reduced], [young], rules)[0]?.paidCareMinor ?? 0n).toBe(careBilled)
  },
)

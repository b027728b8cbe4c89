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

// Belgium, several guardians paying for the care of one or two children: each guardian has one to
// three invoices paid in full, each line one care day of one child. The care days are one per
// calendar quarter, so each period of a certificate is one day and its amount is that day's.
const quarterDays = ['2026-02-02', '2026-05-04', '2026-08-03', '2026-11-02'] as const satisfies readonly LocalDate[]
const kids = [{ beneficiaryId: 'k1', birthDate: '2018-02-28' as LocalDate }, { beneficiaryId: 'k2', birthDate: '2020-09-15' as LocalDate }]
const careLineArb = fc.record({ kid: fc.constantFrom('k1', 'k2'), date: fc.constantFrom<LocalDate>(...quarterDays), amountMinor: fc.bigInt({ min: 0n, max: 5000n }) })
const payersArb = fc.uniqueArray(
  fc.record({ debtorId: fc.constantFrom('g1', 'g2', 'g3', 'ga', 'gB'), invoices: fc.array(fc.array(careLineArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }) }),
  { minLength: 1, maxLength: 4, selector: (p) => p.debtorId },
)
type PayersScenario = Array<{ debtorId: string; invoices: Array<Array<{ kid: string; date: LocalDate; amountMinor: bigint }>> }>
const invoicesOf = (payers: PayersScenario): TaxCertificateInvoice[] =>
  payers.flatMap((p) => p.invoices.map((lines, i) => {
    const due = sum(lines.map((l) => l.amountMinor))
    return {
      invoiceId: `${p.debtorId}-${i}`, debtorId: p.debtorId, currency: 'EUR' as const, dueMinor: due,
      lines: lines.map((l) => ({ beneficiaryId: l.kid, kind: 'care' as const, dates: [l.date], amountMinor: l.amountMinor })),
      payments: [{ date: '2026-12-20' as LocalDate, amountMinor: due }],
    }
  }))
/** What each guardian paid for each child and day, from the scenario itself: `debtor|kid|date` -> minor units. */
const paidByDay = (payers: PayersScenario) => {
  const paid = new Map<string, bigint>()
  for (const p of payers) for (const lines of p.invoices) for (const l of lines) {
    const key = `${p.debtorId}|${l.kid}|${l.date}`
    paid.set(key, (paid.get(key) ?? 0n) + l.amountMinor)
  }
  return paid
}

test.prop([payersArb, fc.bigInt({ min: 0n, max: 3000n })])(
  'Belgium: per child and day, the amounts certified to all payers together never exceed the daily ceiling, nor any payer\'s part what that payer paid; over the ceiling they add up to it exactly',
  (payers, dailyCeilingMinor) => {
    const paid = paidByDay(payers)
    const certified = new Map<string, bigint>()
    for (const c of computeTaxCertificates(invoicesOf(payers), kids, { country: 'BE', year: 2026, dailyCeilingMinor })) {
      for (const p of c.periods) {
        expect(p.days).toBe(1)
        certified.set(`${c.debtorId}|${c.beneficiaryId}|${p.from}`, p.amountMinor)
      }
    }
    for (const kid of kids) {
      for (const date of quarterDays) {
        const keys = payers.map((p) => `${p.debtorId}|${kid.beneficiaryId}|${date}`)
        const paidThatDay = sum(keys.map((k) => paid.get(k) ?? 0n))
        const certifiedThatDay = sum(keys.map((k) => certified.get(k) ?? 0n))
        for (const k of keys) expect((certified.get(k) ?? 0n) <= (paid.get(k) ?? 0n)).toBe(true)
        expect(certifiedThatDay <= dailyCeilingMinor).toBe(true)
        expect(certifiedThatDay).toBe(paidThatDay < dailyCeilingMinor ? paidThatDay : dailyCeilingMinor)
      }
    }
  },
)

test.prop([payersArb, fc.bigInt({ min: 0n, max: 3000n })])(
  'Belgium: a single payer\'s certificates are what they always were, each day what was paid up to the daily ceiling',
  (payers, dailyCeilingMinor) => {
    const alone = payers.slice(0, 1)
    const paid = paidByDay(alone)
    const certs = computeTaxCertificates(invoicesOf(alone), kids, { country: 'BE', year: 2026, dailyCeilingMinor })
    const expected = [...paid.entries()].filter(([, v]) => v > 0n && dailyCeilingMinor > 0n).map(([k, v]) => [k, v < dailyCeilingMinor ? v : dailyCeilingMinor] as const).sort(([x], [y]) => (x < y ? -1 : 1))
    const got = certs.flatMap((c) => c.periods.map((p) => [`${c.debtorId}|${c.beneficiaryId}|${p.from}`, p.amountMinor] as const)).sort(([x], [y]) => (x < y ? -1 : 1))
    expect(got).toEqual(expected)
  },
)

test.prop([payersArb, fc.bigInt({ min: 0n, max: 3000n })])(
  'Belgium: the shares of the daily ceiling do not depend on the order of the invoices',
  (payers, dailyCeilingMinor) => {
    const invoices = invoicesOf(payers)
    const rules = { country: 'BE', year: 2026, dailyCeilingMinor } as const
    expect(computeTaxCertificates([...invoices].reverse(), kids, rules)).toEqual(computeTaxCertificates(invoices, kids, rules))
  },
)

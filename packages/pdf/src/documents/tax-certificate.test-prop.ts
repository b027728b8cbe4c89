import { fc, test } from '@fast-check/vitest'
import { computeTaxCertificates, isEcoleError, type LocalDate, type TaxCertificate, type TaxCertificateInvoice } from '@ecole/core'
import { expect } from 'vitest'
import { collect } from '../render-one'
import { renderPdf } from '../renderer'
import { prepareTaxCertificate, type TaxCertificateRequestInput } from './tax-certificate'
import { belgianIssuer } from '../test-support/fixtures'
import { pdfText } from '../test-support/tools'

// calendar arithmetic written here with Date.UTC, not the library's helpers
const DAY = 86_400_000
const epoch = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / DAY
const iso = (n: number) => new Date(n * DAY).toISOString().slice(0, 10) as LocalDate
const frDate = (s: string) => `${s.slice(6, 10)}-${s.slice(3, 5)}-${s.slice(0, 2)}`
/** '3 500,00 €' -> 350000n */
const money = (s: string) => BigInt(s.replace(/[\s€]/g, '').replace(',', ''))
const MONEY = String.raw`(-?[\d ]+,\d\d) €`

const base = (certificate: TaxCertificate, printedOn: string): TaxCertificateRequestInput => ({
  language: 'fr', printedOn, issuer: belgianIssuer(), certificate, childName: 'Léa Dupont', payer: { name: 'Marie Dupont', address: ['Rue Haute 1', '1000 Bruxelles'] },
})

/** Now and then a figure broken on purpose (by one of `kinds`), otherwise none: about half the requests keep every rule. */
const mutationArb = <K extends string>(...kinds: K[]) => fc.option(fc.constantFrom(...kinds), { nil: undefined, freq: 2 })

const frenchArb = fc
  .record({
    year: fc.integer({ min: 2010, max: 2040 }),
    age: fc.integer({ min: 0, max: 6 * 365 - 1 }), // days old on 1 January: under 6
    paid: fc.bigInt({ min: 0n, max: 1_000_000n }),
    ceiling: fc.option(fc.constantFrom(350000n, 175000n, 200000n), { nil: undefined }),
    percent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    wrong: fc.bigInt({ min: 0n, max: 2_000_000n }),
    mutation: mutationArb('old', 'eligible', 'eligibleByOne', 'credit', 'creditByOne'),
  })
  .map((x): TaxCertificateRequestInput => {
    const ceiling = x.ceiling ?? 350000n
    let eligible = x.paid < ceiling ? x.paid : ceiling
    if (x.mutation === 'eligible') eligible = x.wrong
    if (x.mutation === 'eligibleByOne') eligible += 1n
    let credit = (eligible * BigInt(x.percent ?? 50) + 50n) / 100n
    if (x.mutation === 'credit') credit = x.wrong
    if (x.mutation === 'creditByOne') credit += 1n
    const age = x.mutation === 'old' ? x.age + 6 * 366 : x.age
    return {
      ...base({ country: 'FR', year: x.year, debtorId: 'g1', beneficiaryId: 'k1', birthDate: iso(epoch(`${x.year}-01-01`) - age), currency: 'EUR', paidCareMinor: x.paid, eligibleMinor: eligible, creditMinor: credit, periods: [] }, `${x.year + 1}-01-15`),
      ...(x.ceiling === undefined ? {} : { ceilingMinor: x.ceiling }),
      ...(x.percent === undefined ? {} : { creditPercent: x.percent }),
    }
  })

const belgianArb = fc
  .record({
    year: fc.integer({ min: 2010, max: 2040 }),
    severe: fc.boolean(),
    ageYears: fc.integer({ min: 0, max: 12 }), // born this many years (and some days) before 1 January: under 14 all year
    ageDays: fc.integer({ min: 0, max: 360 }),
    ceiling: fc.bigInt({ min: 1400n, max: 1800n }),
    // each period: a gap after the previous one, its length, its care days (some of them), its daily amount under the ceiling
    periods: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 25 }), length: fc.integer({ min: 0, max: 50 }), days: fc.nat(), under: fc.bigInt({ min: 0n, max: 900n }) }), { minLength: 1, maxLength: 4 }),
    start: fc.integer({ min: 0, max: 30 }),
    extraPaid: fc.bigInt({ min: 0n, max: 50_000n }),
    mutation: mutationArb('reversed', 'outOfYear', 'tooManyDays', 'overCeiling', 'overlap', 'old', 'veryOld', 'unborn', 'printedEarly', 'credit', 'paidLow'),
  })
  .map((x): TaxCertificateRequestInput => {
    const jan1 = epoch(`${x.year}-01-01`)
    let cursor = jan1 + x.start + (x.mutation === 'outOfYear' ? -40 : 0)
    const periods = x.periods.map((p, i) => {
      const from = cursor + (x.mutation === 'overlap' && i > 0 ? -p.gap - 1 : 0)
      const to = from + p.length
      cursor = to + p.gap
      const days = 1 + (p.days % (p.length + 1)) + (x.mutation === 'tooManyDays' && i === 0 ? p.length + 1 : 0)
      const perDay = x.ceiling - p.under + (x.mutation === 'overCeiling' && i === 0 ? p.under + 1n : 0n)
      return x.mutation === 'reversed' && i === 0 && from !== to
        ? { from: iso(to), to: iso(from), days, amountMinor: perDay * BigInt(days) }
        : { from: iso(from), to: iso(to), days, amountMinor: perDay * BigInt(days) }
    })
    const eligible = periods.reduce((s, p) => s + p.amountMinor, 0n)
    const ageYears = x.ageYears + (x.mutation === 'old' ? 2 : x.mutation === 'veryOld' ? 9 : 0)
    const birth = x.mutation === 'unborn' ? iso(jan1 + x.start + 1) : `${x.year - ageYears - 1}${iso(jan1 - x.ageDays).slice(4)}`
    const lastDay = [...periods].sort((a, b) => (a.to < b.to ? 1 : -1))[0]!.to
    return {
      ...base({ country: 'BE', year: x.year, debtorId: 'g1', beneficiaryId: 'k1', birthDate: birth as LocalDate, currency: 'EUR', paidCareMinor: x.mutation === 'paidLow' ? eligible - 1n : eligible + x.extraPaid, eligibleMinor: eligible, creditMinor: x.mutation === 'credit' ? 100n : 0n, periods }, x.mutation === 'printedEarly' ? iso(epoch(lastDay) - 1) : `${x.year + 1}-01-15`),
      dailyCeilingMinor: x.ceiling,
      ...(x.severe ? { severeDisability: true } : {}),
    }
  })

/** The request if it is accepted, `undefined` if it is refused as bad input. */
function accepted(request: TaxCertificateRequestInput): TaxCertificateRequestInput | undefined {
  try {
    prepareTaxCertificate(request)
    return request
  } catch (e) {
    if (isEcoleError(e) && e.code === 'INVALID_INPUT') return undefined
    throw e
  }
}
async function printed(request: TaxCertificateRequestInput): Promise<string> {
  return pdfText(await collect(renderPdf({ kind: 'taxCertificate', data: request }).chunks)).replace(/[\u00a0\u202f]/g, ' ')
}
/** Whether someone born on `birth` is under `years` on `day` (birthdays by year, month and day). */
const under = (birth: string, years: number, day: string) => `${Number(birth.slice(0, 4)) + years}${birth.slice(4)}` > day

test.prop([frenchArb], { numRuns: 40 })(
  'France: any request accepted prints a child under 6 on 1 January, the care paid up to the printed ceiling as the amount that counts, and the printed rate of it, rounded half up, as the credit',
  async (request) => {
    if (accepted(request) === undefined) return
    const c = request.certificate as TaxCertificate
    expect(under(c.birthDate, 6, `${c.year}-01-01`)).toBe(true)
    const t = await printed(request)
    const paid = money(new RegExp(`Sommes versées pour la garde \\(hors frais de repas\\)\\s+${MONEY}`).exec(t)![1]!)
    const [, ceiling, eligible] = new RegExp(`Montant retenu \\(plafond de ${MONEY}\\)\\s+${MONEY}`).exec(t)!
    const [, percent, credit] = new RegExp(`Crédit d'impôt correspondant \\((\\d+) %\\)\\s+${MONEY}`).exec(t)!
    const counts = money(eligible!)
    expect(counts).toBe(paid < money(ceiling!) ? paid : money(ceiling!))
    // credit × 100 is within half a minor unit of counts × rate, ties going up
    const gap = money(credit!) * 100n - counts * BigInt(percent!)
    expect(gap > -50n && gap <= 50n).toBe(true)
  },
)

test.prop([belgianArb], { numRuns: 40 })(
  'Belgium: any request accepted prints periods inside the income year, in order, with days that fit, daily rates and amounts within the printed daily ceiling, adding up to the total, for a child under the age limit, all before the certificate date',
  async (request) => {
    if (accepted(request) === undefined) return
    const c = request.certificate as TaxCertificate
    const t = await printed(request)
    const ceiling = money(new RegExp(`Plafond journalier : ${MONEY}`).exec(t)![1]!)
    const rows = [...t.matchAll(new RegExp(String.raw`(\d\d/\d\d/\d{4})\s+(\d\d/\d\d/\d{4})\s+(\d+)\s+${MONEY}\s+${MONEY}`, 'g'))].map((m) => ({ from: frDate(m[1]!), to: frDate(m[2]!), days: Number(m[3]), rate: money(m[4]!), amount: money(m[5]!) }))
    expect(rows).toHaveLength(c.periods.length)
    const limit = t.includes('moins de 21 ans') ? 21 : 14
    expect(limit === 21).toBe(request.severeDisability === true)
    let previousEnd: string | undefined
    for (const r of rows) {
      expect(r.from <= r.to).toBe(true)
      expect(r.from.slice(0, 4)).toBe(String(c.year))
      expect(r.to.slice(0, 4)).toBe(String(c.year))
      expect(r.days).toBeLessThanOrEqual(epoch(r.to) - epoch(r.from) + 1)
      if (previousEnd !== undefined) expect(r.from > previousEnd).toBe(true)
      previousEnd = r.to
      expect(r.rate).toBeLessThanOrEqual(ceiling)
      expect(r.amount).toBeLessThanOrEqual(ceiling * BigInt(r.days))
      expect(r.from >= c.birthDate).toBe(true)
      expect(under(c.birthDate, limit, r.to)).toBe(true)
      expect(r.to <= request.printedOn).toBe(true)
    }
    const total = money(new RegExp(`Total\\s+${MONEY}`).exec(t)![1]!)
    expect(total).toBe(rows.reduce((s, r) => s + r.amount, 0n))
  },
)

// a certificate the core computes, printed with the rules it was computed with, is never refused
const coreArb = fc.record({
  year: fc.integer({ min: 2010, max: 2040 }),
  age: fc.integer({ min: 0, max: 22 * 366 }), // born on or before 1 January of the year
  alternating: fc.boolean(),
  severe: fc.boolean(),
  percent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  ceiling: fc.bigInt({ min: 1000n, max: 2000n }),
  invoices: fc.array(
    fc.record({
      care: fc.array(fc.record({ day: fc.integer({ min: -20, max: 385 }), amount: fc.bigInt({ min: 100n, max: 400_000n }) }), { minLength: 1, maxLength: 6 }),
      meal: fc.bigInt({ min: 0n, max: 5000n }),
      paidShare: fc.constantFrom(100n, 100n, 60n),
      paidOn: fc.integer({ min: 0, max: 364 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
})

test.prop([coreArb], { numRuns: 150 })('a certificate computed by computeTaxCertificates, printed with the rules it was computed with, is accepted', (x) => {
  const jan1 = epoch(`${x.year}-01-01`)
  const invoices: TaxCertificateInvoice[] = x.invoices.map((inv, i) => {
    const lines = [
      ...inv.care.map((l) => ({ beneficiaryId: 'k1', kind: 'care' as const, dates: [iso(jan1 + l.day)], amountMinor: l.amount })),
      { beneficiaryId: 'k1', kind: 'meal' as const, dates: [iso(jan1 + 1)], amountMinor: inv.meal },
    ]
    const due = lines.reduce((s, l) => s + l.amountMinor, 0n)
    return { invoiceId: `i${i}`, debtorId: 'g1', currency: 'EUR', dueMinor: due, lines, payments: [{ date: iso(jan1 + inv.paidOn), amountMinor: (due * inv.paidShare) / 100n }] }
  })
  const child = { beneficiaryId: 'k1', birthDate: iso(jan1 - x.age), alternatingResidence: x.alternating, severeDisability: x.severe }
  const french = computeTaxCertificates(invoices, [child], { country: 'FR', year: x.year, ...(x.percent === undefined ? {} : { creditPercent: x.percent }) })
  for (const c of french) {
    expect(() => prepareTaxCertificate({ ...base(c, `${x.year + 1}-01-15`), ...(x.alternating ? { ceilingMinor: 175000n } : {}), ...(x.percent === undefined ? {} : { creditPercent: x.percent }) })).not.toThrow()
  }
  for (const c of computeTaxCertificates(invoices, [child], { country: 'BE', year: x.year, dailyCeilingMinor: x.ceiling })) {
    expect(() => prepareTaxCertificate({ ...base(c, `${x.year + 1}-01-15`), dailyCeilingMinor: x.ceiling, ...(x.severe ? { severeDisability: true } : {}) })).not.toThrow()
  }
})

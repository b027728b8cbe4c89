import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import type { LocalDate } from '../time'
import { computeTaxCertificates, type TaxCertificateInvoice } from './tax-certificates'

// one invoice of December 2026: 10 care days at 20.00 and 10 meals at 4.00, for child k1
const days = Array.from({ length: 10 }, (_, i) => `2026-12-${String(i + 1).padStart(2, '0')}` as LocalDate)
const inv = (payments: TaxCertificateInvoice['payments'], over: Partial<TaxCertificateInvoice> = {}): TaxCertificateInvoice => ({
  invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: 24000n, payments,
  lines: [{ beneficiaryId: 'k1', kind: 'care', dates: [...days], amountMinor: 20000n }, { beneficiaryId: 'k1', kind: 'meal', dates: [...days], amountMinor: 4000n }],
  ...over,
})

describe('computeTaxCertificates, France (CGI art. 200 quater B)', () => {
  const child = { beneficiaryId: 'k1', birthDate: '2022-03-01' as const }
  it('counts care paid in the year, meals excluded, with a 50% credit', () => {
    const [cert] = computeTaxCertificates([inv([{ date: '2026-12-20', amountMinor: 24000n }])], [child], { country: 'FR', year: 2026 })
    expect(cert).toMatchObject({ country: 'FR', debtorId: 'g1', beneficiaryId: 'k1', paidCareMinor: 20000n, eligibleMinor: 20000n, creditMinor: 10000n })
  })
  it('counts a payment in the year it was made, not the year of care', () => {
    expect(computeTaxCertificates([inv([{ date: '2027-01-10', amountMinor: 24000n }])], [child], { country: 'FR', year: 2026 })).toEqual([])
    expect(computeTaxCertificates([inv([{ date: '2027-01-10', amountMinor: 24000n }])], [child], { country: 'FR', year: 2027 })[0]!.paidCareMinor).toBe(20000n)
  })
  it('spreads a partial payment over the lines pro rata', () => {
    // 12.00 paid of 240.00: care share is 200/240 of it = 10.00
    expect(computeTaxCertificates([inv([{ date: '2026-12-20', amountMinor: 1200n }])], [child], { country: 'FR', year: 2026 })[0]!.paidCareMinor).toBe(1000n)
  })
  it('excludes a child aged 6 on 1 January', () => {
    expect(computeTaxCertificates([inv([{ date: '2026-12-20', amountMinor: 24000n }])], [{ beneficiaryId: 'k1', birthDate: '2020-01-01' }], { country: 'FR', year: 2026 })).toEqual([])
    expect(computeTaxCertificates([inv([{ date: '2026-12-20', amountMinor: 24000n }])], [{ beneficiaryId: 'k1', birthDate: '2020-01-02' }], { country: 'FR', year: 2026 })).toHaveLength(1)
  })
  it('caps at 3,500 EUR per child, halved for an alternating residence', () => {
    const big = inv([{ date: '2026-12-20', amountMinor: 600000n }], { dueMinor: 600000n, lines: [{ beneficiaryId: 'k1', kind: 'care', dates: [...days], amountMinor: 600000n }] })
    expect(computeTaxCertificates([big], [child], { country: 'FR', year: 2026 })[0]).toMatchObject({ eligibleMinor: 350000n, creditMinor: 175000n })
    expect(computeTaxCertificates([big], [{ ...child, alternatingResidence: true }], { country: 'FR', year: 2026 })[0]!.eligibleMinor).toBe(175000n)
  })
})

describe('computeTaxCertificates, Belgium (281.86)', () => {
  const child = { beneficiaryId: 'k1', birthDate: '2016-06-01' as const }
  const rules = { country: 'BE' as const, year: 2026, dailyCeilingMinor: 1640n }
  it('counts fully paid care days only, each capped at the daily ceiling, meals excluded', () => {
    const [cert] = computeTaxCertificates([inv([{ date: '2027-01-05', amountMinor: 24000n }])], [child], rules)
    // 10 days at 20.00 capped at 16.40
    expect(cert!.eligibleMinor).toBe(16400n)
    expect(cert!.paidCareMinor).toBe(20000n)
    expect(cert!.periods).toEqual([{ from: '2026-12-01', to: '2026-12-10', days: 10, amountMinor: 16400n }])
  })
  it('leaves out an invoice not fully paid', () => {
    expect(computeTaxCertificates([inv([{ date: '2027-01-05', amountMinor: 23999n }])], [child], rules)).toEqual([])
  })
  it('stops on the day the child turns 14', () => {
    const c14 = { beneficiaryId: 'k1', birthDate: '2012-12-06' as const }
    expect(computeTaxCertificates([inv([{ date: '2027-01-05', amountMinor: 24000n }])], [c14], rules)[0]!.periods[0]!.days).toBe(5)
  })
  it('counts a child with a severe disability until the day before 21', () => {
    const c = { beneficiaryId: 'k1', birthDate: '2005-12-06' as const }
    expect(computeTaxCertificates([inv([{ date: '2027-01-05', amountMinor: 24000n }])], [c], rules)).toEqual([])
    expect(computeTaxCertificates([inv([{ date: '2027-01-05', amountMinor: 24000n }])], [{ ...c, severeDisability: true }], rules)[0]!.periods[0]!.days).toBe(5)
  })
  it('reports at most four periods, one per quarter', () => {
    const year = ['2026-01-05', '2026-02-05', '2026-04-05', '2026-07-05', '2026-10-05', '2026-11-05'] as const
    const i = inv([{ date: '2026-12-20', amountMinor: 6000n }], { dueMinor: 6000n, lines: [{ beneficiaryId: 'k1', kind: 'care', dates: [...year], amountMinor: 6000n }] })
    const [cert] = computeTaxCertificates([i], [child], rules)
    expect(cert!.periods.map((p) => [p.from, p.to, p.days])).toEqual([['2026-01-05', '2026-02-05', 2], ['2026-04-05', '2026-04-05', 1], ['2026-07-05', '2026-07-05', 1], ['2026-10-05', '2026-11-05', 2]])
  })
})

describe('computeTaxCertificates, Belgium: the daily ceiling is per child and day, across payers', () => {
  const child = { beneficiaryId: 'k1', birthDate: '2018-02-28' as const }
  const rules = { country: 'BE' as const, year: 2026, dailyCeilingMinor: 1690n }
  // one guardian's invoice for child k1's care on the given days, each day at `perDay`, paid in full
  const careOf = (invoiceId: string, debtorId: string, dates: LocalDate[], perDay: bigint): TaxCertificateInvoice => {
    const amountMinor = perDay * BigInt(dates.length)
    return { invoiceId, debtorId, currency: 'EUR', dueMinor: amountMinor, lines: [{ beneficiaryId: 'k1', kind: 'care', dates, amountMinor }], payments: [{ date: '2026-03-10', amountMinor }] }
  }
  const twoDays: LocalDate[] = ['2026-03-02', '2026-03-03']

  it('two guardians who each paid 30.00 for the same child on the same two days share the 16.90 ceiling: 8.45 a day each, 33.80 for the child', () => {
    const certs = computeTaxCertificates([careOf('i1', 'g1', twoDays, 3000n), careOf('i2', 'g2', twoDays, 3000n)], [child], rules)
    expect(certs.map((c) => [c.debtorId, c.paidCareMinor, c.eligibleMinor])).toEqual([['g1', 6000n, 1690n], ['g2', 6000n, 1690n]])
    expect(certs.map((c) => c.periods)).toEqual([
      [{ from: '2026-03-02', to: '2026-03-03', days: 2, amountMinor: 1690n }],
      [{ from: '2026-03-02', to: '2026-03-03', days: 2, amountMinor: 1690n }],
    ])
    expect(certs.reduce((s, c) => s + c.eligibleMinor, 0n)).toBe(2n * 1690n)
  })

  it('shares the ceiling in proportion to what each guardian paid that day: 20.00 and 10.00 give 11.27 and 5.63', () => {
    const certs = computeTaxCertificates([careOf('i1', 'g1', ['2026-03-02'], 2000n), careOf('i2', 'g2', ['2026-03-02'], 1000n)], [child], rules)
    // 16.90 × 2/3 = 11.2666..., 16.90 × 1/3 = 5.6333...: the larger remainder (g1's) takes the last cent
    expect(certs.map((c) => [c.debtorId, c.eligibleMinor])).toEqual([['g1', 1127n], ['g2', 563n]])
  })

  it('gives the odd cent of an even split to the smaller guardian id, whatever the order of the invoices', () => {
    const rules1 = { ...rules, dailyCeilingMinor: 1691n }
    const a = careOf('i1', 'g2', ['2026-03-02'], 3000n)
    const b = careOf('i2', 'g1', ['2026-03-02'], 3000n)
    for (const invoices of [[a, b], [b, a]]) {
      expect(computeTaxCertificates(invoices, [child], rules1).map((c) => [c.debtorId, c.eligibleMinor])).toEqual([['g1', 846n], ['g2', 845n]])
    }
  })

  it('leaves each guardian what they paid when together they paid no more than the ceiling', () => {
    const certs = computeTaxCertificates([careOf('i1', 'g1', twoDays, 1000n), careOf('i2', 'g2', twoDays, 690n)], [child], rules)
    expect(certs.map((c) => [c.debtorId, c.eligibleMinor])).toEqual([['g1', 2000n], ['g2', 1380n]])
  })

  it('shares only the days both guardians paid for: a day one guardian paid alone is capped at the whole ceiling', () => {
    const certs = computeTaxCertificates([careOf('i1', 'g1', twoDays, 3000n), careOf('i2', 'g2', ['2026-03-03'], 3000n)], [child], rules)
    // g1: 16.90 on 2 March (alone) + 8.45 on 3 March; g2: 8.45 on 3 March
    expect(certs.map((c) => [c.debtorId, c.eligibleMinor])).toEqual([['g1', 1690n + 845n], ['g2', 845n]])
  })

  it('issues no Belgian certificate, and no care day, to a guardian whose share of every day rounds to nothing (0.01 beside two who paid the ceiling)', () => {
    const certs = computeTaxCertificates([careOf('i1', 'g1', twoDays, 3000n), careOf('i2', 'g2', twoDays, 3000n), careOf('i3', 'g3', twoDays, 1n)], [child], rules)
    expect(certs.map((c) => c.debtorId)).toEqual(['g1', 'g2'])
    expect(certs.every((c) => c.periods.every((p) => p.amountMinor > 0n))).toBe(true)
    expect(certs.reduce((s, c) => s + c.eligibleMinor, 0n)).toBe(2n * 1690n)
  })

  it('does not share the ceiling between two children of the same guardians', () => {
    const k2 = { beneficiaryId: 'k2', birthDate: '2019-05-01' as const }
    const forK2 = { ...careOf('i2', 'g2', twoDays, 3000n), lines: [{ beneficiaryId: 'k2', kind: 'care' as const, dates: twoDays, amountMinor: 6000n }] }
    const certs = computeTaxCertificates([careOf('i1', 'g1', twoDays, 3000n), forK2], [child, k2], rules)
    expect(certs.map((c) => [c.debtorId, c.beneficiaryId, c.eligibleMinor])).toEqual([['g1', 'k1', 3380n], ['g2', 'k2', 3380n]])
  })
})

// one invoice of December 2026 with ids on its lines: 4 care days and 4 meals at 25.00, for child k1
const four = days.slice(0, 4)
const billed = (payments: TaxCertificateInvoice['payments'], creditNotes: NonNullable<TaxCertificateInvoice['creditNotes']>): TaxCertificateInvoice => {
  const credited = creditNotes.reduce((s, c) => s + c.amountMinor, 0n)
  return {
    invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: 20000n - credited, payments, creditNotes,
    lines: [{ lineId: 'i1:1', beneficiaryId: 'k1', kind: 'care', dates: [...four], amountMinor: 10000n }, { lineId: 'i1:2', beneficiaryId: 'k1', kind: 'meal', dates: [...four], amountMinor: 10000n }],
  }
}
const careCredited = { amountMinor: 10000n, lines: [{ lineId: 'i1:1', amountMinor: 10000n }] }
const mealCredited = { amountMinor: 10000n, lines: [{ lineId: 'i1:2', amountMinor: 10000n }] }
const paidCare = (i: TaxCertificateInvoice, rules: Parameters<typeof computeTaxCertificates>[2] = { country: 'FR', year: 2027 }): bigint =>
  computeTaxCertificates([i], [{ beneficiaryId: 'k1', birthDate: '2023-03-01' }], rules)[0]?.paidCareMinor ?? 0n

describe('computeTaxCertificates, credit notes', () => {
  it('certifies no care when the care line was credited and the meals still due were paid', () => {
    expect(paidCare(billed([{ date: '2027-01-12', amountMinor: 10000n }], [careCredited]))).toBe(0n)
  })
  it('certifies all the care when the meal line was credited and the care still due was paid', () => {
    expect(paidCare(billed([{ date: '2027-01-12', amountMinor: 10000n }], [mealCredited]))).toBe(10000n)
  })
  it('certifies no care when the care line was credited after the whole invoice was paid: the money paid beyond the net total is not care paid', () => {
    expect(paidCare(billed([{ date: '2027-01-12', amountMinor: 20000n }], [careCredited]))).toBe(0n)
  })
  it('certifies the care of an invoice paid in full with nothing credited', () => {
    expect(paidCare(billed([{ date: '2027-01-12', amountMinor: 20000n }], []))).toBe(10000n)
  })
  it('spreads a credit note without line detail over the lines pro rata', () => {
    // 50.00 credited on 200.00: care is billed 75.00 net, all paid
    expect(paidCare(billed([{ date: '2027-01-12', amountMinor: 15000n }], [{ amountMinor: 5000n, lines: [] }]))).toBe(7500n)
    // a whole credit after a line credit leaves nothing
    expect(paidCare(billed([{ date: '2027-01-12', amountMinor: 20000n }], [mealCredited, { amountMinor: 10000n, lines: [] }]))).toBe(0n)
  })
  it('never counts more than the net total, in payment order: what a later payment adds beyond it is not care paid', () => {
    // net total 100.00 (meals credited): 60.00 paid in 2026, then 100.00 in 2027: only 40.00 of it counts for 2027
    const i = billed([{ date: '2027-01-12', amountMinor: 10000n }, { date: '2026-12-20', amountMinor: 6000n }], [mealCredited])
    expect(paidCare(i, { country: 'FR', year: 2026 })).toBe(6000n)
    expect(paidCare(i, { country: 'FR', year: 2027 })).toBe(4000n)
  })
  it('Belgium: certifies only the care days net of credit notes, each capped at the daily ceiling', () => {
    const rules = { country: 'BE' as const, year: 2026, dailyCeilingMinor: 2000n }
    // meals credited, care paid: 4 days at 25.00 capped at 20.00
    const [cert] = computeTaxCertificates([billed([{ date: '2027-01-12', amountMinor: 10000n }], [mealCredited])], [{ beneficiaryId: 'k1', birthDate: '2020-03-01' }], rules)
    expect(cert).toMatchObject({ paidCareMinor: 10000n, eligibleMinor: 8000n, periods: [{ from: '2026-12-01', to: '2026-12-04', days: 4, amountMinor: 8000n }] })
    // care credited after the invoice was paid in full: nothing
    expect(paidCare(billed([{ date: '2027-01-12', amountMinor: 20000n }], [careCredited]), rules)).toBe(0n)
    // 40.00 of care credited on line 1: 60.00 over 4 days is 15.00 a day, under the ceiling
    const part = computeTaxCertificates([billed([{ date: '2027-01-12', amountMinor: 16000n }], [{ amountMinor: 4000n, lines: [{ lineId: 'i1:1', amountMinor: 4000n }] }])], [{ beneficiaryId: 'k1', birthDate: '2020-03-01' }], rules)
    expect(part[0]).toMatchObject({ paidCareMinor: 6000n, eligibleMinor: 6000n })
  })
  it('refuses a credit note naming a line the invoice does not have, naming the field', () => {
    const i = billed([], [{ amountMinor: 100n, lines: [{ lineId: 'i1:9', amountMinor: 100n }] }])
    expect(() => computeTaxCertificates([i], [], { country: 'FR', year: 2027 })).toThrow(/invoices\.0\.creditNotes\.0\.lines\.0\.lineId/)
  })
})

/** The code, the paths named and the message of the EcoleError `f` throws. */
function refusal(f: () => unknown): { code: string; paths: string[]; message: string } {
  try {
    f()
  } catch (e) {
    if (isEcoleError(e)) {
      const issues = (e.details as { issues?: Array<{ path: string }> }).issues ?? []
      return { code: e.code, paths: issues.map((i) => i.path), message: e.message }
    }
    throw e
  }
  throw new Error('no error')
}

// one invoice of December 2026 for child k1: 8 care days at 12.00 (96.00) and a canteen line of 60.00
const eight = days.slice(0, 8)
const careLine = { lineId: 'i1:1', beneficiaryId: 'k1', kind: 'care' as const, dates: [...eight], amountMinor: 9600n }
const canteenLine = { lineId: 'i1:2', beneficiaryId: 'k1', kind: 'meal' as const, dates: [...eight], amountMinor: 6000n }
const canteenReduction = { lineId: 'i1:3', beneficiaryId: 'k1', kind: 'meal' as const, dates: [], amountMinor: -400n }
const young = [{ beneficiaryId: 'k1', birthDate: '2023-03-01' as LocalDate }]

describe('computeTaxCertificates, lines that must explain the invoice', () => {
  it('refuses an invoice whose lines add up to more than is due with no credit note to explain it, naming its lines and both sums', () => {
    // the host forgot the 4.00 reduction on the canteen: 96.00 + 60.00 = 156.00 of lines for 152.00 due
    const forgot: TaxCertificateInvoice = { invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: 15200n, lines: [careLine, canteenLine], payments: [{ date: '2026-12-20', amountMinor: 15200n }] }
    const e = refusal(() => computeTaxCertificates([forgot], young, { country: 'FR', year: 2026 }))
    expect(e).toMatchObject({ code: 'INVALID_INPUT', paths: ['invoices.0.lines'] })
    expect(e.message).toContain('add up to 15600 minor units and its credit notes to 0')
    expect(e.message).toContain('dueMinor is 15200')
  })
  it('refuses an invoice whose lines add up to less than is due (only its care lines given)', () => {
    const careOnly: TaxCertificateInvoice = { invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: 15200n, lines: [careLine], payments: [{ date: '2026-12-20', amountMinor: 15200n }] }
    expect(refusal(() => computeTaxCertificates([careOnly], young, { country: 'BE', year: 2026, dailyCeilingMinor: 1640n }))).toMatchObject({ code: 'INVALID_INPUT', paths: ['invoices.0.lines'] })
  })
  it('refuses lines that add up to more than is due even when the credit notes given explain only part of it', () => {
    const partly: TaxCertificateInvoice = { invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: 15000n, lines: [careLine, canteenLine],
      creditNotes: [{ amountMinor: 400n, lines: [{ lineId: 'i1:2', amountMinor: 400n }] }], payments: [] }
    expect(refusal(() => computeTaxCertificates([partly], young, { country: 'FR', year: 2026 })).message).toMatch(/invoices\.0\.lines: .*add up to 15600 minor units and its credit notes to 400, so 15200 would be due, but dueMinor is 15000/)
  })
  it('certifies all the care of an invoice with a reduction line on the canteen: 96.00 (France) and 8 days at 12.00 (Belgium)', () => {
    // 96.00 + 60.00 - 4.00 = 152.00 due and paid: the reduction lowers the canteen, never the care
    const withReduction: TaxCertificateInvoice = { invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: 15200n, lines: [careLine, canteenLine, canteenReduction], payments: [{ date: '2026-12-20', amountMinor: 15200n }] }
    expect(computeTaxCertificates([withReduction], young, { country: 'FR', year: 2026 })[0]).toMatchObject({ paidCareMinor: 9600n, eligibleMinor: 9600n, creditMinor: 4800n })
    const [be] = computeTaxCertificates([withReduction], young, { country: 'BE', year: 2026, dailyCeilingMinor: 1640n })
    expect(be).toMatchObject({ paidCareMinor: 9600n, eligibleMinor: 9600n, periods: [{ from: '2026-12-01', to: '2026-12-08', days: 8, amountMinor: 9600n }] })
  })
  it('takes a reduction of another kind off the lines of that kind (a fee waiver off the fee), and with none, off every line pro rata (a 10 % discount)', () => {
    // a 20.00 registration fee and a 10.00 waiver: 96.00 + 60.00 + 20.00 - 10.00 = 166.00 due and paid, the care untouched
    const fee = { lineId: 'i1:3', beneficiaryId: 'k1', kind: 'other' as const, dates: [], amountMinor: 2000n }
    const waiver = { lineId: 'i1:4', beneficiaryId: 'k1', kind: 'other' as const, dates: [], amountMinor: -1000n }
    const withWaiver: TaxCertificateInvoice = { invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: 16600n, lines: [careLine, canteenLine, fee, waiver], payments: [{ date: '2026-12-20', amountMinor: 16600n }] }
    expect(computeTaxCertificates([withWaiver], young, { country: 'FR', year: 2026 })[0]!.paidCareMinor).toBe(9600n)
    // 15.60 off 156.00 with no other line: care bills 96.00 - 9.60 = 86.40, all paid
    const discount = { ...waiver, amountMinor: -1560n }
    const withDiscount: TaxCertificateInvoice = { invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: 14040n, lines: [careLine, canteenLine, discount], payments: [{ date: '2026-12-20', amountMinor: 14040n }] }
    expect(computeTaxCertificates([withDiscount], young, { country: 'FR', year: 2026 })[0]!.paidCareMinor).toBe(8640n)
  })
  it('takes a reduction larger than its own kind off its kind first, then the rest off every line pro rata', () => {
    // a 70.00 reduction on a 60.00 canteen: the canteen goes to 0, the 10.00 left comes off the care (the only line left)
    const big = { ...canteenReduction, amountMinor: -7000n }
    const i: TaxCertificateInvoice = { invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: 8600n, lines: [careLine, canteenLine, big], payments: [{ date: '2026-12-20', amountMinor: 8600n }] }
    expect(computeTaxCertificates([i], young, { country: 'FR', year: 2026 })[0]!.paidCareMinor).toBe(8600n)
  })
})

describe('computeTaxCertificates, its inputs', () => {
  const child = { beneficiaryId: 'k1', birthDate: '2022-03-01' as const }
  const paid = inv([{ date: '2026-12-20', amountMinor: 24000n }])

  it('rounds the French credit half up to the cent: 50% of 153.45 EUR is 76.73 EUR', () => {
    const i = inv([{ date: '2026-12-20', amountMinor: 15345n }], { dueMinor: 15345n, lines: [{ beneficiaryId: 'k1', kind: 'care', dates: [...days], amountMinor: 15345n }] })
    expect(computeTaxCertificates([i], [child], { country: 'FR', year: 2026 })[0]).toMatchObject({ eligibleMinor: 15345n, creditMinor: 7673n })
    expect(computeTaxCertificates([i], [child], { country: 'FR', year: 2026, creditPercent: 0 })[0]!.creditMinor).toBe(0n)
    expect(computeTaxCertificates([i], [child], { country: 'FR', year: 2026, creditPercent: 100 })[0]!.creditMinor).toBe(15345n)
  })

  it('refuses to add invoices of two currencies in one certificate', () => {
    const chf = inv([{ date: '2026-12-21', amountMinor: 24000n }], { invoiceId: 'i2', currency: 'CHF' })
    expect(refusal(() => computeTaxCertificates([paid, chf], [child], { country: 'FR', year: 2026 })).code).toBe('CURRENCY_MISMATCH')
    // two debtors, one currency each: two certificates, nothing mixed
    const other = inv([{ date: '2026-12-21', amountMinor: 24000n }], { invoiceId: 'i2', debtorId: 'g2', currency: 'CHF' })
    expect(computeTaxCertificates([paid, other], [child], { country: 'FR', year: 2026 }).map((c) => c.currency)).toEqual(['EUR', 'CHF'])
  })

  it('refuses a misspelt rules key, naming the key it meant', () => {
    const r = refusal(() => computeTaxCertificates([paid], [child], { country: 'FR', year: 2026, ceilingMinr: 100n } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['rules.ceilingMinr'] })
    expect(r.message).toMatch(/did you mean `ceilingMinor`/)
  })

  it('refuses a negative ceiling and a credit percentage that is negative, above 100 or not whole, naming the field', () => {
    expect(refusal(() => computeTaxCertificates([paid], [child], { country: 'FR', year: 2026, ceilingMinor: -100n })).paths).toEqual(['rules.ceilingMinor'])
    expect(refusal(() => computeTaxCertificates([paid], [child], { country: 'BE', year: 2026, dailyCeilingMinor: -1n })).paths).toEqual(['rules.dailyCeilingMinor'])
    for (const creditPercent of [-50, 101, 33.3]) {
      expect(refusal(() => computeTaxCertificates([paid], [child], { country: 'FR', year: 2026, creditPercent }))).toMatchObject({ code: 'INVALID_INPUT', paths: ['rules.creditPercent'] })
    }
  })

  it('refuses missing, unknown or mistyped rules with INVALID_INPUT, never a TypeError', () => {
    expect(refusal(() => computeTaxCertificates([paid], [child], null as never)).code).toBe('INVALID_INPUT')
    expect(refusal(() => computeTaxCertificates([paid], [child], { country: 'XX', year: 2026 } as never)).paths).toEqual(['rules.country'])
    expect(refusal(() => computeTaxCertificates([paid], [child], { country: 'BE', year: 2026 } as never)).paths).toEqual(['rules.dailyCeilingMinor'])
    expect(refusal(() => computeTaxCertificates([paid], [child], { country: 'BE', year: 2026, dailyCeilingMinor: 1640 } as never)).paths).toEqual(['rules.dailyCeilingMinor'])
    expect(refusal(() => computeTaxCertificates([paid], [child], { country: 'FR', year: 1999 })).paths).toEqual(['rules.year'])
  })

  it('refuses invoices and children that do not match their schemas, naming the field', () => {
    expect(refusal(() => computeTaxCertificates(null as never, [child], { country: 'FR', year: 2026 })).paths).toEqual(['invoices'])
    expect(refusal(() => computeTaxCertificates([{ ...paid, dueMinor: 24000 as never }], [child], { country: 'FR', year: 2026 })).paths).toEqual(['invoices.0.dueMinor'])
    expect(refusal(() => computeTaxCertificates([{ ...paid, currency: 'XXY' as never }], [child], { country: 'FR', year: 2026 })).paths).toEqual(['invoices.0.currency'])
    expect(refusal(() => computeTaxCertificates([paid], [{ beneficiaryId: 'k1', birthDate: 'yesterday' as never }], { country: 'FR', year: 2026 })).paths).toEqual(['children.0.birthDate'])
  })
})

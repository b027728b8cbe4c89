import { computeTaxCertificates, isEcoleError, type LocalDate, type TaxCertificate } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { prepareTaxCertificate, type TaxCertificateRequestInput } from './tax-certificate'
import { renderPdfBytes } from '../renderer'
import { taxCertificateRequest } from '../test-support/fixtures'
import { pdfText } from '../test-support/tools'

const text = async (data: TaxCertificateRequestInput) => pdfText(await renderPdfBytes({ kind: 'taxCertificate', data })).replace(/[\u00a0\u202f]/g, ' ')

/** The paths an INVALID_INPUT names (details.issues), or a failure when the request is accepted. */
function refusedPaths(data: TaxCertificateRequestInput): string[] {
  try {
    prepareTaxCertificate(data)
  } catch (e) {
    if (isEcoleError(e) && e.code === 'INVALID_INPUT') return (e.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path)
    throw e
  }
  throw new Error('expected the request to be refused')
}
const message = (data: TaxCertificateRequestInput): string => {
  try {
    prepareTaxCertificate(data)
  } catch (e) {
    if (isEcoleError(e)) return e.message
    throw e
  }
  throw new Error('expected the request to be refused')
}

const fr = (over: Partial<TaxCertificate>, req: Partial<TaxCertificateRequestInput> = {}): TaxCertificateRequestInput => {
  const r = taxCertificateRequest('FR')
  return { ...r, ...req, certificate: { ...(r.certificate as TaxCertificate), ...over } }
}
const be = (over: Partial<TaxCertificate>, req: Partial<TaxCertificateRequestInput> = {}): TaxCertificateRequestInput => {
  const r = taxCertificateRequest('BE')
  const certificate = { ...(r.certificate as TaxCertificate), ...over }
  // keep the eligible amount the sum of the periods unless the test sets it
  if (over.periods && over.eligibleMinor === undefined) certificate.eligibleMinor = over.periods.reduce((s, p) => s + p.amountMinor, 0n)
  if (certificate.paidCareMinor < certificate.eligibleMinor && over.paidCareMinor === undefined) certificate.paidCareMinor = certificate.eligibleMinor
  return { ...r, ...req, certificate }
}

describe('French certificate (CGI art. 200 quater B): the figures printed are those the rules give', () => {
  it('refuses a child who is not under 6 on 1 January of the year, naming certificate.birthDate', () => {
    expect(refusedPaths(fr({ year: 2027, birthDate: '2001-03-01' }))).toEqual(['taxCertificate.certificate.birthDate'])
    // born on 1 January 2021: 6 on 1 January 2027, not under 6
    expect(refusedPaths(fr({ year: 2027, birthDate: '2021-01-01' }))).toEqual(['taxCertificate.certificate.birthDate'])
    expect(() => prepareTaxCertificate(fr({ year: 2027, birthDate: '2021-01-02' }))).not.toThrow()
  })
  it('refuses an amount that counts other than the care paid up to the 3,500 EUR ceiling, naming certificate.eligibleMinor', () => {
    // care paid 1,000.00, printed as 9,000.00 that counts under a 3,500.00 ceiling
    expect(message(fr({ paidCareMinor: 100000n, eligibleMinor: 900000n, creditMinor: 450000n }))).toMatch(/taxCertificate\.certificate\.eligibleMinor: must be the care paid \(100000\) up to the ceiling printed \(350000/)
    // care paid 5,000.00: 3,500.00 counts, not 5,000.00
    expect(refusedPaths(fr({ paidCareMinor: 500000n, eligibleMinor: 500000n, creditMinor: 250000n }))).toEqual(['taxCertificate.certificate.eligibleMinor'])
    expect(() => prepareTaxCertificate(fr({ paidCareMinor: 500000n, eligibleMinor: 350000n, creditMinor: 175000n }))).not.toThrow()
  })
  it('refuses a credit other than 50 % of the amount that counts rounded half up, naming certificate.creditMinor', () => {
    // 50 % of 153.45 is 76.725: 76.73
    expect(refusedPaths(fr({ paidCareMinor: 15345n, eligibleMinor: 15345n, creditMinor: 7672n }))).toEqual(['taxCertificate.certificate.creditMinor'])
    expect(refusedPaths(fr({ paidCareMinor: 100000n, eligibleMinor: 100000n, creditMinor: 800000n }))).toEqual(['taxCertificate.certificate.creditMinor'])
    expect(() => prepareTaxCertificate(fr({ paidCareMinor: 15345n, eligibleMinor: 15345n, creditMinor: 7673n }))).not.toThrow()
  })
  it('follows the ceiling and credit rate it is printed with: an alternating residence prints the halved ceiling it was computed with', async () => {
    const invoice = { invoiceId: 'i1', debtorId: 'g1', currency: 'EUR' as const, dueMinor: 250000n, payments: [{ date: '2027-06-30' as LocalDate, amountMinor: 250000n }], lines: [{ beneficiaryId: 'k1', kind: 'care' as const, dates: ['2027-06-01' as LocalDate], amountMinor: 250000n }] }
    const [halved] = computeTaxCertificates([invoice], [{ beneficiaryId: 'k1', birthDate: '2022-03-14', alternatingResidence: true }], { country: 'FR', year: 2027 })
    expect(refusedPaths(fr(halved!))).toEqual(['taxCertificate.certificate.eligibleMinor'])
    const t = await text(fr(halved!, { ceilingMinor: 175000n }))
    expect(t).toMatch(/Montant retenu \(plafond de 1 750,00 €\)\s+1 750,00 €/)
    expect(t).toMatch(/Crédit d'impôt correspondant \(50 %\)\s+875,00 €/)
  })
  it('refuses periods on a French certificate, naming certificate.periods', () => {
    expect(refusedPaths(fr({ periods: [{ from: '2027-01-04', to: '2027-01-04', days: 1, amountMinor: 0n }] }))).toEqual(['taxCertificate.certificate.periods'])
  })
  it('refuses a negative amount, naming it', () => {
    expect(refusedPaths(fr({ paidCareMinor: -100n, eligibleMinor: -100n, creditMinor: -50n }))).toEqual(expect.arrayContaining(['taxCertificate.certificate.paidCareMinor', 'taxCertificate.certificate.creditMinor']))
  })
})

describe('Belgian certificate (281.86): the figures printed are those the rules give', () => {
  const period = (from: string, to: string, days: number, amountMinor: bigint) => ({ from: from as LocalDate, to: to as LocalDate, days, amountMinor })

  it('refuses a period that ends before it starts, naming certificate.periods.0.to', () => {
    expect(refusedPaths(be({ periods: [period('2027-03-10', '2027-03-01', 2, 3240n)] }))).toEqual(['taxCertificate.certificate.periods.0.to'])
  })
  it('refuses a period outside the income year, naming certificate.periods.0', () => {
    expect(refusedPaths(be({ periods: [period('2026-03-02', '2026-03-03', 2, 3240n)] }))).toEqual(['taxCertificate.certificate.periods.0'])
    expect(refusedPaths(be({ periods: [period('2027-12-30', '2028-01-02', 2, 3240n)] }))).toEqual(['taxCertificate.certificate.periods.0'])
  })
  it('refuses more care days than the period has days, naming certificate.periods.0.days', () => {
    expect(refusedPaths(be({ periods: [period('2027-03-01', '2027-03-10', 40, 64800n)] }))).toEqual(['taxCertificate.certificate.periods.0.days'])
  })
  it('refuses periods out of date order or overlapping, naming the later one', () => {
    expect(refusedPaths(be({ periods: [period('2027-05-01', '2027-05-31', 2, 3240n), period('2027-03-01', '2027-03-31', 2, 3240n)] }))).toEqual(['taxCertificate.certificate.periods.1.from'])
    expect(refusedPaths(be({ periods: [period('2027-03-01', '2027-03-31', 2, 3240n), period('2027-03-31', '2027-04-30', 2, 3240n)] }))).toEqual(['taxCertificate.certificate.periods.1.from'])
  })
  it('refuses a period over the daily ceiling printed, naming certificate.periods.0.amountMinor: no daily rate above the ceiling', () => {
    // 40 days at 125.00 under a ceiling of 16.20
    expect(message(be({ periods: [period('2027-03-01', '2027-04-30', 40, 500000n)] }))).toMatch(/taxCertificate\.certificate\.periods\.0\.amountMinor: 500000 minor units for 40 days is over the daily ceiling printed \(1620 a day, at most 64800\)/)
    // exactly the ceiling each day is what a period may count
    expect(() => prepareTaxCertificate(be({ periods: [period('2027-03-01', '2027-04-30', 40, 64800n)] }))).not.toThrow()
  })
  it('refuses a child 14 or older on a day of care, naming the period; a child with a severe disability counts until 21', async () => {
    expect(refusedPaths(be({ birthDate: '2000-01-01' }))).toEqual(['taxCertificate.certificate.periods.0.to', 'taxCertificate.certificate.periods.1.to', 'taxCertificate.certificate.periods.2.to'])
    // turns 14 on 2027-05-10: the period of that day is refused, the one before is not
    expect(refusedPaths(be({ birthDate: '2013-05-10' }))).toEqual(['taxCertificate.certificate.periods.1.to', 'taxCertificate.certificate.periods.2.to'])
    const older = be({ birthDate: '2010-02-01' }, { severeDisability: true })
    expect(() => prepareTaxCertificate(older)).not.toThrow()
    expect(await text(older)).toContain('III. Enfant (moins de 21 ans, handicap grave)')
    expect(refusedPaths(be({ birthDate: '2006-06-01' }, { severeDisability: true }))).toEqual(['taxCertificate.certificate.periods.2.to'])
  })
  it('refuses care before the child was born, naming the period', () => {
    expect(refusedPaths(be({ birthDate: '2027-04-01' }))).toEqual(['taxCertificate.certificate.periods.0.from'])
  })
  it('refuses a period ending after the day the certificate is printed: only care that took place is certified', () => {
    expect(refusedPaths(be({}, { printedOn: '2027-06-30' }))).toEqual(['taxCertificate.certificate.periods.2.to'])
  })
  it('refuses a credit on a Belgian certificate and an amount that counts above the care paid', () => {
    expect(refusedPaths(be({ creditMinor: 4050n }))).toEqual(['taxCertificate.certificate.creditMinor'])
    expect(refusedPaths(be({ paidCareMinor: 100n }))).toEqual(['taxCertificate.certificate.eligibleMinor'])
  })
})

import { asInputError, CurrencySchema, EcoleError, FR_CHILDCARE_CEILING_MINOR, LocalDateSchema, type TaxCertificate } from '@ecole/core'
import { match } from 'ts-pattern'
import * as z from 'zod'
import { DocumentBaseSchema, PartySchema, drawHeader, drawStamp, minorSchema, openDraft, parseRequest, safeFileName, type Draft } from '../common'
import { label } from '../language'
import type { Layout } from '../layout'
import { drawTotals } from './invoice'

/**
 * Schema of a tax certificate as `@ecole/core`'s `computeTaxCertificates` returns it
 * (`TaxCertificate`): a Belgian one's periods add up to its eligible amount.
 *
 * @example
 * TaxCertificateShapeSchema.parse(certificate)
 */
export const TaxCertificateShapeSchema = z
  .object({
    country: z.enum(['FR', 'BE']),
    year: z.number().int().min(2000).max(2100),
    debtorId: z.string().min(1),
    beneficiaryId: z.string().min(1),
    birthDate: LocalDateSchema,
    currency: CurrencySchema,
    paidCareMinor: minorSchema,
    eligibleMinor: minorSchema,
    creditMinor: minorSchema,
    periods: z.array(z.object({ from: LocalDateSchema, to: LocalDateSchema, days: z.number().int().min(1), amountMinor: minorSchema })).max(4, 'a 281.86 has at most four periods'),
  })
  .refine((c) => c.country !== 'BE' || c.periods.reduce((s, p) => s + p.amountMinor, 0n) === c.eligibleMinor, { message: 'must be the sum of the periods', path: ['eligibleMinor'] })

/**
 * Schema of a tax-certificate print request: the certificate, the payer (debtor of the costs),
 * the child's name, and the rules it was computed with (France: the ceiling and credit rate;
 * Belgium: the daily ceiling), with the meals excluded when the caller wants them shown (France).
 *
 * @example
 * TaxCertificateRequestSchema.parse({ language: 'fr', printedOn: '2028-01-15', issuer, certificate, payer, childName: 'Léa Dupont', dailyCeilingMinor: 1670n })
 */
export const TaxCertificateRequestSchema = DocumentBaseSchema.extend({
  certificate: TaxCertificateShapeSchema,
  payer: PartySchema.extend({ nationalNumber: z.string().trim().min(1).max(20).optional() }),
  childName: z.string().trim().min(1).max(200),
  ceilingMinor: minorSchema.optional(),
  creditPercent: z.number().int().min(0).max(100).optional(),
  dailyCeilingMinor: minorSchema.optional(),
  mealsExcludedMinor: minorSchema.optional(),
})

/**
 * What callers pass to render a tax certificate.
 *
 * @example
 * const data: TaxCertificateRequestInput = { language: 'fr', printedOn: '2028-01-15', issuer, certificate, payer, childName: 'Léa Dupont' }
 */
export type TaxCertificateRequestInput = z.input<typeof TaxCertificateRequestSchema>

/**
 * A checked tax-certificate request.
 *
 * @example
 * const prepared: PreparedTaxCertificate = prepareTaxCertificate(data)
 */
export interface PreparedTaxCertificate {
  /** The checked request. */
  request: z.output<typeof TaxCertificateRequestSchema>
}

/**
 * Checks a tax-certificate request before any byte is written (a Belgian certificate needs its
 * daily ceiling).
 *
 * @example
 * prepareTaxCertificate(request)
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function prepareTaxCertificate(input: TaxCertificateRequestInput): PreparedTaxCertificate {
  const request = parseRequest(TaxCertificateRequestSchema, input, 'taxCertificate')
  if (request.certificate.country === 'BE' && request.dailyCeilingMinor === undefined) {
    throw new EcoleError('INVALID_INPUT', 'taxCertificate.dailyCeilingMinor: a Belgian 281.86 prints the daily ceiling it was computed with', { details: { field: 'taxCertificate.dailyCeilingMinor' } })
  }
  return { request }
}

/**
 * Draws a tax certificate: the French attestation for the care of children under 6 (care paid,
 * meals excluded, the amount that counts under the ceiling, the credit) or the Belgian 281.86
 * layout (I provider, II debtor, III child under 14, IV periods with days, daily rate, amount
 * paid, under the daily ceiling).
 *
 * @example
 * drawTaxCertificate(prepareTaxCertificate(request))
 */
export function drawTaxCertificate(p: PreparedTaxCertificate): Layout {
  try {
    const r = p.request
    const c = r.certificate as TaxCertificate
    const title = c.country === 'FR' ? label(r.language, 'taxFrTitle') : label(r.language, 'taxBeTitle')
    const d = openDraft(r, { title: `${title} ${c.year} – ${r.childName}`, author: r.issuer.name })
    match(c.country)
      .with('FR', () => drawFrench(d, p, title))
      .with('BE', () => drawBelgian(d, p, title))
      .exhaustive()
    return d.layout
  } catch (error) {
    throw asInputError(error, 'drawTaxCertificate', { p: [p, 'object', 'a prepared tax certificate (from prepareTaxCertificate)'] })
  }
}

function drawFrench(d: Draft, p: PreparedTaxCertificate, title: string): void {
  const { layout: l, f, lang } = d
  const r = p.request
  const c = r.certificate
  drawHeader(d, r.issuer, title, [[label(lang, 'date'), f.date(r.printedOn)]])
  l.text(label(lang, 'taxFrLaw', { year: c.year }), { muted: true })
  l.gap(8)
  l.fields([
    [label(lang, 'issuer'), [r.issuer.name, ...r.issuer.identifiers].join(' – ')],
    [label(lang, 'payer'), [r.payer.name, ...r.payer.address].join(', ')],
    [label(lang, 'child'), r.childName],
    [label(lang, 'birthDate'), f.date(c.birthDate)],
  ])
  l.gap(10)
  const ceiling = r.ceilingMinor ?? FR_CHILDCARE_CEILING_MINOR
  const rows: Array<[string, string, boolean, string]> = [[label(lang, 'paidCare'), f.money(c.paidCareMinor, c.currency), false, 'paidCare']]
  if (r.mealsExcludedMinor !== undefined) rows.push([label(lang, 'mealsExcluded'), f.money(r.mealsExcludedMinor, c.currency), false, 'meals'])
  rows.push([label(lang, 'eligible', { ceiling: f.money(ceiling, c.currency) }), f.money(c.eligibleMinor, c.currency), true, 'eligible'])
  rows.push([label(lang, 'taxCredit', { percent: r.creditPercent ?? 50 }), f.money(c.creditMinor, c.currency), false, 'credit'])
  drawTotals(l, rows)
  l.gap(10)
  l.text(label(lang, 'certify'))
  l.gap(14)
  drawStamp(d, r.issuer)
}

function drawBelgian(d: Draft, p: PreparedTaxCertificate, title: string): void {
  const { layout: l, f, lang } = d
  const r = p.request
  const c = r.certificate
  drawHeader(d, r.issuer, title, [[label(lang, 'date'), f.date(r.printedOn)]])
  l.text(label(lang, 'taxBeLaw', { year: c.year }), { muted: true })
  l.heading(label(lang, 'beSectionIssuer'))
  l.fields([[label(lang, 'issuer'), r.issuer.name], ...r.issuer.identifiers.map((x) => ['', x] as const), [label(lang, 'address'), r.issuer.billingOffice.address.join(', ')]])
  l.heading(label(lang, 'beSectionDebtor'))
  l.fields([[label(lang, 'payer'), r.payer.name], [label(lang, 'address'), r.payer.address.join(', ')], ...(r.payer.nationalNumber ? [['NN', r.payer.nationalNumber] as const] : [])])
  l.heading(label(lang, 'beSectionChild'))
  l.fields([[label(lang, 'child'), r.childName], [label(lang, 'birthDate'), f.date(c.birthDate)]])
  l.heading(label(lang, 'beSectionPeriods'), 60)
  const t = l.table([
    { label: label(lang, 'from'), width: 95 },
    { label: label(lang, 'to'), width: 95 },
    { label: label(lang, 'days'), width: 60, align: 'right' },
    { label: label(lang, 'dailyRate'), width: 120, align: 'right' },
    { label: label(lang, 'amountPaid'), width: l.width - 370, align: 'right' },
  ])
  c.periods.forEach((x, i) => {
    const rate = x.days > 0 ? (x.amountMinor + BigInt(x.days) / 2n) / BigInt(x.days) : 0n
    t.row([f.shortDate(x.from), f.shortDate(x.to), String(x.days), f.money(rate, c.currency), f.money(x.amountMinor, c.currency)], { id: `period:${i}` })
  })
  t.end()
  drawTotals(l, [[label(lang, 'total2'), f.money(c.eligibleMinor, c.currency), true, 'total']])
  l.text(label(lang, 'dailyCeiling', { ceiling: f.money(r.dailyCeilingMinor!, c.currency) }), { muted: true })
  l.gap(8)
  l.text(label(lang, 'certify'))
  l.gap(14)
  drawStamp(d, r.issuer)
}

/**
 * The file name of a tax certificate.
 *
 * @example
 * taxCertificateFileName(prepared) //=> 'tax-certificate-FR-2027-g1-k1.pdf'
 */
export function taxCertificateFileName(p: PreparedTaxCertificate): string {
  const c = p.request.certificate
  return safeFileName('tax-certificate', c.country, String(c.year), c.debtorId, c.beneficiaryId)
}

import { addMonths, asInputError, compareDates, CurrencySchema, daysBetween, EcoleError, FR_CHILDCARE_CEILING_MINOR, LocalDateSchema, type LocalDate, type TaxCertificate } from '@ecole/core'
import { match } from 'ts-pattern'
import * as z from 'zod'
import { DocumentBaseSchema, PartySchema, drawHeader, drawStamp, minorSchema, openDraft, parseRequest, safeFileName, type Draft } from '../common'
import { label, type Language } from '../language'
import type { Layout } from '../layout'
import { drawTotals } from './invoice'

const amountSchema = minorSchema.refine((v) => v >= 0n, 'must not be negative: a certificate states amounts paid')

/** Adds one issue, at `path` under the request or the certificate, naming the rule it breaks. */
type AddIssue = (path: ReadonlyArray<string | number>, message: string) => void

/**
 * The rules a certificate keeps on its own (without the rules it was computed with):
 * France (CGI art. 200 quater B), a child under 6 on 1 January of the year, no periods; Belgium
 * (281.86, the rules `@ecole/belgium` checks in `BELCOTAX_28186_RULES`), periods that start no
 * later than they end, inside the income year, in date order without overlapping, with no more
 * care days than calendar days and starting after the child's birth; the amount that counts
 * (after the daily ceiling) no more than the care paid and the sum of the periods; no credit.
 */
function checkCertificate(c: z.output<typeof TaxCertificateShapeBase>, add: AddIssue): void {
  if (c.country === 'FR') {
    const firstJanuary = `${c.year}-01-01`
    const sixthBirthday = addMonths(c.birthDate, 72)
    if (compareDates(sixthBirthday, firstJanuary as LocalDate) <= 0) {
      add(['birthDate'], `born ${c.birthDate}, the child is 6 on ${sixthBirthday}, not under 6 on ${firstJanuary}: CGI art. 200 quater B counts children under 6 on 1 January of the year`)
    }
    if (c.periods.length > 0) add(['periods'], 'a French certificate has no periods (they are the Belgian 281.86\'s)')
    return
  }
  if (c.creditMinor !== 0n) add(['creditMinor'], `must be 0 for a Belgian 281.86 (it certifies the amounts, the credit is the administration's), got ${c.creditMinor}`)
  if (c.eligibleMinor > c.paidCareMinor) add(['eligibleMinor'], `${c.eligibleMinor} minor units count after the daily ceiling, more than the ${c.paidCareMinor} of care paid: the ceiling only lowers what was paid`)
  c.periods.forEach((p, i) => {
    if (compareDates(p.from, p.to) > 0) {
      add(['periods', i, 'to'], `ends (${p.to}) before it starts (${p.from})`)
      return
    }
    if (!p.from.startsWith(`${c.year}-`) || !p.to.startsWith(`${c.year}-`)) add(['periods', i], `${p.from}..${p.to} is not inside income year ${c.year}: a 281.86 certifies the care of its year`)
    const calendarDays = daysBetween(p.from, p.to) + 1
    if (p.days > calendarDays) add(['periods', i, 'days'], `${p.days} care days do not fit in the ${calendarDays} days from ${p.from} to ${p.to}`)
    const before = c.periods[i - 1]
    if (before !== undefined && compareDates(before.from, before.to) <= 0 && compareDates(before.to, p.from) >= 0) {
      add(['periods', i, 'from'], `starts on ${p.from}, not after the previous period's end (${before.to}): periods are in date order and do not overlap`)
    }
    if (compareDates(p.from, c.birthDate) < 0) add(['periods', i, 'from'], `${p.from} is before the child's birth (${c.birthDate})`)
  })
}

const TaxCertificateShapeBase = z.object({
  country: z.enum(['FR', 'BE']),
  year: z.number().int().min(2000).max(2100),
  debtorId: z.string().min(1),
  beneficiaryId: z.string().min(1),
  birthDate: LocalDateSchema,
  currency: CurrencySchema,
  paidCareMinor: amountSchema,
  eligibleMinor: amountSchema,
  creditMinor: amountSchema,
  periods: z.array(z.object({ from: LocalDateSchema, to: LocalDateSchema, days: z.number().int().min(1), amountMinor: amountSchema })).max(4, 'a 281.86 has at most four periods'),
})

/**
 * Schema of a tax certificate as `@ecole/core`'s `computeTaxCertificates` returns it
 * (`TaxCertificate`), refusing figures no certificate may print, each issue naming its field:
 * amounts that are not negative; France (CGI art. 200 quater B): the child under 6 on 1 January
 * of the year (born after 1 January six years before), no periods; Belgium (281.86): periods that
 * start no later than they end, both days in the income year, in date order without overlapping,
 * no more care days than calendar days, none before the child's birth, adding up to the eligible
 * amount, which is no more than the care paid; a credit of 0. The rules that need what it was
 * computed with (the ceilings, the credit rate, the child's age limit, the date printed) are the
 * request's ({@link TaxCertificateRequestSchema}).
 *
 * @example
 * TaxCertificateShapeSchema.parse(certificate)
 * TaxCertificateShapeSchema.safeParse({ ...frenchCertificate, year: 2027, birthDate: '2001-03-01' }).success //=> false (6 or more on 1 January 2027)
 */
export const TaxCertificateShapeSchema = TaxCertificateShapeBase
  .refine((c) => c.country !== 'BE' || c.periods.reduce((s, p) => s + p.amountMinor, 0n) === c.eligibleMinor, { message: 'must be the sum of the periods', path: ['eligibleMinor'] })
  .superRefine((c, ctx) => checkCertificate(c, (path, message) => ctx.addIssue({ code: 'custom', path: [...path], message })))

/**
 * The rules a certificate keeps with what it was computed with and the day it is printed:
 * France, the amount that counts is the care paid up to the ceiling printed (`ceilingMinor`,
 * 3,500 EUR by default) and the credit is `creditPercent` (50 by default) of it, rounded half up
 * to the minor unit, as `computeTaxCertificates` computes them; Belgium, no period over the daily
 * ceiling printed (each day counts up to it, so a period's amount is at most its days times the
 * ceiling, and the daily rate printed is at most the ceiling), every period ending before the
 * child turns 14 (21 with `severeDisability`), and none ending after the day the certificate is
 * printed (only care that took place is certified).
 */
function checkRequest(r: z.output<typeof TaxCertificateRequestBase>, add: AddIssue): void {
  const c = r.certificate
  if (c.country === 'FR') {
    const ceiling = r.ceilingMinor ?? FR_CHILDCARE_CEILING_MINOR
    const counts = c.paidCareMinor < ceiling ? c.paidCareMinor : ceiling
    if (c.eligibleMinor !== counts) {
      add(['certificate', 'eligibleMinor'], `must be the care paid (${c.paidCareMinor}) up to the ceiling printed (${ceiling}${r.ceilingMinor === undefined ? ', the default: pass ceilingMinor for another, such as the halved ceiling of an alternating residence' : ''}), that is ${counts} minor units, got ${c.eligibleMinor}`)
      return
    }
    const percent = BigInt(r.creditPercent ?? 50)
    const credit = (c.eligibleMinor * percent + 50n) / 100n
    if (c.creditMinor !== credit) add(['certificate', 'creditMinor'], `must be ${percent} % of the ${c.eligibleMinor} that counts, rounded half up to the minor unit, that is ${credit}, got ${c.creditMinor}`)
    return
  }
  const limit = r.severeDisability ? 21 : 14
  const birthday = addMonths(c.birthDate, limit * 12)
  c.periods.forEach((p, i) => {
    if (r.dailyCeilingMinor !== undefined && p.amountMinor > BigInt(p.days) * r.dailyCeilingMinor) {
      add(['certificate', 'periods', i, 'amountMinor'], `${p.amountMinor} minor units for ${p.days} days is over the daily ceiling printed (${r.dailyCeilingMinor} a day, at most ${BigInt(p.days) * r.dailyCeilingMinor}): each day counts up to the ceiling`)
    }
    if (compareDates(p.to, birthday) >= 0) add(['certificate', 'periods', i, 'to'], `${p.to} is on or after the day the child turns ${limit} (${birthday}): a 281.86 counts children under ${r.severeDisability ? '21 with a severe disability' : '14 (under 21 with severeDisability)'}`)
    if (compareDates(p.to, r.printedOn as LocalDate) > 0) add(['certificate', 'periods', i, 'to'], `ends ${p.to}, after the certificate's date ${r.printedOn}: only care that took place is certified`)
  })
}

const TaxCertificateRequestBase = DocumentBaseSchema.extend({
  certificate: TaxCertificateShapeSchema,
  payer: PartySchema.extend({ nationalNumber: z.string().trim().min(1).max(20).optional() }),
  childName: z.string().trim().min(1).max(200),
  ceilingMinor: amountSchema.optional(),
  creditPercent: z.number().int().min(0).max(100).optional(),
  dailyCeilingMinor: amountSchema.optional(),
  severeDisability: z.boolean().optional(),
  mealsExcludedMinor: amountSchema.optional(),
})

/**
 * Schema of a tax-certificate print request: the certificate, the payer (debtor of the costs),
 * the child's name, and the rules it was computed with (France: the ceiling, halved for an
 * alternating residence, and the credit rate; Belgium: the daily ceiling and whether the child
 * has a severe disability), with the meals excluded when the caller wants them shown (France).
 *
 * The figures printed must be those the rules give, or the request is refused naming the field
 * and the rule (see {@link TaxCertificateShapeSchema} for the certificate's own): France, the
 * amount that counts is the care paid up to the ceiling and the credit is the credit rate of it,
 * rounded half up; Belgium, no period over the daily ceiling (its amount at most its days times
 * the ceiling, so the daily rate printed is at most the ceiling), every period ending before the
 * child turns 14 (21 with `severeDisability`) and on or before `printedOn` (care that took place).
 *
 * @example
 * TaxCertificateRequestSchema.parse({ language: 'fr', printedOn: '2028-01-15', issuer, certificate, payer, childName: 'Léa Dupont', dailyCeilingMinor: 1670n })
 * // France, care paid 1,000.00 EUR printed as 9,000.00 EUR that counts: refused
 * TaxCertificateRequestSchema.safeParse({ ...request, certificate: { ...certificate, paidCareMinor: 100000n, eligibleMinor: 900000n, creditMinor: 450000n } }).success //=> false
 */
export const TaxCertificateRequestSchema = TaxCertificateRequestBase.superRefine((r, ctx) => checkRequest(r, (path, message) => ctx.addIssue({ code: 'custom', path: [...path], message })))

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
 * Checks a tax-certificate request before any byte is written: its figures must keep the rules of
 * its country (see {@link TaxCertificateRequestSchema} and {@link TaxCertificateShapeSchema}), and a
 * Belgian certificate needs its daily ceiling. A certificate from `computeTaxCertificates` of
 * `@ecole/core`, printed with the rules it was computed with, is accepted.
 *
 * @example
 * prepareTaxCertificate(request)
 * prepareTaxCertificate({ ...request, certificate: { ...certificate, birthDate: '2001-03-01' } })
 * // throws INVALID_INPUT 'taxCertificate.certificate.birthDate: born 2001-03-01, the child is 6 on 2007-03-01, not under 6 on 2027-01-01: ...'
 * @throws EcoleError `INVALID_INPUT` naming each field that breaks a rule, and the rule.
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
 * layout (I provider, II debtor, III child under 14, or under 21 with a severe disability, IV
 * periods with days, daily rate, amount paid, under the daily ceiling).
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

/** Section III's heading for a child counted until 21 for a severe disability. */
const SEVERE_DISABILITY_CHILD: Readonly<Record<Language, string>> = {
  fr: 'III. Enfant (moins de 21 ans, handicap grave)',
  en: 'III. Child (under 21, severe disability)',
  it: 'III. Bambino (meno di 21 anni, disabilità grave)',
  nl: 'III. Kind (jonger dan 21 jaar, zware handicap)',
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
  l.heading(r.severeDisability ? SEVERE_DISABILITY_CHILD[lang] : label(lang, 'beSectionChild'))
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

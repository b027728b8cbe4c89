import { match } from 'ts-pattern'
import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { CurrencySchema, allocateMinor, type CurrencyCode } from '../money'
import { LocalDateSchema, addMonths, compareDates, type LocalDate } from '../time'

/** What a service is, for tax purposes: care (garde) counts; meals and anything else never do. */
export type TaxServiceKind = 'care' | 'meal' | 'other'

/**
 * One invoice as tax certificates read it: its lines by kind, the credit notes on it and the
 * payments applied to it.
 *
 * @example
 * const inv: TaxCertificateInvoice = { invoiceId: 'inv1', debtorId: 'g1', currency: 'EUR', dueMinor: 10000n,
 *   lines: [{ lineId: 'inv1:1', beneficiaryId: 'k1', kind: 'care', dates: ['2026-12-01'], amountMinor: 10000n },
 *     { lineId: 'inv1:2', beneficiaryId: 'k1', kind: 'meal', dates: ['2026-12-01'], amountMinor: 10000n }],
 *   creditNotes: [{ amountMinor: 10000n, lines: [{ lineId: 'inv1:2', amountMinor: 10000n }] }],
 *   payments: [{ date: '2027-01-12', amountMinor: 10000n }] }
 */
export interface TaxCertificateInvoice {
  /** The invoice. */
  invoiceId: string
  /** Its debtor (`payerId` before 0.1.0). */
  debtorId: string
  /** Currency. */
  currency: CurrencyCode
  /**
   * Its lines: id (which credit notes name), beneficiary, kind of service, service dates (one per
   * charge) and what the line bills (its adjustments included), before credit notes. Every line,
   * negative ones (a reduction) included: the lines less the credit notes must add up to
   * `dueMinor` (see {@link computeTaxCertificates}).
   */
  lines: Array<{ lineId?: string | undefined; beneficiaryId: string; kind: TaxServiceKind; dates: LocalDate[]; amountMinor: bigint }>
  /**
   * Amount actually due: total minus credit notes, minor units (its net total). It must equal the
   * sum of `lines` minus the sum of `creditNotes`: an invoice its lines do not explain is refused.
   */
  dueMinor: bigint
  /**
   * Its credit notes: amount and, for a credit by line, how much of each line (by `lineId`) it
   * credits (adding up to at most the amount; empty for a whole or lump-sum credit). Absent, the
   * invoice has none: its lines alone must then add up to `dueMinor`.
   */
  creditNotes?: Array<{ amountMinor: bigint; lines: Array<{ lineId: string; amountMinor: bigint }> }> | undefined
  /** Allocations of recorded (not refused) payments to it, with their dates. */
  payments: Array<{ date: LocalDate; amountMinor: bigint }>
}

/** A child as tax certificates need it. */
export interface TaxCertificateChild {
  /** The child. */
  beneficiaryId: string
  /** Date of birth. */
  birthDate: LocalDate
  /** France: alternating residence halves the ceiling. */
  alternatingResidence?: boolean | undefined
  /** Belgium: a child with a severe disability counts until the day before 21, not 14. */
  severeDisability?: boolean | undefined
}

/** The rules of one country's certificate for one year. */
export type TaxCertificateRules =
  | { country: 'FR'; year: number; ceilingMinor?: bigint; creditPercent?: number }
  | { country: 'BE'; year: number; dailyCeilingMinor: bigint }

/** One period of a Belgian 281.86 certificate. */
export interface TaxCertificatePeriod {
  /** First care day of the period. */
  from: LocalDate
  /** Last care day. */
  to: LocalDate
  /** Care days. */
  days: number
  /**
   * Amount paid for them, each day capped at the daily ceiling, minor units. The ceiling is per
   * child and day: when several debtors paid for the same child and day, they share it in
   * proportion to what each paid (see {@link computeTaxCertificates}).
   */
  amountMinor: bigint
}

/** A tax certificate (attestation fiscale) of one debtor (the guardian billed and paying) for one child over one year, as data. */
export interface TaxCertificate {
  /** FR (CGI art. 200 quater B) or BE (form 281.86). */
  country: 'FR' | 'BE'
  /** Year. */
  year: number
  /** The guardian billed for the invoices it counts (`payerId` before 0.1.0). */
  debtorId: string
  /** The child. */
  beneficiaryId: string
  /** The child's birth date. */
  birthDate: LocalDate
  /** Currency. */
  currency: CurrencyCode
  /** Care paid that counts (before ceilings), minor units. */
  paidCareMinor: bigint
  /** What may be claimed after ceilings, minor units. */
  eligibleMinor: bigint
  /** France: the tax credit it gives (50% of eligible, rounded half up to the minor unit); 0 for Belgium. */
  creditMinor: bigint
  /** Belgium: at most four periods (calendar quarters); empty for France. */
  periods: TaxCertificatePeriod[]
}

/** Default French ceiling per child and year (3,500 EUR). */
export const FR_CHILDCARE_CEILING_MINOR = 350000n

const minorUnits = z.bigint({ error: (issue) => (issue.input === undefined ? 'is required: a bigint of minor units, e.g. 1640n' : 'must be a bigint of minor units, e.g. 1640n') })
const nonNegativeMinor = minorUnits.refine((v) => v >= 0n, 'must not be negative')
const nonEmpty = z.string().min(1, 'must not be empty')

/**
 * Schema of {@link TaxCertificateRules}: strict (an unknown key is refused, naming the nearest
 * known one), a year from 2000 to 2100, ceilings in minor units that are not negative, a credit
 * percentage that is a whole number from 0 to 100.
 *
 * @example
 * TaxCertificateRulesSchema.parse({ country: 'BE', year: 2026, dailyCeilingMinor: 1690n }).country //=> 'BE'
 * TaxCertificateRulesSchema.safeParse({ country: 'FR', year: 2026, creditPercent: 33.3 }).success //=> false
 */
export const TaxCertificateRulesSchema = z.discriminatedUnion('country', [
  z.strictObject({
    country: z.literal('FR'),
    year: z.number().int().min(2000).max(2100),
    ceilingMinor: nonNegativeMinor.optional(),
    creditPercent: z.number().int('must be a whole percentage, e.g. 50').min(0).max(100).optional(),
  }),
  z.strictObject({
    country: z.literal('BE'),
    year: z.number().int().min(2000).max(2100),
    dailyCeilingMinor: nonNegativeMinor,
  }),
])

/**
 * Schema of a {@link TaxCertificateInvoice} (strict): a known currency, calendar days, amounts as
 * bigints of minor units, credit notes of amounts that are not negative whose line detail adds up
 * to no more than their amount.
 *
 * @example
 * TaxCertificateInvoiceSchema.safeParse({ invoiceId: 'i1', debtorId: 'g1', currency: 'EUR', dueMinor: 1000n,
 *   lines: [{ beneficiaryId: 'k1', kind: 'care', dates: ['2026-12-01'], amountMinor: 1000n }],
 *   payments: [{ date: '2026-12-20', amountMinor: 1000n }] }).success //=> true
 */
export const TaxCertificateInvoiceSchema = z.strictObject({
  invoiceId: nonEmpty,
  debtorId: nonEmpty,
  currency: CurrencySchema,
  lines: z.array(z.strictObject({
    lineId: nonEmpty.optional(),
    beneficiaryId: nonEmpty,
    kind: z.enum(['care', 'meal', 'other']),
    dates: z.array(LocalDateSchema),
    amountMinor: minorUnits,
  })),
  dueMinor: minorUnits,
  creditNotes: z.array(z.strictObject({
    amountMinor: nonNegativeMinor,
    lines: z.array(z.strictObject({ lineId: nonEmpty, amountMinor: nonNegativeMinor })),
  }).refine((c) => c.lines.reduce((s, l) => s + l.amountMinor, 0n) <= c.amountMinor, 'its lines must not add up to more than its amount')).optional(),
  payments: z.array(z.strictObject({ date: LocalDateSchema, amountMinor: minorUnits })),
})

/**
 * Schema of a {@link TaxCertificateChild} (strict).
 *
 * @example
 * TaxCertificateChildSchema.parse({ beneficiaryId: 'k1', birthDate: '2022-03-01' }).beneficiaryId //=> 'k1'
 */
export const TaxCertificateChildSchema = z.strictObject({
  beneficiaryId: nonEmpty,
  birthDate: LocalDateSchema,
  alternatingResidence: z.boolean().optional(),
  severeDisability: z.boolean().optional(),
})


/**
 * What each line bills once the negative lines (reductions) are taken off the lines they reduce:
 * a negative line comes off the lines of the same child and kind first (a reduction on the canteen
 * lowers the canteen, never the care), pro rata to what they bill; what they cannot absorb comes
 * off every line still billed, pro rata (largest remainder, {@link allocateMinor}). The negative
 * line itself then bills nothing (or what no line could absorb).
 */
function withReductionsTaken(lines: TaxCertificateInvoice['lines']): bigint[] {
  const billed = lines.map((l) => l.amountMinor)
  lines.forEach((l, i) => {
    if (l.amountMinor >= 0n) return
    let left = -l.amountMinor
    billed[i] = 0n
    const sameChildAndKind = (j: number) => lines[j]!.beneficiaryId === l.beneficiaryId && lines[j]!.kind === l.kind
    for (const eligible of [sameChildAndKind, () => true]) {
      const targets = billed.flatMap((b, j) => (b > 0n && eligible(j) ? [j] : []))
      const room = targets.reduce((sum, j) => sum + billed[j]!, 0n)
      if (left === 0n || room === 0n) continue
      const taken = left < room ? left : room
      allocateMinor(taken, targets.map((j) => billed[j]!)).forEach((part, k) => { billed[targets[k]!] = billed[targets[k]!]! - part })
      left -= taken
    }
    billed[i] = -left
  })
  return billed
}

/**
 * Each line's amount net of the reductions and credit notes on it: negative lines come off the
 * lines they reduce ({@link withReductionsTaken}); a credit by line comes off its line; the rest
 * of every credit note (a whole or lump-sum credit, without line detail) is spread over the lines
 * still billed, pro rata to what they bill after the credits by line, with the largest-remainder
 * allocation ({@link allocateMinor}).
 */
function netLineAmounts(inv: TaxCertificateInvoice, index: number): bigint[] {
  const net = withReductionsTaken(inv.lines)
  let lump = 0n
  ;(inv.creditNotes ?? []).forEach((c, j) => {
    let detailed = 0n
    c.lines.forEach((cl, k) => {
      const i = inv.lines.findIndex((l) => l.lineId === cl.lineId)
      if (i < 0) throw EcoleError.invalidInput(`invoices.${index}.creditNotes.${j}.lines.${k}.lineId`, `invoice ${inv.invoiceId} has no line ${cl.lineId}`, { invoiceId: inv.invoiceId, lineId: cl.lineId })
      net[i] = net[i]! - cl.amountMinor
      detailed += cl.amountMinor
    })
    lump += c.amountMinor - detailed
  })
  const weights = net.map((n) => (n > 0n ? n : 0n))
  if (lump > 0n && weights.some((w) => w > 0n)) allocateMinor(lump, weights).forEach((part, i) => { net[i] = net[i]! - part })
  return net
}

/**
 * Refuses an invoice whose lines do not explain what is due: the sum of its lines (negative ones
 * included) minus the sum of its credit notes must be `dueMinor`. Any other difference (a
 * reduction line or a credit note left out, lines of another invoice) would be spread over every
 * line, care included, and silently lower or raise the care certified: a finance team gets the
 * two sums instead of a guess.
 */
function assertLinesExplainInvoice(inv: TaxCertificateInvoice, index: number): void {
  const lines = inv.lines.reduce((sum, l) => sum + l.amountMinor, 0n)
  const credited = (inv.creditNotes ?? []).reduce((sum, c) => sum + c.amountMinor, 0n)
  if (lines - credited === inv.dueMinor) return
  throw EcoleError.invalidInput(
    `invoices.${index}.lines`,
    `the lines of invoice ${inv.invoiceId} add up to ${lines} minor units and its credit notes to ${credited}, so ${lines - credited} would be due, but dueMinor is ${inv.dueMinor}: ` +
      'pass every line (negative ones, such as a reduction, included) and every credit note, so that lines minus credit notes equal dueMinor',
    { invoiceId: inv.invoiceId, linesMinor: String(lines), creditNotesMinor: String(credited), dueMinor: String(inv.dueMinor) },
  )
}

/**
 * Splits what was paid on an invoice over its line-days, pro rata to their amounts net of credit
 * notes. What counts is capped at the invoice's net total (`dueMinor`, and never more than its
 * lines net of credit notes): payments are taken in date order, and what takes the invoice past
 * its net total is not paid for it. `paidInYear` says which payments' counted part is the year's.
 */
function shares(inv: TaxCertificateInvoice, index: number, paidInYear: (d: LocalDate) => boolean) {
  const net = netLineAmounts(inv, index)
  const items: Array<{ beneficiaryId: string; kind: TaxServiceKind; date: LocalDate | null; amount: bigint }> = []
  inv.lines.forEach((l, li) => {
    // a line without service dates takes its share of what was paid, on no day
    if (l.dates.length === 0) items.push({ beneficiaryId: l.beneficiaryId, kind: l.kind, date: null, amount: net[li]! })
    else allocateMinor(net[li]!, new Array<number>(l.dates.length).fill(1)).forEach((amount, i) => items.push({ beneficiaryId: l.beneficiaryId, kind: l.kind, date: l.dates[i]!, amount }))
  })
  const weights = items.map((i) => (i.amount > 0n ? i.amount : 0n))
  const totalWeight = weights.reduce((a, b) => a + b, 0n)
  let cap = inv.dueMinor < totalWeight ? inv.dueMinor : totalWeight
  if (cap < 0n) cap = 0n
  const counted = (cumulative: bigint) => (cumulative < 0n ? 0n : cumulative > cap ? cap : cumulative)
  let paid = 0n
  let paidAll = 0n
  for (const p of [...inv.payments].sort((x, y) => compareDates(x.date, y.date))) {
    const part = counted(paidAll + p.amountMinor) - counted(paidAll)
    paidAll += p.amountMinor
    if (paidInYear(p.date)) paid += part
  }
  const split = totalWeight > 0n && paid > 0n ? allocateMinor(paid, weights) : items.map(() => 0n)
  return { items: items.map((it, i) => ({ ...it, paid: split[i]! })), fullyPaid: paidAll >= inv.dueMinor }
}

/** What one debtor paid for one child's care, day by day, in one currency (one future certificate). */
interface PaidCare { debtorId: string; child: TaxCertificateChild; currency: CurrencyCode; paid: bigint; days: Map<LocalDate, bigint> }

/**
 * Belgium: the amount each debtor may certify for each care day, the daily ceiling being given
 * per child and day (CIR 92 art. 145/36), whoever paid.
 *
 * The law gives the ceiling per child and day and does not say how two payers of one child-day
 * share it; this is the library's reading. When the debtors of one child-day (same child, same
 * day, same currency) together paid no more than the ceiling, each certifies what they paid.
 * When they paid more, the ceiling is shared between them in proportion to what each paid that
 * day, in whole minor units by the largest remainder ({@link allocateMinor}), the debtors taken in
 * order of their id so that a tie gives the extra cent to the smaller id: the parts add up exactly
 * to the ceiling and none exceeds what its debtor paid. A single payer certifies what they paid,
 * up to the ceiling, as before.
 */
function shareDailyCeiling(paidCare: readonly PaidCare[], ceiling: bigint): Map<PaidCare, Map<LocalDate, bigint>> {
  const out = new Map(paidCare.map((a) => [a, new Map<LocalDate, bigint>()]))
  const childDays = new Map<string, Array<{ a: PaidCare; date: LocalDate; paid: bigint }>>()
  for (const a of paidCare) {
    for (const [date, paid] of a.days) {
      const key = `${a.child.beneficiaryId}\u0000${a.currency}\u0000${date}`
      const payers = childDays.get(key)
      if (payers) payers.push({ a, date, paid })
      else childDays.set(key, [{ a, date, paid }])
    }
  }
  for (const payers of childDays.values()) {
    const total = payers.reduce((s, p) => s + p.paid, 0n)
    if (total <= ceiling) {
      for (const p of payers) out.get(p.a)!.set(p.date, p.paid)
      continue
    }
    payers.sort((x, y) => (x.a.debtorId < y.a.debtorId ? -1 : x.a.debtorId > y.a.debtorId ? 1 : 0))
    allocateMinor(ceiling, payers.map((p) => p.paid)).forEach((share, i) => out.get(payers[i]!.a)!.set(payers[i]!.date, share))
  }
  return out
}

/**
 * Computes the tax certificates of a year, one per debtor and child, from invoices, their credit
 * notes and payments.
 *
 * Only care actually billed and paid counts, in both countries. The lines given must explain each
 * invoice: their sum (negative lines included) minus its credit notes is its `dueMinor`; an invoice
 * they do not explain is refused rather than guessed at (a difference spread over every line would
 * silently lower the care: a forgotten 4.00 reduction on the canteen of a 96.00 care and 60.00
 * canteen invoice certified 93.52 of care instead of 96.00). A negative line (a reduction)
 * comes off the lines of the same child and kind first (a reduction on the canteen never lowers
 * the care), then off every line pro rata for what they cannot absorb. A line counts for its amount net
 * of the credit notes on it: a credit by line comes off its line, a credit note without line
 * detail (a whole or lump-sum credit) is spread over the lines pro rata (largest remainder). What
 * was paid on an invoice counts up to its net total (`dueMinor`) only, payments taken in date
 * order: money paid beyond it (say, before a credit note) is not care paid. What counts is
 * spread over the net lines pro rata, so a credited care line gets none of it.
 *
 * France (CGI art. 200 quater B): children under 6 on 1 January of the year; care paid during
 * the year (payment dates in the year; what a payment settles is spread over the invoice's lines
 * pro rata); meals excluded; eligible = paid care up to 3,500 EUR per child (halved for an
 * alternating residence); credit = 50 % of eligible.
 * Belgium (281.86): care days of the year of a child under 14 on that day (under 21 with a
 * severe disability, `severeDisability`), on invoices fully
 * paid; meals excluded; each day capped at the daily ceiling; reported in at most four periods
 * (calendar quarters). Children absent from `children` get no certificate.
 * The Belgian ceiling is per child and day (CIR 92 art. 145/36: "per day and per child"), across
 * every debtor: when the debtors of one child and day (two guardians, each billed for that day)
 * together paid more than the ceiling, the ceiling is shared between them in proportion to what
 * each paid that day, in whole cents by the largest remainder, a tie giving the extra cent to the
 * smaller debtor id; the parts add up exactly to the ceiling and each debtor's certificate counts
 * its part. The law does not say how two payers share the ceiling: this proportional sharing is
 * the library's reading. A single payer's days are capped at the ceiling as before; payers in
 * different currencies are never added together.
 *
 * The French credit is `creditPercent` (50 by default) of the eligible amount, rounded half up to
 * the minor unit: 50 % of 153.45 EUR is 76.73 EUR (76.725 rounded up), not 76.72. The invoices
 * counted in one certificate (one debtor and one child) must share one currency.
 *
 * @example
 * // care 100.00 and meals 100.00, the care line credited, then the 100.00 still due paid: no care paid
 * computeTaxCertificates([{ invoiceId: 'inv1', debtorId: 'g1', currency: 'EUR', dueMinor: 10000n,
 *   lines: [{ lineId: 'inv1:1', beneficiaryId: 'k1', kind: 'care', dates: ['2026-12-01'], amountMinor: 10000n },
 *     { lineId: 'inv1:2', beneficiaryId: 'k1', kind: 'meal', dates: ['2026-12-01'], amountMinor: 10000n }],
 *   creditNotes: [{ amountMinor: 10000n, lines: [{ lineId: 'inv1:1', amountMinor: 10000n }] }],
 *   payments: [{ date: '2027-01-12', amountMinor: 10000n }] }], [{ beneficiaryId: 'k1', birthDate: '2023-03-01' }],
 *   { country: 'FR', year: 2027 }) //=> []
 * // care 96.00, canteen 60.00 and a 4.00 reduction on the canteen, 152.00 due and paid: all the care counts
 * const lines = [{ beneficiaryId: 'k1', kind: 'care', dates: ['2026-12-01'], amountMinor: 9600n },
 *   { beneficiaryId: 'k1', kind: 'meal', dates: ['2026-12-01'], amountMinor: 6000n },
 *   { beneficiaryId: 'k1', kind: 'meal', dates: [], amountMinor: -400n }]
 * const paid = { invoiceId: 'inv2', debtorId: 'g1', currency: 'EUR', dueMinor: 15200n, lines, payments: [{ date: '2026-12-20', amountMinor: 15200n }] }
 * computeTaxCertificates([paid], [{ beneficiaryId: 'k1', birthDate: '2023-03-01' }], { country: 'FR', year: 2026 })[0].paidCareMinor //=> 9600n
 * // the same invoice without its reduction line: refused, not guessed at
 * computeTaxCertificates([{ ...paid, lines: lines.slice(0, 2) }], [{ beneficiaryId: 'k1', birthDate: '2023-03-01' }], { country: 'FR', year: 2026 })
 * // throws INVALID_INPUT 'invoices.0.lines: the lines of invoice inv2 add up to 15600 minor units and its credit notes to 0, so 15600 would be due, but dueMinor is 15200: ...'
 * // Belgium: two guardians each paid 30.00 for the same child and day (ceiling 16.90): they share the ceiling, 8.45 each
 * const careDay = (invoiceId: string, debtorId: string) => ({ invoiceId, debtorId, currency: 'EUR', dueMinor: 3000n,
 *   lines: [{ beneficiaryId: 'k1', kind: 'care', dates: ['2026-03-02'], amountMinor: 3000n }], payments: [{ date: '2026-03-10', amountMinor: 3000n }] })
 * computeTaxCertificates([careDay('i1', 'g1'), careDay('i2', 'g2')], [{ beneficiaryId: 'k1', birthDate: '2018-02-28' }],
 *   { country: 'BE', year: 2026, dailyCeilingMinor: 1690n }).map((c) => c.eligibleMinor) //=> [845n, 845n]
 * @throws EcoleError `INVALID_INPUT` naming the field when the invoices, the children or the rules
 *   do not match {@link TaxCertificateInvoiceSchema}, {@link TaxCertificateChildSchema} and
 *   {@link TaxCertificateRulesSchema} (an unknown key, a country other than FR or BE, a year
 *   outside 2000-2100, a negative ceiling, a percentage that is not a whole number from 0 to 100,
 *   a Belgian rule without `dailyCeilingMinor`, a credit note whose lines add up to more than its
 *   amount or name a line the invoice does not have), and naming `invoices.<i>.lines` with both sums
 *   when an invoice's lines minus its credit notes are not its `dueMinor`; `CURRENCY_MISMATCH` when the invoices of one
 *   certificate are in two currencies.
 */
export function computeTaxCertificates(invoices: readonly TaxCertificateInvoice[], children: readonly TaxCertificateChild[], rules: TaxCertificateRules): TaxCertificate[] {
  rules = parseInput(TaxCertificateRulesSchema, rules, 'rules') as TaxCertificateRules
  invoices = parseInput(z.array(TaxCertificateInvoiceSchema), invoices, 'invoices') as TaxCertificateInvoice[]
  children = parseInput(z.array(TaxCertificateChildSchema), children, 'children') as TaxCertificateChild[]
  invoices.forEach(assertLinesExplainInvoice)
  const year = String(rules.year)
  const kids = new Map(children.map((c) => [c.beneficiaryId, c]))
  const acc = new Map<string, PaidCare>()
  for (const [index, inv] of invoices.entries()) {
    const byPaymentYear = rules.country === 'FR'
    const { items, fullyPaid } = shares(inv, index, byPaymentYear ? (d) => d.startsWith(year) : () => true)
    if (!byPaymentYear && !fullyPaid) continue
    for (const it of items) {
      const date = it.date
      if (it.kind !== 'care' || it.paid <= 0n || date === null) continue
      const child = kids.get(it.beneficiaryId)
      if (!child) continue
      const eligible = match(rules)
        .with({ country: 'FR' }, () => compareDates(child.birthDate, `${rules.year - 6}-01-01`) > 0)
        .with({ country: 'BE' }, () => date.startsWith(year) && compareDates(date, addMonths(child.birthDate, (child.severeDisability ? 21 : 14) * 12)) < 0)
        .exhaustive()
      if (!eligible) continue
      const key = `${inv.debtorId}\u0000${it.beneficiaryId}`
      let a = acc.get(key)
      if (!a) { a = { debtorId: inv.debtorId, child, currency: inv.currency, paid: 0n, days: new Map() }; acc.set(key, a) }
      else if (a.currency !== inv.currency) {
        throw new EcoleError(
          'CURRENCY_MISMATCH',
          `the certificate of debtor ${inv.debtorId} for child ${it.beneficiaryId} would add ${a.currency} and ${inv.currency} (invoice ${inv.invoiceId}): compute each currency's certificates apart`,
          { details: { field: 'invoices.currency', debtorId: inv.debtorId, beneficiaryId: it.beneficiaryId, invoiceId: inv.invoiceId, currencies: [a.currency, inv.currency] } },
        )
      }
      a.paid += it.paid
      a.days.set(date, (a.days.get(date) ?? 0n) + it.paid)
    }
  }
  const certified = rules.country === 'BE' ? shareDailyCeiling([...acc.values()], rules.dailyCeilingMinor) : undefined
  const out: TaxCertificate[] = []
  for (const a of [...acc.values()].sort((x, y) => (x.debtorId + x.child.beneficiaryId < y.debtorId + y.child.beneficiaryId ? -1 : 1))) {
    const base = { year: rules.year, debtorId: a.debtorId, beneficiaryId: a.child.beneficiaryId, birthDate: a.child.birthDate, currency: a.currency, paidCareMinor: a.paid }
    out.push(
      match(rules)
        .with({ country: 'FR' }, (r) => {
          const ceiling = (r.ceilingMinor ?? FR_CHILDCARE_CEILING_MINOR) / (a.child.alternatingResidence ? 2n : 1n)
          const eligibleMinor = a.paid < ceiling ? a.paid : ceiling
          const percent = BigInt(r.creditPercent ?? 50)
          // half up to the minor unit (eligibleMinor and percent are never negative)
          return { ...base, country: 'FR' as const, eligibleMinor, creditMinor: (eligibleMinor * percent + 50n) / 100n, periods: [] }
        })
        .with({ country: 'BE' }, () => {
          const quarters: TaxCertificatePeriod[] = []
          const days = [...a.days.entries()].sort(([x], [y]) => (x < y ? -1 : 1))
          for (const [date] of days) {
            const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3)
            const capped = certified!.get(a)!.get(date)!
            // a day whose share of the ceiling is nothing (a third payer's 0.01 beside two who paid
            // the ceiling) is no care day of this payer's: a 281.86 period declares a daily rate of at least 0.01
            if (capped === 0n) continue
            const last = quarters[quarters.length - 1]
            if (last && Math.floor((Number(last.from.slice(5, 7)) - 1) / 3) === q) {
              last.to = date
              last.days++
              last.amountMinor += capped
            } else quarters.push({ from: date, to: date, days: 1, amountMinor: capped })
          }
          const eligibleMinor = quarters.reduce((s, p) => s + p.amountMinor, 0n)
          return { ...base, country: 'BE' as const, eligibleMinor, creditMinor: 0n, periods: quarters }
        })
        .exhaustive(),
    )
  }
  // a Belgian certificate with no day left certifies nothing: none is issued
  return out.filter((c) => c.country !== 'BE' || c.periods.length > 0)
}

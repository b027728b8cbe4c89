import * as z from 'zod'
import { match } from 'ts-pattern'
import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import { Money } from '../money'
import { LocalDateSchema, compareDates, type LocalDate } from '../time'
import { MoneyInputSchema } from '../money'
import { asInputError } from '../input-error'

const QUOTIENT_TEXT = /^\d{1,9}(\.\d{1,2})?$/

/**
 * A family quotient (QF) in hundredths, from its decimal text (`'652.5'` -> 65250). QF 0 is a
 * real quotient (the lowest bracket), not "unknown".
 */
function quotientHundredths(text: string): number {
  const [int, frac = ''] = text.split('.')
  return Number(int) * 100 + Number((frac + '00').slice(0, 2))
}

function quotientText(hundredths: number): string {
  const int = Math.floor(hundredths / 100)
  const frac = hundredths % 100
  return frac === 0 ? String(int) : `${int}.${String(frac).padStart(2, '0')}`
}

/**
 * Schema of a family quotient ("quotient familial"): a non-negative integer, or a decimal string
 * with at most two decimals. Output: its canonical text, the integer alone when whole, else with
 * two decimals (`'652.5'` -> `'652.50'`, `'700.00'` -> `'700'`). QF 0 is a real quotient.
 *
 * @example
 * FamilyQuotientSchema.parse(0) //=> '0'
 * FamilyQuotientSchema.parse('652.5') //=> '652.50'
 */
export const FamilyQuotientSchema: z.ZodType<string, number | string> = z
  .union([z.number().int('must be a whole number or a decimal string').min(0, 'must not be negative').max(999_999_999), z.string().trim().regex(QUOTIENT_TEXT, 'must be a non-negative number with at most 2 decimals')])
  .transform((v) => quotientText(quotientHundredths(String(v)))) as unknown as z.ZodType<string, number | string>

/** One family-quotient bracket: QF in `[min, max)` pays `price`; `max` absent = no upper bound. */
export interface QuotientBracket {
  /** Lowest QF of the bracket (included). */
  min: string
  /** First QF above the bracket (excluded); absent for the last bracket. */
  max?: string | undefined
  /** Unit price in the bracket. */
  price: Money
}

/**
 * How a service's unit price is computed (DOMAIN.md section 3).
 *
 * - `fixed`: one price.
 * - `quotientBrackets`: by the payer's family quotient, brackets half-open `[min, max)` that
 *   start at 0 and follow each other without gap, the last open-ended; `noQuotientPrice` when no
 *   QF is known (QF 0 is a known QF).
 * - `effortRate`: QF x `rate` (exact decimal), clamped to `[floor, ceiling]`; `noQuotientPrice`
 *   without a QF.
 * - `siblingRank`: the k-th child pays `prices[k-1]` (the last price for further ranks), eldest
 *   first; `ranking` says among whom: the payer's children with a charge for the same service
 *   that day (`chargedThatDay`), or all the payer's children subscribed to the service that day
 *   (`subscribed`).
 */
export type Tariff =
  | { kind: 'fixed'; price: Money }
  | { kind: 'quotientBrackets'; brackets: QuotientBracket[]; noQuotientPrice: Money }
  | { kind: 'effortRate'; rate: string; floor: Money; ceiling: Money; noQuotientPrice: Money }
  | { kind: 'siblingRank'; prices: Money[]; ranking: SiblingRanking }

/** Among whom a degressive tariff ranks a child (see {@link Tariff}). */
export type SiblingRanking = 'chargedThatDay' | 'subscribed'

const RATE_TEXT = /^\d{1,6}(\.\d{1,12})?$/

function currencies(t: Tariff): string[] {
  return match(t)
    .with({ kind: 'fixed' }, (x) => [x.price.currency])
    .with({ kind: 'quotientBrackets' }, (x) => [x.noQuotientPrice.currency, ...x.brackets.map((b) => b.price.currency)])
    .with({ kind: 'effortRate' }, (x) => [x.floor.currency, x.ceiling.currency, x.noQuotientPrice.currency])
    .with({ kind: 'siblingRank' }, (x) => x.prices.map((p) => p.currency))
    .exhaustive()
}

const PriceSchema = MoneyInputSchema.refine((m) => !m.isNegative(), { message: 'must not be negative' })

const TariffSchemaBase = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('fixed'), price: PriceSchema }),
    z.strictObject({
      kind: z.literal('quotientBrackets'),
      brackets: z
        .array(z.strictObject({ min: FamilyQuotientSchema, max: FamilyQuotientSchema.optional(), price: PriceSchema }))
        .min(1, 'must have at least one bracket'),
      noQuotientPrice: PriceSchema,
    }),
    z.strictObject({
      kind: z.literal('effortRate'),
      rate: z.string().trim().regex(RATE_TEXT, 'must be a non-negative decimal written with a dot, e.g. "0.0045"'),
      floor: PriceSchema,
      ceiling: PriceSchema,
      noQuotientPrice: PriceSchema,
    }),
    z.strictObject({ kind: z.literal('siblingRank'), prices: z.array(PriceSchema).min(1, 'must have at least one price'), ranking: z.enum(['chargedThatDay', 'subscribed']) }),
  ])
  .superRefine((t, ctx) => {
    const cs = new Set(currencies(t as Tariff))
    if (cs.size > 1) ctx.addIssue({ code: 'custom', path: [], message: `mixes currencies ${[...cs].join(', ')}` })
    if (t.kind === 'quotientBrackets') {
      t.brackets.forEach((b, i) => {
        const expectedMin = i === 0 ? '0' : t.brackets[i - 1]?.max
        if (b.min !== expectedMin) {
          ctx.addIssue({ code: 'custom', path: ['brackets', i, 'min'], message: i === 0 ? 'the first bracket must start at 0' : `must equal the previous bracket's max (${String(expectedMin)}): brackets follow each other without gap or overlap` })
        }
        const last = i === t.brackets.length - 1
        if (last && b.max !== undefined) ctx.addIssue({ code: 'custom', path: ['brackets', i, 'max'], message: 'the last bracket must have no max (open-ended)' })
        if (!last && b.max === undefined) ctx.addIssue({ code: 'custom', path: ['brackets', i, 'max'], message: 'only the last bracket may be open-ended' })
        if (b.max !== undefined && quotientHundredths(b.max) <= quotientHundredths(b.min)) {
          ctx.addIssue({ code: 'custom', path: ['brackets', i, 'max'], message: 'must be above min' })
        }
      })
    }
    if (t.kind === 'effortRate' && t.floor.greaterThan(t.ceiling)) ctx.addIssue({ code: 'custom', path: ['floor'], message: 'must not be above the ceiling' })
  })
/** A Tariff as a form or an API sends it (the input of {@link TariffSchema}). */
export type TariffInput = z.input<typeof TariffSchemaBase>
/**
 * Schema of a {@link Tariff} as a form or an API sends it (prices as `{ amount, currency }`,
 * quotients as numbers or decimal strings, the effort rate as a decimal string). Checks that
 * brackets start at 0, follow each other without gap or overlap and end open; that the floor is
 * not above the ceiling; that every price has the same currency.
 *
 * @example
 * TariffSchema.parse({ kind: 'quotientBrackets', noQuotientPrice: { amount: '4.50', currency: 'EUR' }, brackets: [
 *   { min: 0, max: 700, price: { amount: '1.00', currency: 'EUR' } },
 *   { min: 700, price: { amount: '3.20', currency: 'EUR' } }] })
 */
export const TariffSchema: z.ZodType<Tariff, TariffInput> = TariffSchemaBase as unknown as z.ZodType<Tariff, TariffInput>

/**
 * A tariff over a period of days, with an optional adult price (what an adult beneficiary, e.g.
 * a teacher booking a meal, pays instead of the tariff).
 */
export interface TariffPeriod {
  /** First day the tariff applies. */
  from: LocalDate
  /** Last day (inclusive); absent = open-ended. */
  to?: LocalDate | undefined
  /** The tariff. */
  tariff: Tariff
  /**
   * Price for adult beneficiaries; absent = adults pay the tariff like children (by the payer's
   * QF), except that an adult never takes a sibling rank: on a `siblingRank` tariff an adult pays
   * the first price (`prices[0]`, the rank-1 price) and is not counted among the children.
   */
  adultPrice?: Money | undefined
}

const TariffPeriodSchemaBase = z
  .strictObject({
    from: LocalDateSchema,
    to: LocalDateSchema.nullish().transform((v) => v ?? undefined),
    tariff: TariffSchema,
    adultPrice: PriceSchema.nullish().transform((v) => v ?? undefined),
  })
  .superRefine((p, ctx) => {
    if (p.to !== undefined && compareDates(p.to, p.from) < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${p.from})` })
    if (p.adultPrice !== undefined && !currencies(p.tariff).includes(p.adultPrice.currency)) {
      ctx.addIssue({ code: 'custom', path: ['adultPrice'], message: 'must have the tariff currency' })
    }
  })
/** A TariffPeriod as a form or an API sends it (the input of {@link TariffPeriodSchema}). */
export type TariffPeriodInput = z.input<typeof TariffPeriodSchemaBase>
/**
 * Schema of a {@link TariffPeriod}.
 *
 * @example
 * TariffPeriodSchema.parse({ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: '4.15', currency: 'EUR' } },
 *   adultPrice: { amount: '6.80', currency: 'EUR' } })
 */
export const TariffPeriodSchema: z.ZodType<TariffPeriod, TariffPeriodInput> = TariffPeriodSchemaBase as unknown as z.ZodType<TariffPeriod, TariffPeriodInput>

/**
 * Why a unit price is what it is: the tariff rule that produced it and its inputs.
 *
 * - `fixed`; `adult` (the adult price of the tariff period or, on a degressive tariff without
 *   one, its first price: an adult takes no sibling rank);
 * - `quotientBracket`: the QF, the bracket index and bounds;
 * - `noQuotient`: no QF was known at the reference date, the explicit no-QF price applies;
 * - `effortRate`: the QF, the rate, and whether the floor or ceiling clamped the result;
 * - `siblingRank`: the child's rank (1 = eldest), among how many, and the ranking used.
 */
export type PricingBasis =
  | { kind: 'fixed' }
  | { kind: 'adult' }
  | { kind: 'quotientBracket'; quotient: string; bracketIndex: number; min: string; max: string | undefined }
  | { kind: 'noQuotient'; tariffKind: 'quotientBrackets' | 'effortRate' }
  | { kind: 'effortRate'; quotient: string; rate: string; clamped: 'floor' | 'ceiling' | undefined }
  | { kind: 'siblingRank'; rank: number; of: number; ranking: SiblingRanking }

/** What prices one unit: who the beneficiary is, the payer's QF if known, the child's sibling rank. */
export interface PricingContext {
  /** Whether the beneficiary is an adult (the adult price applies when the period has one). */
  adult: boolean
  /** The payer's family quotient at the reference date (canonical text, see {@link FamilyQuotientSchema}); `undefined` when unknown. */
  quotient: string | undefined
  /** Rank among siblings (1 = eldest) and group size; needed by `siblingRank` tariffs only. */
  sibling?: { rank: number; of: number } | undefined
}

/** A unit price and why. */
export interface UnitPrice {
  /** The exact unit price (may have more digits than the currency, e.g. from an effort rate). */
  price: Money
  /** The rule that produced it. */
  basis: PricingBasis
  /** One sentence for a back office: "QF 652.50 in [600, 800): 3.10 EUR". */
  explanation: string
}

/**
 * The unit price of one charge under a tariff period (exact; rounding happens per line).
 *
 * QF brackets are half-open: a QF equal to a bracket's `max` belongs to the next bracket. QF 0 is
 * a real QF (the first bracket), distinct from "unknown" (`noQuotientPrice`). An effort rate is
 * QF x rate, clamped to the floor and ceiling. A degressive tariff takes the child's rank (the
 * last price repeats past the list). An adult beneficiary pays the period's adult price when it has
 * one; without one, the tariff like a child, except that an adult takes no sibling rank: a
 * degressive tariff charges it its first price (basis `adult`).
 *
 * @example
 * priceUnit(TariffPeriodSchema.parse({ from: '2026-09-01', tariff: { kind: 'effortRate', rate: '0.005',
 *   floor: { amount: '1', currency: 'EUR' }, ceiling: { amount: '5', currency: 'EUR' }, noQuotientPrice: { amount: '5', currency: 'EUR' } } }),
 *   { adult: false, quotient: '652.50' }).price.amount //=> '3.2625'
 * priceUnit(TariffPeriodSchema.parse({ from: '2026-09-01', tariff: { kind: 'siblingRank', ranking: 'chargedThatDay',
 *   prices: [{ amount: '4.00', currency: 'EUR' }, { amount: '3.00', currency: 'EUR' }] } }),
 *   { adult: true, quotient: undefined }).explanation //=> 'adult, no sibling rank (no adult price): 4.00 EUR'
 * @throws EcoleError `SIBLING_RANK_REQUIRED` when a degressive tariff prices a child without a rank;
 *   `INVALID_INPUT` naming `context.quotient` for a quotient that is not a canonical family quotient
 *   (negative, not a number, more than 2 decimals) or that falls in no bracket.
 */
export function priceUnit(period: TariffPeriod, context: PricingContext): UnitPrice {
  try {
    if (typeof context !== 'object' || context === null) throw EcoleError.invalidInput('context', `must be a pricing context, got ${describeValue(context)}`)
    if (context.quotient !== undefined && (typeof context.quotient !== 'string' || !QUOTIENT_TEXT.test(context.quotient))) {
      throw EcoleError.invalidInput('context.quotient', `must be a non-negative family quotient with at most 2 decimals (FamilyQuotientSchema), got ${describeValue(context.quotient)}`)
    }
    if (context.adult && period.adultPrice !== undefined) {
      return { price: period.adultPrice, basis: { kind: 'adult' }, explanation: `adult price: ${period.adultPrice.toString()}` }
    }
    if (context.adult && period.tariff.kind === 'siblingRank') {
      // an adult is nobody's sibling: the base price, whatever rank the context gives
      const price = period.tariff.prices[0] as Money
      return { price, basis: { kind: 'adult' }, explanation: `adult, no sibling rank (no adult price): ${price.toString()}` }
    }
    return match(period.tariff)
      .with({ kind: 'fixed' }, (t): UnitPrice => ({ price: t.price, basis: { kind: 'fixed' }, explanation: `fixed price: ${t.price.toString()}` }))
      .with({ kind: 'quotientBrackets' }, (t): UnitPrice => {
        if (context.quotient === undefined) {
          return { price: t.noQuotientPrice, basis: { kind: 'noQuotient', tariffKind: 'quotientBrackets' }, explanation: `no family quotient known: ${t.noQuotientPrice.toString()}` }
        }
        const q = quotientHundredths(context.quotient)
        const index = t.brackets.findIndex((b) => q >= quotientHundredths(b.min) && (b.max === undefined || q < quotientHundredths(b.max)))
        const b = t.brackets[index]
        if (b === undefined) {
          // brackets from TariffSchema start at 0 and leave no gap: only a hand-built period gets here
          throw EcoleError.invalidInput('context.quotient', `QF ${context.quotient} falls in no bracket of the tariff`)
        }
        return {
          price: b.price,
          basis: { kind: 'quotientBracket', quotient: context.quotient, bracketIndex: index, min: b.min, max: b.max },
          explanation: `QF ${context.quotient} in [${b.min}, ${b.max ?? '∞'}): ${b.price.toString()}`,
        }
      })
      .with({ kind: 'effortRate' }, (t): UnitPrice => {
        if (context.quotient === undefined) {
          return { price: t.noQuotientPrice, basis: { kind: 'noQuotient', tariffKind: 'effortRate' }, explanation: `no family quotient known: ${t.noQuotientPrice.toString()}` }
        }
        const raw = Money.of(context.quotient, t.floor.currency).times(t.rate)
        const clamped = raw.lessThan(t.floor) ? 'floor' : raw.greaterThan(t.ceiling) ? 'ceiling' : undefined
        const price = clamped === 'floor' ? t.floor : clamped === 'ceiling' ? t.ceiling : raw
        return {
          price,
          basis: { kind: 'effortRate', quotient: context.quotient, rate: t.rate, clamped },
          explanation: `QF ${context.quotient} x ${t.rate} = ${raw.amount}${clamped ? `, clamped to the ${clamped}` : ''}: ${price.toString()}`,
        }
      })
      .with({ kind: 'siblingRank' }, (t): UnitPrice => {
        const s = context.sibling
        if (s === undefined || !Number.isInteger(s.rank) || s.rank < 1) {
          throw new EcoleError('SIBLING_RANK_REQUIRED', 'a degressive tariff needs the child rank (1 = eldest)', { details: { sibling: s } })
        }
        const price = t.prices[Math.min(s.rank, t.prices.length) - 1] as Money
        return {
          price,
          basis: { kind: 'siblingRank', rank: s.rank, of: s.of, ranking: t.ranking },
          explanation: `child ${s.rank} of ${s.of} (${t.ranking === 'chargedThatDay' ? 'charged that day' : 'subscribed'}): ${price.toString()}`,
        }
      })
      .exhaustive()
  } catch (error) {
    throw asInputError(error, 'priceUnit', { period: [period, 'object', 'a tariff period'], context: [context, 'object', 'a pricing context'] })
  }
}

/** @internal QF text -> hundredths, for code inside `billing/`. */
export const quotientToHundredths = quotientHundredths

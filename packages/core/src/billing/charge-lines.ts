import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { Money } from '../money'
import { DateRangeSchema, type DateRange, type LocalDate } from '../time'
import type { ChargeKind, DayFacts, PriceAdjustment } from './billing-mode'
import { chargeStateOf, isPreparedChargeConfig, type PreparedChargeConfig, type StandingAdjustment } from './charge-config'
import type { UnbilledReason } from './resolve-debtors'
import type { PricingBasis } from './tariff'
import { Run, type LineAcc } from './charge-run'
import { DayClass, classifyDay } from './charge-classify'
import { priceDay } from './charge-price'
import { DeferredDays } from './charge-siblings'
import { groupLines } from './charge-group'
import { asInputError } from '../input-error'

/**
 * One beneficiary's use of one service on one day, as bookings and attendance record it: the
 * input of {@link buildChargeLines}. At most one per (beneficiary, service, date): a second one is
 * refused (`INVALID_INPUT` naming it), never billed twice.
 *
 * `booked` is a boolean; `attended`, `lateCancellation` and `justifiedAbsence` are `true`,
 * `false` or absent; a day has no other key. Anything else is refused (`INVALID_INPUT` naming
 * `days.<n>.<field>`), never read as absent: a string `'true'` or a misspelt key would bill a
 * justified absence or leave an attended day unbilled.
 *
 * @example
 * const day: BillableDay = { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-07', booked: true, attended: false, justifiedAbsence: true }
 * buildChargeLines(prepared, [day]).unbilled[0]?.reason //=> 'JUSTIFIED_ABSENCE'
 * buildChargeLines(prepared, [{ ...day, justifiedAbsence: undefined, justifedAbsence: true }])
 * // throws INVALID_INPUT: days[0].justifedAbsence: unknown key `justifedAbsence`: did you mean `justifiedAbsence`?
 */
export interface BillableDay extends DayFacts {
  /** The person the service is for (child or adult). */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** The day. */
  date: LocalDate
  /** Units (default 1; e.g. hours of after-school care). */
  quantity?: number | undefined
}

/**
 * Why a day gives no charge line: a debtor could not be resolved ({@link UnbilledReason}), the
 * service is prepaid (settled through the wallet), the billing mode does not bill it, or the
 * configuration does not price it.
 */
export type ChargeUnbilledReason =
  | UnbilledReason
  | 'PREPAID_SERVICE'
  | 'JUSTIFIED_ABSENCE'
  | 'NOT_BOOKED'
  | 'NOT_ATTENDED'
  | 'NOTHING_TO_BILL'
  | 'UNKNOWN_SERVICE'
  | 'UNKNOWN_BENEFICIARY'
  | 'NO_TARIFF'
  | 'OUTSIDE_PERIODS'
  | 'INVALID_PAYER_WEIGHTS'
  | 'NOT_SELECTED'

/**
 * What one run bills, as an invoice batch selects it ("groupe de factures": the period, the
 * billing office, the services). Days outside the selection come back unbilled
 * (`OUTSIDE_PERIODS`, `NOT_SELECTED`).
 */
export interface ChargeRunOptions {
  /** The one billing period of the run (replaces the configuration's periods). */
  period?: DateRange | undefined
  /** Only the services of this billing office. */
  billingOfficeId?: string | undefined
  /** Only these services. */
  serviceIds?: readonly string[] | undefined
}

const ChargeRunOptionsSchemaBase = z.strictObject({
  period: DateRangeSchema.optional(),
  billingOfficeId: z.string().min(1).optional(),
  serviceIds: z.array(z.string().min(1)).optional(),
})
/** A ChargeRunOptions as a form or an API sends it (the input of {@link ChargeRunOptionsSchema}). */
export type ChargeRunOptionsInput = z.input<typeof ChargeRunOptionsSchemaBase>
/**
 * Schema of {@link ChargeRunOptions}.
 *
 * @example
 * ChargeRunOptionsSchema.parse({ period: { from: '2026-09-01', to: '2026-09-30' }, billingOfficeId: 'regie' })
 */
export const ChargeRunOptionsSchema: z.ZodType<ChargeRunOptions, ChargeRunOptionsInput> = ChargeRunOptionsSchemaBase as unknown as z.ZodType<ChargeRunOptions, ChargeRunOptionsInput>

/** A day that gave no charge line, and why (never dropped silently). */
export interface UnbilledCharge {
  /** The day as given. */
  day: BillableDay
  /** Why it is not billed. */
  reason: ChargeUnbilledReason
  /** The rules concerned (overlapping, stopped, excluding the date, or with invalid weights). Shared when empty: do not mutate. */
  readonly ruleIds: readonly string[]
}

/**
 * A priced line for one debtor: `quantity` units of one service for one beneficiary at one unit
 * price within a billing period (the days are listed), and the debtor's share of it.
 *
 * The line is computed exactly (`exact` = unit price x quantity, a Money), then rounded once with
 * the billing office's rounding mode (`roundedAmountMinor`); a rule with several payers splits
 * that rounded amount by their weights with the largest-remainder method (`amountMinor` is this
 * debtor's part; the parts add up to the rounded amount). The posted amounts are integer minor
 * units in the line's `currency` (bigint `*Minor` fields); the rates (`unitPrice`, `exact`) are
 * Money. {@link chargeLineMoney} gives all four as Money.
 */
export interface ChargeLine {
  /** The rule that billed it. */
  ruleId: string
  /** The guardian billed by this line. */
  debtorId: string
  /** This debtor's weight in the rule. */
  weight: number
  /** Sum of the rule's weights (this debtor pays `weight / totalWeight` of the line). */
  totalWeight: number
  /** Joint debtors of the rule (printed on the invoice). */
  jointDebtorIds: readonly string[]
  /** The person the service was for. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** The billing office that invoices it. */
  billingOfficeId: string
  /** The billing period. */
  period: DateRange
  /** The service itself, or a surcharged unbooked attendance or late cancellation. */
  kind: ChargeKind
  /** The days billed, in order. */
  dates: LocalDate[]
  /** Units billed (days, or the sum of the days' quantities). */
  quantity: number
  /**
   * Each day's own units, in the order of `dates`, when they are not all 1 (hours of care: 4 on
   * one day, 1 on the next); absent when every day is one unit. Invoicing bills each day at its
   * own quantity from it (`invoiceChargeLinesFromBilling`).
   */
  dayQuantities?: readonly number[] | undefined
  /** Currency of the amounts. */
  currency: string
  /** Exact unit price (adjustment included): a rate, any number of decimals. */
  unitPrice: Money
  /** Exact, unrounded amount of the whole line (unit price x quantity): may have more decimals than the currency. */
  exact: Money
  /** The whole line rounded to the minor unit with the office's rounding mode (in `currency`). */
  roundedAmountMinor: bigint
  /** This debtor's share of the rounded amount, minor units (in `currency`). */
  amountMinor: bigint
  /** First day of the tariff period used. */
  tariffFrom: LocalDate
  /** Why the unit price: tariff rule, bracket, QF, rank. */
  basis: PricingBasis
  /** The surcharge applied for this charge kind, if any. */
  adjustment: PriceAdjustment | undefined
  /** The beneficiary's standing surcharge or reduction applied after it, if any. */
  standingAdjustment: StandingAdjustment | undefined
  /** One sentence for a back office. */
  explanation: string
}

/** The lines of one debtor, for one billing office and one billing period: what one invoice holds. */
export interface ChargeGroup {
  /** The guardian billed. */
  debtorId: string
  /** The billing office. */
  billingOfficeId: string
  /** The billing period. */
  period: DateRange
  /** Currency of the office. */
  currency: string
  /** Joint debtors of the rules billed in this group (sorted, no duplicates). */
  jointDebtorIds: string[]
  /** The lines, sorted by beneficiary, service, kind, first date. */
  lines: ChargeLine[]
  /** Sum of the lines' `amountMinor` in `currency` (sum of rounded lines, never a rounded sum); as Money: `Money.fromMinor(group.totalMinor, group.currency)`. */
  totalMinor: bigint
}

/** What {@link buildChargeLines} returns: the groups and every unbilled day with its reason. */
export interface ChargeLinesResult {
  /** Lines grouped by debtor x billing office x period, sorted by debtor, office, period. */
  groups: ChargeGroup[]
  /** Days that gave no line, in input order. */
  unbilled: UnbilledCharge[]
}



/**
 * Prices bookings and attendance into charge lines, grouped by debtor x billing office x billing
 * period; every day that gives no line comes back in `unbilled` with its reason.
 *
 * For each day: a prepaid service is not invoiced (`PREPAID_SERVICE`, it settles through the
 * wallet); the service's billing mode says whether and how the day is charged
 * ({@link chargeKindOf}); {@link resolveDebtors} says who pays (an overlap, a stopped rule, a date
 * the criterion excludes or no rule leave it unbilled); the tariff valid that day prices it (QF
 * of the rule's main payer, the one with the largest weight, valid at the reference date; sibling
 * rank among that payer's children; the adult price for an adult). Days with the same rule,
 * beneficiary, service, period, unit price and kind make one line, computed exactly, rounded once
 * with the office's rounding mode, then split between the rule's payers by weight.
 *
 * The configuration is validated once, at the boundary ({@link prepareChargeConfig}); each day
 * gets only a shape check, so millions of days are priced without a schema per day.
 * `options` select what an invoice batch bills: one period, one billing office, some services.
 *
 * @example
 * const prepared = prepareChargeConfig(config)
 * const { groups, unbilled } = buildChargeLines(prepared, [
 *   { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-07', booked: true },
 * ])
 * groups[0].lines[0].amountMinor //=> 415n
 * buildChargeLines(prepared, days, { period: { from: '2026-09-01', to: '2026-09-30' }, billingOfficeId: 'regie' })
 * @throws EcoleError `INVALID_INPUT` naming the field of the day or the options that is wrong (a
 * fact that is not a boolean, `days.3.attended: 'true'`; a key a day does not have, with the nearest
 * known one: `days.3.justifedAbsence`), or the day (`days.7`) that repeats the beneficiary, service
 * and date of an earlier one (its index in `details.firstIndex`): a day is billed once.
 */
export function buildChargeLines(config: PreparedChargeConfig, days: readonly BillableDay[], options: ChargeRunOptions = {}): ChargeLinesResult {
  if (!isPreparedChargeConfig(config)) throw new EcoleError('INVALID_INPUT', 'invalid input for config: must be a prepared charge configuration (prepareChargeConfig(input) at the boundary)', { details: { issues: [{ path: 'config', message: 'must be a prepared charge configuration', code: 'custom' }] } })
  const prepared = chargeStateOf(config)
  if (!Array.isArray(days)) throw new EcoleError('INVALID_INPUT', 'invalid input for days: must be an array', { details: { issues: [{ path: 'days', message: 'must be an array', code: 'custom' }] } })
  const options_ = parseInput(ChargeRunOptionsSchema, options, 'options')
  const selection = {
    serviceIds: options_.serviceIds === undefined ? undefined : new Set(options_.serviceIds),
    billingOfficeId: options_.billingOfficeId,
  }
  const run = new Run(prepared, options_.period, days.length)
  const deferred = new DeferredDays()
  const unbilled = run.unbilled
  const c = new DayClass()
  for (let i = 0; i < days.length; i++) {
    const day = days[i] as BillableDay
    // 1. classify the day: billable, or the reason it is not
    const reason = classifyDay(run, selection, day, i, c)
    if (reason !== undefined) {
      unbilled.push({ day, reason, ruleIds: c.ruleIds })
      continue
    }
    // 2. price it (degressive tariffs wait for every sibling of the day: step 3)
    const price = priceDay(run, c)
    if (price === undefined) deferred.add(i, c.info, c.rule, c.service, c.tariff, c.kind, (c.beneficiary as { seniority: number }).seniority)
    else run.accumulate(c.lines as Map<number, LineAcc>, i, day, c.rule, c.service, c.info.periodIndex, price, c.quantity)
  }
  // at most one day per (beneficiary, service, date), or a day would be billed twice
  run.assertNoDuplicateDays(days)
  // 3. rank siblings and price their days
  deferred.rankSiblings(run, days)
  // 4. compute, split and group the lines
  return { groups: groupLines(run.lines, run.periods, run.periodBound, days, run.nextDay), unbilled }
}

/**
 * The amounts of a charge line as Money (the line keeps integer minor units for speed).
 *
 * @example
 * chargeLineMoney(line) //=> { unitPrice: Money 4.15 EUR, exact: Money 70.55 EUR, rounded: Money 70.55 EUR, amount: Money 70.55 EUR }
 */
export function chargeLineMoney(line: ChargeLine): { unitPrice: Money; exact: Money; rounded: Money; amount: Money } {
  try {
    return {
      unitPrice: line.unitPrice,
      exact: line.exact,
      rounded: Money.fromMinor(line.roundedAmountMinor, line.currency),
      amount: Money.fromMinor(line.amountMinor, line.currency),
    }
  } catch (error) {
    throw asInputError(error, 'chargeLineMoney', { line: [line, 'object', 'a charge line'] })
  }
}

import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { Money, allocateMinor, minorUnits } from '../money'
import { DateRangeSchema, endOfMonth, fromEpochDay, isLocalDate, startOfMonth, toEpochDay, type DateRange, type LocalDate } from '../time'
import { chargeKindOf, type ChargeKind, type DayFacts, type PriceAdjustment } from './billing-mode'
import {
  adjustedPriceKey, isPreparedChargeConfig, prepareChargeConfig, priceKeysFor, quotientAt,
  type PreparedAdjustment, type PreparedBeneficiary, type PreparedChargeConfig, type PreparedService, type PreparedTariff, type PriceKey,
  type StandingAdjustment,
} from './charge-config'
import type { ChargeConfigInput } from './charge-config'
import { resolveAmong, resolvePrepared, type DebtorResolution, type PreparedBillingRule, type UnbilledReason } from './resolve-debtors'
import type { PricingBasis } from './tariff'

/**
 * One beneficiary's use of one service on one day, as bookings and attendance record it: the
 * input of {@link buildChargeLines}. At most one per (beneficiary, service, date).
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
 * The line is computed exactly (`exactAmount` = unit price x quantity), then rounded once with
 * the billing office's rounding mode (`roundedAmountMinor`); a rule with several payers splits
 * that rounded amount by their weights with the largest-remainder method (`amountMinor` is this
 * debtor's part; the parts add up to the rounded amount). Amounts are integer minor units
 * (bigint): the hot-path form; {@link chargeLineMoney} gives them as Money.
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
  /** Currency of the amounts. */
  currency: string
  /** Exact unit price (adjustment included). */
  unitPrice: Money
  /** Unit price in minor units when it has no more digits than the currency. */
  unitPriceMinor: bigint | undefined
  /** Exact amount of the whole line (unit price x quantity), as a decimal string. */
  exactAmount: string
  /** The whole line rounded to the minor unit with the office's rounding mode. */
  roundedAmountMinor: bigint
  /** This debtor's share of the rounded amount, minor units. */
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
  /** Sum of the lines' `amountMinor` (sum of rounded lines, never a rounded sum). */
  totalMinor: bigint
  /** The total as Money. */
  total: Money
}

/** What {@link buildChargeLines} returns: the groups and every unbilled day with its reason. */
export interface ChargeLinesResult {
  /** Lines grouped by debtor x billing office x period, sorted by debtor, office, period. */
  groups: ChargeGroup[]
  /** Days that gave no line, in input order. */
  unbilled: UnbilledCharge[]
}

interface RuleState {
  readonly index: number
  readonly resolution: Extract<DebtorResolution, { status: 'billed' }>
  readonly valid: boolean
  readonly primaryPayer: string
  readonly payerIndex: number
  readonly weights: readonly number[]
  readonly totalWeight: number
  readonly quotientByPeriod: Map<number, string | undefined>
  /** price keys of QF-priced tariffs by (tariff id, period) */
  readonly quotientKeys: Map<number, PriceKey[]>
}

interface LineAcc {
  readonly rule: RuleState
  readonly beneficiaryId: string
  readonly service: PreparedService
  readonly periodIndex: number
  readonly price: PriceKey
  /** the days of the line: a list through `Run.nextDay`, from `firstDay` to `lastDay` (day indexes) */
  firstDay: number
  lastDay: number
  count: number
  quantity: number
  /** Another rule's line with the same price and period (rare: a rule change within a period). */
  next: LineAcc | undefined
}

interface DayInfo {
  readonly epoch: number
  readonly periodIndex: number
}

const KIND_INDEX: Record<ChargeKind, number> = { service: 0, unbookedAttendance: 1, lateCancellation: 2 }

function invalidDay(index: number, field: string, message: string): EcoleError {
  return new EcoleError('INVALID_INPUT', `invalid input for days[${index}].${field}: ${message}`, {
    details: { issues: [{ path: `days.${index}.${field}`, message, code: 'custom' }] },
  })
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function formatMinor(minor: bigint, digits: number): string {
  const negative = minor < 0n
  const s = (negative ? -minor : minor).toString().padStart(digits + 1, '0')
  const text = digits === 0 ? s : `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`
  return negative ? `-${text}` : text
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
 * `config` is validated once ({@link prepareChargeConfig}; pass a prepared one to reuse it); each
 * day gets only a shape check, so millions of days are priced without a schema per day.
 * `options` select what an invoice batch bills: one period, one billing office, some services.
 *
 * @example
 * const { groups, unbilled } = buildChargeLines(config, [
 *   { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-07', booked: true },
 * ])
 * groups[0].lines[0].amountMinor //=> 415n
 * buildChargeLines(prepared, days, { period: { from: '2026-09-01', to: '2026-09-30' }, billingOfficeId: 'regie' })
 * @throws EcoleError `INVALID_INPUT` naming the field of the config or the day that is wrong.
 */
export function buildChargeLines(config: ChargeConfigInput | PreparedChargeConfig, days: readonly BillableDay[], options: ChargeRunOptions = {}): ChargeLinesResult {
  const prepared = isPreparedChargeConfig(config) ? config : prepareChargeConfig(config)
  if (!Array.isArray(days)) throw new EcoleError('INVALID_INPUT', 'invalid input for days: must be an array', { details: { issues: [{ path: 'days', message: 'must be an array', code: 'custom' }] } })
  const selection = parseInput(ChargeRunOptionsSchema, options, 'options')
  const selectedServices = selection.serviceIds === undefined ? undefined : new Set(selection.serviceIds)
  const selectedOffice = selection.billingOfficeId
  const run = new Run(prepared, selection.period, days.length)
  const services = prepared.services
  const beneficiaries = prepared.beneficiaries
  const ruleIndex = prepared.rules.index
  const unbilled = run.unbilled

  // the last beneficiary seen: days usually come grouped by beneficiary
  let lastBeneficiaryId: unknown = NOT_A_DAY // never equal to an input value, so the first day is checked
  let lastBeneficiary: PreparedBeneficiary | undefined
  let lastRules: ReadonlyMap<string, readonly PreparedBillingRule[]> | undefined
  let lastLines: Map<number, LineAcc> | undefined
  let lastAdjustments: ReadonlyMap<string, readonly PreparedAdjustment[]> | undefined
  const adjustments = prepared.adjustments

  for (let i = 0; i < days.length; i++) {
    const day = days[i] as BillableDay
    if (typeof day !== 'object' || day === null) throw invalidDay(i, '', 'must be an object')
    const beneficiaryId = day.beneficiaryId
    const serviceId = day.serviceId
    if (typeof serviceId !== 'string' || serviceId === '') throw invalidDay(i, 'serviceId', 'must be a non-empty string')
    if (beneficiaryId !== lastBeneficiaryId) {
      if (typeof beneficiaryId !== 'string' || beneficiaryId === '') throw invalidDay(i, 'beneficiaryId', 'must be a non-empty string')
      lastBeneficiaryId = beneficiaryId
      lastBeneficiary = beneficiaries.get(beneficiaryId)
      lastRules = ruleIndex.get(beneficiaryId)
      lastLines = run.linesOf(beneficiaryId)
      lastAdjustments = adjustments.size === 0 ? undefined : adjustments.get(beneficiaryId)
    }
    if (typeof day.booked !== 'boolean') throw invalidDay(i, 'booked', 'must be a boolean')
    const quantity = day.quantity === undefined ? 1 : day.quantity
    if (!Number.isSafeInteger(quantity) || quantity < 1) throw invalidDay(i, 'quantity', 'must be a positive integer')
    const info = run.infoOf(day.date, i)

    const service = services.get(serviceId)
    if (service === undefined) {
      unbilled.push({ day, reason: 'UNKNOWN_SERVICE', ruleIds: NO_IDS })
      continue
    }
    if ((selectedServices !== undefined && !selectedServices.has(serviceId)) || (selectedOffice !== undefined && service.officeId !== selectedOffice)) {
      unbilled.push({ day, reason: 'NOT_SELECTED', ruleIds: NO_IDS })
      continue
    }
    if (service.billing === 'prepaid') {
      unbilled.push({ day, reason: 'PREPAID_SERVICE', ruleIds: NO_IDS })
      continue
    }
    const kind = chargeKindOf(service.mode, day)
    if (kind !== 'service' && kind !== 'unbookedAttendance' && kind !== 'lateCancellation') {
      unbilled.push({ day, reason: kind, ruleIds: NO_IDS })
      continue
    }
    const res = resolveAmong(lastRules?.get(serviceId), info.epoch)
    if (res.status === 'unbilled') {
      unbilled.push({ day, reason: res.reason, ruleIds: res.ruleIds.length === 0 ? NO_IDS : [...res.ruleIds] })
      continue
    }
    const rule = run.ruleStateOf(res)
    if (!rule.valid) {
      unbilled.push({ day, reason: 'INVALID_PAYER_WEIGHTS', ruleIds: [res.ruleId] })
      continue
    }
    if (info.periodIndex < 0) {
      unbilled.push({ day, reason: 'OUTSIDE_PERIODS', ruleIds: NO_IDS })
      continue
    }
    if (lastBeneficiary === undefined) {
      unbilled.push({ day, reason: 'UNKNOWN_BENEFICIARY', ruleIds: NO_IDS })
      continue
    }
    let tariff: PreparedTariff | undefined
    const tariffs = service.tariffs
    for (let k = 0; k < tariffs.length; k++) {
      const t = tariffs[k] as PreparedTariff
      if (info.epoch >= t.fromDay && info.epoch <= t.toDay) {
        tariff = t
        break
      }
    }
    if (tariff === undefined) {
      unbilled.push({ day, reason: 'NO_TARIFF', ruleIds: NO_IDS })
      continue
    }
    const adult = lastBeneficiary.adult && tariff.period.adultPrice !== undefined
    if (!adult && tariff.siblingRanking !== undefined) {
      run.defer(i, info, rule, service, tariff, KIND_INDEX[kind], lastBeneficiary.seniority)
      continue
    }
    let keys: PriceKey[]
    if (adult) keys = priceKeysFor(prepared, service, tariff, 'adult', true, undefined, undefined)
    else if (tariff.period.tariff.kind === 'fixed') keys = priceKeysFor(prepared, service, tariff, 'fixed', false, undefined, undefined)
    else {
      const cacheKey = tariff.id * run.periodBound + info.periodIndex
      const cached = rule.quotientKeys.get(cacheKey)
      if (cached !== undefined) keys = cached
      else {
        const q = run.referenceQuotient(rule, info.periodIndex)
        keys = priceKeysFor(prepared, service, tariff, q === undefined ? 'noQF' : `QF:${q}`, false, q, undefined)
        rule.quotientKeys.set(cacheKey, keys)
      }
    }
    let price = keys[KIND_INDEX[kind]] as PriceKey
    if (lastAdjustments !== undefined) price = withStanding(prepared, lastAdjustments.get(serviceId), info.epoch, price)
    run.accumulate(lastLines as Map<number, LineAcc>, i, day, rule, service, info.periodIndex, price, quantity)
  }

  run.rankSiblings(days)
  return { groups: finish(run.lines, run.periods, run.periodBound, days, run.nextDay), unbilled }
}

const NO_IDS = Object.freeze([]) as unknown as string[]
const NOT_A_DAY = Symbol('none yet')
/** Int32 fields per deferred day: day index, rule, service, tariff, period, epoch day, kind, seniority. */
const STRIDE = 8

/** The state of one run of {@link buildChargeLines}. */
class Run {
  readonly unbilled: UnbilledCharge[] = []
  readonly lines = new Map<string, Map<number, LineAcc>>()
  /** the next day index of the same line (see `LineAcc.firstDay`) */
  readonly nextDay: Int32Array
  readonly periods: DateRange[]
  readonly #prepared: PreparedChargeConfig
  readonly #fixedPeriods: boolean
  readonly #periodStarts: number[]
  readonly #periodEnds: number[]
  readonly #monthIndex = new Map<string, number>()
  readonly #dayInfo = new Map<string, DayInfo>()
  readonly #ruleStates = new Map<object, RuleState>()
  readonly #payerIndex = new Map<string, number>()
  /** An upper bound of period indexes (keys mix a period index with other indexes). */
  readonly periodBound: number
  // deferred (degressive) days: STRIDE int32 fields each, in a buffer grown by doubling
  #deferred = new Int32Array(1024 * STRIDE)
  #deferredCount = 0
  readonly #ruleList: RuleState[] = []
  readonly #serviceList: PreparedService[] = []
  readonly #tariffList: PreparedTariff[] = []

  constructor(prepared: PreparedChargeConfig, period: DateRange | undefined, dayCount: number) {
    this.#prepared = prepared
    this.nextDay = new Int32Array(dayCount)
    const fixed = period !== undefined ? [period] : prepared.config.periods
    this.#fixedPeriods = fixed !== undefined
    this.periods = fixed ? [...fixed].sort((a, b) => compareStrings(a.from, b.from)) : []
    this.#periodStarts = this.periods.map((p) => toEpochDay(p.from))
    this.#periodEnds = this.periods.map((p) => toEpochDay(p.to))
    this.periodBound = fixed ? this.periods.length + 1 : 4096
    for (const service of prepared.services.values()) {
      this.#serviceList[service.index] = service
      for (const t of service.tariffs) this.#tariffList[t.id] = t
    }
  }

  linesOf(beneficiaryId: string): Map<number, LineAcc> {
    let m = this.lines.get(beneficiaryId)
    if (m === undefined) this.lines.set(beneficiaryId, (m = new Map()))
    return m
  }

  #periodOf(date: LocalDate, epoch: number): number {
    if (this.#fixedPeriods) {
      for (let i = 0; i < this.periods.length; i++) if (epoch >= (this.#periodStarts[i] as number) && epoch <= (this.#periodEnds[i] as number)) return i
      return -1
    }
    const key = date.slice(0, 7)
    let i = this.#monthIndex.get(key)
    if (i === undefined) {
      i = this.periods.length
      if (i >= this.periodBound) throw new EcoleError('TOO_MANY_PERIODS', `a charge-line run spans at most ${this.periodBound} calendar months`)
      this.periods.push({ from: startOfMonth(date), to: endOfMonth(date) })
      this.#monthIndex.set(key, i)
    }
    return i
  }

  infoOf(date: unknown, index: number): DayInfo {
    const cached = this.#dayInfo.get(date as string)
    if (cached !== undefined) return cached
    if (!isLocalDate(date)) throw invalidDay(index, 'date', 'must be a calendar day written YYYY-MM-DD')
    const epoch = toEpochDay(date)
    const info = { epoch, periodIndex: this.#periodOf(date, epoch) }
    this.#dayInfo.set(date, info)
    return info
  }

  ruleStateOf(res: Extract<DebtorResolution, { status: 'billed' }>): RuleState {
    let s = this.#ruleStates.get(res)
    if (s === undefined) {
      const weights = res.debtors.map((d) => d.weight)
      const total = weights.reduce((a, b) => a + b, 0)
      const primary = mainPayerOf(res.debtors)
      let payerIndex = this.#payerIndex.get(primary)
      if (payerIndex === undefined) this.#payerIndex.set(primary, (payerIndex = this.#payerIndex.size))
      s = {
        index: this.#ruleList.length,
        resolution: res,
        valid: weights.length > 0 && total > 0 && weights.every((w) => Number.isSafeInteger(w) && w >= 0),
        primaryPayer: primary,
        payerIndex,
        weights,
        totalWeight: total,
        quotientByPeriod: new Map(),
        quotientKeys: new Map(),
      }
      this.#ruleStates.set(res, s)
      this.#ruleList.push(s)
    }
    return s
  }

  referenceQuotient(rule: RuleState, periodIndex: number): string | undefined {
    const cached = rule.quotientByPeriod.get(periodIndex)
    if (cached !== undefined || rule.quotientByPeriod.has(periodIndex)) return cached
    const date = this.#prepared.config.quotientDate ?? (this.periods[periodIndex] as DateRange).from
    const q = quotientAt(this.#prepared, rule.primaryPayer, date)
    rule.quotientByPeriod.set(periodIndex, q)
    return q
  }

  accumulate(lines: Map<number, LineAcc>, dayIndex: number, day: BillableDay, rule: RuleState, service: PreparedService, periodIndex: number, price: PriceKey, quantity: number): void {
    const key = price.id * this.periodBound + periodIndex
    const head = lines.get(key)
    let acc = head
    while (acc !== undefined && acc.rule !== rule) acc = acc.next
    if (acc === undefined) {
      acc = { rule, beneficiaryId: day.beneficiaryId, service, periodIndex, price, firstDay: dayIndex, lastDay: dayIndex, count: 1, quantity, next: head }
      lines.set(key, acc)
      return
    }
    this.nextDay[acc.lastDay] = dayIndex
    acc.lastDay = dayIndex
    acc.count++
    acc.quantity += quantity
  }

  defer(dayIndex: number, info: DayInfo, rule: RuleState, service: PreparedService, tariff: PreparedTariff, kind: number, seniority: number): void {
    let buf = this.#deferred
    const at = this.#deferredCount * STRIDE
    if (at + STRIDE > buf.length) {
      const bigger = new Int32Array(buf.length * 2)
      bigger.set(buf)
      this.#deferred = buf = bigger
    }
    buf[at] = dayIndex
    buf[at + 1] = rule.index
    buf[at + 2] = service.index
    buf[at + 3] = tariff.id
    buf[at + 4] = info.periodIndex
    buf[at + 5] = info.epoch
    buf[at + 6] = kind
    buf[at + 7] = seniority
    this.#deferredCount++
  }

  /** Prices the days of degressive tariffs once every charge of each day is known. */
  rankSiblings(days: readonly BillableDay[]): void {
    const n = this.#deferredCount
    if (n === 0) return
    const d = this.#deferred
    let minEpoch = Infinity
    let maxEpoch = -Infinity
    let maxPayer = 0
    for (let k = 0; k < n; k++) {
      const epoch = d[k * STRIDE + 5] as number
      if (epoch < minEpoch) minEpoch = epoch
      if (epoch > maxEpoch) maxEpoch = epoch
      const payer = (this.#ruleList[d[k * STRIDE + 1] as number] as RuleState).payerIndex
      if (payer > maxPayer) maxPayer = payer
    }
    // group by (main payer, service, day): a group is a linked list through `next`, its head
    // found by a dense key when the key space is small, else through a map
    const span = maxEpoch - minEpoch + 1
    const nServices = this.#serviceList.length
    const size = (maxPayer + 1) * nServices * span
    const dense = size <= 16_777_216 ? new Int32Array(size).fill(-1) : undefined
    const sparse = dense ? undefined : new Map<number, number>()
    const next = new Int32Array(n).fill(-1)
    const keyOf = (k: number): number => {
      const at = k * STRIDE
      return ((this.#ruleList[d[at + 1] as number] as RuleState).payerIndex * nServices + (d[at + 2] as number)) * span + ((d[at + 5] as number) - minEpoch)
    }
    for (let k = n - 1; k >= 0; k--) {
      const key = keyOf(k)
      const head = dense ? (dense[key] as number) : (sparse?.get(key) ?? -1)
      next[k] = head
      if (dense) dense[key] = k
      else sparse?.set(key, k)
    }
    const members: number[] = []
    const ranked: number[] = []
    const done = new Uint8Array(n)
    for (let start = 0; start < n; start++) {
      if (done[start] === 1) continue
      members.length = 0
      ranked.length = 0
      // `start` is the first member of its group (heads were set walking backwards)
      for (let k = start; k >= 0; k = next[k] as number) {
        members.push(k)
        done[k] = 1
        insertSorted(ranked, d[k * STRIDE + 7] as number)
      }
      const first = start * STRIDE
      const firstTariff = this.#tariffList[d[first + 3] as number] as PreparedTariff
      if (firstTariff.siblingRanking === 'subscribed') {
        const rule = this.#ruleList[d[first + 1] as number] as RuleState
        const service = this.#serviceList[d[first + 2] as number] as PreparedService
        for (const x of subscribedSeniorities(this.#prepared, rule.primaryPayer, service.id, d[first + 5] as number)) insertSorted(ranked, x)
      }
      const of = ranked.length
      for (let m = 0; m < members.length; m++) {
        const at = (members[m] as number) * STRIDE
        const rank = ranked.indexOf(d[at + 7] as number) + 1
        const service = this.#serviceList[d[at + 2] as number] as PreparedService
        const t = this.#tariffList[d[at + 3] as number] as PreparedTariff
        const byRank = t.rankCache[of] ?? (t.rankCache[of] = [])
        const keys = byRank[rank] ?? (byRank[rank] = priceKeysFor(this.#prepared, service, t, `rank:${rank}/${of}`, false, undefined, { rank, of }))
        const day = days[d[at] as number] as BillableDay
        let price = keys[d[at + 6] as number] as PriceKey
        const standing = this.#prepared.adjustments.get(day.beneficiaryId)?.get(service.id)
        if (standing !== undefined) price = withStanding(this.#prepared, standing, d[at + 5] as number, price)
        this.accumulate(this.linesOf(day.beneficiaryId), d[at] as number, day, this.#ruleList[d[at + 1] as number] as RuleState, service, d[at + 4] as number, price, day.quantity ?? 1)
      }
    }
  }
}

/** `price` with the standing adjustment of the day applied, if one of `list` covers it. */
function withStanding(prepared: PreparedChargeConfig, list: readonly PreparedAdjustment[] | undefined, epoch: number, price: PriceKey): PriceKey {
  if (list === undefined) return price
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as PreparedAdjustment
    if (epoch >= a.fromDay && epoch <= a.toDay) return adjustedPriceKey(prepared, price, a)
  }
  return price
}

/** Inserts `x` into the ascending list `list` unless present (lists here hold a few siblings). */
function insertSorted(list: number[], x: number): void {
  let i = list.length
  while (i > 0 && (list[i - 1] as number) > x) i--
  if (i > 0 && list[i - 1] === x) return
  list.push(x)
  for (let j = list.length - 1; j > i; j--) list[j] = list[j - 1] as number
  list[i] = x
}

/** The main payer of a resolution: the debtor with the largest weight, the first one on a tie ('' when none). */
function mainPayerOf(debtors: ReadonlyArray<{ guardianId: string; weight: number }>): string {
  let primary = ''
  let best = -Infinity
  for (const d of debtors) if (d.weight > best) ((best = d.weight), (primary = d.guardianId))
  return primary
}

/** Seniorities of the beneficiaries subscribed to `serviceId` on `epoch` whose charge that day would be billed to `payer` as main payer. */
function subscribedSeniorities(prepared: PreparedChargeConfig, payer: string, serviceId: string, epoch: number): number[] {
  const bySvc = prepared.subscriptions.get(serviceId)
  if (!bySvc) return []
  const date = fromEpochDay(epoch)
  const out: number[] = []
  for (const [beneficiaryId, subs] of bySvc) {
    if (!subs.some((s) => s.from <= date && (s.to === undefined || date <= s.to))) continue
    const b = prepared.beneficiaries.get(beneficiaryId)
    if (b === undefined || b.adult) continue
    const res = resolvePrepared(prepared.rules, beneficiaryId, serviceId, epoch)
    if (res.status !== 'billed') continue
    if (mainPayerOf(res.debtors) === payer) out.push(b.seniority)
  }
  return out
}

function isSorted(dates: readonly string[]): boolean {
  for (let i = 1; i < dates.length; i++) if ((dates[i - 1] as string) > (dates[i] as string)) return false
  return true
}

function finish(lines: Map<string, Map<number, LineAcc>>, periods: readonly DateRange[], periodBound: number, days: readonly BillableDay[], nextDay: Int32Array): ChargeGroup[] {
  const groups = new Map<number, ChargeGroup>()
  const debtorIndex = new Map<string, number>()
  const officeIndex = new Map<string, number>()
  const amounts = new Map<number, { exact: string; rounded: bigint }>()
  for (const byKey of lines.values()) {
    for (const head of byKey.values()) {
     for (let acc: LineAcc | undefined = head; acc !== undefined; acc = acc.next) {
      const { rule, service, price } = acc
      const digits = minorUnits(service.currency)
      // price keys are per tariff period and office: (price, quantity) fixes the amounts
      const amountKey = acc.quantity < 1_048_576 ? price.id * 1_048_576 + acc.quantity : -1
      let amount = amountKey >= 0 ? amounts.get(amountKey) : undefined
      if (amount === undefined) {
        if (price.unitPriceMinor !== undefined) {
          const rounded = price.unitPriceMinor * BigInt(acc.quantity)
          amount = { exact: formatMinor(rounded, digits), rounded }
        } else {
          const exact = price.unitPrice.times(acc.quantity)
          amount = { exact: exact.amount, rounded: exact.round(service.rounding).toMinor() }
        }
        if (amountKey >= 0) amounts.set(amountKey, amount)
      }
      const exactAmount = amount.exact
      const rounded = amount.rounded
      const shares = rule.weights.length === 1 ? undefined : allocateMinor(rounded, rule.weights)
      const dates: LocalDate[] = new Array<LocalDate>(acc.count)
      for (let j = 0, at = acc.firstDay; j < acc.count; j++, at = nextDay[at] as number) dates[j] = (days[at] as BillableDay).date
      if (dates.length > 1 && !isSorted(dates)) dates.sort(compareStrings)
      let office = officeIndex.get(service.officeId)
      if (office === undefined) officeIndex.set(service.officeId, (office = officeIndex.size))
      const period = periods[acc.periodIndex] as DateRange
      const debtors = rule.resolution.debtors
      for (let k = 0; k < debtors.length; k++) {
        const debtor = debtors[k] as { guardianId: string; weight: number }
        if (debtor.weight === 0) continue
        const line: ChargeLine = {
          ruleId: rule.resolution.ruleId,
          debtorId: debtor.guardianId,
          weight: debtor.weight,
          totalWeight: rule.totalWeight,
          jointDebtorIds: rule.resolution.jointDebtorIds,
          beneficiaryId: acc.beneficiaryId,
          serviceId: service.id,
          billingOfficeId: service.officeId,
          period,
          kind: price.kind,
          dates,
          quantity: acc.quantity,
          currency: service.currency,
          unitPrice: price.unitPrice,
          unitPriceMinor: price.unitPriceMinor,
          exactAmount,
          roundedAmountMinor: rounded,
          amountMinor: shares === undefined ? rounded : (shares[k] as bigint),
          tariffFrom: price.tariffFrom,
          basis: price.basis,
          adjustment: price.adjustment,
          standingAdjustment: price.standingAdjustment,
          explanation: price.explanation,
        }
        let debtorI = debtorIndex.get(debtor.guardianId)
        if (debtorI === undefined) debtorIndex.set(debtor.guardianId, (debtorI = debtorIndex.size))
        const gKey = (debtorI * periodBound + acc.periodIndex) * 1024 + office
        if (office >= 1024) throw new EcoleError('TOO_MANY_OFFICES', 'a charge-line run handles at most 1024 billing offices')
        let g = groups.get(gKey)
        if (g === undefined) {
          g = { debtorId: debtor.guardianId, billingOfficeId: service.officeId, period, currency: service.currency, jointDebtorIds: [], lines: [], totalMinor: 0n, total: undefined as unknown as Money }
          groups.set(gKey, g)
        }
        g.lines.push(line)
        g.totalMinor += line.amountMinor
      }
     }
    }
  }
  const out = [...groups.values()]
  for (const g of out) {
    const joint = new Set<string>()
    for (const l of g.lines) for (const j of l.jointDebtorIds) joint.add(j)
    g.jointDebtorIds = [...joint].sort(compareStrings)
    g.total = Money.fromMinor(g.totalMinor, g.currency)
    g.lines.sort(
      (a, b) =>
        compareStrings(a.beneficiaryId, b.beneficiaryId) ||
        compareStrings(a.serviceId, b.serviceId) ||
        KIND_INDEX[a.kind] - KIND_INDEX[b.kind] ||
        compareStrings(a.dates[0] as string, b.dates[0] as string) ||
        compareStrings(a.ruleId, b.ruleId) ||
        (a.unitPriceMinor !== undefined && b.unitPriceMinor !== undefined ? Number(a.unitPriceMinor - b.unitPriceMinor) : compareStrings(a.exactAmount, b.exactAmount)),
    )
  }
  out.sort((a, b) => compareStrings(a.debtorId, b.debtorId) || compareStrings(a.billingOfficeId, b.billingOfficeId) || compareStrings(a.period.from, b.period.from))
  return out
}

/**
 * The amounts of a charge line as Money (the line keeps integer minor units for speed).
 *
 * @example
 * chargeLineMoney(line) //=> { unitPrice: Money 4.15 EUR, exact: Money 70.55 EUR, rounded: Money 70.55 EUR, amount: Money 70.55 EUR }
 */
export function chargeLineMoney(line: ChargeLine): { unitPrice: Money; exact: Money; rounded: Money; amount: Money } {
  return {
    unitPrice: line.unitPrice,
    exact: Money.of(line.exactAmount, line.currency),
    rounded: Money.fromMinor(line.roundedAmountMinor, line.currency),
    amount: Money.fromMinor(line.amountMinor, line.currency),
  }
}

import { EcoleError } from '../errors'
import { Money, allocateMinor, minorUnits } from '../money'
import { endOfMonth, fromEpochDay, isLocalDate, startOfMonth, toEpochDay, type DateRange, type LocalDate } from '../time'
import { chargeKindOf, type ChargeKind, type DayFacts, type PriceAdjustment } from './billing-mode'
import {
  isPreparedChargeConfig, prepareChargeConfig, priceKeysFor, quotientAt,
  type PreparedChargeConfig, type PreparedService, type PreparedTariff, type PriceKey,
} from './charge-config'
import { resolvePrepared, type DebtorResolution, type UnbilledReason } from './resolve-debtors'
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

/** A day that gave no charge line, and why (never dropped silently). */
export interface UnbilledCharge {
  /** The day as given. */
  day: BillableDay
  /** Why it is not billed. */
  reason: ChargeUnbilledReason
  /** The rules concerned (overlapping, stopped, excluding the date, or with invalid weights). */
  ruleIds: string[]
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
  readonly ruleIndex: number
  readonly resolution: Extract<DebtorResolution, { status: 'billed' }>
  readonly valid: boolean
  readonly primaryPayer: string
  readonly weights: readonly number[]
  readonly totalWeight: number
  readonly quotientByPeriod: (string | undefined | null)[]
}

interface LineAcc {
  readonly rule: RuleState
  readonly beneficiaryId: string
  readonly service: PreparedService
  readonly periodIndex: number
  readonly price: PriceKey
  readonly dates: LocalDate[]
  quantity: number
  /** Another rule's line with the same price and period (rare: a rule change within a period). */
  next: LineAcc | undefined
}

interface DayInfo {
  readonly epoch: number
  readonly periodIndex: number
}

interface Deferred {
  readonly index: number
  readonly day: BillableDay
  readonly info: DayInfo
  readonly rule: RuleState
  readonly service: PreparedService
  readonly tariff: PreparedTariff
  readonly kind: ChargeKind
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
 *
 * @example
 * const { groups, unbilled } = buildChargeLines(config, [
 *   { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-07', booked: true },
 * ])
 * groups[0].lines[0].amountMinor //=> 415n
 * @throws EcoleError `INVALID_INPUT` naming the field of the config or the day that is wrong.
 */
export function buildChargeLines(config: unknown, days: readonly BillableDay[]): ChargeLinesResult {
  const prepared = isPreparedChargeConfig(config) ? config : prepareChargeConfig(config)
  if (!Array.isArray(days)) throw new EcoleError('INVALID_INPUT', 'invalid input for days: must be an array', { details: { issues: [{ path: 'days', message: 'must be an array', code: 'custom' }] } })

  // billing periods: fixed list, or calendar months created on demand
  const fixedPeriods = prepared.config.periods
  const periods: DateRange[] = fixedPeriods ? [...fixedPeriods].sort((a, b) => compareStrings(a.from, b.from)) : []
  const periodStarts = periods.map((p) => toEpochDay(p.from))
  const periodEnds = periods.map((p) => toEpochDay(p.to))
  const monthIndex = new Map<string, number>()
  const periodOf = (date: LocalDate, epoch: number): number => {
    if (fixedPeriods) {
      for (let i = 0; i < periods.length; i++) if (epoch >= (periodStarts[i] as number) && epoch <= (periodEnds[i] as number)) return i
      return -1
    }
    const key = date.slice(0, 7)
    let i = monthIndex.get(key)
    if (i === undefined) {
      i = periods.length
      periods.push({ from: startOfMonth(date), to: endOfMonth(date) })
      monthIndex.set(key, i)
    }
    return i
  }
  const dayInfo = new Map<string, DayInfo>()
  const infoOf = (date: unknown, index: number): DayInfo => {
    const cached = dayInfo.get(date as string)
    if (cached !== undefined) return cached
    if (!isLocalDate(date)) throw invalidDay(index, 'date', 'must be a calendar day written YYYY-MM-DD')
    const epoch = toEpochDay(date)
    const info = { epoch, periodIndex: periodOf(date, epoch) }
    dayInfo.set(date, info)
    return info
  }

  const ruleStates = new Map<object, RuleState>()
  const ruleStateOf = (res: Extract<DebtorResolution, { status: 'billed' }>): RuleState => {
    let s = ruleStates.get(res)
    if (s === undefined) {
      const weights = res.debtors.map((d) => d.weight)
      const total = weights.reduce((a, b) => a + b, 0)
      let primary = res.debtors[0]?.guardianId ?? ''
      let best = -Infinity
      for (const d of res.debtors) if (d.weight > best) ((best = d.weight), (primary = d.guardianId))
      s = {
        ruleIndex: ruleStates.size,
        resolution: res,
        valid: weights.length > 0 && total > 0 && weights.every((w) => Number.isSafeInteger(w) && w >= 0),
        primaryPayer: primary,
        weights,
        totalWeight: total,
        quotientByPeriod: [],
      }
      ruleStates.set(res, s)
    }
    return s
  }
  const referenceQuotient = (rule: RuleState, periodIndex: number): string | undefined => {
    const cached = rule.quotientByPeriod[periodIndex]
    if (cached !== undefined && cached !== null) return cached
    if (cached === undefined && periodIndex in rule.quotientByPeriod) return undefined
    const date = prepared.config.quotientDate ?? (periods[periodIndex] as DateRange).from
    const q = quotientAt(prepared, rule.primaryPayer, date)
    rule.quotientByPeriod[periodIndex] = q
    return q
  }

  const unbilled: UnbilledCharge[] = []
  const lines = new Map<string, Map<number, LineAcc>>()
  const deferred: Deferred[] = []
  let nPeriodsBound = fixedPeriods ? periods.length + 1 : 4096
  const accumulate = (day: BillableDay, rule: RuleState, service: PreparedService, periodIndex: number, price: PriceKey, quantity: number): void => {
    let byBeneficiary = lines.get(day.beneficiaryId)
    if (byBeneficiary === undefined) lines.set(day.beneficiaryId, (byBeneficiary = new Map()))
    const key = price.id * nPeriodsBound + periodIndex
    const head = byBeneficiary.get(key)
    let acc = head
    while (acc !== undefined && acc.rule !== rule) acc = acc.next
    if (acc === undefined) {
      acc = { rule, beneficiaryId: day.beneficiaryId, service, periodIndex, price, dates: [], quantity: 0, next: head }
      byBeneficiary.set(key, acc)
    }
    acc.dates.push(day.date)
    acc.quantity += quantity
  }

  const services = prepared.services
  const beneficiaries = prepared.beneficiaries
  const rules = prepared.rules
  for (let i = 0; i < days.length; i++) {
    const day = days[i] as BillableDay
    if (typeof day !== 'object' || day === null) throw invalidDay(i, '', 'must be an object')
    const beneficiaryId = day.beneficiaryId
    const serviceId = day.serviceId
    if (typeof beneficiaryId !== 'string' || beneficiaryId === '') throw invalidDay(i, 'beneficiaryId', 'must be a non-empty string')
    if (typeof serviceId !== 'string' || serviceId === '') throw invalidDay(i, 'serviceId', 'must be a non-empty string')
    if (typeof day.booked !== 'boolean') throw invalidDay(i, 'booked', 'must be a boolean')
    const quantity = day.quantity === undefined ? 1 : day.quantity
    if (!Number.isSafeInteger(quantity) || quantity < 1) throw invalidDay(i, 'quantity', 'must be a positive integer')
    const info = infoOf(day.date, i)

    const service = services.get(serviceId)
    if (service === undefined) {
      unbilled.push({ day, reason: 'UNKNOWN_SERVICE', ruleIds: [] })
      continue
    }
    if (service.billing === 'prepaid') {
      unbilled.push({ day, reason: 'PREPAID_SERVICE', ruleIds: [] })
      continue
    }
    const kind = chargeKindOf(service.mode, day)
    if (kind !== 'service' && kind !== 'unbookedAttendance' && kind !== 'lateCancellation') {
      unbilled.push({ day, reason: kind, ruleIds: [] })
      continue
    }
    const res = resolvePrepared(rules, beneficiaryId, serviceId, info.epoch)
    if (res.status === 'unbilled') {
      unbilled.push({ day, reason: res.reason, ruleIds: [...res.ruleIds] })
      continue
    }
    const rule = ruleStateOf(res)
    if (!rule.valid) {
      unbilled.push({ day, reason: 'INVALID_PAYER_WEIGHTS', ruleIds: [res.ruleId] })
      continue
    }
    if (info.periodIndex < 0) {
      unbilled.push({ day, reason: 'OUTSIDE_PERIODS', ruleIds: [] })
      continue
    }
    if (info.periodIndex >= nPeriodsBound) nPeriodsBound = Number.MAX_SAFE_INTEGER // never with fewer than 4096 months
    const beneficiary = beneficiaries.get(beneficiaryId)
    if (beneficiary === undefined) {
      unbilled.push({ day, reason: 'UNKNOWN_BENEFICIARY', ruleIds: [] })
      continue
    }
    let tariff: PreparedTariff | undefined
    for (const t of service.tariffs) {
      if (info.epoch >= t.fromDay && info.epoch <= t.toDay) {
        tariff = t
        break
      }
    }
    if (tariff === undefined) {
      unbilled.push({ day, reason: 'NO_TARIFF', ruleIds: [] })
      continue
    }
    const adult = beneficiary.adult && tariff.period.adultPrice !== undefined
    if (!adult && tariff.siblingRanking !== undefined) {
      deferred.push({ index: i, day, info, rule, service, tariff, kind })
      continue
    }
    let keys: PriceKey[]
    if (adult) keys = priceKeysFor(prepared, service, tariff, 'adult', true, undefined, undefined)
    else if (tariff.period.tariff.kind === 'fixed') keys = priceKeysFor(prepared, service, tariff, 'fixed', false, undefined, undefined)
    else {
      const q = referenceQuotient(rule, info.periodIndex)
      keys = priceKeysFor(prepared, service, tariff, q === undefined ? 'noQF' : `QF:${q}`, false, q, undefined)
    }
    accumulate(day, rule, service, info.periodIndex, keys[KIND_INDEX[kind]] as PriceKey, quantity)
  }

  if (deferred.length > 0) rankSiblings(prepared, deferred, accumulate)
  if (nPeriodsBound === Number.MAX_SAFE_INTEGER) throw new EcoleError('TOO_MANY_PERIODS', 'a charge-line run spans more than 4096 calendar months')

  return { groups: finish(lines, periods), unbilled }
}

/** Prices the days of degressive tariffs once every charge of the day is known. */
function rankSiblings(
  prepared: PreparedChargeConfig,
  deferred: readonly Deferred[],
  accumulate: (day: BillableDay, rule: RuleState, service: PreparedService, periodIndex: number, price: PriceKey, quantity: number) => void,
): void {
  const groups = new Map<string, Deferred[]>()
  for (const d of deferred) {
    const key = `${d.rule.primaryPayer}\u0000${d.service.id}\u0000${d.info.epoch}`
    let g = groups.get(key)
    if (!g) groups.set(key, (g = []))
    g.push(d)
  }
  const birth = (id: string): string => prepared.beneficiaries.get(id)?.birthDate ?? '9999-99-99'
  const eldestFirst = (a: string, b: string): number => compareStrings(birth(a), birth(b)) || compareStrings(a, b)
  for (const group of groups.values()) {
    const first = group[0] as Deferred
    const members = new Set(group.map((d) => d.day.beneficiaryId))
    if (first.tariff.siblingRanking === 'subscribed') {
      for (const b of subscribedChildren(prepared, first.rule.primaryPayer, first.service.id, first.info.epoch)) members.add(b)
    }
    const ranked = [...members].sort(eldestFirst)
    for (const d of group) {
      const rank = ranked.indexOf(d.day.beneficiaryId) + 1
      const keys = priceKeysFor(prepared, d.service, d.tariff, `rank:${rank}/${ranked.length}`, false, undefined, { rank, of: ranked.length })
      accumulate(d.day, d.rule, d.service, d.info.periodIndex, keys[KIND_INDEX[d.kind]] as PriceKey, d.day.quantity ?? 1)
    }
  }
}

/** The beneficiaries subscribed to `serviceId` on `epoch` whose charge that day would be billed to `payer` as main payer. */
function subscribedChildren(prepared: PreparedChargeConfig, payer: string, serviceId: string, epoch: number): string[] {
  const bySvc = prepared.subscriptions.get(serviceId)
  if (!bySvc) return []
  const date = fromEpochDay(epoch)
  const out: string[] = []
  for (const [beneficiaryId, subs] of bySvc) {
    if (!subs.some((s) => s.from <= date && (s.to === undefined || date <= s.to))) continue
    const b = prepared.beneficiaries.get(beneficiaryId)
    if (b?.adult) continue
    const res = resolvePrepared(prepared.rules, beneficiaryId, serviceId, epoch)
    if (res.status !== 'billed') continue
    let primary = ''
    let best = -Infinity
    for (const d of res.debtors) if (d.weight > best) ((best = d.weight), (primary = d.guardianId))
    if (primary === payer) out.push(beneficiaryId)
  }
  return out
}

function finish(lines: Map<string, Map<number, LineAcc>>, periods: readonly DateRange[]): ChargeGroup[] {
  const groups = new Map<string, ChargeGroup>()
  for (const byKey of lines.values()) {
    for (const head of byKey.values()) {
     for (let acc: LineAcc | undefined = head; acc !== undefined; acc = acc.next) {
      const { rule, service, price } = acc
      const digits = minorUnits(service.currency)
      let exactAmount: string
      let rounded: bigint
      if (price.unitPriceMinor !== undefined) {
        rounded = price.unitPriceMinor * BigInt(acc.quantity)
        exactAmount = formatMinor(rounded, digits)
      } else {
        const exact = price.unitPrice.times(acc.quantity)
        exactAmount = exact.amount
        rounded = exact.round(service.rounding).toMinor()
      }
      const shares = rule.weights.length === 1 ? [rounded] : allocateMinor(rounded, rule.weights)
      if (acc.dates.length > 1) acc.dates.sort(compareStrings)
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
          dates: acc.dates,
          quantity: acc.quantity,
          currency: service.currency,
          unitPrice: price.unitPrice,
          unitPriceMinor: price.unitPriceMinor,
          exactAmount,
          roundedAmountMinor: rounded,
          amountMinor: shares[k] as bigint,
          tariffFrom: price.tariffFrom,
          basis: price.basis,
          adjustment: price.adjustment,
          explanation: price.explanation,
        }
        const gKey = `${debtor.guardianId}\u0000${service.officeId}\u0000${acc.periodIndex}`
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

// The state of one charge-line run, shared by its stages (classify a day, price it, rank
// siblings, group lines). Internal: nothing here is exported from the package.
import { EcoleError } from '../errors'
import { describeValue } from '../describe-value'
import { nearestKey } from '../nearest-key'
import { endOfMonth, isLocalDate, startOfMonth, toEpochDay, type DateRange, type LocalDate } from '../time'
import type { ChargeKind } from './billing-mode'
import type { PreparedChargeState, PreparedChargeService, PreparedTariff, PriceKey } from './charge-config'
import type { BillableDay, UnbilledCharge } from './charge-lines'
import type { DebtorResolution } from './resolve-debtors'

/** A billed resolution of a rule, with what pricing and splitting need of it (one per resolution of a run). */
export interface RuleState {
  /** dense index among the rule states of the run */
  readonly index: number
  readonly resolution: Extract<DebtorResolution, { status: 'billed' }>
  /** every weight a non-negative safe integer, and their sum positive */
  readonly valid: boolean
  /** the main payer: the largest weight, the first one on a tie */
  readonly primaryPayer: string
  /** dense index of the main payer among the run's main payers */
  readonly payerIndex: number
  readonly weights: readonly number[]
  readonly totalWeight: number
  /** the main payer's reference QF per period index */
  readonly quotientByPeriod: Map<number, string | undefined>
  /** price keys of QF-priced tariffs by (tariff id, period) */
  readonly quotientKeys: Map<number, PriceKey[]>
}

/** The days of one future line: one rule, beneficiary, service, period and price key. */
export interface LineAcc {
  readonly rule: RuleState
  readonly beneficiaryId: string
  readonly service: PreparedChargeService
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

/** A date of the run as an epoch day and the index of its billing period (-1: outside every period). */
export interface DayInfo {
  readonly epoch: number
  readonly periodIndex: number
}

/** The charge kinds as small integers (the index of a kind's price key in a `PriceKey[]`). */
export const KIND_INDEX: Record<ChargeKind, number> = { service: 0, unbookedAttendance: 1, lateCancellation: 2 }

/** Shared empty list of rule ids (never mutated). */
export const NO_IDS = Object.freeze([]) as unknown as string[]

/** The error for a malformed day: `days[i].field`. */
export function invalidDay(index: number, field: string, message: string): EcoleError {
  return new EcoleError('INVALID_INPUT', `invalid input for days[${index}].${field}: ${message}`, {
    details: { issues: [{ path: `days.${index}.${field}`, message, code: 'custom' }] },
  })
}

/** The keys a {@link BillableDay} may have: any other is refused (a misspelt fact would be read as absent). */
export const BILLABLE_DAY_KEYS = ['beneficiaryId', 'serviceId', 'date', 'quantity', 'booked', 'attended', 'lateCancellation', 'justifiedAbsence'] as const satisfies readonly (keyof BillableDay)[]

/** Whether `key` is a key of a {@link BillableDay} (a switch over {@link BILLABLE_DAY_KEYS}: no hashing per key of every day). */
export function isDayKey(key: string): boolean {
  switch (key) {
    case 'beneficiaryId':
    case 'serviceId':
    case 'date':
    case 'booked':
    case 'attended':
    case 'justifiedAbsence':
    case 'lateCancellation':
    case 'quantity':
      return true
    default:
      return false
  }
}

/** The error for an optional fact of day `index` that is neither a boolean nor absent. */
export function invalidDayFlag(index: number, field: string, value: unknown): EcoleError {
  return invalidDay(index, field, `must be true, false or absent, got ${describeValue(value)}`)
}

/**
 * The error for a key of day `index` that a {@link BillableDay} does not have, with the nearest
 * known key (`justifedAbsence` -> `justifiedAbsence`).
 */
export function unknownDayKey(index: number, key: string): EcoleError {
  const near = nearestKey(key, BILLABLE_DAY_KEYS)
  const message = `unknown key \`${key}\`${near !== undefined ? `: did you mean \`${near}\`?` : ` (known keys: ${BILLABLE_DAY_KEYS.join(', ')})`}`
  return new EcoleError('INVALID_INPUT', `invalid input for days[${index}].${key}: ${message}`, {
    details: { issues: [{ path: `days.${index}.${key}`, message, code: 'unrecognized_keys' }] },
  })
}

/**
 * The error for day `index`, a second day for the (beneficiary, service, date) of day `first`:
 * billing it would charge the same day twice.
 */
export function duplicateDay(index: number, first: number, day: BillableDay): EcoleError {
  const message = `a second day for beneficiary ${day.beneficiaryId}, service ${day.serviceId} on ${day.date} (the first is days[${first}]): at most one day per (beneficiary, service, date)`
  return new EcoleError('INVALID_INPUT', `invalid input for days[${index}]: ${message}`, {
    details: { issues: [{ path: `days.${index}`, message, code: 'custom' }], firstIndex: first },
  })
}

/** Keys of one service in {@link Run.dayKey}: more than the epoch days of years 0001-9999. */
const DAY_SPAN = 4_000_000

/**
 * The (service, date) keys of one beneficiary's days, in input order, and whether they came
 * strictly increasing by service then date (`inOrder`) or by date then service (`inDateOrder`):
 * either way no day repeats, and the run checks nothing more. Kept as a plain list (a push per
 * day): a hash per day costs a billing run more than half again its time.
 */
export class DaysSeen {
  readonly keys: number[] = []
  inOrder = true
  inDateOrder = true
  #last = -1
  #lastByDate = -1

  add(key: number): void {
    this.keys.push(key)
    if (key <= this.#last) this.inOrder = false
    this.#last = key
    if (this.inDateOrder) {
      const byDate = (key % DAY_SPAN) * 1_048_576 + Math.floor(key / DAY_SPAN)
      if (byDate <= this.#lastByDate) this.inDateOrder = false
      this.#lastByDate = byDate
    }
  }
}

/** Code-unit order of two strings (locale-independent). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The main payer of a resolution: the debtor with the largest weight, the first one on a tie ('' when none). */
export function mainPayerOf(debtors: ReadonlyArray<{ guardianId: string; weight: number }>): string {
  let primary = ''
  let best = -Infinity
  for (const d of debtors) if (d.weight > best) ((best = d.weight), (primary = d.guardianId))
  return primary
}

/** The state of one run of `buildChargeLines`. */
export class Run {
  readonly prepared: PreparedChargeState
  readonly unbilled: UnbilledCharge[] = []
  /** line accumulators by beneficiary, then by (price key, period) */
  readonly lines = new Map<string, Map<number, LineAcc>>()
  /** the next day index of the same line (see `LineAcc.firstDay`) */
  readonly nextDay: Int32Array
  readonly periods: DateRange[]
  /** An upper bound of period indexes (keys mix a period index with other indexes). */
  readonly periodBound: number
  /** rule states by dense index */
  readonly ruleList: RuleState[] = []
  /** services by dense index */
  readonly serviceList: PreparedChargeService[] = []
  /** tariff periods by dense id */
  readonly tariffList: PreparedTariff[] = []
  readonly #fixedPeriods: boolean
  readonly #periodStarts: number[]
  readonly #periodEnds: number[]
  readonly #monthIndex = new Map<string, number>()
  readonly #dayInfo = new Map<string, DayInfo>()
  readonly #ruleStates = new Map<object, RuleState>()
  readonly #payerIndex = new Map<string, number>()
  readonly #seen = new Map<string, DaysSeen>()
  readonly #otherServices = new Map<string, number>()

  constructor(prepared: PreparedChargeState, period: DateRange | undefined, dayCount: number) {
    this.prepared = prepared
    this.nextDay = new Int32Array(dayCount)
    const fixed = period !== undefined ? [period] : prepared.config.periods
    this.#fixedPeriods = fixed !== undefined
    this.periods = fixed ? [...fixed].sort((a, b) => compareStrings(a.from, b.from)) : []
    this.#periodStarts = this.periods.map((p) => toEpochDay(p.from))
    this.#periodEnds = this.periods.map((p) => toEpochDay(p.to))
    this.periodBound = fixed ? this.periods.length + 1 : 4096
    for (const service of prepared.services.values()) {
      this.serviceList[service.index] = service
      for (const t of service.tariffs) this.tariffList[t.id] = t
    }
  }

  /** The (service, date) keys seen so far of a beneficiary ({@link DaysSeen}). */
  seenOf(beneficiaryId: string): DaysSeen {
    let m = this.#seen.get(beneficiaryId)
    if (m === undefined) this.#seen.set(beneficiaryId, (m = new DaysSeen()))
    return m
  }

  /** A number for (service, epoch day), unique within a run: a service of the configuration by its index, any other by one given here. */
  dayKey(service: PreparedChargeService | undefined, serviceId: string, epoch: number): number {
    let index = service?.index
    if (index === undefined) {
      index = this.#otherServices.get(serviceId)
      if (index === undefined) this.#otherServices.set(serviceId, (index = this.prepared.services.size + this.#otherServices.size))
    }
    // epoch days of years 0001-9999 are -719162..2932896: shifted, below 4,000,000
    return index * DAY_SPAN + (epoch + 719_163)
  }

  /**
   * Throws {@link duplicateDay} for the first day that repeats the (beneficiary, service, date) of
   * an earlier one. Cheap when each beneficiary's days come in order (by service then date, or by
   * date then service: nothing to do); otherwise sorts that beneficiary's keys.
   */
  assertNoDuplicateDays(days: readonly BillableDay[]): void {
    for (const [beneficiaryId, seen] of this.#seen) {
      if (seen.inOrder || seen.inDateOrder) continue
      const keys = Float64Array.from(seen.keys).sort()
      for (let k = 1; k < keys.length; k++) if (keys[k] === keys[k - 1]) this.#throwDuplicateOf(beneficiaryId, days)
    }
  }

  /** Finds and throws the first repeated day of a beneficiary known to have one (the error path: a scan of the days). */
  #throwDuplicateOf(beneficiaryId: string, days: readonly BillableDay[]): void {
    const first = new Map<number, number>()
    for (let i = 0; i < days.length; i++) {
      const day = days[i] as BillableDay
      if (day.beneficiaryId !== beneficiaryId) continue
      const key = this.dayKey(this.prepared.services.get(day.serviceId), day.serviceId, this.infoOf(day.date, i).epoch)
      const j = first.get(key)
      if (j !== undefined) throw duplicateDay(i, j, day)
      first.set(key, i)
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

  /** The epoch day and period of `date` (cached per date string); throws for a malformed date. */
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
        index: this.ruleList.length,
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
      this.ruleList.push(s)
    }
    return s
  }

  /** Adds day `dayIndex` to the line of its rule, beneficiary, service, period and price. */
  accumulate(lines: Map<number, LineAcc>, dayIndex: number, day: BillableDay, rule: RuleState, service: PreparedChargeService, periodIndex: number, price: PriceKey, quantity: number): void {
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
}

// Stage 3 of a charge-line run: rank siblings. A degressive tariff prices a child by its rank
// among the children charged (or subscribed) that day to the same main payer for the same
// service, so those days wait, packed as int32 records, until every day of the run is classified;
// then each (main payer, service, day) group is ranked eldest first and priced. Internal.
import { fromEpochDay } from '../time'
import { priceKeysFor, type PreparedChargeState, type PreparedChargeService, type PreparedTariff, type PriceKey } from './charge-config'
import type { BillableDay } from './charge-lines'
import { withStanding } from './charge-price'
import { resolvePrepared } from './resolve-debtors'
import { mainPayerOf, type DayInfo, type Run, type RuleState } from './charge-run'

// The fields of one deferred-day record, packed in an Int32Array (offsets within a record).
/** index of the day in the run's input */
const DAY = 0
/** index of its rule state (`Run.ruleList`) */
const RULE = 1
/** dense index of its service (`Run.serviceList`) */
const SERVICE = 2
/** dense id of its tariff period (`Run.tariffList`) */
const TARIFF = 3
/** index of its billing period (`Run.periods`) */
const PERIOD = 4
/** the date as an epoch day */
const EPOCH = 5
/** its charge kind (`KIND_INDEX`) */
const KIND = 6
/** the beneficiary's seniority (0 = eldest of the configuration) */
const SENIORITY = 7
/** Int32 fields per record. */
const STRIDE = 8

/** The days of degressive tariffs, waiting for their siblings (a buffer grown by doubling). */
export class DeferredDays {
  #buf = new Int32Array(1024 * STRIDE)
  #count = 0

  /** Keeps day `dayIndex` for ranking. */
  add(dayIndex: number, info: DayInfo, rule: RuleState, service: PreparedChargeService, tariff: PreparedTariff, kind: number, seniority: number): void {
    let buf = this.#buf
    const at = this.#count * STRIDE
    if (at + STRIDE > buf.length) {
      const bigger = new Int32Array(buf.length * 2)
      bigger.set(buf)
      this.#buf = buf = bigger
    }
    buf[at + DAY] = dayIndex
    buf[at + RULE] = rule.index
    buf[at + SERVICE] = service.index
    buf[at + TARIFF] = tariff.id
    buf[at + PERIOD] = info.periodIndex
    buf[at + EPOCH] = info.epoch
    buf[at + KIND] = kind
    buf[at + SENIORITY] = seniority
    this.#count++
  }

  /** Prices the deferred days once every charge of each day is known, and adds them to their lines. */
  rankSiblings(run: Run, days: readonly BillableDay[]): void {
    const n = this.#count
    if (n === 0) return
    const d = this.#buf
    const rules = run.ruleList
    const services = run.serviceList
    const tariffs = run.tariffList
    let minEpoch = Infinity
    let maxEpoch = -Infinity
    let maxPayer = 0
    for (let k = 0; k < n; k++) {
      const epoch = d[k * STRIDE + EPOCH] as number
      if (epoch < minEpoch) minEpoch = epoch
      if (epoch > maxEpoch) maxEpoch = epoch
      const payer = (rules[d[k * STRIDE + RULE] as number] as RuleState).payerIndex
      if (payer > maxPayer) maxPayer = payer
    }
    // group by (main payer, service, day): a group is a linked list through `next`, its head
    // found by a dense key when the key space is small, else through a map
    const span = maxEpoch - minEpoch + 1
    const nServices = services.length
    const size = (maxPayer + 1) * nServices * span
    const dense = size <= 16_777_216 ? new Int32Array(size).fill(-1) : undefined
    const sparse = dense ? undefined : new Map<number, number>()
    const next = new Int32Array(n).fill(-1)
    const keyOf = (k: number): number => {
      const at = k * STRIDE
      return ((rules[d[at + RULE] as number] as RuleState).payerIndex * nServices + (d[at + SERVICE] as number)) * span + ((d[at + EPOCH] as number) - minEpoch)
    }
    for (let k = n - 1; k >= 0; k--) {
      const key = keyOf(k)
      const head = dense ? (dense[key] as number) : (sparse?.get(key) ?? -1)
      next[k] = head
      if (dense) dense[key] = k
      else sparse?.set(key, k)
    }
    const prepared = run.prepared
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
        insertSorted(ranked, d[k * STRIDE + SENIORITY] as number)
      }
      const first = start * STRIDE
      const firstTariff = tariffs[d[first + TARIFF] as number] as PreparedTariff
      if (firstTariff.siblingRanking === 'subscribed') {
        const rule = rules[d[first + RULE] as number] as RuleState
        const service = services[d[first + SERVICE] as number] as PreparedChargeService
        for (const x of subscribedSeniorities(prepared, rule.primaryPayer, service.id, d[first + EPOCH] as number)) insertSorted(ranked, x)
      }
      const of = ranked.length
      for (let m = 0; m < members.length; m++) {
        const at = (members[m] as number) * STRIDE
        const rank = ranked.indexOf(d[at + SENIORITY] as number) + 1
        const service = services[d[at + SERVICE] as number] as PreparedChargeService
        const t = tariffs[d[at + TARIFF] as number] as PreparedTariff
        const byRank = t.rankCache[of] ?? (t.rankCache[of] = [])
        const keys = byRank[rank] ?? (byRank[rank] = priceKeysFor(prepared, service, t, `rank:${rank}/${of}`, false, undefined, { rank, of }))
        const day = days[d[at + DAY] as number] as BillableDay
        let price = keys[d[at + KIND] as number] as PriceKey
        const standing = prepared.adjustments.get(day.beneficiaryId)?.get(service.id)
        if (standing !== undefined) price = withStanding(prepared, standing, d[at + EPOCH] as number, price)
        run.accumulate(run.linesOf(day.beneficiaryId), d[at + DAY] as number, day, rules[d[at + RULE] as number] as RuleState, service, d[at + PERIOD] as number, price, day.quantity ?? 1)
      }
    }
  }
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

/** Seniorities of the beneficiaries subscribed to `serviceId` on `epoch` whose charge that day would be billed to `payer` as main payer. */
function subscribedSeniorities(prepared: PreparedChargeState, payer: string, serviceId: string, epoch: number): number[] {
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

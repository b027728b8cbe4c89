// Stage 2 of a charge-line run: price a classified day. The unit price is a cached price key per
// (tariff period, pricing situation, charge kind): the adult price, a fixed price, or the price
// of the main payer's reference QF; a beneficiary's standing adjustment applies after it.
// Degressive (sibling-rank) tariffs wait for stage 3, once every charge of the day is known,
// except for an adult, who takes no rank. Internal.
import { adjustedPriceKey, priceKeysFor, quotientAt, type PreparedAdjustment, type PreparedChargeState, type PriceKey } from './charge-config'
import type { DateRange } from '../time'
import type { DayClass } from './charge-classify'
import type { Run, RuleState } from './charge-run'

/** The price key of a classified day, or `undefined` when its tariff ranks siblings (priced later). */
export function priceDay(run: Run, c: DayClass): PriceKey | undefined {
  const prepared = run.prepared
  const { service, tariff, rule, info } = c
  // an adult never takes a sibling rank: on a degressive tariff without an adult price it pays the
  // tariff's first price (priceUnit), and is not counted among the payer's children
  const adult = (c.beneficiary as { adult: boolean }).adult && (tariff.period.adultPrice !== undefined || tariff.siblingRanking !== undefined)
  if (!adult && tariff.siblingRanking !== undefined) return undefined
  let keys: PriceKey[]
  if (adult) keys = priceKeysFor(prepared, service, tariff, 'adult', true, undefined, undefined)
  else if (tariff.period.tariff.kind === 'fixed') keys = priceKeysFor(prepared, service, tariff, 'fixed', false, undefined, undefined)
  else {
    const cacheKey = tariff.id * run.periodBound + info.periodIndex
    const cached = rule.quotientKeys.get(cacheKey)
    if (cached !== undefined) keys = cached
    else {
      const q = referenceQuotient(run, rule, info.periodIndex)
      keys = priceKeysFor(prepared, service, tariff, q === undefined ? 'noQF' : `QF:${q}`, false, q, undefined)
      rule.quotientKeys.set(cacheKey, keys)
    }
  }
  const price = keys[c.kind] as PriceKey
  return c.adjustments === undefined ? price : withStanding(prepared, c.adjustments.get(service.id), info.epoch, price)
}

/** The QF of the rule's main payer at the reference date of a period (the configured one, else the period's first day). */
function referenceQuotient(run: Run, rule: RuleState, periodIndex: number): string | undefined {
  const cached = rule.quotientByPeriod.get(periodIndex)
  if (cached !== undefined || rule.quotientByPeriod.has(periodIndex)) return cached
  const date = run.prepared.config.quotientDate ?? (run.periods[periodIndex] as DateRange).from
  const q = quotientAt(run.prepared, rule.primaryPayer, date)
  rule.quotientByPeriod.set(periodIndex, q)
  return q
}

/** `price` with the standing adjustment of the day applied, if one of `list` covers it. */
export function withStanding(prepared: PreparedChargeState, list: readonly PreparedAdjustment[] | undefined, epoch: number, price: PriceKey): PriceKey {
  if (list === undefined) return price
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as PreparedAdjustment
    if (epoch >= a.fromDay && epoch <= a.toDay) return adjustedPriceKey(prepared, price, a)
  }
  return price
}

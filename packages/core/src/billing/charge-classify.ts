// Stage 1 of a charge-line run: classify a day. Checks the day's shape, then answers in order:
// is the service known and selected, invoiced (not prepaid), charged by its billing mode, who pays
// (the rules), in which billing period, for which beneficiary, under which tariff. The first
// question answered "no" is the day's unbilled reason. Internal.
import type { PreparedBeneficiary, PreparedChargeService, PreparedTariff, PreparedAdjustment } from './charge-config'
import type { BillableDay, ChargeUnbilledReason } from './charge-lines'
import { chargeKindOf } from './billing-mode'
import { resolveAmong, rulesCovering, type PreparedBillingRule } from './resolve-debtors'
import { DaysSeen, KIND_INDEX, NO_IDS, invalidDay, invalidDayFlag, isDayKey, unknownDayKey, type DayInfo, type LineAcc, type Run, type RuleState } from './charge-run'

const NOT_A_DAY = Symbol('none yet')

/**
 * What classifying a day found, written in place (one object per run: the hot loop allocates
 * nothing per day). Valid when {@link classifyDay} returned `undefined`; `ruleIds` is valid when
 * it returned a reason.
 */
export class DayClass {
  // the last beneficiary seen: days usually come grouped by beneficiary
  beneficiaryId: unknown = NOT_A_DAY // never equal to an input value, so the first day is checked
  beneficiary: PreparedBeneficiary | undefined = undefined
  rules: ReadonlyMap<string, readonly PreparedBillingRule[]> | undefined = undefined
  lines: Map<number, LineAcc> | undefined = undefined
  /** the beneficiary's days seen so far, by (service, date) key: at most one each */
  seen: DaysSeen = new DaysSeen()
  /** the beneficiary's standing adjustments by service (undefined when the configuration has none) */
  adjustments: ReadonlyMap<string, readonly PreparedAdjustment[]> | undefined = undefined
  // the day
  info: DayInfo = { epoch: 0, periodIndex: -1 }
  quantity = 1
  service: PreparedChargeService = undefined as unknown as PreparedChargeService
  rule: RuleState = undefined as unknown as RuleState
  tariff: PreparedTariff = undefined as unknown as PreparedTariff
  /** {@link KIND_INDEX} of the charge kind */
  kind = 0
  ruleIds: readonly string[] = NO_IDS
}

/** Which services and office a run bills (undefined: all). */
export interface DaySelection {
  readonly serviceIds: ReadonlySet<string> | undefined
  readonly billingOfficeId: string | undefined
}

/**
 * Classifies day `i`: `undefined` when it is billable (`out` then holds its service, rule,
 * tariff, kind, period), else the reason it is not (`out.ruleIds` the rules concerned).
 * Throws `INVALID_INPUT` for a malformed day (a fact that is not a boolean, a key a day does not
 * have), and for a second day of the same (beneficiary, service, date).
 */
export function classifyDay(run: Run, selection: DaySelection, day: BillableDay, i: number, out: DayClass): ChargeUnbilledReason | undefined {
  if (typeof day !== 'object' || day === null) throw invalidDay(i, '', 'must be an object')
  const prepared = run.prepared
  const beneficiaryId = day.beneficiaryId
  const serviceId = day.serviceId
  if (typeof serviceId !== 'string' || serviceId === '') throw invalidDay(i, 'serviceId', 'must be a non-empty string')
  if (beneficiaryId !== out.beneficiaryId) {
    if (typeof beneficiaryId !== 'string' || beneficiaryId === '') throw invalidDay(i, 'beneficiaryId', 'must be a non-empty string')
    out.beneficiaryId = beneficiaryId
    out.beneficiary = prepared.beneficiaries.get(beneficiaryId)
    out.rules = rulesCovering(prepared.rules, beneficiaryId)
    out.lines = run.linesOf(beneficiaryId)
    out.seen = run.seenOf(beneficiaryId)
    out.adjustments = prepared.adjustments.size === 0 ? undefined : prepared.adjustments.get(beneficiaryId)
  }
  if (typeof day.booked !== 'boolean') throw invalidDay(i, 'booked', 'must be a boolean')
  // the optional facts: a string 'true' or a misspelt key would be read as absent (a justified
  // absence billed, an attended day not billed), so each is a boolean or absent, and no other key
  const attended = day.attended
  if (attended !== undefined && attended !== true && attended !== false) throw invalidDayFlag(i, 'attended', attended)
  const justified = day.justifiedAbsence
  if (justified !== undefined && justified !== true && justified !== false) throw invalidDayFlag(i, 'justifiedAbsence', justified)
  const late = day.lateCancellation
  if (late !== undefined && late !== true && late !== false) throw invalidDayFlag(i, 'lateCancellation', late)
  for (const key in day) if (!isDayKey(key)) throw unknownDayKey(i, key)
  const quantity = day.quantity === undefined ? 1 : day.quantity
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw invalidDay(i, 'quantity', 'must be a positive integer')
  const info = run.infoOf(day.date, i)
  out.ruleIds = NO_IDS

  const service = prepared.services.get(serviceId)
  // at most one day per (beneficiary, service, date): a second one would be billed twice (checked after the loop)
  out.seen.add(run.dayKey(service, serviceId, info.epoch))
  if (service === undefined) return 'UNKNOWN_SERVICE'
  if ((selection.serviceIds !== undefined && !selection.serviceIds.has(serviceId)) || (selection.billingOfficeId !== undefined && service.officeId !== selection.billingOfficeId)) return 'NOT_SELECTED'
  if (service.billing === 'prepaid') return 'PREPAID_SERVICE'
  const kind = chargeKindOf(service.mode, day)
  if (kind !== 'service' && kind !== 'unbookedAttendance' && kind !== 'lateCancellation') return kind
  const res = resolveAmong(out.rules?.get(serviceId), info.epoch)
  if (res.status === 'unbilled') {
    if (res.ruleIds.length !== 0) out.ruleIds = [...res.ruleIds]
    return res.reason
  }
  const rule = run.ruleStateOf(res)
  if (!rule.valid) {
    out.ruleIds = [res.ruleId]
    return 'INVALID_PAYER_WEIGHTS'
  }
  if (info.periodIndex < 0) return 'OUTSIDE_PERIODS'
  if (out.beneficiary === undefined) return 'UNKNOWN_BENEFICIARY'
  let tariff: PreparedTariff | undefined
  const tariffs = service.tariffs
  for (let k = 0; k < tariffs.length; k++) {
    const t = tariffs[k] as PreparedTariff
    if (info.epoch >= t.fromDay && info.epoch <= t.toDay) {
      tariff = t
      break
    }
  }
  if (tariff === undefined) return 'NO_TARIFF'
  out.info = info
  out.quantity = quantity
  out.service = service
  out.rule = rule
  out.tariff = tariff
  out.kind = KIND_INDEX[kind]
  return undefined
}

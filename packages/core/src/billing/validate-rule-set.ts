import { asInputError } from '../input-error'
import { EcoleError } from '../errors'
import { asLocalDate, compareDates, fromEpochDay, isoWeekMonday, isoWeeksInYear, toEpochDay, type LocalDate } from '../time'
import type { BillingCoverage, BillingRule, Week53Policy } from './billing-rule'
import { compileCriterion } from './criterion'

/**
 * A finding of {@link validateRuleSet}, for a back office to show.
 *
 * - `RULES_OVERLAP`: several rules bill the same beneficiary service on the days `from`..`to`
 *   (charges on those days stay unbilled until fixed).
 * - `UNCOVERED_DATES`: no rule bills the beneficiary service on `from`..`to`.
 * - `NON_POSITIVE_WEIGHT`: a payer's weight is zero or negative (`ruleWeightTotal` is the sum of
 *   the rule's weights: a rule whose total is not positive cannot bill at all).
 * - `PARITY_CROSSES_WEEK_53`: an ISO-parity rule runs over an ISO week 53 (2026-W53: Monday
 *   2026-12-28), where plain parity gives the odd-week payer two weeks in a row; `policy` says what
 *   the rule does with it.
 */
export type RuleDiagnostic =
  | { code: 'RULES_OVERLAP'; beneficiaryId: string; serviceId: string; ruleIds: string[]; from: LocalDate; to: LocalDate }
  | { code: 'UNCOVERED_DATES'; beneficiaryId: string; serviceId: string; from: LocalDate; to: LocalDate }
  | { code: 'NON_POSITIVE_WEIGHT'; ruleId: string; guardianId: string; weight: number; ruleWeightTotal: number }
  | { code: 'PARITY_CROSSES_WEEK_53'; ruleId: string; isoYear: number; week53Monday: LocalDate; policy: Week53Policy }

/** The code of a {@link RuleDiagnostic}. */
export type RuleDiagnosticCode = RuleDiagnostic['code']

const MAX_DAYS = 366 * 10

/**
 * Checks a rule set over `from`..`to` (inclusive) and returns what a back office should show:
 * overlapping rules and uncovered days per (beneficiary, service) pair the rules mention (as
 * runs of consecutive days), payers with a zero or negative weight, and ISO-parity rules whose
 * period within `from`..`to` touches an ISO week 53. An empty list means the set bills every day
 * of the window exactly once. The order is stable: pairs sorted, then days; then weights; then
 * week-53 warnings. Pass `options.pairs` (e.g. the service subscriptions) to check pairs no rule
 * mentions at all: each is then uncovered over the whole window.
 *
 * @example
 * validateRuleSet(rules, '2026-09-01', '2027-07-06', { pairs: [{ beneficiaryId: 'lea', serviceId: 'canteen' }] })
 * //=> [{ code: 'PARITY_CROSSES_WEEK_53', ruleId: 'mum-even', isoYear: 2026, week53Monday: '2026-12-28', policy: 'odd' }, ...]
 * @throws EcoleError `INVALID_DATE`; `INVALID_RANGE` when `to` is before `from` or the window is
 * longer than ten years; `INVALID_INPUT` when an argument is not of its type.
 */
export function validateRuleSet(rules: readonly BillingRule[], from: LocalDate, to: LocalDate, options: { pairs?: readonly BillingCoverage[] } = {}): RuleDiagnostic[] {
  try {
    asLocalDate(from, 'from')
    asLocalDate(to, 'to')
    const start = toEpochDay(from)
    const end = toEpochDay(to)
    if (end < start || end - start > MAX_DAYS) {
      throw new EcoleError('INVALID_RANGE', `to (${to}) must be on or after from (${from}) and at most ten years later`, { details: { from, to } })
    }
    const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const compiled = sorted.map((r) => ({
      rule: r,
      from: toEpochDay(r.from),
      to: r.to === undefined ? Number.MAX_SAFE_INTEGER : toEpochDay(r.to),
      selects: compileCriterion(r.criterion),
    }))
    const pairs = new Map<string, { beneficiaryId: string; serviceId: string; rules: typeof compiled }>()
    for (const c of compiled) {
      for (const cov of c.rule.covers) {
        const key = `${cov.beneficiaryId}\u0000${cov.serviceId}`
        let entry = pairs.get(key)
        if (!entry) pairs.set(key, (entry = { beneficiaryId: cov.beneficiaryId, serviceId: cov.serviceId, rules: [] }))
        entry.rules.push(c)
      }
    }
    for (const p of options.pairs ?? []) {
      const key = `${p.beneficiaryId}\u0000${p.serviceId}`
      if (!pairs.has(key)) pairs.set(key, { beneficiaryId: p.beneficiaryId, serviceId: p.serviceId, rules: [] })
    }
    const out: RuleDiagnostic[] = []
    for (const key of [...pairs.keys()].sort()) {
      const { beneficiaryId, serviceId, rules: candidates } = pairs.get(key) as { beneficiaryId: string; serviceId: string; rules: typeof compiled }
      let runStart = -1
      let runKey = ''
      let runIds: string[] = []
      const flush = (day: number): void => {
        if (runStart < 0) return
        if (runKey === 'none') out.push({ code: 'UNCOVERED_DATES', beneficiaryId, serviceId, from: fromEpochDay(runStart), to: fromEpochDay(day - 1) })
        else if (runKey !== 'one') out.push({ code: 'RULES_OVERLAP', beneficiaryId, serviceId, ruleIds: runIds, from: fromEpochDay(runStart), to: fromEpochDay(day - 1) })
        runStart = -1
      }
      for (let day = start; day <= end; day++) {
        const ids: string[] = []
        for (const c of candidates) if (day >= c.from && day <= c.to && c.selects(day)) ids.push(c.rule.id)
        const k = ids.length === 0 ? 'none' : ids.length === 1 ? 'one' : ids.join('\u0000')
        if (k !== runKey || runStart < 0) {
          flush(day)
          runStart = day
          runKey = k
          runIds = ids
        }
      }
      flush(end + 1)
    }
    for (const r of sorted) {
      const total = r.payers.reduce((s, p) => s + p.weight, 0)
      for (const p of r.payers) {
        if (p.weight <= 0) out.push({ code: 'NON_POSITIVE_WEIGHT', ruleId: r.id, guardianId: p.guardianId, weight: p.weight, ruleWeightTotal: total })
      }
    }
    for (const r of sorted) {
      if (r.criterion.kind !== 'isoParity') continue
      const lo = compareDates(r.from, from) > 0 ? r.from : from
      const hi = r.to !== undefined && compareDates(r.to, to) < 0 ? r.to : to
      if (compareDates(lo, hi) > 0) continue
      const first = Number(lo.slice(0, 4)) - 1
      const last = Number(hi.slice(0, 4))
      for (let year = first; year <= last; year++) {
        if (isoWeeksInYear(year) !== 53) continue
        const monday = isoWeekMonday(year, 53)
        const m = toEpochDay(monday)
        // the rule crosses week 53 when its window holds a day of that week
        if (m + 6 >= toEpochDay(lo) && m <= toEpochDay(hi)) {
          out.push({ code: 'PARITY_CROSSES_WEEK_53', ruleId: r.id, isoYear: year, week53Monday: monday, policy: r.criterion.week53 })
        }
      }
    }
    return out
  } catch (error) {
    throw asInputError(error, 'validateRuleSet', { rules: [rules, 'array', 'a billing rule set'], from: [from, 'date'], to: [to, 'date'], options: [options, 'object?'] })
  }
}

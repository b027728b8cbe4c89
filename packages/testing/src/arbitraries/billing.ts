import fc from 'fast-check'
import {
  BillingRuleSchema, TariffSchema, addDays, isoWeek, weekday,
  type BillableDay, type BillingCriterion, type BillingRule, type ChargeConfigInput, type ChargeRunOptions, type DateRange, type LocalDate, type Tariff, type Week53Policy,
} from '@ecole/core'
import { inputCheckedArb } from '../input-errors'
import { fromEpochDay, toEpochDay } from './epoch-days'

import { roundingModeArb } from './money'
const SCHOOL_YEAR: DateRange = { from: '2026-09-01', to: '2027-07-04' }

function dayIn(window: DateRange): fc.Arbitrary<LocalDate> {
  return fc.integer({ min: toEpochDay(window.from), max: toEpochDay(window.to) }).map(fromEpochDay)
}

function mondayIn(window: DateRange): fc.Arbitrary<LocalDate> {
  return dayIn(window).map((d) => addDays(d, 1 - weekday(d)))
}

/**
 * Billing criteria: always, ISO parity (with any week-53 policy, or those given), anchored
 * alternation on a Monday of the window, or a list of 1-10 ISO weeks of the window.
 *
 * @example
 * fc.sample(billingCriterionArb({ week53: ['odd'] }), 1)[0] //=> { kind: 'isoParity', parity: 'even', week53: 'odd' } (for instance)
 */
export function billingCriterionArb(options: { window?: DateRange; week53?: readonly Week53Policy[] } = {}): fc.Arbitrary<BillingCriterion> {
  return inputCheckedArb('billingCriterionArb', { options: [options, 'object?', 'the options ({ window?, week53? })'] }, () => {
    const window = options.window ?? SCHOOL_YEAR
    const policies = options.week53 ?? (['odd', 'even', 'none'] as const)
    return fc.oneof(
      fc.constant<BillingCriterion>({ kind: 'always' }),
      fc.record({ kind: fc.constant('isoParity' as const), parity: fc.constantFrom('even' as const, 'odd' as const), week53: fc.constantFrom(...policies) }),
      fc.record({ kind: fc.constant('anchored' as const), referenceMonday: mondayIn(window), week: fc.constantFrom('reference' as const, 'other' as const) }),
      fc
        .uniqueArray(dayIn(window).map((d) => isoWeek(d)), { minLength: 1, maxLength: 10, selector: (w) => `${w.year}-${w.week}` })
        .map((weeks): BillingCriterion => ({ kind: 'weekList', weeks })),
    )
  })
}

/**
 * Valid billing rules over a few beneficiaries, services and guardians, inside a window (default
 * the 2026-2027 school year, which has an ISO week 53): 1-3 payers with weights 1-5, optional end,
 * optional joint debtors.
 *
 * @example
 * fc.sample(billingRuleArb({ id: 'r1' }), 1)[0]!.id //=> 'r1'
 */
export function billingRuleArb(
  options: { id?: string; window?: DateRange; beneficiaryIds?: readonly string[]; serviceIds?: readonly string[]; guardianIds?: readonly string[] } = {},
): fc.Arbitrary<BillingRule> {
  return inputCheckedArb('billingRuleArb', { options: [options, 'object?', 'the options ({ id?, window?, beneficiaryIds?, serviceIds?, guardianIds? })'] }, () => {
    const window = options.window ?? SCHOOL_YEAR
    const beneficiaries = options.beneficiaryIds ?? ['lea', 'tom']
    const services = options.serviceIds ?? ['canteen', 'care']
    const guardians = options.guardianIds ?? ['mum', 'dad', 'step', 'grandma']
    const pairs = beneficiaries.flatMap((b) => services.map((s) => ({ beneficiaryId: b, serviceId: s })))
    return fc
      .record({
        id: options.id === undefined ? fc.stringMatching(/^r[0-9a-z]{1,6}$/) : fc.constant(options.id),
        payers: fc.uniqueArray(fc.record({ guardianId: fc.constantFrom(...guardians), weight: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 3, selector: (p) => p.guardianId }),
        covers: fc.subarray(pairs, { minLength: 1 }),
        range: fc.tuple(dayIn(window), dayIn(window), fc.boolean()),
        criterion: billingCriterionArb({ window }),
        joint: fc.subarray(guardians as string[], { maxLength: 1 }),
      })
      .map(({ id, payers, covers, range: [a, b, open], criterion, joint }) =>
        BillingRuleSchema.parse({
          id,
          payers,
          covers,
          from: a < b ? a : b,
          to: open ? undefined : a < b ? b : a,
          criterion,
          jointDebtorIds: joint.filter((j) => !payers.some((p) => p.guardianId === j)),
        }),
      )
  })
}

/**
 * Rule sets with distinct ids (overlaps and gaps included: they are what validation reports).
 *
 * @example
 * new Set(fc.sample(billingRuleSetArb(), 1)[0]!.map((r) => r.id)).size // equals the set length
 */
export function billingRuleSetArb(options: { maxRules?: number; window?: DateRange } = {}): fc.Arbitrary<BillingRule[]> {
  return inputCheckedArb('billingRuleSetArb', { options: [options, 'object?', 'the options ({ maxRules?, window? })'] }, () => {
    const n = options.maxRules ?? 5
    return fc
      .array(billingRuleArb({ window: options.window ?? SCHOOL_YEAR }), { maxLength: n })
      .map((rules) => rules.map((r, i) => ({ ...r, id: `r${i}` })))
  })
}

/**
 * A rule of separated parents that can be mirrored: ISO parity (week-53 policy `odd` or `even`)
 * or anchored alternation, paid by `mum`, covering `lea`'s canteen, over part of the window.
 *
 * @example
 * fc.sample(alternatingRuleArb(), 1)[0]!.criterion.kind //=> 'isoParity' or 'anchored'
 */
export function alternatingRuleArb(window: DateRange = SCHOOL_YEAR): fc.Arbitrary<BillingRule> {
  return inputCheckedArb('alternatingRuleArb', { window: [window, 'object?', 'a window of days ({ from, to })'] }, () => {
    return fc
      .record({
        criterion: fc.oneof(
          fc.record({ kind: fc.constant('isoParity' as const), parity: fc.constantFrom('even' as const, 'odd' as const), week53: fc.constantFrom('odd' as const, 'even' as const) }),
          fc.record({ kind: fc.constant('anchored' as const), referenceMonday: mondayIn(window), week: fc.constantFrom('reference' as const, 'other' as const) }),
        ),
        a: dayIn(window),
        b: dayIn(window),
      })
      .map(({ criterion, a, b }) =>
        BillingRuleSchema.parse({
          id: 'mum-rule',
          payers: [{ guardianId: 'mum', weight: 1 }],
          covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }],
          from: a < b ? a : b,
          to: a < b ? b : a,
          criterion,
        }),
      )
  })
}

/**
 * Family quotients as canonical text, biased to the values that break code: 0, bracket-like
 * bounds (500, 700, 1000) and their neighbours, and two-decimal values.
 *
 * @example
 * fc.sample(familyQuotientArb(), 1)[0] //=> '0' or '699.99' (for instance)
 */
export function familyQuotientArb(): fc.Arbitrary<string> {
  const text = (h: number) => (h % 100 === 0 ? String(h / 100) : `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`)
  return fc.oneof(
    fc.constantFrom(0, 50000, 69999, 70000, 70001, 99999, 100000).map(text),
    fc.integer({ min: 0, max: 300000 }).map(text),
  )
}

/**
 * Valid tariffs in EUR: fixed, QF brackets (2-4 contiguous brackets from 0), effort rate, or
 * degressive by sibling rank, with prices up to 20 EUR (whole cents, or sub-cent effort rates).
 *
 * @example
 * fc.sample(tariffArb(), 1)[0]!.kind //=> 'quotientBrackets' (for instance)
 */
export function tariffArb(): fc.Arbitrary<Tariff> {
  const price = fc.integer({ min: 0, max: 2000 }).map((c) => ({ amount: (c / 100).toFixed(2), currency: 'EUR' }))
  return fc
    .oneof(
      fc.record({ kind: fc.constant('fixed'), price }),
      fc
        .record({ bounds: fc.uniqueArray(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 3 }), prices: fc.array(price, { minLength: 4, maxLength: 4 }), noQuotientPrice: price })
        .map(({ bounds, prices, noQuotientPrice }) => {
          const sorted = [...bounds].sort((x, y) => x - y)
          const mins = [0, ...sorted]
          return {
            kind: 'quotientBrackets',
            noQuotientPrice,
            brackets: mins.map((min, i) => ({ min, max: sorted[i], price: prices[i] })),
          }
        }),
      fc
        .record({ rate: fc.integer({ min: 1, max: 100 }).map((r) => `0.${String(r).padStart(4, '0')}`), floor: fc.integer({ min: 0, max: 300 }), span: fc.integer({ min: 0, max: 1000 }), noQuotientPrice: price })
        .map(({ rate, floor, span, noQuotientPrice }) => ({
          kind: 'effortRate',
          rate,
          floor: { amount: (floor / 100).toFixed(2), currency: 'EUR' },
          ceiling: { amount: ((floor + span) / 100).toFixed(2), currency: 'EUR' },
          noQuotientPrice,
        })),
      fc.record({ kind: fc.constant('siblingRank'), prices: fc.array(price, { minLength: 1, maxLength: 4 }), ranking: fc.constantFrom('chargedThatDay', 'subscribed') }),
    )
    .map((t) => TariffSchema.parse(t))
}

/**
 * Days of bookings and attendance for the given beneficiaries and services inside a window,
 * unique per (beneficiary, service, date).
 *
 * @example
 * fc.sample(billableDaysArb({ beneficiaryIds: ['lea'], serviceIds: ['canteen'] }), 1)[0]!.length >= 0 //=> true
 */
export function billableDaysArb(
  options: { beneficiaryIds?: readonly string[]; serviceIds?: readonly string[]; window?: DateRange; minLength?: number; maxLength?: number } = {},
): fc.Arbitrary<BillableDay[]> {
  return inputCheckedArb('billableDaysArb', { options: [options, 'object?', 'the options ({ beneficiaryIds?, serviceIds?, window?, minLength?, maxLength? })'] }, () => {
    const window = options.window ?? SCHOOL_YEAR
    return fc.uniqueArray(
      fc.record({
        beneficiaryId: fc.constantFrom(...(options.beneficiaryIds ?? ['lea', 'tom'])),
        serviceId: fc.constantFrom(...(options.serviceIds ?? ['canteen', 'care'])),
        date: dayIn(window),
        booked: fc.boolean(),
        attended: fc.option(fc.boolean(), { nil: undefined }),
        lateCancellation: fc.boolean(),
        justifiedAbsence: fc.boolean(),
      }),
      { minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 60, selector: (d) => `${d.beneficiaryId}|${d.serviceId}|${d.date}` },
    )
  })
}

/** `undefined` three times in four, else a value of `arb`. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 })
}

/**
 * Whole charge-line runs for differential tests: a configuration (two billing offices with any
 * rounding mode, invoiced and prepaid services under every billing mode, one or two tariff periods
 * of any tariff with or without an adult price, children and an adult, QF records, subscriptions,
 * standing adjustments, billing periods or calendar months, a QF reference date or none), rules
 * over it, the days to price, and the run's selection options.
 *
 * @example
 * const run = fc.sample(chargeRunArb(), 1)[0]!
 * referenceChargeLines(run.config, run.days, run.options).groups.length >= 0 //=> true
 */
export function chargeRunArb(): fc.Arbitrary<{ config: ChargeConfigInput; days: BillableDay[]; options: ChargeRunOptions }> {
  const window: DateRange = { from: '2026-09-01', to: '2026-12-31' }
  const beneficiaryIds = ['lea', 'tom', 'sam', 'ann']
  const serviceIds = ['canteen', 'care', 'study']
  const price = fc.integer({ min: 0, max: 900 }).map((c) => ({ amount: (c / 100).toFixed(2), currency: 'EUR' }))
  const adjustment = fc.oneof(
    fc.record({ effect: fc.constantFrom('surcharge' as const, 'reduction' as const), kind: fc.constant('percentage' as const), percent: fc.constantFrom('10', '12.5', '33', '50') }),
    fc.record({ effect: fc.constant('surcharge' as const), kind: fc.constant('amount' as const), amount: price }),
  )
  const mode = fc.oneof(
    fc.constant({ kind: 'booked' as const }),
    fc.constant({ kind: 'attended' as const }),
    fc.record({ kind: fc.constant('bookedWithSurcharge' as const), unbookedAttendance: adjustment, lateCancellation: fc.option(adjustment, { nil: undefined }) }),
  )
  const tariffPeriods = fc
    .record({ split: fc.option(dayIn({ from: '2026-09-15', to: '2026-12-15' }), { nil: undefined }), start: fc.constantFrom('2026-08-01', '2026-09-10'), tariffs: fc.array(tariffArb(), { minLength: 2, maxLength: 2 }), adult: fc.option(price, { nil: undefined }) })
    .map(({ split, start, tariffs, adult }) => {
      const json = tariffs.map((t) => JSON.parse(JSON.stringify(t)) as Record<string, unknown>)
      if (split === undefined || split <= start) return [{ from: start, tariff: json[0], adultPrice: adult }]
      return [{ from: start, to: addDays(split, -1), tariff: json[0], adultPrice: adult }, { from: split, tariff: json[1] }]
    })
  const guardians = ['mum', 'dad', 'step']
  return fc
    .record({
      roundings: fc.tuple(roundingModeArb(), roundingModeArb()),
      services: fc.tuple(...serviceIds.map((id) => fc.record({ id: fc.constant(id), billing: id === 'study' ? fc.constant('prepaid' as const) : fc.constantFrom('invoiced' as const, 'invoiced' as const, 'prepaid' as const), billingOfficeId: fc.constantFrom('regie', 'caisse') }))),
      pricing: fc.tuple(...serviceIds.slice(0, 2).map((serviceId) => fc.record({ serviceId: fc.constant(serviceId), mode, tariffs: tariffPeriods }))),
      births: fc.tuple(...beneficiaryIds.map(() => fc.option(dayIn({ from: '2014-01-01', to: '2020-12-31' }), { nil: undefined }))),
      quotients: fc.array(fc.record({ guardianId: fc.constantFrom(...guardians), quotient: familyQuotientArb(), from: dayIn({ from: '2026-06-01', to: '2026-11-30' }) }), { maxLength: 4 }),
      subscriptions: fc.subarray(beneficiaryIds.flatMap((b) => serviceIds.map((s) => ({ beneficiaryId: b, serviceId: s, from: '2026-09-01' })))),
      adjustments: fc.array(fc.record({ beneficiaryId: fc.constantFrom(...beneficiaryIds), serviceId: fc.constantFrom(...serviceIds), from: dayIn(window), adjustment, label: fc.constant('PAI') }), { maxLength: 2 }),
      periods: fc.option(fc.constant([{ from: '2026-09-01', to: '2026-10-15' }, { from: '2026-10-16', to: '2026-12-20' }]), { nil: undefined }),
      quotientDate: fc.option(fc.constantFrom('2026-09-01', '2026-11-01'), { nil: undefined }),
      // each beneficiary has a rule for all its services (some stop), and a few random rules overlap them
      baseRules: fc.tuple(...beneficiaryIds.map((b) => fc.record({
        id: fc.constant(`base-${b}`),
        payers: fc.uniqueArray(fc.record({ guardianId: fc.constantFrom(...guardians), weight: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 2, selector: (p) => p.guardianId }),
        covers: fc.constant(serviceIds.map((serviceId) => ({ beneficiaryId: b, serviceId }))),
        from: fc.constantFrom('2026-08-01', '2026-09-20'),
        to: rarely(fc.constant('2026-11-30')),
        criterion: fc.constant({ kind: 'always' }),
      }))),
      rules: fc.array(billingRuleArb({ window, beneficiaryIds: ['lea', 'tom', 'sam', 'ann', 'zoe'], serviceIds: [...serviceIds, 'gym'], guardianIds: guardians }), { maxLength: 2 }),
      weightZero: fc.boolean(),
      days: billableDaysArb({ beneficiaryIds: [...beneficiaryIds, 'zoe'], serviceIds: [...serviceIds, 'gym'], window: { from: '2026-08-25', to: '2026-12-31' }, minLength: 10, maxLength: 80 }),
      quantities: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 80 }),
      options: fc.record({
        period: rarely(fc.constant({ from: '2026-10-01', to: '2026-10-31' })),
        billingOfficeId: rarely(fc.constant('regie')),
        serviceIds: rarely(fc.subarray(serviceIds)),
      }, { requiredKeys: [] }),
    })
    .map((r) => {
      // one rule in two disjoint per service and beneficiary, so most days resolve; a weight of 0 sometimes
      const rules = [...r.baseRules, ...r.rules.map((rule, i) => ({ ...rule, id: `r${i}` }))]
        .map((rule, i) => (i === 0 && r.weightZero && rule.payers.length > 1 ? { ...rule, payers: rule.payers.map((p, k) => (k === 0 ? { ...p, weight: 0 } : p)) } : rule))
      const adjustments = r.adjustments.filter((a, i) => !r.adjustments.slice(0, i).some((b) => b.beneficiaryId === a.beneficiaryId && b.serviceId === a.serviceId))
      const config = <ChargeConfigInput>(<unknown>{
        rules,
        services: r.services,
        billingOffices: [{ id: 'regie', currency: 'EUR', roundingMode: r.roundings[0] }, { id: 'caisse', currency: 'EUR', roundingMode: r.roundings[1] }],
        pricing: r.pricing,
        beneficiaries: beneficiaryIds.map((id, i) => ({ id, birthDate: r.births[i], adult: id === 'ann' })),
        quotients: r.quotients,
        subscriptions: r.subscriptions,
        adjustments: adjustments.map((a, i) => ({ ...a, id: `adj${i}` })),
        periods: r.periods,
        quotientDate: r.quotientDate,
      })
      const days = r.days.map((d, i) => (r.quantities[i] !== undefined && r.quantities[i] > 1 ? { ...d, quantity: r.quantities[i] } : d))
      return { config, days, options: r.options }
    })
}

import {
  BillingRuleSetSchema, ChargeConfigSchema, ChargeRunOptionsSchema, Money, allocateMinor, applyAdjustment, asInputError, chargeKindOf, endOfMonth, priceUnit, resolveDebtors,
  startOfMonth,
  type BillableDay, type BillingMode, type BillingRule, type ChargeConfig, type ChargeConfigInput, type ChargeKind, type ChargeRunOptions,
  type ChargeUnbilledReason, type DateRange, type LocalDate, type PriceAdjustment, type PricingBasis, type StandingAdjustment, type TariffPeriod,
} from '@ecole/core'

/**
 * One line of {@link referenceChargeLines}: the fields of core's `ChargeLine` that a price
 * depends on, with the amounts as decimal strings and minor units (no explanation sentence).
 */
export interface ReferenceLine {
  ruleId: string
  debtorId: string
  weight: number
  totalWeight: number
  beneficiaryId: string
  serviceId: string
  billingOfficeId: string
  period: DateRange
  kind: ChargeKind
  dates: LocalDate[]
  quantity: number
  currency: string
  /** The exact unit price, as Money's canonical decimal string. */
  unitPrice: string
  /** The exact line amount (unit price x quantity), as Money's canonical decimal string. */
  exact: string
  roundedAmountMinor: bigint
  amountMinor: bigint
  tariffFrom: LocalDate
  basis: PricingBasis
  adjustment: PriceAdjustment | undefined
  standingAdjustmentId: string | undefined
}

/** The lines of one debtor, billing office and period, as {@link referenceChargeLines} computes them. */
export interface ReferenceGroup {
  debtorId: string
  billingOfficeId: string
  period: DateRange
  currency: string
  jointDebtorIds: string[]
  lines: ReferenceLine[]
  totalMinor: bigint
}

/** What {@link referenceChargeLines} returns: core's `ChargeLinesResult` in the comparable shape. */
export interface ReferenceResult {
  groups: ReferenceGroup[]
  unbilled: Array<{ day: BillableDay; reason: ChargeUnbilledReason; ruleIds: string[] }>
}

const KIND_ORDER: Record<ChargeKind, number> = { service: 0, unbookedAttendance: 1, lateCancellation: 2 }

/** A day that passed every question of {@link referenceChargeLines}' first pass. */
interface Billable {
  index: number
  day: BillableDay
  ruleId: string
  debtors: Array<{ guardianId: string; weight: number }>
  jointDebtorIds: string[]
  mainPayer: string
  service: { id: string; officeId: string; currency: string; rounding: ChargeConfig['billingOffices'][number]['roundingMode']; mode: BillingMode }
  period: DateRange
  tariff: TariffPeriod
  kind: ChargeKind
  /** priced as an adult: the period's adult price, or a degressive tariff's first price */
  adultPrice: boolean
  ranked: boolean
  quantity: number
}

/**
 * A slow, obvious charge-line pricer: the reference `buildChargeLines` of `@ecole/core` is
 * checked against (a differential property: both give the same lines for random
 * configurations). It follows the rules as the guide states them, one day at a time, with
 * linear searches and no cache, and composes only core's public building blocks
 * (`resolveDebtors`, `chargeKindOf`, `priceUnit`, `applyAdjustment`, `allocateMinor`, `Money`).
 * Use it to check an adapter or a port of the pricer to another language; never for production.
 *
 * Rules, in order, for each day: unknown service; not selected by the run's options; prepaid
 * service; not charged by the billing mode; no single rule resolves a debtor; invalid payer
 * weights; outside the billing periods (the configured ones, else calendar months); unknown
 * beneficiary; no tariff that day. A billable day is priced by its tariff: the adult price for an
 * adult when the period has one, and the first price of a degressive tariff for an adult when it
 * has none (an adult never takes a sibling rank); else by sibling rank among the children charged (or subscribed)
 * that day to the same main payer for the same service (eldest first) for a degressive tariff;
 * else by the QF of the rule's main payer (largest weight, first on a tie) at the reference date
 * (configured, else the period's first day; the record that started last wins). Then the charge
 * kind's surcharge or reduction, then the beneficiary's standing adjustment. Days with the same
 * rule, beneficiary, service, period, tariff period, basis, kind and standing adjustment make one
 * line: exact amount = unit price x quantity, rounded once, split by weight (payers of weight 0 get
 * no line). Lines are grouped by debtor x office x period.
 *
 * Takes rules as a list (not prepared rules).
 *
 * @example
 * const result = referenceChargeLines(config, [{ beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-07', booked: true }])
 * result.groups[0]?.lines[0]?.amountMinor //=> 415n (for a fixed 4.15 EUR tariff)
 */
export function referenceChargeLines(input: ChargeConfigInput, days: readonly BillableDay[], options: ChargeRunOptions = {}): ReferenceResult {
  try {
    const rules: BillingRule[] = BillingRuleSetSchema.parse(input.rules)
    const config = ChargeConfigSchema.parse(input)
    const run = ChargeRunOptionsSchema.parse(options)
    const fixedPeriods = run.period !== undefined ? [run.period] : config.periods
    const unbilled: ReferenceResult['unbilled'] = []
    const billable: Billable[] = []

    days.forEach((day, index) => {
      const no = (reason: ChargeUnbilledReason, ruleIds: string[] = []): void => void unbilled.push({ day, reason, ruleIds })
      const serviceRef = config.services.find((s) => s.id === day.serviceId)
      if (serviceRef === undefined) return no('UNKNOWN_SERVICE')
      if ((run.serviceIds !== undefined && !run.serviceIds.includes(day.serviceId)) || (run.billingOfficeId !== undefined && serviceRef.billingOfficeId !== run.billingOfficeId)) return no('NOT_SELECTED')
      if (serviceRef.billing === 'prepaid') return no('PREPAID_SERVICE')
      const office = config.billingOffices.find((o) => o.id === serviceRef.billingOfficeId)
      if (office === undefined) throw new Error(`reference pricer: no office ${serviceRef.billingOfficeId}`)
      const pricing = config.pricing.find((p) => p.serviceId === day.serviceId)
      const mode: BillingMode = pricing?.mode ?? { kind: 'booked' }
      const kind = chargeKindOf(mode, day)
      if (kind !== 'service' && kind !== 'unbookedAttendance' && kind !== 'lateCancellation') return no(kind)
      const resolution = resolveDebtors(rules, { beneficiaryId: day.beneficiaryId, serviceId: day.serviceId, date: day.date })
      if (resolution.status === 'unbilled') return no(resolution.reason, [...resolution.ruleIds])
      const weights = resolution.debtors.map((d) => d.weight)
      if (weights.length === 0 || weights.some((w) => !Number.isSafeInteger(w) || w < 0) || weights.reduce((a, b) => a + b, 0) <= 0) return no('INVALID_PAYER_WEIGHTS', [resolution.ruleId])
      const period = fixedPeriods === undefined
        ? { from: startOfMonth(day.date), to: endOfMonth(day.date) }
        : [...fixedPeriods].sort((a, b) => (a.from < b.from ? -1 : 1)).find((p) => p.from <= day.date && day.date <= p.to)
      if (period === undefined) return no('OUTSIDE_PERIODS')
      const beneficiary = config.beneficiaries.find((b) => b.id === day.beneficiaryId)
      if (beneficiary === undefined) return no('UNKNOWN_BENEFICIARY')
      const tariff = [...(pricing?.tariffs ?? [])].sort((a, b) => (a.from < b.from ? -1 : 1)).find((t) => t.from <= day.date && (t.to === undefined || day.date <= t.to))
      if (tariff === undefined) return no('NO_TARIFF')
      // an adult pays the adult price, or without one the tariff like a child but never ranked as one
      const adultPrice = beneficiary.adult && (tariff.adultPrice !== undefined || tariff.tariff.kind === 'siblingRank')
      let mainPayer = ''
      let best = -Infinity
      for (const d of resolution.debtors) if (d.weight > best) ((best = d.weight), (mainPayer = d.guardianId))
      billable.push({
        index, day, ruleId: resolution.ruleId, debtors: resolution.debtors, jointDebtorIds: [...resolution.jointDebtorIds], mainPayer,
        service: { id: serviceRef.id, officeId: office.id, currency: office.currency, rounding: office.roundingMode, mode },
        period, tariff, kind, adultPrice, ranked: !adultPrice && tariff.tariff.kind === 'siblingRank', quantity: day.quantity ?? 1,
      })
    })

    // seniority: birth date ascending, unknown last, ties by id
    const eldestFirst = [...config.beneficiaries].sort((a, b) => {
      const x = a.birthDate ?? '9999-99-99'
      const y = b.birthDate ?? '9999-99-99'
      return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
    })
    const seniority = (id: string): number => eldestFirst.findIndex((b) => b.id === id)

    const priced = billable.map((b) => {
      let sibling: { rank: number; of: number } | undefined
      let quotient: string | undefined
      if (b.ranked) {
        const group = billable.filter((o) => o.ranked && o.mainPayer === b.mainPayer && o.service.id === b.service.id && o.day.date === b.day.date)
        const members = new Set(group.map((o) => seniority(o.day.beneficiaryId)))
        // the first day of the group (in input order) says how its tariff ranks
        const first = group[0] as Billable
        if (first.tariff.tariff.kind === 'siblingRank' && first.tariff.tariff.ranking === 'subscribed') {
          for (const s of config.subscriptions) {
            if (s.serviceId !== b.service.id || s.from > b.day.date || (s.to !== undefined && b.day.date > s.to)) continue
            const child = config.beneficiaries.find((x) => x.id === s.beneficiaryId)
            if (child === undefined || child.adult) continue
            const r = resolveDebtors(rules, { beneficiaryId: s.beneficiaryId, serviceId: s.serviceId, date: b.day.date })
            if (r.status !== 'billed') continue
            let main = ''
            let top = -Infinity
            for (const d of r.debtors) if (d.weight > top) ((top = d.weight), (main = d.guardianId))
            if (main === b.mainPayer) members.add(seniority(child.id))
          }
        }
        const ordered = [...members].sort((x, y) => x - y)
        sibling = { rank: ordered.indexOf(seniority(b.day.beneficiaryId)) + 1, of: ordered.length }
      } else if (!b.adultPrice && b.tariff.tariff.kind !== 'fixed') {
        const at = config.quotientDate ?? b.period.from
        for (const q of [...config.quotients].filter((q) => q.guardianId === b.mainPayer).sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0))) {
          if (q.from <= at && (q.to === undefined || at <= q.to)) quotient = q.quotient
        }
      }
      const unit = priceUnit(b.tariff, { adult: b.adultPrice, quotient, sibling })
      const mode = b.service.mode
      const adjustment = mode.kind !== 'bookedWithSurcharge' ? undefined : b.kind === 'unbookedAttendance' ? mode.unbookedAttendance : b.kind === 'lateCancellation' ? mode.lateCancellation : undefined
      let price = adjustment === undefined ? unit.price : applyAdjustment(unit.price, adjustment)
      const standing: StandingAdjustment | undefined = config.adjustments.find(
        (a) => a.beneficiaryId === b.day.beneficiaryId && a.serviceId === b.service.id && a.from <= b.day.date && (a.to === undefined || b.day.date <= a.to),
      )
      if (standing !== undefined) price = applyAdjustment(price, standing.adjustment)
      const standingIndex = standing === undefined ? -1 : config.adjustments.indexOf(standing)
      const lineKey = JSON.stringify([b.ruleId, b.day.beneficiaryId, b.service.id, b.period.from, b.tariff.from, unit.basis, b.kind, standingIndex])
      return { b, price, basis: unit.basis, adjustment, standing, lineKey }
    })

    const lines = new Map<string, typeof priced>()
    for (const p of priced) lines.set(p.lineKey, [...(lines.get(p.lineKey) ?? []), p])

    const groups = new Map<string, ReferenceGroup>()
    for (const members of lines.values()) {
      const { b, price, basis, adjustment, standing } = members[0] as (typeof priced)[number]
      const quantity = members.reduce((s, m) => s + m.b.quantity, 0)
      const exact = price.times(quantity)
      const rounded = exact.round(b.service.rounding).toMinor()
      const totalWeight = b.debtors.reduce((s, d) => s + d.weight, 0)
      const shares = allocateMinor(rounded, b.debtors.map((d) => d.weight))
      const dates = members.map((m) => m.b.day.date).sort()
      b.debtors.forEach((debtor, k) => {
        if (debtor.weight === 0) return
        const key = JSON.stringify([debtor.guardianId, b.service.officeId, b.period.from])
        let g = groups.get(key)
        if (g === undefined) {
          g = { debtorId: debtor.guardianId, billingOfficeId: b.service.officeId, period: b.period, currency: b.service.currency, jointDebtorIds: [], lines: [], totalMinor: 0n }
          groups.set(key, g)
        }
        g.jointDebtorIds = [...new Set([...g.jointDebtorIds, ...b.jointDebtorIds])].sort()
        const amountMinor = shares[k] as bigint
        g.lines.push({
          ruleId: b.ruleId, debtorId: debtor.guardianId, weight: debtor.weight, totalWeight,
          beneficiaryId: b.day.beneficiaryId, serviceId: b.service.id, billingOfficeId: b.service.officeId, period: b.period,
          kind: b.kind, dates, quantity, currency: b.service.currency,
          unitPrice: price.amount, exact: exact.amount, roundedAmountMinor: rounded, amountMinor,
          tariffFrom: b.tariff.from, basis, adjustment, standingAdjustmentId: standing?.id,
        })
        g.totalMinor += amountMinor
      })
    }
    const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0)
    const out = [...groups.values()]
    for (const g of out) {
      g.lines.sort((a, b) =>
        cmp(a.beneficiaryId, b.beneficiaryId) || cmp(a.serviceId, b.serviceId) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
        cmp(a.dates[0] as string, b.dates[0] as string) || cmp(a.ruleId, b.ruleId) ||
        Money.of(a.unitPrice, a.currency).compare(Money.of(b.unitPrice, b.currency)))
    }
    out.sort((a, b) => cmp(a.debtorId, b.debtorId) || cmp(a.billingOfficeId, b.billingOfficeId) || cmp(a.period.from, b.period.from))
    return { groups: out, unbilled }
  } catch (error) {
    throw asInputError(error, 'referenceChargeLines', { input: [input, 'object', 'a charge configuration (ChargeConfigInput)'], days: [days, 'array', 'the billable days'], options: [options, 'object?', "the run's options"] })
  }
}

/**
 * Core's `buildChargeLines` result in the shape of {@link referenceChargeLines}, to compare them.
 *
 * @example
 * expect(comparableChargeLines(buildChargeLines(prepareChargeConfig(config), days))).toEqual(referenceChargeLines(config, days))
 */
export function comparableChargeLines(result: {
  groups: ReadonlyArray<{ debtorId: string; billingOfficeId: string; period: DateRange; currency: string; jointDebtorIds: readonly string[]; totalMinor: bigint; lines: ReadonlyArray<{
    ruleId: string; debtorId: string; weight: number; totalWeight: number; beneficiaryId: string; serviceId: string; billingOfficeId: string; period: DateRange
    kind: ChargeKind; dates: readonly LocalDate[]; quantity: number; currency: string; unitPrice: Money; exact: Money; roundedAmountMinor: bigint; amountMinor: bigint
    tariffFrom: LocalDate; basis: PricingBasis; adjustment: PriceAdjustment | undefined; standingAdjustment: StandingAdjustment | undefined
  }> }>
  unbilled: ReadonlyArray<{ day: BillableDay; reason: ChargeUnbilledReason; ruleIds: readonly string[] }>
}): ReferenceResult {
  try {
    return {
      groups: result.groups.map((g) => ({
        debtorId: g.debtorId, billingOfficeId: g.billingOfficeId, period: { from: g.period.from, to: g.period.to }, currency: g.currency,
        jointDebtorIds: [...g.jointDebtorIds], totalMinor: g.totalMinor,
        lines: g.lines.map((l) => ({
          ruleId: l.ruleId, debtorId: l.debtorId, weight: l.weight, totalWeight: l.totalWeight,
          beneficiaryId: l.beneficiaryId, serviceId: l.serviceId, billingOfficeId: l.billingOfficeId, period: { from: l.period.from, to: l.period.to },
          kind: l.kind, dates: [...l.dates], quantity: l.quantity, currency: l.currency,
          unitPrice: l.unitPrice.amount, exact: l.exact.amount,
          roundedAmountMinor: l.roundedAmountMinor, amountMinor: l.amountMinor,
          tariffFrom: l.tariffFrom, basis: l.basis, adjustment: l.adjustment, standingAdjustmentId: l.standingAdjustment?.id,
        })),
      })),
      unbilled: result.unbilled.map((u) => ({ day: u.day, reason: u.reason, ruleIds: [...u.ruleIds] })),
    }
  } catch (error) {
    throw asInputError(error, 'comparableChargeLines', { result: [result, 'object', "the result of core's buildChargeLines"] })
  }
}

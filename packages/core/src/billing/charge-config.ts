import * as z from 'zod'
import { match } from 'ts-pattern'
import { EcoleError, parseInput } from '../errors'
import { nearestKey } from '../nearest-key'
import { CurrencySchema, RoundingModeSchema, minorUnits, type Money, type RoundingMode } from '../money'
import { DateRangeSchema, LocalDateSchema, compareDates, toEpochDay, type DateRange, type LocalDate } from '../time'
import { BillingRuleSetSchema } from './billing-rule'
import { BillingModeSchema, PriceAdjustmentSchema, applyAdjustment, type BillingMode, type ChargeKind, type PriceAdjustment } from './billing-mode'
import { isPreparedBillingRules, prepareRules, type PreparedBillingRules } from './resolve-debtors'
import { FamilyQuotientSchema, TariffPeriodSchema, priceUnit, type PricingBasis, type TariffPeriod } from './tariff'

const IdSchema = z.string().trim().min(1, 'must not be empty')
const OptionalEnd = LocalDateSchema.nullish().transform((v) => v ?? undefined)

/** How one service is priced and what it bills: its billing mode and its tariffs over time. */
export interface ServicePricing {
  /** The service. */
  serviceId: string
  /** What is billed: booked days, attended days, or booked days plus surcharges. */
  mode: BillingMode
  /** Tariffs over time, not overlapping. */
  tariffs: TariffPeriod[]
}

const ServicePricingSchemaBase = z
  .strictObject({ serviceId: IdSchema, mode: BillingModeSchema, tariffs: z.array(TariffPeriodSchema).min(1, 'a priced service needs at least one tariff') })
  .superRefine((s, ctx) => {
    const sorted = [...s.tariffs].sort((a, b) => compareDates(a.from, b.from))
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1] as TariffPeriod
      const cur = sorted[i] as TariffPeriod
      if (prev.to === undefined || compareDates(prev.to, cur.from) >= 0) {
        ctx.addIssue({ code: 'custom', path: ['tariffs'], message: `the tariffs from ${prev.from} and from ${cur.from} overlap` })
      }
    }
  })
/** A ServicePricing as a form or an API sends it (the input of {@link ServicePricingSchema}). */
export type ServicePricingInput = z.input<typeof ServicePricingSchemaBase>
/**
 * Schema of a {@link ServicePricing}: tariff periods must not overlap.
 *
 * @example
 * ServicePricingSchema.parse({ serviceId: 'canteen', mode: { kind: 'booked' },
 *   tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: '4.15', currency: 'EUR' } } }] })
 */
export const ServicePricingSchema: z.ZodType<ServicePricing, ServicePricingInput> = ServicePricingSchemaBase as unknown as z.ZodType<ServicePricing, ServicePricingInput>

/** A family quotient valid over a period, for one guardian (the payer whose QF prices the charge). */
export interface QuotientRecord {
  /** The guardian (payer). */
  guardianId: string
  /** The QF, canonical text (see {@link FamilyQuotientSchema}). */
  quotient: string
  /** First day it is valid. */
  from: LocalDate
  /** Last day (inclusive); absent = open-ended. */
  to?: LocalDate | undefined
}

/** What billing needs of a beneficiary: an adult pays the adult price; birth dates rank siblings, eldest first. */
export interface BillingBeneficiary {
  /** Child id, or guardian id for an adult who books. */
  id: string
  /** Birth date; absent sorts after every known birth date when ranking. */
  birthDate?: LocalDate | undefined
  /** An adult beneficiary (a staff member or a parent booking a meal). */
  adult: boolean
}

/** What billing needs of a service (the directory's `Service` has these fields). */
export interface BillingServiceRef {
  /** Service id. */
  id: string
  /** Invoiced (becomes charge lines) or prepaid (settles through the wallet, never a charge line). */
  billing: 'invoiced' | 'prepaid'
  /** The billing office that invoices it. */
  billingOfficeId: string
}

/** What billing needs of a billing office (the directory's `BillingOffice` has these fields). */
export interface BillingOfficeRef {
  /** Office id. */
  id: string
  /** Currency of its invoices. */
  currency: string
  /** Rounding of each line to the minor unit. */
  roundingMode: RoundingMode
}

/** A subscription (service rights), used to rank siblings among all subscribed children. */
export interface BillingSubscriptionRef {
  /** The beneficiary. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** First day. */
  from: LocalDate
  /** Last day (inclusive); absent = open-ended. */
  to?: LocalDate | undefined
}

/**
 * A standing surcharge or reduction on one beneficiary's service over a period (e.g. a packed
 * lunch for a child with a food-allergy plan: -50 %), applied to the unit price after the tariff
 * and the billing mode. At most one per beneficiary, service and day. Its service and beneficiary
 * must be in the configuration's `services` and `beneficiaries`, and an `amount` in the service's
 * tariff currency: {@link prepareChargeConfig} refuses anything else, naming `adjustments.<n>.<field>`
 * (an adjustment on a misspelt id would never apply, the child paying the full price).
 *
 * @example
 * prepareChargeConfig({ ...config, adjustments: [{ id: 'pai', beneficiaryId: 'lea', serviceId: 'canteen', from: '2026-09-08',
 *   adjustment: { effect: 'reduction', kind: 'percentage', percent: '50' }, label: 'PAI panier repas' }] })
 * prepareChargeConfig({ ...config, adjustments: [{ ...pai, beneficiaryId: 'leaa' }] })
 * // throws INVALID_INPUT: config.adjustments.0.beneficiaryId: no beneficiary leaa in beneficiaries: did you mean lea?
 */
export interface StandingAdjustment {
  /** Stable id. */
  id: string
  /** The beneficiary. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** First day. */
  from: LocalDate
  /** Last day (inclusive); absent = open-ended. */
  to?: LocalDate | undefined
  /** The surcharge or reduction. */
  adjustment: PriceAdjustment
  /** Why, printed on the line's explanation ("PAI panier repas"). */
  label: string
}

/** The validated configuration of a charge-line run (output of {@link ChargeConfigSchema}). */
export interface ChargeConfig {
  /** Billing rules: a validated list, or rules already prepared with {@link prepareRules}. */
  rules: PreparedBillingRules
  /** Services (extra fields of the directory's `Service` are ignored). */
  services: BillingServiceRef[]
  /** Billing offices. */
  billingOffices: BillingOfficeRef[]
  /** Pricing of the invoiced services. */
  pricing: ServicePricing[]
  /** Beneficiaries (children and adults). */
  beneficiaries: BillingBeneficiary[]
  /** Family quotients of payers over time. */
  quotients: QuotientRecord[]
  /** Subscriptions, for the `subscribed` sibling ranking. */
  subscriptions: BillingSubscriptionRef[]
  /** Standing surcharges and reductions per beneficiary and service. */
  adjustments: StandingAdjustment[]
  /** Billing periods (not overlapping); absent = calendar months. */
  periods: DateRange[] | undefined
  /** The day whose QF applies; absent = the first day of each charge's billing period. */
  quotientDate: LocalDate | undefined
}

const ChargeConfigSchemaBase = z
  .strictObject({
    rules: z.union([z.custom<PreparedBillingRules>((v) => isPreparedBillingRules(v)), BillingRuleSetSchema.transform((r) => prepareRules(r))]),
    services: z.array(z.strictObject({ id: IdSchema, billing: z.enum(['invoiced', 'prepaid']), billingOfficeId: IdSchema })),
    billingOffices: z.array(z.strictObject({ id: IdSchema, currency: CurrencySchema.default('EUR'), roundingMode: RoundingModeSchema.default('halfUp') })),
    pricing: z.array(ServicePricingSchema),
    beneficiaries: z.array(z.strictObject({ id: IdSchema, birthDate: OptionalEnd, adult: z.boolean().default(false) })),
    quotients: z.array(z.strictObject({ guardianId: IdSchema, quotient: FamilyQuotientSchema, from: LocalDateSchema, to: OptionalEnd })).default([]),
    subscriptions: z.array(z.strictObject({ beneficiaryId: IdSchema, serviceId: IdSchema, from: LocalDateSchema, to: OptionalEnd })).default([]),
    adjustments: z
      .array(
        z.strictObject({
          id: IdSchema,
          beneficiaryId: IdSchema,
          serviceId: IdSchema,
          from: LocalDateSchema,
          to: OptionalEnd,
          adjustment: PriceAdjustmentSchema,
          label: z.string().trim().min(1, 'must not be empty').max(200),
        }),
      )
      .default([]),
    periods: z.array(DateRangeSchema).optional(),
    quotientDate: OptionalEnd,
  })
  .superRefine((c, ctx) => {
    const unique = (items: { id: string }[], path: string): void => {
      const seen = new Set<string>()
      items.forEach((x, i) => {
        if (seen.has(x.id)) ctx.addIssue({ code: 'custom', path: [path, i, 'id'], message: `${x.id} is listed twice` })
        seen.add(x.id)
      })
    }
    unique(c.services, 'services')
    unique(c.billingOffices, 'billingOffices')
    unique(c.beneficiaries, 'beneficiaries')
    unique(c.adjustments, 'adjustments')
    c.adjustments.forEach((a, i) => {
      if (a.to !== undefined && compareDates(a.to, a.from) < 0) ctx.addIssue({ code: 'custom', path: ['adjustments', i, 'to'], message: `must not be before from (${a.from})` })
      c.adjustments.forEach((b, j) => {
        if (j <= i || a.beneficiaryId !== b.beneficiaryId || a.serviceId !== b.serviceId) return
        const overlap = (a.to === undefined || compareDates(b.from, a.to) <= 0) && (b.to === undefined || compareDates(a.from, b.to) <= 0)
        if (overlap) ctx.addIssue({ code: 'custom', path: ['adjustments', j], message: `overlaps adjustment ${a.id} on the same beneficiary service` })
      })
    })
    const offices = new Map(c.billingOffices.map((o) => [o.id, o]))
    const services = new Map(c.services.map((s) => [s.id, s]))
    c.services.forEach((s, i) => {
      if (!offices.has(s.billingOfficeId)) ctx.addIssue({ code: 'custom', path: ['services', i, 'billingOfficeId'], message: `no billing office ${s.billingOfficeId}` })
    })
    const priced = new Set<string>()
    c.pricing.forEach((p, i) => {
      if (priced.has(p.serviceId)) ctx.addIssue({ code: 'custom', path: ['pricing', i, 'serviceId'], message: `${p.serviceId} is priced twice` })
      priced.add(p.serviceId)
      const svc = services.get(p.serviceId)
      if (!svc) return void ctx.addIssue({ code: 'custom', path: ['pricing', i, 'serviceId'], message: `no service ${p.serviceId}` })
      const office = offices.get(svc.billingOfficeId)
      p.tariffs.forEach((t, j) => {
        const tariffCurrency = firstPrice(t).currency
        if (office && tariffCurrency !== office.currency) {
          ctx.addIssue({ code: 'custom', path: ['pricing', i, 'tariffs', j], message: `prices in ${tariffCurrency}, its billing office invoices in ${office.currency}` })
        }
      })
    })
    c.services.forEach((s, i) => {
      if (s.billing === 'invoiced' && !priced.has(s.id)) ctx.addIssue({ code: 'custom', path: ['services', i], message: `invoiced service ${s.id} has no pricing` })
    })
    // a surcharge amount of a billing mode is added to the tariff's price: in another currency it
    // would fail the whole run (CURRENCY_MISMATCH), so it is refused here, naming the field
    c.pricing.forEach((p, i) => {
      const currency = currencyOfPricing(p, offices, services)
      if (p.mode.kind !== 'bookedWithSurcharge') return
      for (const field of ['unbookedAttendance', 'lateCancellation'] as const) {
        const a = p.mode[field]
        if (a?.kind === 'amount' && a.amount.currency !== currency) {
          ctx.addIssue({ code: 'custom', path: ['pricing', i, 'mode', field, 'amount'], message: `is in ${a.amount.currency}, the tariff prices in ${currency}` })
        }
      }
    })
    // a standing adjustment must name a service and a beneficiary of this configuration (any
    // other never applies: a misspelt id silently bills the full price) and be in its currency
    const knownBeneficiaries = c.adjustments.length === 0 ? new Set<string>() : new Set(c.beneficiaries.map((b) => b.id))
    const pricingOf = new Map(c.pricing.map((p) => [p.serviceId, p]))
    let hints = 0 // a nearest id costs a pass over the known ones: the first few unknown ids get one
    c.adjustments.forEach((a, i) => {
      if (!services.has(a.serviceId)) {
        const near = hints++ < 10 ? hint(a.serviceId, [...services.keys()]) : ''
        ctx.addIssue({ code: 'custom', path: ['adjustments', i, 'serviceId'], message: `no service ${a.serviceId} in services${near}` })
      }
      if (!knownBeneficiaries.has(a.beneficiaryId)) {
        const near = hints++ < 10 ? hint(a.beneficiaryId, [...knownBeneficiaries]) : ''
        ctx.addIssue({ code: 'custom', path: ['adjustments', i, 'beneficiaryId'], message: `no beneficiary ${a.beneficiaryId} in beneficiaries${near}` })
      }
      const p = pricingOf.get(a.serviceId)
      if (a.adjustment.kind !== 'amount' || p === undefined) return
      const currency = currencyOfPricing(p, offices, services)
      if (a.adjustment.amount.currency !== currency) {
        ctx.addIssue({ code: 'custom', path: ['adjustments', i, 'adjustment', 'amount'], message: `is in ${a.adjustment.amount.currency}, the tariff of ${a.serviceId} prices in ${currency}` })
      }
    })
    const periods = [...(c.periods ?? [])].sort((a, b) => compareDates(a.from, b.from))
    for (let i = 1; i < periods.length; i++) {
      if (compareDates((periods[i - 1] as DateRange).to, (periods[i] as DateRange).from) >= 0) {
        ctx.addIssue({ code: 'custom', path: ['periods'], message: 'billing periods must not overlap' })
      }
    }
  })
/** A ChargeConfig as a form or an API sends it (the input of {@link ChargeConfigSchema}). */
export type ChargeConfigInput = z.input<typeof ChargeConfigSchemaBase>
/**
 * Schema of the configuration of {@link buildChargeLines}: everything except the days, which are
 * checked by a one-pass hand-written check (no schema per booking). `rules` may be plain rules
 * (validated with {@link BillingRuleSetSchema}) or a {@link PreparedBillingRules}.
 *
 * @example
 * ChargeConfigSchema.parse({ rules: [], services: [], billingOffices: [], pricing: [], beneficiaries: [] })
 */
export const ChargeConfigSchema: z.ZodType<ChargeConfig, ChargeConfigInput> = ChargeConfigSchemaBase as unknown as z.ZodType<ChargeConfig, ChargeConfigInput>

/** The currency a service's prices are in: its billing office's (its tariffs are checked against it), else its first tariff's. */
function currencyOfPricing(p: ServicePricing, offices: ReadonlyMap<string, { currency: string }>, services: ReadonlyMap<string, { billingOfficeId: string }>): string {
  const svc = services.get(p.serviceId)
  const office = svc === undefined ? undefined : offices.get(svc.billingOfficeId)
  return office?.currency ?? firstPrice(p.tariffs[0] as TariffPeriod).currency
}

/** `: did you mean <nearest>?` when an id is close to a known one, else nothing. */
function hint(id: string, known: readonly string[]): string {
  const near = nearestKey(id, known)
  return near === undefined ? '' : `: did you mean ${near}?`
}

function firstPrice(t: TariffPeriod): Money {
  return match(t.tariff)
    .with({ kind: 'fixed' }, (x) => x.price)
    .with({ kind: 'quotientBrackets' }, { kind: 'effortRate' }, (x) => x.noQuotientPrice)
    .with({ kind: 'siblingRank' }, (x) => x.prices[0] as Money)
    .exhaustive()
}

/**
 * A priced unit, shared by every charge with the same tariff period, pricing basis and charge
 * kind (the cache key of the hot path).
 */
export interface PriceKey {
  /** Dense id, unique within a prepared configuration. */
  readonly id: number
  /** The charge kind it prices. */
  readonly kind: ChargeKind
  /** Exact unit price, adjustment included. */
  readonly unitPrice: Money
  /** The unit price in minor units when it has no more digits than the currency; else `undefined`. */
  readonly unitPriceMinor: bigint | undefined
  /** Why: the tariff rule and its inputs. */
  readonly basis: PricingBasis
  /** The surcharge applied on top of the tariff for this kind, if any. */
  readonly adjustment: PriceAdjustment | undefined
  /** The standing adjustment of the beneficiary applied after it, if any. */
  readonly standingAdjustment: StandingAdjustment | undefined
  /** One sentence for a back office. */
  readonly explanation: string
  /** First day of the tariff period used. */
  readonly tariffFrom: LocalDate
}

/** @internal a tariff period with its caches. */
export interface PreparedTariff {
  /** dense index among every tariff period of the configuration */
  readonly id: number
  readonly fromDay: number
  readonly toDay: number
  readonly period: TariffPeriod
  readonly siblingRanking: 'chargedThatDay' | 'subscribed' | undefined
  readonly cache: Map<string, PriceKey[]>
  /** price keys of a degressive tariff by group size then rank */
  readonly rankCache: PriceKey[][][]
}

/** @internal a service ready for the hot path. */
export interface PreparedChargeService {
  readonly id: string
  /** dense index of the service */
  readonly index: number
  readonly billing: 'invoiced' | 'prepaid'
  readonly officeId: string
  readonly currency: string
  readonly rounding: RoundingMode
  readonly mode: BillingMode
  readonly tariffs: readonly PreparedTariff[]
}

/** @internal a beneficiary with its position among all beneficiaries, eldest first (ties by id). */
export interface PreparedBeneficiary extends BillingBeneficiary {
  /** 0 for the eldest; birth date ascending, unknown birth dates last, ties by id. */
  readonly seniority: number
}

/** @internal a standing adjustment with its days as epoch days and its price keys by base price key id. */
export interface PreparedAdjustment {
  readonly adjustment: StandingAdjustment
  readonly fromDay: number
  readonly toDay: number
  readonly keys: Map<number, PriceKey>
}

const PREPARED_CONFIG = Symbol.for('@ecole/core/PreparedChargeConfig')

/**
 * A validated, indexed charge-line configuration: build it once with {@link prepareChargeConfig}
 * and price any number of days with {@link buildChargeLines}, which then validates nothing but
 * the shape of each day. Opaque: a brand and the validated configuration; its indexes and price
 * caches are internal (they grow as days are priced, so the same value is not shared across threads).
 *
 * @example
 * const prepared: PreparedChargeConfig = prepareChargeConfig({ rules: [], services: [], billingOffices: [], pricing: [], beneficiaries: [] })
 * prepared.config.services //=> []
 */
export interface PreparedChargeConfig {
  /** @internal brand shared by every copy of the package (ESM and CJS). */
  readonly [PREPARED_CONFIG]: true
  /** The validated configuration. */
  readonly config: ChargeConfig
  /** The prepared rules. */
  readonly rules: PreparedBillingRules
}

/** @internal what a prepared configuration holds: its indexes and caches, for the charge-line stages. */
export interface PreparedChargeState extends PreparedChargeConfig {
  /** services by id */
  readonly services: ReadonlyMap<string, PreparedChargeService>
  /** beneficiaries by id, with their seniority (0 = eldest of all) */
  readonly beneficiaries: ReadonlyMap<string, PreparedBeneficiary>
  /** quotient records by guardian, sorted by `from` */
  readonly quotients: ReadonlyMap<string, readonly QuotientRecord[]>
  /** subscriptions by service then beneficiary */
  readonly subscriptions: ReadonlyMap<string, ReadonlyMap<string, readonly BillingSubscriptionRef[]>>
  /** standing adjustments by beneficiary then service */
  readonly adjustments: ReadonlyMap<string, ReadonlyMap<string, readonly PreparedAdjustment[]>>
  /** the next price key id */
  nextPriceKey: number
}

/** @internal the indexes and caches of a prepared configuration (every PreparedChargeConfig is one). */
export function chargeStateOf(prepared: PreparedChargeConfig): PreparedChargeState {
  return prepared as PreparedChargeState
}

/**
 * Whether `value` was built by {@link prepareChargeConfig}.
 *
 * @example
 * isPreparedChargeConfig(prepareChargeConfig({ rules: [], services: [], billingOffices: [], pricing: [], beneficiaries: [] })) //=> true
 */
export function isPreparedChargeConfig(value: unknown): value is PreparedChargeConfig {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PREPARED_CONFIG] === true
}

/**
 * Validates a charge-line configuration once (with {@link ChargeConfigSchema}) and indexes it
 * for {@link buildChargeLines}.
 *
 * @example
 * const prepared = prepareChargeConfig({ rules, services, billingOffices, pricing, beneficiaries, quotients })
 * buildChargeLines(prepared, januaryDays)
 * buildChargeLines(prepared, februaryDays)
 * @throws EcoleError `INVALID_INPUT` naming each wrong field, among them a standing adjustment
 * whose service or beneficiary the configuration does not have (`adjustments.0.serviceId`, with the
 * nearest known id) and an adjustment or billing-mode surcharge amount in another currency than the
 * tariff (`adjustments.0.adjustment.amount`, `pricing.0.mode.unbookedAttendance.amount`).
 */
export function prepareChargeConfig(input: ChargeConfigInput): PreparedChargeConfig {
  return prepareChargeState(input)
}

function prepareChargeState(input: ChargeConfigInput): PreparedChargeState {
  const config = parseInput(ChargeConfigSchema, input, 'config')
  const offices = new Map(config.billingOffices.map((o) => [o.id, o]))
  const pricing = new Map(config.pricing.map((p) => [p.serviceId, p]))
  const services = new Map<string, PreparedChargeService>()
  let tariffId = 0
  for (const s of config.services) {
    const office = offices.get(s.billingOfficeId) as BillingOfficeRef
    minorUnits(office.currency)
    const p = pricing.get(s.id)
    services.set(s.id, {
      id: s.id,
      index: services.size,
      billing: s.billing,
      officeId: office.id,
      currency: office.currency,
      rounding: office.roundingMode,
      mode: p?.mode ?? { kind: 'booked' },
      tariffs: (p?.tariffs ?? [])
        .map((t) => ({
          id: tariffId++,
          fromDay: toEpochDay(t.from),
          toDay: t.to === undefined ? Number.MAX_SAFE_INTEGER : toEpochDay(t.to),
          period: t,
          siblingRanking: t.tariff.kind === 'siblingRank' ? t.tariff.ranking : undefined,
          cache: new Map<string, PriceKey[]>(),
          rankCache: [],
        }))
        .sort((a, b) => a.fromDay - b.fromDay),
    })
  }
  const quotients = new Map<string, QuotientRecord[]>()
  for (const q of config.quotients) {
    let list = quotients.get(q.guardianId)
    if (!list) quotients.set(q.guardianId, (list = []))
    list.push(q)
  }
  for (const list of quotients.values()) list.sort((a, b) => compareDates(a.from, b.from))
  const subscriptions = new Map<string, Map<string, BillingSubscriptionRef[]>>()
  for (const s of config.subscriptions) {
    let bySvc = subscriptions.get(s.serviceId)
    if (!bySvc) subscriptions.set(s.serviceId, (bySvc = new Map()))
    let list = bySvc.get(s.beneficiaryId)
    if (!list) bySvc.set(s.beneficiaryId, (list = []))
    list.push(s)
  }
  const adjustments = new Map<string, Map<string, PreparedAdjustment[]>>()
  for (const a of config.adjustments) {
    let bySvc = adjustments.get(a.beneficiaryId)
    if (!bySvc) adjustments.set(a.beneficiaryId, (bySvc = new Map()))
    let list = bySvc.get(a.serviceId)
    if (!list) bySvc.set(a.serviceId, (list = []))
    list.push({ adjustment: a, fromDay: toEpochDay(a.from), toDay: a.to === undefined ? Number.MAX_SAFE_INTEGER : toEpochDay(a.to), keys: new Map() })
  }
  return {
    [PREPARED_CONFIG]: true,
    config,
    rules: config.rules,
    services,
    beneficiaries: new Map(
      [...config.beneficiaries]
        .sort((a, b) => {
          const x = a.birthDate ?? '9999-99-99'
          const y = b.birthDate ?? '9999-99-99'
          return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
        })
        .map((b, seniority) => [b.id, { ...b, seniority }]),
    ),
    quotients,
    subscriptions,
    adjustments,
    nextPriceKey: 0,
  }
}

/**
 * @internal The QF of `guardianId` valid on `date`; when several records are valid, the one that
 * started last wins.
 */
export function quotientAt(prepared: PreparedChargeState, guardianId: string, date: LocalDate): string | undefined {
  const list = prepared.quotients.get(guardianId)
  if (!list) return undefined
  let found: string | undefined
  for (const q of list) {
    if (compareDates(q.from, date) <= 0 && (q.to === undefined || compareDates(date, q.to) <= 0)) found = q.quotient
  }
  return found
}

/** @internal the price keys (one per charge kind) of a tariff period for a pricing situation. */
export function priceKeysFor(
  prepared: PreparedChargeState,
  service: PreparedChargeService,
  tariff: PreparedTariff,
  cacheKey: string,
  adult: boolean,
  quotient: string | undefined,
  sibling: { rank: number; of: number } | undefined,
): PriceKey[] {
  const cached = tariff.cache.get(cacheKey)
  if (cached) return cached
  const base = priceUnit(tariff.period, { adult, quotient, sibling })
  const make = (kind: ChargeKind, adjustment: PriceAdjustment | undefined): PriceKey => {
    const unitPrice = adjustment === undefined ? base.price : applyAdjustment(base.price, adjustment)
    if (unitPrice.currency !== service.currency) {
      throw new EcoleError('CURRENCY_MISMATCH', `service ${service.id} prices in ${unitPrice.currency}, its office invoices in ${service.currency}`)
    }
    const adj = adjustment === undefined ? '' : `, ${adjustment.effect} ${adjustment.kind === 'percentage' ? `${adjustment.percent} %` : adjustment.amount.toString()} (${kind})`
    return {
      id: prepared.nextPriceKey++,
      kind,
      unitPrice,
      unitPriceMinor: unitPrice.isRounded() ? unitPrice.toMinor() : undefined,
      basis: base.basis,
      adjustment,
      standingAdjustment: undefined,
      explanation: adjustment === undefined ? base.explanation : `${base.explanation}${adj}: ${unitPrice.toString()}`,
      tariffFrom: tariff.period.from,
    }
  }
  const mode = service.mode
  const keys = [
    make('service', undefined),
    make('unbookedAttendance', mode.kind === 'bookedWithSurcharge' ? mode.unbookedAttendance : undefined),
    make('lateCancellation', mode.kind === 'bookedWithSurcharge' ? mode.lateCancellation : undefined),
  ]
  tariff.cache.set(cacheKey, keys)
  return keys
}

/** @internal the price key of `base` with a beneficiary's standing adjustment applied (cached). */
export function adjustedPriceKey(prepared: PreparedChargeState, base: PriceKey, standing: PreparedAdjustment): PriceKey {
  const cached = standing.keys.get(base.id)
  if (cached) return cached
  const a = standing.adjustment
  const unitPrice = applyAdjustment(base.unitPrice, a.adjustment)
  const what = a.adjustment.kind === 'percentage' ? `${a.adjustment.percent} %` : a.adjustment.amount.toString()
  const key: PriceKey = {
    ...base,
    id: prepared.nextPriceKey++,
    unitPrice,
    unitPriceMinor: unitPrice.isRounded() ? unitPrice.toMinor() : undefined,
    standingAdjustment: a,
    explanation: `${base.explanation}; ${a.adjustment.effect} ${what} (${a.label}): ${unitPrice.toString()}`,
  }
  standing.keys.set(base.id, key)
  return key
}

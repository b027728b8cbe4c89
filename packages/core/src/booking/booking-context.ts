import * as z from 'zod'
import { BillingRuleSetSchema, prepareRules, type BillingRuleInput, type PreparedBillingRules } from '../billing'
import { PeriodSchema, ServiceCalendar, type ClosureCause, type Period, type PeriodInput } from '../calendar'
import { EcoleError, parseInput } from '../errors'
import { CurrencySchema, Money, type CurrencyCode } from '../money'
import { LocalDateSchema, TimeZoneSchema, toEpochDay, type LocalDate, type TimeZone, type Weekday } from '../time'
import { CutoffRuleSchema, type CutoffRule } from './cutoff'
import type { BookingRefusal } from './refusal'
import { MoneyInputSchema } from '../money'

const Id = z.string().trim().min(1, 'must not be empty')
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM')
// an amount the context keeps in minor units: one with more decimals than its currency is refused here, naming the field
const MinorOf = MoneyInputSchema.refine((m) => m.isRounded(), { message: 'has more decimals than its currency allows' })

/** Schema of one service as the booking context needs it. */
export const BookingServiceSchema = z.strictObject({
  id: Id,
  /** ISO weekdays the service runs. */
  weekdays: z.array(z.number().int().min(1).max(7)).min(1, 'a service runs on at least one weekday'),
  openingsOnly: z.boolean().optional(),
  openOnPublicHolidays: z.boolean().optional(),
  /** `invoiced`: bookings become invoice lines; `prepaid`: prepaid basket, each booking reserves its price in the payer's wallet. */
  payment: z.enum(['invoiced', 'prepaid']).default('invoiced'),
  /** Price of one booking, required for a prepaid service. */
  price: MinorOf.optional(),
  /** Local time the service starts (attendance is not recorded before), default 00:00. */
  startsAt: HHMM.optional(),
  bookingCutoff: CutoffRuleSchema.optional(),
  cancellationCutoff: CutoffRuleSchema.optional(),
  /** Places per day and school. */
  capacity: z.number().int().min(0).optional(),
}).superRefine((s, ctx) => {
  if (s.payment === 'prepaid' && s.price === undefined) ctx.addIssue({ code: 'custom', path: ['price'], message: 'a prepaid service needs a price' })
  if (s.price !== undefined && s.price.isNegative()) ctx.addIssue({ code: 'custom', path: ['price'], message: 'must not be negative' })
})

/** One service's booking settings as `BookingContextInput.services` takes them (see {@link BookingServiceSchema}). */
export type BookingServiceInput = z.input<typeof BookingServiceSchema>

const RangeFields = { from: LocalDateSchema, to: LocalDateSchema.nullish().transform((v) => v ?? undefined) }
/** An inclusive range (`from`..`to`) whose end is not before its start. */
const ordered = { message: 'must not be before from', path: ['to'] }
const inOrder = (r: { from: LocalDate; to?: LocalDate | undefined }) => r.to === undefined || r.from <= r.to

/**
 * The site's billing rules, refusing what `buildChargeLines` would never bill (`INVALID_PAYER_WEIGHTS`):
 * a negative weight, or weights that do not add up to more than zero (a prepaid day would reserve
 * the whole price from a payer weighted 0).
 */
const BookingRulesSchema = BillingRuleSetSchema.superRefine((rules, ctx) => {
  rules.forEach((r, i) => {
    r.payers.forEach((p, j) => {
      if (p.weight < 0) ctx.addIssue({ code: 'custom', path: [i, 'payers', j, 'weight'], message: 'must not be negative' })
    })
    if (r.payers.every((p) => p.weight <= 0)) ctx.addIssue({ code: 'custom', path: [i, 'payers'], message: 'the weights must add up to more than zero' })
  })
})

/** Schema of the plain data a {@link BookingContext} is prepared from (see {@link prepareBookingContext}). */
export const BookingContextInputSchema = z.strictObject({
  timeZone: TimeZoneSchema,
  currency: CurrencySchema.default('EUR'),
  /** Unpaid debt above which a payer cannot book (`DEBT_LIMIT`); none when absent. */
  debtLimit: MinorOf.optional(),
  services: z.array(BookingServiceSchema),
  /** Which schools (and classes) each service is offered to. */
  offers: z.array(z.strictObject({ serviceId: Id, schoolId: Id, classIds: z.array(Id).optional() })).default([]),
  periods: z.array(PeriodSchema).default([]),
  publicHolidays: z.array(LocalDateSchema).default([]),
  children: z.array(
    z.strictObject({
      id: Id,
      archived: z.boolean().default(false),
      groupIds: z.array(Id).default([]),
      enrolments: z.array(z.strictObject({ schoolId: Id, classId: Id, ...RangeFields }).refine(inOrder, ordered)).default([]),
      subscriptions: z.array(z.strictObject({ serviceId: Id, ...RangeFields }).refine(inOrder, ordered)).default([]),
    }),
  ),
  billingRules: BookingRulesSchema.default([]),
  /** Consents a portal guardian must have given before booking. */
  consents: z
    .array(z.strictObject({ id: Id, label: z.string().min(1), from: LocalDateSchema.optional(), to: LocalDateSchema.optional(), serviceIds: z.array(Id).optional(), groupIds: z.array(Id).optional() }))
    .default([]),
  consentsGiven: z.array(z.strictObject({ consentId: Id, guardianId: Id })).default([]),
  /** Available wallet balance per guardian (the ledger's `available`: posted credits - posted debits - pending debits). */
  wallets: z.array(z.strictObject({ guardianId: Id, available: MinorOf })).default([]),
  /** Unpaid debt per guardian. */
  debts: z.array(z.strictObject({ guardianId: Id, unpaid: MinorOf })).default([]),
  /** Active bookings already stored. */
  bookings: z.array(z.strictObject({ beneficiaryId: Id, serviceId: Id, date: LocalDateSchema, billed: z.boolean().default(false) })).default([]),
})

/** The plain JSON a {@link BookingContext} is prepared from (amounts as `{ amount: '4.15', currency: 'EUR' }`). */
export type BookingContextInput = Omit<z.input<typeof BookingContextInputSchema>, 'billingRules' | 'periods'> & {
  /** Closures and openings (the calendar module's `PeriodSchema`). */
  periods?: PeriodInput[] | undefined
  /** The site's billing rules (the billing module's `BillingRuleSchema`). */
  billingRules?: BillingRuleInput[] | undefined
}

/** @internal a service, prepared */
export interface PreparedService {
  readonly id: string
  readonly prepaid: boolean
  readonly priceMinor: number
  readonly startsAt: string
  readonly bookingCutoff: CutoffRule
  readonly cancellationCutoff: CutoffRule
  readonly capacity: number
  readonly cutoffCache: Map<string, number>
  readonly cutoffByDay: Map<number, number>
  readonly bookRefusals: Map<number, BookingRefusal>
  readonly cancelRefusals: Map<number, BookingRefusal>
}

/** @internal a child, prepared: enrolments and subscriptions as sorted epoch-day ranges */
export interface PreparedChild {
  readonly id: string
  readonly archived: boolean
  readonly groupIds: ReadonlySet<string>
  readonly enrolments: ReadonlyArray<PreparedEnrolment>
  readonly subscriptions: ReadonlyMap<string, ReadonlyArray<{ readonly from: number; readonly to: number }>>
  /** serviceId -> booked epoch days */
  readonly booked: Map<string, Set<number>>
  /** serviceId -> billed epoch days */
  readonly billed: Map<string, Set<number>>
  /** serviceId -> epoch day -> what a booking check owes to the context alone (filled on first use) */
  readonly checks: Map<string, Map<number, unknown>>
}

/** @internal what a child's place (school, class) means for one service, looked up once */
export interface PlaceInfo {
  readonly offered: boolean
  readonly closure: (epochDay: number) => ClosureCause | undefined
  /** epochDay -> bookings of the service at the school */
  readonly counts: Map<number, number>
}

/** @internal an enrolment as epoch days, with its per-service place info built on first use */
export interface PreparedEnrolment {
  readonly from: number
  readonly to: number
  readonly schoolId: string
  readonly classId: string
  readonly places: Map<string, PlaceInfo>
}

/** @internal a required consent, prepared */
export interface PreparedConsent {
  readonly id: string
  readonly label: string
  readonly from: number
  readonly to: number
  readonly serviceIds: ReadonlySet<string> | undefined
  readonly groupIds: ReadonlySet<string> | undefined
  readonly givenBy: ReadonlySet<string>
}

const BRAND = Symbol.for('@ecole/core/BookingContext')
const END = Number.MAX_SAFE_INTEGER

/**
 * Everything `checkBooking` needs about one site, prepared once from plain data: validated,
 * indexed by child, service, school and day, with billing rules compiled, so a check does no
 * validation and no scan over the site's lists. Amounts are integer minor units inside (a
 * documented hot path). Build it with {@link prepareBookingContext}; recognise it with
 * {@link isBookingContext}. It does not change once prepared (week templates layer their plan over
 * it); prepare a new one when the site's data changes. Opaque: a brand, the site's time zone and
 * currency; its indexes and caches are internal (they grow as days are checked, so one context is
 * not shared across threads).
 *
 * @example
 * const ctx: BookingContext = prepareBookingContext(siteData)
 * ctx.timeZone //=> 'Europe/Paris'
 */
export interface BookingContext {
  /** @internal brand */
  readonly [BRAND]: true
  /** The site's time zone: cut-offs and "today" are computed there. */
  readonly timeZone: TimeZone
  /** The site's currency. */
  readonly currency: CurrencyCode
}

/** @internal what a prepared context holds: its indexes and caches (every BookingContext is one). */
export interface BookingContextState extends BookingContext {
  /** @internal */
  readonly calendar: ServiceCalendar
  /** @internal */
  readonly holidays: ReadonlySet<number>
  /** @internal */
  readonly services: ReadonlyMap<string, PreparedService>
  /** @internal schoolId -> serviceId -> classIds (undefined: every class) */
  readonly offers: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string> | undefined>>
  /** @internal */
  readonly children: ReadonlyMap<string, PreparedChild>
  /** @internal */
  readonly rules: PreparedBillingRules
  /** @internal sorted by id */
  readonly consents: readonly PreparedConsent[]
  /** @internal guardianId -> available minor units (reservations made through this context already taken off) */
  readonly available: Map<string, number>
  /** @internal guardianId -> unpaid debt in minor units */
  readonly debts: ReadonlyMap<string, number>
  /** @internal debt limit in minor units, or -1 */
  readonly debtLimitMinor: number
  /** @internal serviceId -> schoolId -> epochDay -> number of bookings */
  readonly counts: Map<string, Map<string, Map<number, number>>>
  /** @internal day strings already parsed -> epoch day */
  readonly epochDays: Map<string, number>
}

/** @internal the indexes and caches of a prepared context. */
export function bookingStateOf(ctx: BookingContext): BookingContextState {
  return ctx as BookingContextState
}

function toSafeMinor(m: Money, field: string, currency: CurrencyCode): number {
  if (m.currency !== currency) throw new EcoleError('CURRENCY_MISMATCH', `${field} is in ${m.currency}, the site uses ${currency}`, { details: { field } })
  const n = m.toMinor()
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) throw new EcoleError('INVALID_AMOUNT', `${field} is too large`, { details: { field } })
  return Number(n)
}

const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)

/**
 * Validates a site's booking data once and indexes it for {@link checkBooking}.
 *
 * The result never depends on the order of the input lists (they are sorted by id where order
 * could show). Billing rules are those of the billing module (`BillingRuleSchema`); wallet
 * balances are the ledger's available balances.
 *
 * @example
 * const ctx = prepareBookingContext({
 *   timeZone: 'Europe/Paris',
 *   services: [{ id: 'canteen', weekdays: [1, 2, 4, 5], bookingCutoff: { kind: 'daysBefore', days: 2, count: 'weekdays', at: '10:00' } }],
 *   offers: [{ serviceId: 'canteen', schoolId: 'jaures' }],
 *   children: [{ id: 'lea', enrolments: [{ schoolId: 'jaures', classId: 'cp', from: '2026-09-01' }], subscriptions: [{ serviceId: 'canteen', from: '2026-09-01' }] }],
 *   billingRules: [{ id: 'r1', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }] }],
 * })
 * @throws EcoleError `INVALID_INPUT` naming each field that fails {@link BookingContextInputSchema}; `CURRENCY_MISMATCH`.
 */
export function prepareBookingContext(input: BookingContextInput): BookingContext {
  const data = parseInput(BookingContextInputSchema, input, 'booking context')
  const currency = data.currency
  const services = new Map<string, PreparedService>()
  for (const s of [...data.services].sort(byKey((x) => x.id))) {
    if (services.has(s.id)) throw new EcoleError('INVALID_INPUT', `[ecole] invalid input for booking context: services: id ${s.id} is used twice`, { details: { field: 'services' } })
    services.set(s.id, {
      id: s.id,
      prepaid: s.payment === 'prepaid',
      priceMinor: s.price ? toSafeMinor(s.price, `services.${s.id}.price`, currency) : 0,
      startsAt: s.startsAt ?? '00:00',
      bookingCutoff: s.bookingCutoff ?? { kind: 'none' },
      cancellationCutoff: s.cancellationCutoff ?? s.bookingCutoff ?? { kind: 'none' },
      capacity: s.capacity ?? -1,
      cutoffCache: new Map(),
      cutoffByDay: new Map(),
      bookRefusals: new Map(),
      cancelRefusals: new Map(),
    })
  }
  const calendar = ServiceCalendar.fromValidated({
    schedules: data.services.map((s) => ({
      serviceId: s.id, weekdays: s.weekdays as Weekday[], openingsOnly: s.openingsOnly, openOnPublicHolidays: s.openOnPublicHolidays,
    })),
    periods: data.periods,
    publicHolidays: data.publicHolidays,
  })
  const offers = new Map<string, Map<string, Set<string> | undefined>>()
  for (const o of data.offers) {
    let bySvc = offers.get(o.schoolId)
    if (!bySvc) offers.set(o.schoolId, (bySvc = new Map()))
    if (o.classIds === undefined || (bySvc.has(o.serviceId) && bySvc.get(o.serviceId) === undefined)) bySvc.set(o.serviceId, undefined)
    else {
      const set = bySvc.get(o.serviceId) ?? new Set<string>()
      for (const c of o.classIds) set.add(c)
      bySvc.set(o.serviceId, set)
    }
  }
  const range = (r: { from: LocalDate; to?: LocalDate | undefined }) => ({ from: toEpochDay(r.from), to: r.to === undefined ? END : toEpochDay(r.to) })
  const children = new Map<string, PreparedChild>()
  for (const c of data.children) {
    if (children.has(c.id)) throw new EcoleError('INVALID_INPUT', `[ecole] invalid input for booking context: children: id ${c.id} is used twice`, { details: { field: 'children' } })
    const subscriptions = new Map<string, Array<{ from: number; to: number }>>()
    for (const s of c.subscriptions) {
      const list = subscriptions.get(s.serviceId) ?? []
      list.push(range(s))
      subscriptions.set(s.serviceId, list)
    }
    for (const list of subscriptions.values()) list.sort((a, b) => a.from - b.from || a.to - b.to)
    children.set(c.id, {
      id: c.id,
      archived: c.archived,
      groupIds: new Set(c.groupIds),
      enrolments: c.enrolments
        .map((e): PreparedEnrolment => ({ ...range(e), schoolId: e.schoolId, classId: e.classId, places: new Map() }))
        .sort((a, b) => a.from - b.from || a.to - b.to || (a.schoolId < b.schoolId ? -1 : a.schoolId > b.schoolId ? 1 : a.classId < b.classId ? -1 : a.classId > b.classId ? 1 : 0)),
      subscriptions,
      booked: new Map(),
      billed: new Map(),
      checks: new Map(),
    })
  }
  const given = new Map<string, Set<string>>()
  for (const g of data.consentsGiven) {
    const s = given.get(g.consentId) ?? new Set<string>()
    s.add(g.guardianId)
    given.set(g.consentId, s)
  }
  const consents = [...data.consents].sort(byKey((c) => c.id)).map((c) => ({
    id: c.id,
    label: c.label,
    from: c.from === undefined ? -END : toEpochDay(c.from),
    to: c.to === undefined ? END : toEpochDay(c.to),
    serviceIds: c.serviceIds ? new Set(c.serviceIds) : undefined,
    groupIds: c.groupIds ? new Set(c.groupIds) : undefined,
    givenBy: given.get(c.id) ?? new Set<string>(),
  }))
  const available = new Map<string, number>()
  for (const w of data.wallets) available.set(w.guardianId, (available.get(w.guardianId) ?? 0) + toSafeMinor(w.available, `wallets.${w.guardianId}.available`, currency))
  const debts = new Map<string, number>()
  for (const d of data.debts) debts.set(d.guardianId, (debts.get(d.guardianId) ?? 0) + toSafeMinor(d.unpaid, `debts.${d.guardianId}.unpaid`, currency))
  const ctx: BookingContextState = {
    [BRAND]: true,
    timeZone: data.timeZone,
    currency,
    calendar,
    holidays: new Set(data.publicHolidays.map(toEpochDay)),
    services,
    offers,
    children,
    rules: prepareRules(data.billingRules),
    consents,
    available,
    debts,
    debtLimitMinor: data.debtLimit ? toSafeMinor(data.debtLimit, 'debtLimit', currency) : -1,
    counts: new Map(),
    epochDays: new Map(),
  }
  for (const b of data.bookings) {
    const child = children.get(b.beneficiaryId)
    if (!child) throw new EcoleError('INVALID_INPUT', `[ecole] invalid input for booking context: bookings: unknown child ${b.beneficiaryId}`, { details: { field: 'bookings', beneficiaryId: b.beneficiaryId } })
    addBooking(ctx, child, b.serviceId, toEpochDay(b.date), b.billed)
  }
  return ctx
}

/** @internal the enrolment covering a day (the earliest-starting one when several do), or undefined */
export function enrolmentOn(child: PreparedChild, day: number): PreparedChild['enrolments'][number] | undefined {
  const list = child.enrolments
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as PreparedChild['enrolments'][number]
    if (e.from <= day && day <= e.to) return e
  }
  return undefined
}

/**
 * @internal records an existing booking in the context's indexes; only while preparing (checks
 * cache what they read from the context, so a prepared context never changes afterwards)
 */
export function addBooking(ctx: BookingContextState, child: PreparedChild, serviceId: string, day: number, billed: boolean): void {
  let set = child.booked.get(serviceId)
  if (!set) child.booked.set(serviceId, (set = new Set()))
  if (set.has(day)) {
    if (billed) markBilled(child, serviceId, day)
    return
  }
  set.add(day)
  if (billed) markBilled(child, serviceId, day)
  const e = enrolmentOn(child, day)
  if (e) {
    const byDay = countsOf(ctx, serviceId, e.schoolId)
    byDay.set(day, (byDay.get(day) ?? 0) + 1)
  }
}

/** @internal the per-day booking counts of a service at a school (created on first use) */
export function countsOf(ctx: BookingContextState, serviceId: string, schoolId: string): Map<number, number> {
  let bySchool = ctx.counts.get(serviceId)
  if (!bySchool) ctx.counts.set(serviceId, (bySchool = new Map()))
  let byDay = bySchool.get(schoolId)
  if (!byDay) bySchool.set(schoolId, (byDay = new Map()))
  return byDay
}

function markBilled(child: PreparedChild, serviceId: string, day: number): void {
  let set = child.billed.get(serviceId)
  if (!set) child.billed.set(serviceId, (set = new Set()))
  set.add(day)
}

/**
 * Whether `value` was built by {@link prepareBookingContext}.
 *
 * @example
 * isBookingContext(prepareBookingContext({ timeZone: 'Europe/Paris', services: [], children: [] })) //=> true
 */
export function isBookingContext(value: unknown): value is BookingContext {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
}

/** @internal the place info of a service for an enrolment (built once, then cached on the enrolment) */
export function placeInfo(ctx: BookingContextState, e: PreparedEnrolment, serviceId: string): PlaceInfo {
  let info = e.places.get(serviceId)
  if (info === undefined) {
    const bySvc = ctx.offers.get(e.schoolId)
    const classes = bySvc?.get(serviceId)
    const offered = bySvc !== undefined && bySvc.has(serviceId) && (classes === undefined || classes.has(e.classId))
    info = { offered, closure: ctx.calendar.closureLookup(serviceId, e.schoolId, e.classId), counts: countsOf(ctx, serviceId, e.schoolId) }
    e.places.set(serviceId, info)
  }
  return info
}

/** @internal closure of a service at an enrolment's place (or anywhere, when not enrolled) */
export function closureAt(ctx: BookingContextState, serviceId: string, schoolId: string, classId: string, day: number): ClosureCause | undefined {
  return ctx.calendar.closureOnEpochDay(serviceId, schoolId, classId, day)
}

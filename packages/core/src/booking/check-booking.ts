import { describeValue } from '../describe-value'
import * as z from 'zod'
import { resolvePrepared, type DebtorResolution } from '../billing'
import { EcoleError } from '../errors'
import { Money, allocateMinor } from '../money'
import { LocalDateSchema, fromEpochDay, toEpochDay, zonedDateTime, zonedInstant, type LocalDate } from '../time'
import { closureAt, enrolmentOn, placeInfo, type BookingContext, type BookingContextState, bookingStateOf, type PlaceInfo, type PreparedChild, type PreparedConsent, type PreparedService } from './booking-context'
import { cutoffDay, type CutoffRule } from './cutoff'
import type { BookingAction, BookingCheck, BookingRefusal, RefusalDeadline } from './refusal'
import { asInputError } from '../input-error'

/**
 * Who makes a booking: the back office (staff), or a guardian through the portal. A portal
 * guardian must be the payer of the billing rule covering the day, or its joint debtor outside
 * prepaid-basket mode, and must have given the consents that gate booking.
 */
export type BookingActor = { kind: 'backOffice'; userId?: string | undefined } | { kind: 'guardian'; guardianId: string }

const BookingActorSchemaBase = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('backOffice'), userId: z.string().min(1).optional() }),
  z.strictObject({ kind: z.literal('guardian'), guardianId: z.string().min(1) }),
])
/** A BookingActor as a form or an API sends it (the input of {@link BookingActorSchema}). */
export type BookingActorInput = z.input<typeof BookingActorSchemaBase>
/** Schema of a {@link BookingActor}. */
export const BookingActorSchema: z.ZodType<BookingActor, BookingActorInput> = BookingActorSchemaBase as unknown as z.ZodType<BookingActor, BookingActorInput>

/** A request to book (or cancel) a service for a child on a day, by an actor, at an instant. */
export interface BookingRequest {
  /** The child (or adult) the service is for. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** The day to book. */
  date: LocalDate
  /** When the request is made (an instant: a `Date` or an ISO string with Z or an offset). */
  at: Date | string
  /** Who makes it. */
  actor: BookingActor
  /** `book` (default) or `cancel`. */
  action?: BookingAction | undefined
}

const BookingRequestSchemaBase = z.strictObject({
  beneficiaryId: z.string().min(1),
  serviceId: z.string().min(1),
  date: LocalDateSchema,
  at: z.union([z.date(), z.string().datetime({ offset: true })]),
  actor: BookingActorSchema,
  action: z.enum(['book', 'cancel']).optional(),
})
/** A BookingRequest as a form or an API sends it (the input of {@link BookingRequestSchema}). */
export type BookingRequestInput = z.input<typeof BookingRequestSchemaBase>
/**
 * Schema of a {@link BookingRequest} as an API receives it, for the boundary (the hot path,
 * `checkBooking`, validates nothing).
 */
export const BookingRequestSchema: z.ZodType<BookingRequest, BookingRequestInput> = BookingRequestSchemaBase as unknown as z.ZodType<BookingRequest, BookingRequestInput>

/** @internal planned changes a week template layers over a context without changing it */
export interface BookingOverlay {
  /** `${beneficiaryId}\u0000${serviceId}` -> days booked by the plan */
  readonly added: Map<string, Set<number>>
  /** `${beneficiaryId}\u0000${serviceId}` -> days cancelled by the plan */
  readonly removed: Map<string, Set<number>>
  /** guardianId -> minor units reserved by the plan */
  readonly spent: Map<string, number>
  /** `${serviceId}\u0000${schoolId}` -> day -> bookings added (negative: removed) */
  readonly countDelta: Map<string, Map<number, number>>
}

const OK: BookingCheck = Object.freeze({ ok: true }) as BookingCheck

function instantMs(at: Date | string): number {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime()
  if (Number.isNaN(ms)) throw new EcoleError('INVALID_INSTANT', `at is not a valid instant: ${String(at)}`, { details: { field: 'at' } })
  return ms
}

/** @internal whether the child has the service booked on the day, plan included */
export function isBooked(child: PreparedChild, serviceId: string, day: number, overlay: BookingOverlay | undefined): boolean {
  const base = child.booked.get(serviceId)?.has(day) === true
  if (overlay === undefined || (overlay.added.size === 0 && overlay.removed.size === 0)) return base
  const key = `${child.id}\u0000${serviceId}`
  if (overlay.added.get(key)?.has(day)) return true
  return base && !(overlay.removed.get(key)?.has(day) ?? false)
}

/** @internal an instant as a refusal's deadline: ISO instant, local date-time in the zone, zone */
export function deadline(ms: number, zone: string): RefusalDeadline {
  const z0 = zonedDateTime(new Date(ms), zone)
  return { instant: new Date(ms).toISOString(), local: `${z0.date}T${z0.time.slice(0, 5)}`, timeZone: zone }
}

/** @internal the cut-off instant (ms) for a day, or undefined; cached per service, action, day and place */
export function cutoffMs(ctx: BookingContextState, svc: PreparedService, action: BookingAction, day: number, schoolId: string, classId: string): number | undefined {
  const rule: CutoffRule = action === 'cancel' ? svc.cancellationCutoff : svc.bookingCutoff
  if (rule.kind === 'none') return undefined
  const perPlace = rule.kind === 'daysBefore' && rule.count === 'schoolDays'
  const numKey = day * 2 + (action === 'cancel' ? 1 : 0)
  const key = perPlace ? `${numKey}|${schoolId}|${classId}` : undefined
  const cached = key === undefined ? svc.cutoffByDay.get(numKey) : svc.cutoffCache.get(key)
  if (cached !== undefined) return cached
  const d = cutoffDay(rule, day, {
    isPublicHoliday: (x) => ctx.holidays.has(x),
    isSchoolDay: (x) => closureAt(ctx, svc.id, schoolId, classId, x) === undefined,
  }) as number
  const ms = zonedInstant(fromEpochDay(d), rule.at, ctx.timeZone).getTime()
  if (key === undefined) svc.cutoffByDay.set(numKey, ms)
  else svc.cutoffCache.set(key, ms)
  return ms
}

/** @internal the CUTOFF_PASSED refusal for a deadline, built once per deadline and frozen */
function cutoffRefusal(svc: PreparedService, action: BookingAction, ms: number, zone: string): BookingRefusal {
  const cache = action === 'cancel' ? svc.cancelRefusals : svc.bookRefusals
  let r = cache.get(ms)
  if (r === undefined) {
    r = Object.freeze({ code: 'CUTOFF_PASSED' as const, action, ...deadline(ms, zone) })
    cache.set(ms, r)
  }
  return r
}

function money(minor: number, currency: string) {
  return Money.fromMinor(BigInt(minor), currency).toJSON()
}

/** @internal the shares of a price among weighted debtors (largest remainder) */
export function shares(priceMinor: number, debtors: ReadonlyArray<{ weight: number }>): number[] {
  if (debtors.length === 1) return [priceMinor]
  return allocateMinor(BigInt(priceMinor), debtors.map((d) => d.weight)).map(Number)
}

/** @internal one request being checked: what every check of an action reads, and the reasons found so far. */
export interface CheckQuery {
  readonly ctx: BookingContextState
  readonly child: PreparedChild
  readonly svc: PreparedService
  /** the day, as an epoch day and as a date */
  readonly day: number
  readonly date: LocalDate
  /** the instant of the request, ms */
  readonly atMs: number
  /** the portal guardian making the request; undefined for the back office */
  readonly guardianId: string | undefined
  /** planned changes a week template layers over the context */
  readonly overlay: BookingOverlay | undefined
}

/** The state of one evaluation: the reasons found so far (a shared frozen head until a check adds one). */
interface Evaluation extends CheckQuery {
  reasons: BookingRefusal[] | undefined
  fromHead: number
  /** what the prepared context alone decides (booking checks only) */
  st: StaticPart
  /** whether the day is booked, plan included (booking checks only) */
  already: boolean
}

/** One rule of a booking or cancellation: adds the refusals it finds (in the order of `BOOKING_REFUSAL_CODES`). */
type Check = (e: Evaluation) => void

function refuse(e: Evaluation, refusal: BookingRefusal): void {
  ;(e.reasons = own(e.reasons, e.fromHead)).push(refusal)
}

/**
 * A portal guardian must be a payer of the rule covering the day, or its joint debtor outside
 * prepaid-basket mode. A day no rule covers (a rule stopped, a criterion that excludes it, rules
 * that overlap) has no payer: booking it is refused by `NO_BILLING_RULE`, and cancelling it
 * (`uncovered`) is left to the back office, as no guardian can be told to be its payer.
 */
function notPayer(e: Evaluation, res: DebtorResolution, uncovered: 'ignore' | 'refuse'): void {
  if (e.guardianId === undefined) return
  const guardianId = e.guardianId
  if (res.status !== 'billed') {
    if (uncovered === 'refuse') refuse(e, { code: 'NOT_PAYER', guardianId, payerIds: [], jointDebtorInPrepaid: false })
    return
  }
  for (let i = 0; i < res.debtors.length; i++) if ((res.debtors[i] as { guardianId: string }).guardianId === guardianId) return
  const isJoint = res.jointDebtorIds.includes(guardianId)
  if (isJoint && !e.svc.prepaid) return
  refuse(e, { code: 'NOT_PAYER', guardianId, payerIds: res.debtors.map((d) => d.guardianId), jointDebtorInPrepaid: isJoint && e.svc.prepaid })
}

/** The checks of a booking, in order. The first one (what the context alone decides) is cached per child, service and day. */
const BOOK_CHECKS: readonly Check[] = [
  // CHILD_ARCHIVED, NOT_ENROLLED, SERVICE_NOT_OFFERED, NOT_SUBSCRIBED, CLOSED, NO_BILLING_RULE: the cached head
  (e) => {
    if (e.st.head !== NONE) {
      e.reasons = e.st.head as BookingRefusal[]
      e.fromHead = e.st.head.length
    }
  },
  (e) => notPayer(e, e.st.res, 'ignore'),
  // CONSENT_MISSING: portal only, one per consent that applies and the guardian has not given
  (e) => {
    if (e.guardianId === undefined) return
    for (let i = 0; i < e.st.consents.length; i++) {
      const c = e.st.consents[i] as PreparedConsent
      if (!c.givenBy.has(e.guardianId)) refuse(e, { code: 'CONSENT_MISSING', consentId: c.id, label: c.label })
    }
  },
  // CUTOFF_PASSED: the booking deadline, in the site's zone
  (e) => {
    if (e.st.cutoff !== undefined && e.atMs >= e.st.cutoff) refuse(e, cutoffRefusal(e.svc, 'book', e.st.cutoff, e.ctx.timeZone))
  },
  // INSUFFICIENT_BALANCE: prepaid, each payer's share against the balance left (a plan's reservations included)
  (e) => {
    const { st, ctx, overlay } = e
    const res = st.res
    if (st.shares === undefined || e.already || res.status !== 'billed') return
    for (let i = 0; i < res.debtors.length; i++) {
      const g = (res.debtors[i] as { guardianId: string }).guardianId
      const share = st.shares[i] as number
      const avail = (ctx.available.get(g) ?? 0) - (overlay === undefined ? 0 : (overlay.spent.get(g) ?? 0))
      if (avail < share) {
        refuse(e, {
          code: 'INSUFFICIENT_BALANCE', guardianId: g, price: money(share, ctx.currency), available: money(avail, ctx.currency),
          shortfall: money(share - avail, ctx.currency),
        })
      }
    }
  },
  // DEBT_LIMIT: decided by the context (cached)
  (e) => {
    for (let i = 0; i < e.st.debts.length; i++) refuse(e, e.st.debts[i] as BookingRefusal)
  },
  // FULL: the places left at the child's school that day (a plan's bookings included)
  (e) => {
    const { svc, st, overlay } = e
    if (svc.capacity < 0 || st.place === undefined || e.already) return
    let booked = st.count
    if (overlay !== undefined && overlay.countDelta.size > 0) booked += overlay.countDelta.get(`${svc.id}\u0000${st.schoolId}`)?.get(e.day) ?? 0
    if (booked >= svc.capacity) refuse(e, { code: 'FULL', capacity: svc.capacity, booked })
  },
  // ALREADY_BOOKED
  (e) => {
    if (e.already) refuse(e, { code: 'ALREADY_BOOKED', date: e.date })
  },
]

/** The checks of a cancellation, in order. */
const CANCEL_CHECKS: readonly Check[] = [
  (e) => {
    if (e.guardianId !== undefined) notPayer(e, resolvePrepared(e.ctx.rules, e.child.id, e.svc.id, e.day), 'refuse')
  },
  // CUTOFF_PASSED: the cancellation deadline
  (e) => {
    const enrolment = enrolmentOn(e.child, e.day)
    const cut = cutoffMs(e.ctx, e.svc, 'cancel', e.day, enrolment ? enrolment.schoolId : '', enrolment ? enrolment.classId : '')
    if (cut !== undefined && e.atMs >= cut) refuse(e, cutoffRefusal(e.svc, 'cancel', cut, e.ctx.timeZone))
  },
  // ALREADY_BILLED: a billed day is not cancelled
  (e) => {
    if (e.child.billed.get(e.svc.id)?.has(e.day)) refuse(e, { code: 'ALREADY_BILLED', date: e.date })
  },
  // NOT_BOOKED: a day the child is not booked on (a plan's changes included) has nothing to cancel
  (e) => {
    if (!isBooked(e.child, e.svc.id, e.day, e.overlay)) refuse(e, { code: 'NOT_BOOKED', date: e.date })
  },
]

/** @internal the checks of each action, in order (the order of `BOOKING_REFUSAL_CODES`). */
export const CHECKS_BY_ACTION: Readonly<Record<BookingAction, readonly Check[]>> = { book: BOOK_CHECKS, cancel: CANCEL_CHECKS }

/**
 * @internal every reason a request is refused, in the order of `BOOKING_REFUSAL_CODES`, or
 * undefined when it is allowed: runs the action's checks in order.
 */
export function evaluate(query: CheckQuery, action: BookingAction): BookingRefusal[] | undefined {
  const e = query as Evaluation
  e.reasons = undefined
  e.fromHead = 0
  if (action === 'book') {
    e.st = cachedStatic(query.ctx, query.child, query.svc, query.day, query.date)
    e.already = query.overlay === undefined ? e.st.booked : isBooked(query.child, query.svc.id, query.day, query.overlay)
  }
  const checks = CHECKS_BY_ACTION[action]
  for (let i = 0; i < checks.length; i++) (checks[i] as Check)(e)
  return e.reasons
}

/** @internal the query of a request (one object, filled by {@link evaluate}). */
export function checkQuery(ctx: BookingContextState, child: PreparedChild, svc: PreparedService, day: number, date: LocalDate, atMs: number, actor: BookingActor, overlay: BookingOverlay | undefined): CheckQuery {
  const e: Evaluation = {
    ctx, child, svc, day, date, atMs, guardianId: actor.kind === 'guardian' ? actor.guardianId : undefined, overlay,
    reasons: undefined, fromHead: 0, st: undefined as unknown as StaticPart, already: false,
  }
  return e
}

const NONE: readonly BookingRefusal[] = Object.freeze([])
const NO_CONSENTS: readonly PreparedConsent[] = Object.freeze([])

/** A list the caller may push to: a copy of the shared static head the first time, else itself. */
function own(reasons: BookingRefusal[] | undefined, fromHead: number): BookingRefusal[] {
  if (reasons === undefined) return []
  return Object.isFrozen(reasons) && reasons.length === fromHead ? [...reasons] : reasons
}

/**
 * @internal what a booking check owes to the prepared context alone (not to the actor, the
 * instant or a plan overlaying it): the reasons before `NOT_PAYER` (`head`), the debtors and their
 * shares, the consents that apply, the booking cut-off, the debt refusals, the place and whether
 * the day is booked. Cached per child x service x day (a prepared context does not change).
 */
interface StaticPart {
  readonly head: readonly BookingRefusal[]
  readonly res: DebtorResolution
  readonly shares: readonly number[] | undefined
  readonly consents: readonly PreparedConsent[]
  readonly cutoff: number | undefined
  readonly debts: readonly BookingRefusal[]
  readonly place: PlaceInfo | undefined
  readonly schoolId: string
  readonly booked: boolean
  /** bookings of the service at the school that day, in the prepared context */
  readonly count: number
}

function cachedStatic(ctx: BookingContextState, child: PreparedChild, svc: PreparedService, day: number, date: LocalDate): StaticPart {
  let byDay = child.checks.get(svc.id)
  if (byDay === undefined) child.checks.set(svc.id, (byDay = new Map()))
  let st = byDay.get(day) as StaticPart | undefined
  if (st === undefined) {
    st = staticPart(ctx, child, svc, day, date)
    byDay.set(day, st)
  }
  return st
}

function staticPart(ctx: BookingContextState, child: PreparedChild, svc: PreparedService, day: number, date: LocalDate): StaticPart {
  const head: BookingRefusal[] = []
  const enrolment = enrolmentOn(child, day)
  const schoolId = enrolment ? enrolment.schoolId : ''
  const classId = enrolment ? enrolment.classId : ''
  if (child.archived) head.push({ code: 'CHILD_ARCHIVED', childId: child.id })
  let closure: ReturnType<PlaceInfo['closure']>
  let place: PlaceInfo | undefined
  if (enrolment === undefined) {
    head.push({ code: 'NOT_ENROLLED', childId: child.id, date })
    closure = closureAt(ctx, svc.id, '', '', day)
  } else {
    place = placeInfo(ctx, enrolment, svc.id)
    if (!place.offered) head.push({ code: 'SERVICE_NOT_OFFERED', serviceId: svc.id, schoolId, classId })
    closure = place.closure(day)
  }
  const subs = child.subscriptions.get(svc.id)
  let subscribed = false
  if (subs !== undefined) for (const s of subs) if (s.from <= day && day <= s.to) subscribed = true
  if (!subscribed) head.push({ code: 'NOT_SUBSCRIBED', childId: child.id, serviceId: svc.id, date })
  if (closure !== undefined) head.push({ code: 'CLOSED', date, closure })

  const res = resolvePrepared(ctx.rules, child.id, svc.id, day)
  if (res.status === 'unbilled') head.push({ code: 'NO_BILLING_RULE', reason: res.reason, ruleIds: [...res.ruleIds] })

  const consents: PreparedConsent[] = []
  for (const c of ctx.consents) {
    if (day < c.from || day > c.to) continue
    let applies = c.serviceIds === undefined && c.groupIds === undefined
    if (!applies && c.serviceIds?.has(svc.id)) applies = true
    if (!applies && c.groupIds) for (const g of child.groupIds) if (c.groupIds.has(g)) applies = true
    if (applies) consents.push(c)
  }
  const debts: BookingRefusal[] = []
  if (res.status === 'billed' && ctx.debtLimitMinor >= 0) {
    for (const d of res.debtors) {
      const debt = ctx.debts.get(d.guardianId) ?? 0
      if (debt > ctx.debtLimitMinor) debts.push({ code: 'DEBT_LIMIT', guardianId: d.guardianId, debt: money(debt, ctx.currency), limit: money(ctx.debtLimitMinor, ctx.currency) })
    }
  }
  const frozen = (xs: BookingRefusal[]) => (xs.length === 0 ? NONE : Object.freeze(xs.map((x) => Object.freeze(x))))
  return {
    head: frozen(head),
    res,
    shares: svc.prepaid && res.status === 'billed' ? Object.freeze(shares(svc.priceMinor, res.debtors)) : undefined,
    consents: consents.length === 0 ? NO_CONSENTS : Object.freeze(consents),
    cutoff: cutoffMs(ctx, svc, 'book', day, schoolId, classId),
    debts: frozen(debts),
    place,
    schoolId,
    booked: child.booked.get(svc.id)?.has(day) === true,
    count: place?.counts.get(day) ?? 0,
  }
}

/** @internal looks up the child and service of a request, or throws for ids the context does not know */
export function lookup(ctx: BookingContextState, beneficiaryId: string, serviceId: string): [PreparedChild, PreparedService] {
  const svc = ctx.services.get(serviceId)
  if (svc === undefined) throw new EcoleError('UNKNOWN_SERVICE', `service ${describeValue(serviceId)} is not in the booking context`, { details: { serviceId } })
  const child = ctx.children.get(beneficiaryId)
  if (child === undefined) throw new EcoleError('UNKNOWN_CHILD', `beneficiaryId ${describeValue(beneficiaryId)}: no such child in the booking context`, { details: { beneficiaryId } })
  return [child, svc]
}

/**
 * May this child be booked on this day (or this booking be cancelled), and if not, why: every
 * reason that applies, each with a stable code and the parameters a UI needs.
 *
 * Booking checks, in this order: `CHILD_ARCHIVED`; `NOT_ENROLLED` (no enrolment covers the
 * day); `SERVICE_NOT_OFFERED` (the service is not linked to the child's school/class);
 * `NOT_SUBSCRIBED`; `CLOSED` (closure period, public holiday, weekday the service does not run);
 * `NO_BILLING_RULE` (no rule covers the day, with the billing module's reason); `NOT_PAYER` (a
 * portal guardian neither payer nor joint debtor, or a joint debtor in prepaid-basket mode);
 * `CONSENT_MISSING` (portal only, one per consent); `CUTOFF_PASSED` (the deadline, in the site's
 * zone); `INSUFFICIENT_BALANCE` (prepaid: each payer's share against the available balance,
 * with the shortfall); `DEBT_LIMIT`; `FULL`; `ALREADY_BOOKED`. Cancelling checks `NOT_PAYER`,
 * the cancellation cut-off, `ALREADY_BILLED` and `NOT_BOOKED` (a day the child is not booked
 * on: nothing to cancel). Both actors are subject to cut-offs: they are
 * enforced wherever a booking is written.
 *
 * The context is prepared data ({@link prepareBookingContext}); the request is not validated
 * (validate at the boundary with {@link BookingRequestSchema}). Unknown ids throw. Refusal objects
 * (and, when only context-bound reasons apply, the list) are shared and frozen: copy before changing.
 *
 * @example
 * checkBooking(ctx, { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-03-09', at: '2026-03-06T10:30:00+01:00', actor: { kind: 'guardian', guardianId: 'mum' } })
 * //=> { ok: false, reasons: [{ code: 'CUTOFF_PASSED', action: 'book', instant: '2026-03-05T09:00:00.000Z', local: '2026-03-05T10:00', timeZone: 'Europe/Paris' }] }
 * @throws EcoleError `UNKNOWN_CHILD`, `UNKNOWN_SERVICE`, `INVALID_INSTANT`, `INVALID_INPUT`.
 */
export function checkBooking(prepared: BookingContext, request: BookingRequest): BookingCheck {
  try {
    const context = bookingStateOf(prepared)
    const svc = context.services.get(request.serviceId)
    const child = context.children.get(request.beneficiaryId)
    if (svc === undefined || child === undefined) lookup(context, request.beneficiaryId, request.serviceId)
    let day = context.epochDays.get(request.date)
    if (day === undefined) {
      day = toEpochDay(request.date)
      if (context.epochDays.size > 100_000) context.epochDays.clear()
      context.epochDays.set(request.date, day)
    }
    const reasons = evaluate(checkQuery(context, child as PreparedChild, svc as PreparedService, day, request.date, instantMs(request.at), request.actor, undefined), request.action ?? 'book')
    return reasons === undefined ? OK : { ok: false, reasons }
  } catch (error) {
    throw asInputError(error, 'checkBooking', { prepared: [prepared, 'object', 'a prepared booking context'], request: [request, 'object', 'a booking request'] })
  }
}

/** @internal exposed for week templates and attendance */
export { instantMs }

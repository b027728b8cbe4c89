import { describeValue } from '../describe-value'
import * as z from 'zod'
import { match } from 'ts-pattern'
import { resolvePrepared } from '../billing'
import { EcoleError, parseInput } from '../errors'
import { LocalDateSchema, fromEpochDay, isLocalDate, isoWeekMonday, isoWeeksInYear, mondayOfEpochDay, toEpochDay, type LocalDate, type Weekday } from '../time'
import { bookingStateOf, type BookingContext, type BookingContextState, type PreparedChild, type PreparedService } from './booking-context'
import { enrolmentOn } from './booking-context'
import { checkQuery, evaluate, instantMs, isBooked, lookup, shares, type BookingActor, type BookingOverlay } from './check-booking'
import type { BookingRefusal } from './refusal'
import type { BookingReservation } from './reservations'
import { RRule } from './rrule-shim'
import { asInputError } from '../input-error'

/**
 * Which weeks of the period a template books: every week; every other week (counted from the
 * ISO week of `anchorMonday`, by default the week of the template's first day); or a list of ISO
 * weeks written `YYYY-Www`.
 */
export type WeekRecurrence =
  | { kind: 'everyWeek' }
  | { kind: 'everyOtherWeek'; anchorMonday?: LocalDate | undefined }
  | { kind: 'weekList'; weeks: string[] }

/**
 * A week template ("semaine type"): the weekdays to book for a child and a service over a period,
 * on some weeks; `add` to the existing bookings, or `replace` the unbilled ones in the period
 * (billed bookings are never touched).
 */
export interface WeekTemplate {
  /** The child. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** ISO weekdays to book (1 = Monday). */
  weekdays: Weekday[]
  /** First day of the period (inclusive). */
  from: LocalDate
  /** Last day of the period (inclusive). */
  to: LocalDate
  /** Which weeks. */
  recurrence: WeekRecurrence
  /** Add to, or replace, the existing bookings. */
  mode: 'add' | 'replace'
}

const ISO_WEEK = /^(\d{4})-W(\d{2})$/

/** An ISO week the year has: week 1 to 52, or 53 in a long ISO year (as a billing rule's `weekList`). */
const existingWeek = (w: string): boolean => {
  const m = ISO_WEEK.exec(w)
  if (m === null) return true // the format's own message names it
  const week = Number(m[2])
  return week >= 1 && week <= isoWeeksInYear(Number(m[1]))
}

const WeekTemplateSchemaBase = z
  .strictObject({
    beneficiaryId: z.string().min(1),
    serviceId: z.string().min(1),
    weekdays: z.array(z.number().int().min(1).max(7)).min(1, 'choose at least one weekday'),
    from: LocalDateSchema,
    to: LocalDateSchema,
    recurrence: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('everyWeek') }),
      z.strictObject({ kind: z.literal('everyOtherWeek'), anchorMonday: LocalDateSchema.optional() }),
      z.strictObject({ kind: z.literal('weekList'), weeks: z.array(z.string().regex(ISO_WEEK, 'must be an ISO week written YYYY-Www').refine(existingWeek, 'must be a week the ISO year has (1 to 52, or 53 in a long year)')).min(1) }),
    ]),
    mode: z.enum(['add', 'replace']),
  })
  .refine((t) => t.to >= t.from, { message: 'to must not be before from', path: ['to'] })
  .refine((t) => t.recurrence.kind !== 'everyOtherWeek' || t.recurrence.anchorMonday === undefined || !isLocalDate(t.recurrence.anchorMonday) || mondayOfEpochDay(toEpochDay(t.recurrence.anchorMonday)) === toEpochDay(t.recurrence.anchorMonday), {
    message: 'must be a Monday', path: ['recurrence', 'anchorMonday'],
  })
/** A WeekTemplate as a form or an API sends it (the input of {@link WeekTemplateSchema}). */
export type WeekTemplateInput = z.input<typeof WeekTemplateSchemaBase>
/** Schema of a {@link WeekTemplate} as a form sends it. */
export const WeekTemplateSchema: z.ZodType<WeekTemplate, WeekTemplateInput> = WeekTemplateSchemaBase as unknown as z.ZodType<WeekTemplate, WeekTemplateInput>

/** The epoch days a template names (own generator: weeks walked on epoch days, no Date). */
function templateDays(t: Pick<WeekTemplate, 'weekdays' | 'from' | 'to' | 'recurrence'>): number[] {
  const from = toEpochDay(t.from)
  const to = toEpochDay(t.to)
  const weekdays = [...new Set(t.weekdays)].sort((a, b) => a - b)
  const selects = match(t.recurrence)
    .with({ kind: 'everyWeek' }, () => () => true)
    .with({ kind: 'everyOtherWeek' }, (r) => {
      const anchor = r.anchorMonday ? toEpochDay(r.anchorMonday) : mondayOfEpochDay(from)
      return (monday: number) => ((((monday - anchor) / 7) % 2) + 2) % 2 === 0
    })
    .with({ kind: 'weekList' }, (r) => {
      const mondays = new Set(
        r.weeks.map((w) => {
          const m = ISO_WEEK.exec(w)
          if (!m) throw new EcoleError('INVALID_WEEK', `week must be written YYYY-Www, got ${describeValue(w)}`, { details: { field: 'recurrence.weeks', value: w } })
          return toEpochDay(isoWeekMonday(Number(m[1]), Number(m[2])))
        }),
      )
      return (monday: number) => mondays.has(monday)
    })
    .exhaustive()
  const out: number[] = []
  for (let monday = mondayOfEpochDay(from); monday <= to; monday += 7) {
    if (!selects(monday)) continue
    for (const wd of weekdays) {
      const d = monday + wd - 1
      if (d >= from && d <= to) out.push(d)
    }
  }
  return out
}

/**
 * The days a week template names, in order, before any eligibility check.
 *
 * @example
 * weekTemplateDates({ weekdays: [1, 4], from: '2026-09-01', to: '2026-09-14', recurrence: { kind: 'everyOtherWeek' } })
 * //=> ['2026-09-03', '2026-09-14']
 * @throws EcoleError `INVALID_INPUT` naming the field that fails {@link WeekTemplateSchema}.
 */
export function weekTemplateDates(template: Pick<WeekTemplate, 'weekdays' | 'from' | 'to' | 'recurrence'>): LocalDate[] {
  const t = parseInput(WeekTemplateSchema, { beneficiaryId: '-', serviceId: '-', mode: 'add', ...template }, 'week template')
  return templateDays(t).map(fromEpochDay)
}

/**
 * The template's recurrence as an iCalendar RRULE (RFC 5545, on UTC-floating dates, weeks
 * starting on Monday), for calendars and exports; `undefined` for a list of weeks, which one
 * RRULE cannot state across ISO years.
 *
 * @example
 * weekTemplateRRule({ weekdays: [1, 2, 4, 5], from: '2026-09-01', to: '2027-07-03', recurrence: { kind: 'everyWeek' } })
 * //=> 'DTSTART:20260901T000000Z\nRRULE:FREQ=WEEKLY;INTERVAL=1;WKST=MO;BYDAY=MO,TU,TH,FR;UNTIL=20270703T000000Z'
 */
export function weekTemplateRRule(template: Pick<WeekTemplate, 'weekdays' | 'from' | 'to' | 'recurrence'>): string | undefined {
  const t = parseInput(WeekTemplateSchema, { beneficiaryId: '-', serviceId: '-', mode: 'add', ...template }, 'week template')
  if (t.recurrence.kind === 'weekList') return undefined
  const floating = (d: LocalDate) => new Date(toEpochDay(d) * 86_400_000)
  // every other week: start in the first anchor week that is not before `from` (an RRULE counts
  // its interval from the week of DTSTART, and lists nothing before it)
  let start = t.from
  if (t.recurrence.kind === 'everyOtherWeek' && t.recurrence.anchorMonday) {
    const from = toEpochDay(t.from)
    let monday = mondayOfEpochDay(from)
    if ((((monday - toEpochDay(t.recurrence.anchorMonday)) / 7) % 2 + 2) % 2 === 1) monday += 7
    if (monday > from) start = fromEpochDay(monday)
  }
  const days = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU]
  return new RRule({
    freq: RRule.WEEKLY,
    interval: t.recurrence.kind === 'everyOtherWeek' ? 2 : 1,
    wkst: RRule.MO,
    byweekday: [...new Set(t.weekdays)].sort((a, b) => a - b).map((w) => days[w - 1]!),
    dtstart: floating(start),
    until: floating(t.to),
  }).toString()
}

/** One day of a week template's result. */
export interface WeekTemplateDay {
  /** The day. */
  date: LocalDate
  /** `booked` (new), `kept` (already booked, left as it is) or `refused` (with its reasons). */
  status: 'booked' | 'kept' | 'refused'
  /** Why it is refused (at least one reason when refused). */
  reasons?: BookingRefusal[]
  /** Prepaid basket: the amounts to reserve in each payer's wallet (pending ledger transfers). */
  reservations?: BookingReservation[]
}

/** A booking `replace` mode removes (an unbilled booking in the period the template does not name). */
export interface WeekTemplateCancellation {
  /** The day. */
  date: LocalDate
  /** `cancelled`, or `refused` when it cannot be (the cancellation cut-off passed...). */
  status: 'cancelled' | 'refused'
  /** Why it cannot be cancelled. */
  reasons?: BookingRefusal[]
}

/** What a week template would do: every day listed, booked or refused with its reasons. */
export interface WeekTemplateResult {
  /** The child. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** The mode used. */
  mode: 'add' | 'replace'
  /** Each day the template names. */
  days: WeekTemplateDay[]
  /** Replace mode: the unbilled bookings of the period the template drops. */
  cancellations: WeekTemplateCancellation[]
  /** Replace mode: billed bookings of the period the template does not name, left untouched. */
  billedKept: LocalDate[]
  /** True when every day is booked or kept and every cancellation possible: nothing applied partly. */
  complete: boolean
  /** Days booked, kept, refused; cancellations done. */
  counts: { booked: number; kept: number; refused: number; cancelled: number }
}

/** Who applies a template and when. */
export interface WeekTemplateOptions {
  /** The instant the template is applied (cut-offs are checked against it). */
  at: Date | string
  /** Who applies it. */
  actor: BookingActor
}

function newOverlay(): BookingOverlay {
  return { added: new Map(), removed: new Map(), spent: new Map(), countDelta: new Map() }
}

function bump(overlay: BookingOverlay, svc: PreparedService, child: PreparedChild, day: number, by: number): void {
  const e = enrolmentOn(child, day)
  if (!e) return
  const key = `${svc.id}\u0000${e.schoolId}`
  let m = overlay.countDelta.get(key)
  if (!m) overlay.countDelta.set(key, (m = new Map()))
  m.set(day, (m.get(day) ?? 0) + by)
}

function plan(ctx: BookingContextState, t: WeekTemplate, atMs: number, actor: BookingActor, overlay: BookingOverlay): WeekTemplateResult {
  const [child, svc] = lookup(ctx, t.beneficiaryId, t.serviceId)
  const key = `${child.id}\u0000${svc.id}`
  const wanted = templateDays(t)
  const wantedSet = new Set(wanted)
  const cancellations: WeekTemplateCancellation[] = []
  const billedKept: LocalDate[] = []
  const counts = { booked: 0, kept: 0, refused: 0, cancelled: 0 }
  if (t.mode === 'replace') {
    const from = toEpochDay(t.from)
    const to = toEpochDay(t.to)
    const existing = [...(child.booked.get(svc.id) ?? [])].filter((d) => d >= from && d <= to && !wantedSet.has(d) && isBooked(child, svc.id, d, overlay)).sort((a, b) => a - b)
    for (const d of existing) {
      if (child.billed.get(svc.id)?.has(d)) {
        billedKept.push(fromEpochDay(d))
        continue
      }
      const reasons = evaluate(checkQuery(ctx, child, svc, d, fromEpochDay(d), atMs, actor, overlay), 'cancel')
      if (reasons) cancellations.push({ date: fromEpochDay(d), status: 'refused', reasons })
      else {
        cancellations.push({ date: fromEpochDay(d), status: 'cancelled' })
        counts.cancelled++
        let rm = overlay.removed.get(key)
        if (!rm) overlay.removed.set(key, (rm = new Set()))
        rm.add(d)
        bump(overlay, svc, child, d, -1)
        // a prepaid cancellation in time releases the reservation
        if (svc.prepaid) {
          const res = resolvePrepared(ctx.rules, child.id, svc.id, d)
          if (res.status === 'billed') {
            const parts = shares(svc.priceMinor, res.debtors)
            res.debtors.forEach((db, i) => overlay.spent.set(db.guardianId, (overlay.spent.get(db.guardianId) ?? 0) - (parts[i] as number)))
          }
        }
      }
    }
  }
  const days: WeekTemplateDay[] = []
  for (const d of wanted) {
    if (isBooked(child, svc.id, d, overlay)) {
      days.push({ date: fromEpochDay(d), status: 'kept' })
      counts.kept++
      continue
    }
    const reasons = evaluate(checkQuery(ctx, child, svc, d, fromEpochDay(d), atMs, actor, overlay), 'book')
    if (reasons) {
      days.push({ date: fromEpochDay(d), status: 'refused', reasons })
      counts.refused++
      continue
    }
    let add = overlay.added.get(key)
    if (!add) overlay.added.set(key, (add = new Set()))
    add.add(d)
    bump(overlay, svc, child, d, 1)
    const day: WeekTemplateDay = { date: fromEpochDay(d), status: 'booked' }
    if (svc.prepaid) {
      const res = resolvePrepared(ctx.rules, child.id, svc.id, d)
      if (res.status === 'billed') {
        const parts = shares(svc.priceMinor, res.debtors)
        // a payer weighted 0 has a zero share: nothing to reserve (the ledger refuses a 0.00 transfer)
        day.reservations = res.debtors.flatMap((db, i) => {
          if ((parts[i] as number) === 0) return []
          overlay.spent.set(db.guardianId, (overlay.spent.get(db.guardianId) ?? 0) + (parts[i] as number))
          return [{ guardianId: db.guardianId, amount: { minor: BigInt(parts[i] as number), currency: ctx.currency } }]
        })
      }
    }
    days.push(day)
    counts.booked++
  }
  return {
    beneficiaryId: child.id, serviceId: svc.id, mode: t.mode, days, cancellations, billedKept,
    complete: counts.refused === 0 && cancellations.every((c) => c.status === 'cancelled'),
    counts,
  }
}

/**
 * What applying a week template would do, day by day, without changing anything: each day the
 * template names is `booked`, `kept` (already booked) or `refused` with every reason
 * (`checkBooking`'s rules, so a closed day is never booked); in `replace` mode the unbilled
 * bookings of the period it does not name are cancelled (subject to the cancellation cut-off)
 * and billed ones are never touched (`billedKept`). In prepaid-basket mode each booked day
 * carries the reservations to make, and the balance they use is taken into account for the
 * following days. `complete` says whether anything would be applied only partly. The caller
 * applies the result in one transaction (and reserves, voids and posts the wallet transfers).
 *
 * @example
 * const r = planWeekTemplate(ctx, { beneficiaryId: 'lea', serviceId: 'canteen', weekdays: [1, 2, 4, 5], from: '2026-09-01', to: '2027-07-03', recurrence: { kind: 'everyWeek' }, mode: 'add' },
 *   { at: '2026-08-20T08:00:00Z', actor: { kind: 'backOffice' } })
 * r.days.filter((d) => d.status === 'refused').map((d) => d.reasons![0]!.code) // e.g. ['CLOSED', ...] for holidays
 * @throws EcoleError `INVALID_INPUT` for a template that fails {@link WeekTemplateSchema}; `UNKNOWN_CHILD`, `UNKNOWN_SERVICE`.
 */
export function planWeekTemplate(context: BookingContext, template: WeekTemplate, options: WeekTemplateOptions): WeekTemplateResult {
  const t = parseInput(WeekTemplateSchema, template, 'week template')
  return plan(bookingStateOf(context), t, instantMs(options.at), options.actor, newOverlay())
}

/**
 * {@link planWeekTemplate} for many templates at once (a whole school's year), each seeing the
 * bookings the previous ones plan (capacity, balances, replace). Templates are validated once
 * each; the context is not changed.
 *
 * @example
 * planWeekTemplates(ctx, children.map((c) => ({ ...template, beneficiaryId: c.id })), { at, actor: { kind: 'backOffice' } })
 */
export function planWeekTemplates(context: BookingContext, templates: readonly WeekTemplate[], options: WeekTemplateOptions): WeekTemplateResult[] {
  try {
    const atMs = instantMs(options.at)
    const overlay = newOverlay()
    const state = bookingStateOf(context)
    return templates.map((t) => plan(state, parseInput(WeekTemplateSchema, t, 'week template'), atMs, options.actor, overlay))
  } catch (error) {
    throw asInputError(error, 'planWeekTemplates', { context: [context, 'object', 'a prepared booking context'], templates: [templates, 'array', 'the week templates'], options: [options, 'object', 'the week template options'] })
  }
}

import fc from 'fast-check'
import {
  addDays,
  type BookingActor, type BookingContextInput, type BookingRequest, type CutoffRule, type DateRange, type LocalDate, type Period,
  type WeekTemplate, type Weekday,
} from '@ecole/core'
import { inputCheckedArb } from '../input-errors'
import { fromEpochDay, toEpochDay } from './epoch-days'

const SCHOOL_YEAR: DateRange = { from: '2026-09-01', to: '2027-07-04' }

function dayIn(window: DateRange): fc.Arbitrary<LocalDate> {
  return fc.integer({ min: toEpochDay(window.from), max: toEpochDay(window.to) }).map(fromEpochDay)
}

const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)

/**
 * Closure or opening periods inside a window (default the 2026-2027 school year), 1-20 days long,
 * scoped to some of the given services, schools and classes.
 *
 * @example
 * fc.sample(periodArb({ serviceIds: ['canteen'] }), 1)[0]!.scopes[0]?.serviceId //=> 'canteen' (when scoped)
 */
export function periodArb(
  options: { id?: string; window?: DateRange; serviceIds?: readonly string[]; schoolIds?: readonly string[]; classIds?: readonly string[]; kinds?: ReadonlyArray<Period['kind']> } = {},
): fc.Arbitrary<Period> {
  return inputCheckedArb('periodArb', { options: [options, 'object?', 'the options ({ id?, window?, serviceIds?, schoolIds?, classIds?, kinds? })'] }, () => {
    const window = options.window ?? SCHOOL_YEAR
    const services = options.serviceIds ?? ['canteen', 'care']
    const schools = options.schoolIds ?? ['jaures', 'ferry']
    const classes = options.classIds ?? ['cp', 'ce1']
    const scope = fc.record(
      { serviceId: fc.constantFrom(...services), schoolId: fc.constantFrom(...schools), classIds: fc.subarray([...classes], { minLength: 1 }) },
      { requiredKeys: ['serviceId'] },
    )
    return fc
      .record({
        id: options.id === undefined ? fc.stringMatching(/^p[0-9a-z]{1,6}$/) : fc.constant(options.id),
        kind: fc.constantFrom(...(options.kinds ?? (['closure', 'opening'] as const))),
        label: fc.constantFrom('Vacances', 'Grève', 'Travaux', 'Centre de loisirs'),
        from: dayIn(window),
        length: fc.integer({ min: 0, max: 19 }),
        scopes: fc.array(scope, { maxLength: 3 }),
      })
      .map(({ length, ...p }) => ({ ...p, colour: '#336699', to: addDays(p.from, length) }))
  })
}

/**
 * Cut-off rules: none, "N days before at HH:MM" (calendar days, weekdays or school days) or
 * "weekday D of the previous week at HH:MM".
 *
 * @example
 * fc.sample(cutoffRuleArb(), 1)[0]!.kind //=> 'daysBefore' (for instance)
 */
export function cutoffRuleArb(): fc.Arbitrary<CutoffRule> {
  return fc.oneof(
    fc.constant<CutoffRule>({ kind: 'none' }),
    fc.record({ kind: fc.constant('daysBefore' as const), days: fc.integer({ min: 0, max: 7 }), count: fc.constantFrom('calendar' as const, 'weekdays' as const, 'schoolDays' as const), at: hhmm }),
    fc.record({ kind: fc.constant('previousWeek' as const), weekday: fc.constantFrom<1 | 2 | 3 | 4 | 5 | 6 | 7>(1, 2, 3, 4, 5, 6, 7), at: hhmm }),
  )
}

/**
 * Week templates for a child and a service inside a window: 1-5 weekdays, every week, every
 * other week or a few listed ISO weeks, add or replace.
 *
 * @example
 * fc.sample(weekTemplateArb({ beneficiaryId: 'lea', serviceId: 'canteen' }), 1)[0]!.beneficiaryId //=> 'lea'
 */
export function weekTemplateArb(options: { beneficiaryId: string; serviceId: string; window?: DateRange }): fc.Arbitrary<WeekTemplate> {
  return inputCheckedArb('weekTemplateArb', { options: [options, 'object', 'the options ({ beneficiaryId, serviceId, window? })'] }, () => {
    const window = options.window ?? SCHOOL_YEAR
    const weekOf = (d: LocalDate) => {
      // ISO week label of a day, computed from its Thursday
      const day = toEpochDay(d)
      const thursday = day - ((((day + 3) % 7) + 7) % 7) + 3
      const year = Number(fromEpochDay(thursday).slice(0, 4))
      const week = Math.floor((thursday - toEpochDay(`${year}-01-01` as LocalDate)) / 7) + 1
      return `${year}-W${String(week).padStart(2, '0')}`
    }
    return fc
      .record({
        weekdays: fc.subarray<Weekday>([1, 2, 3, 4, 5], { minLength: 1 }),
        from: dayIn(window),
        length: fc.integer({ min: 0, max: 120 }),
        recurrence: fc.oneof(
          fc.constant({ kind: 'everyWeek' as const }),
          fc.constant({ kind: 'everyOtherWeek' as const }),
          fc.array(dayIn(window), { minLength: 1, maxLength: 6 }).map((days) => ({ kind: 'weekList' as const, weeks: [...new Set(days.map(weekOf))] })),
        ),
        mode: fc.constantFrom('add' as const, 'replace' as const),
      })
      .map(({ length, ...t }) => ({ ...t, beneficiaryId: options.beneficiaryId, serviceId: options.serviceId, to: addDays(t.from, length) }))
  })
}

/**
 * A small school's booking data (2 services, 2 schools, 2 classes, 4 children, 3 guardians):
 * enrolments, subscriptions, closure periods, public holidays, billing rules, consents, wallets,
 * debts and existing bookings, over the 2026-2027 school year. Good for properties of
 * `checkBooking` that must hold whatever the configuration.
 *
 * @example
 * fc.sample(bookingSchoolArb(), 1)[0]!.children.length //=> 4
 */
export function bookingSchoolArb(): fc.Arbitrary<BookingContextInput & { children: NonNullable<BookingContextInput['children']> }> {
  const children = ['lea', 'tom', 'zoe', 'noe']
  const guardians = ['mum', 'dad', 'gran']
  const services = ['canteen', 'care']
  const eur = (cents: number) => ({ amount: (cents / 100).toFixed(2), currency: 'EUR' })
  const range = fc.tuple(dayIn(SCHOOL_YEAR), fc.option(dayIn(SCHOOL_YEAR), { nil: undefined })).map(([a, b]) => (b === undefined ? { from: a } : a <= b ? { from: a, to: b } : { from: b, to: a }))
  return fc.record({
    timeZone: fc.constantFrom('Europe/Paris', 'Europe/Brussels', 'Europe/Rome'),
    debtLimit: fc.option(fc.integer({ min: 0, max: 10_000 }).map(eur), { nil: undefined }),
    services: fc.tuple(
      ...services.map((id) =>
        fc.record({
          id: fc.constant(id),
          weekdays: fc.subarray<number>([1, 2, 3, 4, 5, 6], { minLength: 1 }),
          payment: fc.constantFrom('invoiced' as const, 'prepaid' as const),
          price: fc.integer({ min: 1, max: 900 }).map(eur),
          bookingCutoff: cutoffRuleArb(),
          cancellationCutoff: cutoffRuleArb(),
          capacity: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        }),
      ),
    ),
    offers: fc.subarray(
      ['jaures', 'ferry'].flatMap((schoolId) => services.map((serviceId) => ({ serviceId, schoolId }))),
    ),
    periods: fc.uniqueArray(periodArb({ serviceIds: services, schoolIds: ['jaures', 'ferry'], classIds: ['cp', 'ce1'] }), { maxLength: 4, selector: (p) => p.id }),
    publicHolidays: fc.uniqueArray(dayIn(SCHOOL_YEAR), { maxLength: 5 }),
    children: fc.tuple(
      ...children.map((id) =>
        fc.record({
          id: fc.constant(id),
          archived: fc.boolean(),
          groupIds: fc.subarray(['g1', 'g2']),
          enrolments: fc.array(fc.tuple(range, fc.constantFrom('jaures', 'ferry'), fc.constantFrom('cp', 'ce1')).map(([r, schoolId, classId]) => ({ ...r, schoolId, classId })), { maxLength: 2 }),
          subscriptions: fc.array(fc.tuple(range, fc.constantFrom(...services)).map(([r, serviceId]) => ({ ...r, serviceId })), { maxLength: 2 }),
        }),
      ),
    ),
    billingRules: fc
      .array(
        fc.record({
          payers: fc.uniqueArray(fc.record({ guardianId: fc.constantFrom(...guardians), weight: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 2, selector: (p) => p.guardianId }),
          covers: fc.subarray(children.flatMap((b) => services.map((s) => ({ beneficiaryId: b, serviceId: s }))), { minLength: 1 }),
          range,
          criterion: fc.constantFrom({ kind: 'always' as const }, { kind: 'isoParity' as const, parity: 'even' as const, week53: 'odd' as const }),
          joint: fc.subarray(guardians, { maxLength: 1 }),
        }),
        { maxLength: 4 },
      )
      .map((rules) =>
        rules.map((r, i) => ({
          id: `r${i}`, payers: r.payers, covers: r.covers, ...r.range, criterion: r.criterion,
          jointDebtorIds: r.joint.filter((j) => !r.payers.some((p) => p.guardianId === j)),
        })),
      ),
    consents: fc.subarray([{ id: 'c1', label: 'Règlement', serviceIds: ['canteen'] }, { id: 'c2', label: 'Photos', groupIds: ['g1'] }]),
    consentsGiven: fc.subarray(guardians.flatMap((g) => [{ consentId: 'c1', guardianId: g }, { consentId: 'c2', guardianId: g }])),
    wallets: fc.tuple(...guardians.map((g) => fc.integer({ min: 0, max: 5000 }).map((c) => ({ guardianId: g, available: eur(c) })))),
    debts: fc.tuple(...guardians.map((g) => fc.integer({ min: 0, max: 20_000 }).map((c) => ({ guardianId: g, unpaid: eur(c) })))),
    bookings: fc.uniqueArray(
      fc.record({ beneficiaryId: fc.constantFrom(...children), serviceId: fc.constantFrom(...services), date: dayIn(SCHOOL_YEAR), billed: fc.boolean() }),
      { maxLength: 10, selector: (b) => `${b.beneficiaryId}|${b.serviceId}|${b.date}` },
    ),
  })
}

/**
 * Booking requests against {@link bookingSchoolArb}'s children and services: a day of the school
 * year, an instant in it, the back office or one of the guardians, book or cancel.
 *
 * @example
 * fc.sample(bookingRequestArb(), 1)[0]!.serviceId //=> 'care' (for instance)
 */
export function bookingRequestArb(): fc.Arbitrary<BookingRequest> {
  const actor: fc.Arbitrary<BookingActor> = fc.oneof(
    fc.constant<BookingActor>({ kind: 'backOffice' }),
    fc.constantFrom('mum', 'dad', 'gran').map((guardianId): BookingActor => ({ kind: 'guardian', guardianId })),
  )
  return fc.record({
    beneficiaryId: fc.constantFrom('lea', 'tom', 'zoe', 'noe'),
    serviceId: fc.constantFrom('canteen', 'care'),
    date: dayIn(SCHOOL_YEAR),
    at: fc.integer({ min: Date.parse('2026-08-01T00:00:00Z') / 1000, max: Date.parse('2027-07-04T00:00:00Z') / 1000 }).map((s) => new Date(s * 1000)),
    actor,
    action: fc.constantFrom('book' as const, 'cancel' as const),
  })
}

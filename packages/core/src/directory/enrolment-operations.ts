import { checkOptions, type OptionKinds } from '../check-options'
import { describeValue } from '../describe-value'
import { EcoleError, parseInput } from '../errors'
import { rangesOverlap, type DateRange, type LocalDate } from '../time'
import { asInputError } from '../input-error'
import { assertNew, getRecord, refuse, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { EnrolmentSchema, type Enrolment, type EnrolmentInput } from './enrolment'
import { ServiceSubscriptionSchema, type ServiceSubscriptionInput } from './service-subscription'

/**
 * The pupils counted against a site's licence over a period: distinct children, not archived,
 * with an enrolment sharing at least one day with the period (adults booking meals do not count).
 *
 * @example
 * countPupils(state, { from: '2026-09-01', to: '2027-07-03' }) //=> 212
 */
export function countPupils(state: DirectoryState, period: { from: LocalDate; to?: LocalDate | undefined }): number {
  try {
    return pupilsIn(state, period).size
  } catch (error) {
    throw asInputError(error, 'countPupils', { state: [state, 'object', 'the directory state'], period: [period, 'object', 'a period ({ from, to? })'] })
  }
}

function pupilsIn(state: DirectoryState, period: { from: LocalDate; to?: LocalDate | undefined }): Set<string> {
  const ids = new Set<string>()
  for (const e of Object.values(state.enrolments)) {
    if (e.beneficiaryKind !== 'child' || !rangesOverlap(e, period)) continue
    const child = state.children[e.beneficiaryId]
    if (child && child.archived === null) ids.add(e.beneficiaryId)
  }
  return ids
}

/** Options of {@link enrol}. */
export interface EnrolOptions {
  /** The site's licence limit on pupils (`site.licence.maxPupils`); `null` = unlimited. */
  maxPupils: number | null
}

// `maxPupils` is a number or `null`: its kind is checked by `checkEnrolOptions`
const ENROL_OPTION_KINDS: OptionKinds<EnrolOptions> = { maxPupils: 'any' }

/** The options of {@link enrol}, checked: a misspelt key, or a limit other than a whole number from 0 or `null`, is refused. */
function checkEnrolOptions(options: unknown): EnrolOptions {
  const checked = checkOptions<EnrolOptions>('enrol', 'options', options, ENROL_OPTION_KINDS)
  const max: unknown = checked.maxPupils
  if (max === null || (Number.isSafeInteger(max) && (max as number) >= 0)) return checked
  const message = `must be a whole number from 0, or null for no limit, got ${describeValue(max)}`
  throw new EcoleError('INVALID_INPUT', `enrol: options.maxPupils: ${message}`, {
    details: { function: 'enrol', issues: [{ path: 'options.maxPupils', code: 'invalid_type', message }] },
  })
}

/**
 * Enrols a child (or an adult allowed to book meals) in a school, class and level from a date.
 *
 * Refused with `LICENCE_LIMIT` when the child is a new pupil and the site already has
 * `maxPupils` pupils during the enrolment's period; with `ENROLMENT_OVERLAP` when it shares a day
 * with another enrolment of the same person (end the current one first); `CHILD_ARCHIVED`;
 * `ADULT_BOOKING_DISABLED` for an adult whose bookings are not switched on; `CLASS_NOT_IN_SCHOOL`.
 * `options` is checked key by key: a misspelt key (`maxPupil`) or a limit that is not a whole
 * number from 0 or `null` (`'300'`) is refused with `INVALID_INPUT`, never read as "no limit".
 *
 * @example
 * enrol(state, { id: 'e1', beneficiaryId: 'c1', schoolId: 'sc1', classId: 'cp-a', level: 'CP', from: '2026-09-01' }, { maxPupils: 300 })
 * @throws EcoleError `INVALID_INPUT` (also for the options, as above), `DUPLICATE_ID`, `NOT_FOUND` (person, school or class).
 */
export function enrol(state: DirectoryState, input: Omit<EnrolmentInput, 'siteId'>, options: EnrolOptions): DirectoryOutcome<{ enrolmentId: string }> {
  try {
    options = checkEnrolOptions(options)
    const enrolment = parseInput(EnrolmentSchema, { ...input, siteId: state.siteId }, 'enrolment')
    assertNew(state.enrolments, enrolment.id, 'enrolment')
    getRecord(state.schools, enrolment.schoolId, 'school')
    const klass = getRecord(state.classes, enrolment.classId, 'class')
    if (klass.schoolId !== enrolment.schoolId) return refuse({ code: 'CLASS_NOT_IN_SCHOOL', classId: klass.id, schoolId: enrolment.schoolId })
    if (enrolment.beneficiaryKind === 'child') {
      const child = getRecord(state.children, enrolment.beneficiaryId, 'child')
      if (child.archived !== null) return refuse({ code: 'CHILD_ARCHIVED', childId: child.id })
    } else {
      const adult = getRecord(state.guardians, enrolment.beneficiaryId, 'guardian')
      if (adult.archived !== null) return refuse({ code: 'GUARDIAN_ARCHIVED', guardianId: adult.id })
      if (!adult.bookingEnabled) return refuse({ code: 'ADULT_BOOKING_DISABLED', guardianId: adult.id })
    }
    const clashes = Object.values(state.enrolments).filter((e) => e.beneficiaryId === enrolment.beneficiaryId && rangesOverlap(e, enrolment))
    if (clashes.length > 0) {
      return refuse({ code: 'ENROLMENT_OVERLAP', beneficiaryId: enrolment.beneficiaryId, enrolmentIds: clashes.map((e) => e.id).sort() })
    }
    if (enrolment.beneficiaryKind === 'child' && options.maxPupils !== null) {
      const pupils = pupilsIn(state, enrolment)
      if (!pupils.has(enrolment.beneficiaryId) && pupils.size >= options.maxPupils) {
        return refuse({ code: 'LICENCE_LIMIT', maxPupils: options.maxPupils, pupils: pupils.size })
      }
    }
    return { ok: true, state: { ...state, enrolments: { ...state.enrolments, [enrolment.id]: enrolment } }, enrolmentId: enrolment.id }
  } catch (error) {
    throw asInputError(error, 'enrol', {
      state: [state, 'object', 'the directory state'],
      input: [input, 'object', 'a new enrolment'],
      options: [options, 'object', 'the enrolment options ({ maxPupils })'],
    })
  }
}

/**
 * Ends an enrolment on a day (inclusive), e.g. before enrolling the child in next year's class.
 *
 * @example
 * endEnrolment(state, 'e1', '2027-07-03')
 * @throws EcoleError `NOT_FOUND`, or `INVALID_INPUT` when `to` is before the enrolment's start.
 */
export function endEnrolment(state: DirectoryState, enrolmentId: string, to: LocalDate): DirectoryOutcome {
  try {
    const enrolment = getRecord(state.enrolments, enrolmentId, 'enrolment')
    const ended: Enrolment = parseInput(EnrolmentSchema, { ...enrolment, to }, 'enrolment')
    return { ok: true, state: { ...state, enrolments: { ...state.enrolments, [enrolmentId]: ended } } }
  } catch (error) {
    throw asInputError(error, 'endEnrolment', {
      state: [state, 'object', 'the directory state'],
      enrolmentId: [enrolmentId, 'string'],
      to: [to, 'date', 'the last day'],
    })
  }
}

/**
 * The enrolment of a person covering a day, if any.
 *
 * @example
 * enrolmentOn(state, 'c1', '2026-10-05')?.classId //=> 'cp-a'
 */
export function enrolmentOn(state: DirectoryState, beneficiaryId: string, date: LocalDate): Enrolment | undefined {
  try {
    return Object.values(state.enrolments).find((e) => e.beneficiaryId === beneficiaryId && rangesOverlap(e, { from: date, to: date }))
  } catch (error) {
    throw asInputError(error, 'enrolmentOn', {
      state: [state, 'object', 'the directory state'],
      beneficiaryId: [beneficiaryId, 'string'],
      date: [date, 'date', 'the day'],
    })
  }
}

/**
 * Opens a person's rights to a service from a date (seed 001 "ouvrir les droits à une
 * prestation"); an adult needs bookings switched on. Refused with `SUBSCRIPTION_OVERLAP` when the
 * person already has rights to that service on one of the days.
 *
 * @example
 * subscribeToService(state, { id: 'r1', beneficiaryId: 'c1', serviceId: 'meal', from: '2026-09-01' })
 * @throws EcoleError `INVALID_INPUT`, `DUPLICATE_ID`, `NOT_FOUND` (person or service).
 */
export function subscribeToService(state: DirectoryState, input: Omit<ServiceSubscriptionInput, 'siteId'>): DirectoryOutcome<{ subscriptionId: string }> {
  try {
    const sub = parseInput(ServiceSubscriptionSchema, { ...input, siteId: state.siteId }, 'subscription')
    assertNew(state.subscriptions, sub.id, 'subscription')
    getRecord(state.services, sub.serviceId, 'service')
    const child = state.children[sub.beneficiaryId]
    if (child) {
      if (child.archived !== null) return refuse({ code: 'CHILD_ARCHIVED', childId: child.id })
    } else {
      const adult = getRecord(state.guardians, sub.beneficiaryId, 'child or guardian')
      if (adult.archived !== null) return refuse({ code: 'GUARDIAN_ARCHIVED', guardianId: adult.id })
      if (!adult.bookingEnabled) return refuse({ code: 'ADULT_BOOKING_DISABLED', guardianId: adult.id })
    }
    const clashes = Object.values(state.subscriptions).filter(
      (s) => s.beneficiaryId === sub.beneficiaryId && s.serviceId === sub.serviceId && rangesOverlap(s, sub),
    )
    if (clashes.length > 0) {
      return refuse({ code: 'SUBSCRIPTION_OVERLAP', beneficiaryId: sub.beneficiaryId, serviceId: sub.serviceId, subscriptionIds: clashes.map((s) => s.id).sort() })
    }
    return { ok: true, state: { ...state, subscriptions: { ...state.subscriptions, [sub.id]: sub } }, subscriptionId: sub.id }
  } catch (error) {
    throw asInputError(error, 'subscribeToService', { state: [state, 'object', 'the directory state'], input: [input, 'object', 'a new service subscription'] })
  }
}

/**
 * The services a person has rights to on a day.
 *
 * @example
 * servicesOn(state, 'c1', '2026-10-05') //=> ['meal']
 */
export function servicesOn(state: DirectoryState, beneficiaryId: string, date: LocalDate): string[] {
  try {
    const day: DateRange = { from: date, to: date }
    return [...new Set(Object.values(state.subscriptions).filter((s) => s.beneficiaryId === beneficiaryId && rangesOverlap(s, day)).map((s) => s.serviceId))].sort()
  } catch (error) {
    throw asInputError(error, 'servicesOn', {
      state: [state, 'object', 'the directory state'],
      beneficiaryId: [beneficiaryId, 'string'],
      date: [date, 'date', 'the day'],
    })
  }
}

/**
 * Switches on (or off) an adult's own bookings (seed 001 "inscrire un adulte à un repas": enable
 * registrations on the guardian, then enrol them in an adult class and give rights to the meal).
 *
 * @example
 * setAdultBooking(state, 'g1', true)
 * @throws EcoleError `NOT_FOUND` for an unknown guardian, `INVALID_INPUT` when an argument is not of its type.
 */
export function setAdultBooking(state: DirectoryState, guardianId: string, enabled: boolean): DirectoryOutcome {
  try {
    const guardian = getRecord(state.guardians, guardianId, 'guardian')
    if (guardian.archived !== null) return refuse({ code: 'GUARDIAN_ARCHIVED', guardianId })
    return { ok: true, state: { ...state, guardians: { ...state.guardians, [guardianId]: { ...guardian, bookingEnabled: enabled } } } }
  } catch (error) {
    throw asInputError(error, 'setAdultBooking', {
      state: [state, 'object', 'the directory state'],
      guardianId: [guardianId, 'string'],
      enabled: [enabled, 'boolean'],
    })
  }
}

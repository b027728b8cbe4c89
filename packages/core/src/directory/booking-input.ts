import type { BookingServiceInput } from '../booking/booking-context'
import type { LocalDate } from '../time'
import { asInputError } from '../input-error'
import type { DirectoryState } from './directory-state'

/** A beneficiary (child, or adult booking meals) as booking eligibility's context takes it. */
export interface BookingBeneficiaryInput {
  /** Child id, or guardian id for an adult. */
  id: string
  /** Archived children (and adults) cannot be booked. */
  archived: boolean
  /** The classes and schools of all its enrolments (consents scoped to groups match them). */
  groupIds: string[]
  /** Enrolments: school, class and period. */
  enrolments: Array<{ schoolId: string; classId: string; from: LocalDate; to?: LocalDate | undefined }>
  /** Service rights and their periods. */
  subscriptions: Array<{ serviceId: string; from: LocalDate; to?: LocalDate | undefined }>
}

/** The directory part of booking eligibility's context (`offers` and `children` of `BookingContextInput`). */
export interface DirectoryBookingInput {
  /** Which schools (and classes) each service is offered to. */
  offers: Array<{ serviceId: string; schoolId: string; classIds?: string[] | undefined }>
  /** Every child, and every adult allowed to book. */
  children: BookingBeneficiaryInput[]
}

/**
 * The directory facts booking eligibility needs, in the shape of `BookingContextInput`'s `offers`
 * and `children`: each service's schools and classes, and each beneficiary (children, and adults
 * whose bookings are switched on) with its enrolments, service rights and groups. Sorted by id.
 *
 * @example
 * const ctx = prepareBookingContext({ timeZone: site.timeZone, services, ...directoryForBooking(state), billingRules })
 */
export function directoryForBooking(state: DirectoryState): DirectoryBookingInput {
  try {
    const offers = Object.values(state.services)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .flatMap((s) => s.offeredTo.map((o) => ({ serviceId: s.id, schoolId: o.schoolId, ...(o.classIds && o.classIds.length > 0 ? { classIds: [...o.classIds] } : {}) })))
    const enrolments = Object.values(state.enrolments)
    const subscriptions = Object.values(state.subscriptions)
    const beneficiary = (id: string, archived: boolean): BookingBeneficiaryInput => {
      const own = enrolments.filter((e) => e.beneficiaryId === id).sort((a, b) => (a.from < b.from ? -1 : 1))
      return {
        id,
        archived,
        groupIds: [...new Set(own.flatMap((e) => [e.classId, e.schoolId]))].sort(),
        enrolments: own.map((e) => ({ schoolId: e.schoolId, classId: e.classId, from: e.from, to: e.to })),
        subscriptions: subscriptions
          .filter((s) => s.beneficiaryId === id)
          .sort((a, b) => (a.from < b.from ? -1 : 1))
          .map((s) => ({ serviceId: s.serviceId, from: s.from, to: s.to })),
      }
    }
    const children = [
      ...Object.values(state.children).map((c) => beneficiary(c.id, c.archived !== null)),
      ...Object.values(state.guardians).filter((g) => g.bookingEnabled).map((g) => beneficiary(g.id, g.archived !== null)),
    ].sort((a, b) => (a.id < b.id ? -1 : 1))
    return { offers, children }
  } catch (error) {
    throw asInputError(error, 'directoryForBooking', { state: [state, 'object', 'the directory state'] })
  }
}

/**
 * The booking settings of the site's services, in the shape of `BookingContextInput`'s `services`
 * (weekdays, invoiced or prepaid with its price, start time, cut-offs, capacity, opening rules),
 * read from the stored service records so a host keeps them in the directory, not in its code.
 * In id order.
 *
 * @example
 * const ctx = prepareBookingContext({ timeZone: site.timeZone, services: bookingServicesOf(state), ...directoryForBooking(state), billingRules })
 */
export function bookingServicesOf(state: DirectoryState): BookingServiceInput[] {
  try {
    return Object.values(state.services)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((s) => ({
        id: s.id,
        weekdays: [...s.weekdays],
        payment: s.billing,
        ...(s.price ? { price: { ...s.price } } : {}),
        ...(s.startTime ? { startsAt: s.startTime } : {}),
        ...(s.bookingCutoff ? { bookingCutoff: s.bookingCutoff } : {}),
        ...(s.cancellationCutoff ? { cancellationCutoff: s.cancellationCutoff } : {}),
        ...(s.capacity !== null ? { capacity: s.capacity } : {}),
        ...(s.openingsOnly !== undefined ? { openingsOnly: s.openingsOnly } : {}),
        ...(s.openOnPublicHolidays !== undefined ? { openOnPublicHolidays: s.openOnPublicHolidays } : {}),
      }))
  } catch (error) {
    throw asInputError(error, 'bookingServicesOf', { state: [state, 'object', 'the directory state'] })
  }
}

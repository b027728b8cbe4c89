/**
 * Bookings (réservations) and attendance (pointage) storage.
 *
 * @module
 */
import { EcoleError } from '../errors'
import type { LocalDate } from '../time'
import type { Page, PageRequest } from './storage'

/**
 * A booking is active (`booked`) or was cancelled; a cancelled booking stays as history.
 *
 * @example
 * const status: StoredBookingStatus = 'cancelled'
 */
export type StoredBookingStatus = 'booked' | 'cancelled'

/**
 * One booking of a service for a beneficiary (a child, or an adult booking a meal) on a day.
 *
 * @example
 * const b: StoredBooking = { id: 'b1', beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-02', status: 'booked', bookedAt: now }
 */
export interface StoredBooking {
  /** Client-chosen id, unique per site. */
  id: string
  /** Who the service is for. */
  beneficiaryId: string
  /** The service booked (a canteen meal, after-school care...). */
  serviceId: string
  /** The day booked. */
  date: LocalDate
  /** Active or cancelled. */
  status: StoredBookingStatus
  /** When the booking was made. */
  bookedAt: Date
  /** When it was cancelled (only for a cancelled booking). */
  cancelledAt?: Date | undefined
  /** The pending ledger transfer reserving its price in a wallet, when prepaid. */
  reservationTransferId?: string | undefined
}

/**
 * What a person did on a day, as the roll call recorded it.
 *
 * @example
 * const s: StoredAttendanceStatus = 'excused'
 */
export type StoredAttendanceStatus = 'present' | 'absent' | 'excused'

/**
 * The attendance of a beneficiary at a service on a day (one record per beneficiary, service, day).
 *
 * @example
 * const a: StoredAttendance = { beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-02', status: 'present', recordedAt: now }
 */
export interface StoredAttendance {
  /** Who. */
  beneficiaryId: string
  /** At which service. */
  serviceId: string
  /** Which day. */
  date: LocalDate
  /** Present, absent, or absent with an accepted excuse. */
  status: StoredAttendanceStatus
  /** When it was recorded (the last change). */
  recordedAt: Date
}

/**
 * The booked days of one beneficiary for one service in a filter's days, with the attendance of
 * each day: one row of {@link BookingStore.listBookedDays}, what a charge run reads (a month of a
 * child and a service in one row, not twenty).
 *
 * @example
 * const row: BookedDays = { beneficiaryId: 'c1', serviceId: 'lunch', dates: ['2026-03-02', '2026-03-03'], attendance: ['present', undefined] }
 */
export interface BookedDays {
  /** The beneficiary. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** The days with an active (`booked`) booking, ascending, at least one. */
  dates: LocalDate[]
  /** The attendance recorded for each day of `dates` (same index), `undefined` where none is. */
  attendance: Array<StoredAttendanceStatus | undefined>
}

/**
 * A filter for {@link BookingStore.listBookings} and {@link BookingStore.listAttendance}: days `from`..`to` inclusive.
 *
 * @example
 * const march: BookingFilter = { from: '2026-03-01', to: '2026-03-31', beneficiaryId: 'c1' }
 */
export interface BookingFilter {
  /** First day (inclusive). */
  from: LocalDate
  /** Last day (inclusive). */
  to: LocalDate
  /** Only this beneficiary. */
  beneficiaryId?: string | undefined
  /** Only this service. */
  serviceId?: string | undefined
}

/**
 * What {@link BookingStore.putBooking} did: stored a new booking, replaced the one with that id,
 * or refused because another active booking holds the same beneficiary, service and day.
 *
 * @example
 * const r: PutBookingResult = await tx.bookings!.putBooking('site-1', booking)
 * if (r.status === 'conflict') console.log(`already booked as ${r.existingId}`)
 */
export type PutBookingResult =
  | { status: 'created' }
  | { status: 'updated' }
  | { status: 'conflict'; existingId: string }

/**
 * A guardian's acceptance of a consent that gates booking (seed 001), as stored: the consent's
 * id (the site's `Consent`), who accepted, and when.
 *
 * @example
 * const a: StoredConsentAcceptance = { consentId: 'rules-2026', guardianId: 'g1', acceptedAt: new Date('2026-08-28T19:02:00Z') }
 */
export interface StoredConsentAcceptance {
  /** The consent. */
  consentId: string
  /** The guardian who accepted. */
  guardianId: string
  /** When they accepted. */
  acceptedAt: Date
}

/**
 * A filter for {@link BookingStore.listConsentAcceptances}.
 *
 * @example
 * const mine: ConsentAcceptanceFilter = { guardianId: 'g1' }
 */
export interface ConsentAcceptanceFilter {
  /** Only this guardian's acceptances. */
  guardianId?: string | undefined
  /** Only this consent's acceptances. */
  consentId?: string | undefined
  /**
   * Pages one consent's acceptances (needs `consentId`): only guardians whose id comes after this
   * one (code-point order), the last id of the previous page.
   */
  afterGuardianId?: string | undefined
  /** At most this many acceptances (1 to 1,000; needs `consentId`). */
  limit?: number | undefined
}

/**
 * Checks the paging of a {@link ConsentAcceptanceFilter}: `afterGuardianId` and `limit` page one
 * consent's acceptances, so they need `consentId`; `limit` is a whole number from 1 to 1,000.
 * Adapters call it before reading.
 *
 * @example
 * assertConsentAcceptancePaging({ consentId: 'rules', limit: 50 }) // fine
 * assertConsentAcceptancePaging({ limit: 50 }) // throws INVALID_INPUT naming filter.consentId
 * @throws EcoleError `INVALID_INPUT` naming `filter.consentId` or `filter.limit`.
 */
export function assertConsentAcceptancePaging(filter: ConsentAcceptanceFilter): void {
  if (typeof filter !== 'object' || filter === null) throw EcoleError.invalidInput('filter', 'must be an object')
  const paged = filter.afterGuardianId !== undefined || filter.limit !== undefined
  if (paged && typeof filter.consentId !== 'string') throw EcoleError.invalidInput('filter.consentId', 'is required to page acceptances (afterGuardianId, limit)')
  if (filter.afterGuardianId !== undefined && typeof filter.afterGuardianId !== 'string') throw EcoleError.invalidInput('filter.afterGuardianId', 'must be a guardian id')
  if (filter.limit !== undefined && !(Number.isInteger(filter.limit) && filter.limit >= 1 && filter.limit <= 1000)) {
    throw EcoleError.invalidInput('filter.limit', 'must be a whole number from 1 to 1000')
  }
}

/**
 * Bookings and attendance.
 *
 * Contract:
 * - at most one `booked` booking per (site, beneficiary, service, day): a second one with another
 *   id is refused with `{ status: 'conflict', existingId }` and nothing is written (cancelling the
 *   first frees the slot); a booking with the same id is replaced (cancel by putting it back with
 *   `status: 'cancelled'`);
 * - one attendance record per (site, beneficiary, service, day), replaced by the next put;
 * - listings are ordered by (date, beneficiaryId, serviceId, id) and paginate stably;
 * - `lockServiceDays` inside a transaction holds a lock per (site, service, day) until the
 *   transaction ends: two transactions locking a common day run one after the other from that
 *   point, so a capacity counted after the lock stays true until commit;
 * - one consent acceptance per (site, consent, guardian): accepting again keeps the first one;
 *   withdrawing removes it.
 *
 * @example
 * await tx.bookings!.putBooking('site-1', { id: 'b1', beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-02', status: 'booked', bookedAt: now })
 * //=> { status: 'created' }
 */
export interface BookingStore {
  /**
   * Stores or replaces a booking (see the contract for the one-active-booking rule).
   *
   * @example
   * await tx.bookings!.putBooking('site-1', { ...booking, status: 'cancelled', cancelledAt: now }) //=> { status: 'updated' }
   */
  putBooking(siteId: string, booking: StoredBooking): Promise<PutBookingResult>
  /**
   * Stores or replaces many bookings as one write (one SQL statement on PostgreSQL): the results
   * are those of {@link BookingStore.putBooking}, in the order of `bookings`. Each booking is
   * checked against what was stored before the batch (a booking cannot take a slot that another
   * booking of the same batch frees: put the freeing one in an earlier call), and the batch may
   * hold each id and each (beneficiary, service, day) slot only once (`INVALID_INPUT`, nothing
   * written, otherwise). The one-active-booking rule holds against concurrent writers as for
   * `putBooking`; a replay of the same batch answers `updated` for each booking and changes nothing.
   *
   * @example
   * await tx.bookings!.putBookings('site-1', [booking, { ...booking, id: 'b2', date: '2026-03-03' }])
   * //=> [{ status: 'created' }, { status: 'created' }]
   */
  putBookings(siteId: string, bookings: readonly StoredBooking[]): Promise<PutBookingResult[]>
  /**
   * One booking, or `undefined`.
   *
   * @example
   * await storage.bookings!.getBooking('site-1', 'b1') //=> { id: 'b1', status: 'booked', ... }
   */
  getBooking(siteId: string, id: string): Promise<StoredBooking | undefined>
  /**
   * Bookings (active and cancelled) in the filter's days, in (date, beneficiaryId, serviceId, id) order.
   *
   * @example
   * await storage.bookings!.listBookings('site-1', { from: '2026-03-01', to: '2026-03-31', beneficiaryId: 'c1' })
   */
  listBookings(siteId: string, filter: BookingFilter, page?: PageRequest): Promise<Page<StoredBooking>>
  /**
   * Records (or replaces) an attendance.
   *
   * @example
   * await tx.bookings!.putAttendance('site-1', { beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-02', status: 'present', recordedAt: now })
   */
  putAttendance(siteId: string, attendance: StoredAttendance): Promise<void>
  /**
   * Records (or replaces) many attendance records as one write (one SQL statement on PostgreSQL);
   * when the batch holds the same (beneficiary, service, day) twice, the later one is kept, as
   * with {@link BookingStore.putAttendance} called in turn.
   *
   * @example
   * await tx.bookings!.putAttendances('site-1', [
   *   { beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-02', status: 'present', recordedAt: now },
   *   { beneficiaryId: 'c2', serviceId: 'lunch', date: '2026-03-02', status: 'absent', recordedAt: now },
   * ])
   */
  putAttendances(siteId: string, attendance: readonly StoredAttendance[]): Promise<void>
  /**
   * Attendance records in the filter's days, in (date, beneficiaryId, serviceId) order.
   *
   * @example
   * await storage.bookings!.listAttendance('site-1', { from: '2026-03-02', to: '2026-03-02', serviceId: 'lunch' })
   */
  listAttendance(siteId: string, filter: BookingFilter, page?: PageRequest): Promise<Page<StoredAttendance>>
  /**
   * The active (`booked`) bookings in the filter's days grouped by (beneficiaryId, serviceId), in
   * that order, each with the attendance of its days ({@link BookedDays}): the narrow bulk read of
   * a charge run (one row per child and service instead of one per day, the join to the
   * attendance done by the store). Cancelled bookings are left out. Optional: a store without it
   * is read through {@link BookingStore.listBookings} and {@link BookingStore.listAttendance}.
   *
   * @example
   * const page = await storage.bookings!.listBookedDays!('site-1', { from: '2026-03-01', to: '2026-03-31' }, { limit: 1000 })
   * page.items[0] //=> { beneficiaryId: 'c1', serviceId: 'lunch', dates: ['2026-03-02', ...], attendance: ['present', ...] }
   */
  listBookedDays?(siteId: string, filter: BookingFilter, page?: PageRequest): Promise<Page<BookedDays>>
  /**
   * Locks the days of a service until the end of the transaction (see the contract): call it
   * first in a transaction that counts a day's bookings before adding one. The days are locked
   * in ascending order, whatever their order in `dates`, so two bookers never deadlock. Outside
   * a transaction it returns at once and holds nothing.
   *
   * @example
   * await storage.transaction('site-1', async (tx) => {
   *   await tx.bookings!.lockServiceDays('site-1', 'lunch', ['2026-03-02', '2026-03-03'])
   *   // count the bookings of those days, then book: no other booker of those days runs meanwhile
   * })
   */
  lockServiceDays(siteId: string, serviceId: string, dates: readonly LocalDate[]): Promise<void>
  /**
   * Records a guardian's acceptance of a consent: `created`, or `already-accepted` (the first
   * acceptance and its instant are kept).
   *
   * @example
   * await tx.bookings!.acceptConsent('site-1', { consentId: 'rules-2026', guardianId: 'g1', acceptedAt: now }) //=> 'created'
   */
  acceptConsent(siteId: string, acceptance: StoredConsentAcceptance): Promise<'created' | 'already-accepted'>
  /**
   * Withdraws a guardian's acceptance of a consent: true when there was one.
   *
   * @example
   * await tx.bookings!.withdrawConsent('site-1', 'rules-2026', 'g1') //=> true
   */
  withdrawConsent(siteId: string, consentId: string, guardianId: string): Promise<boolean>
  /**
   * The acceptances in force, by (consentId, guardianId); with `consentId`, `afterGuardianId` and
   * `limit` page one consent's acceptances by guardian id (the filter is checked with
   * {@link assertConsentAcceptancePaging}).
   *
   * @example
   * (await storage.bookings!.listConsentAcceptances('site-1', { guardianId: 'g1' })).map((a) => a.consentId) //=> ['rules-2026']
   */
  listConsentAcceptances(siteId: string, filter?: ConsentAcceptanceFilter): Promise<StoredConsentAcceptance[]>
}

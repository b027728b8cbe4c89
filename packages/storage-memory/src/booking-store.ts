import type { LocalDate } from '@ecole/core'
import type { BookingFilter, BookingStore, ConsentAcceptanceFilter, Page, PageRequest, PutBookingResult, StoredAttendance, StoredBooking, StoredConsentAcceptance } from '@ecole/core/ports'
import { paginate, tupleKey, type Access } from './access'
import { copy } from './site-state'

const BOOKINGS = 'bookings'
const ACTIVE = 'activeBookings'
const ATTENDANCE = 'attendance'
const CONSENTS = 'consentAcceptances'

function inFilter(r: { beneficiaryId: string; serviceId: string; date: string }, f: BookingFilter): boolean {
  return (
    r.date >= f.from &&
    r.date <= f.to &&
    (f.beneficiaryId === undefined || r.beneficiaryId === f.beneficiaryId) &&
    (f.serviceId === undefined || r.serviceId === f.serviceId)
  )
}

/** The in-memory {@link BookingStore}. @internal */
export class MemoryBookingStore implements BookingStore {
  constructor(private readonly access: Access) {}

  putBooking(siteId: string, booking: StoredBooking): Promise<PutBookingResult> {
    return this.access(siteId, (v): PutBookingResult => {
      const slot = tupleKey(booking.beneficiaryId, booking.serviceId, booking.date)
      const holder = v.read<string>(ACTIVE).get(slot)
      if (booking.status === 'booked' && holder !== undefined && holder !== booking.id) {
        return { status: 'conflict', existingId: holder }
      }
      const bookings = v.write<StoredBooking>(BOOKINGS)
      const active = v.write<string>(ACTIVE)
      const previous = bookings.get(booking.id)
      if (previous && previous.status === 'booked') {
        active.delete(tupleKey(previous.beneficiaryId, previous.serviceId, previous.date))
      }
      bookings.set(booking.id, copy(booking))
      if (booking.status === 'booked') active.set(slot, booking.id)
      return { status: previous ? 'updated' : 'created' }
    })
  }

  getBooking(siteId: string, id: string): Promise<StoredBooking | undefined> {
    return this.access(siteId, (v) => {
      const b = v.read<StoredBooking>(BOOKINGS).get(id)
      return b === undefined ? undefined : copy(b)
    })
  }

  listBookings(siteId: string, filter: BookingFilter, page?: PageRequest): Promise<Page<StoredBooking>> {
    return this.access(siteId, (v) => {
      const entries: Array<[string, StoredBooking]> = []
      for (const b of v.read<StoredBooking>(BOOKINGS).values()) {
        if (inFilter(b, filter)) entries.push([tupleKey(b.date, b.beneficiaryId, b.serviceId, b.id), b])
      }
      const result = paginate(entries, page)
      return { ...result, items: result.items.map(copy) }
    })
  }

  putAttendance(siteId: string, attendance: StoredAttendance): Promise<void> {
    return this.access(siteId, (v) => {
      v.write<StoredAttendance>(ATTENDANCE).set(tupleKey(attendance.date, attendance.beneficiaryId, attendance.serviceId), copy(attendance))
    })
  }

  listAttendance(siteId: string, filter: BookingFilter, page?: PageRequest): Promise<Page<StoredAttendance>> {
    return this.access(siteId, (v) => {
      const entries: Array<[string, StoredAttendance]> = []
      for (const [k, a] of v.read<StoredAttendance>(ATTENDANCE)) if (inFilter(a, filter)) entries.push([k, a])
      const result = paginate(entries, page)
      return { ...result, items: result.items.map(copy) }
    })
  }

  // transactions are serialised per site: a transaction already holds every day of its site
  lockServiceDays(siteId: string, _serviceId: string, _dates: readonly LocalDate[]): Promise<void> {
    return this.access(siteId, () => undefined)
  }

  acceptConsent(siteId: string, acceptance: StoredConsentAcceptance): Promise<'created' | 'already-accepted'> {
    return this.access(siteId, (v) => {
      const key = tupleKey(acceptance.consentId, acceptance.guardianId)
      if (v.read<StoredConsentAcceptance>(CONSENTS).has(key)) return 'already-accepted' as const
      v.write<StoredConsentAcceptance>(CONSENTS).set(key, copy(acceptance))
      return 'created' as const
    })
  }

  withdrawConsent(siteId: string, consentId: string, guardianId: string): Promise<boolean> {
    return this.access(siteId, (v) => {
      const key = tupleKey(consentId, guardianId)
      if (!v.read<StoredConsentAcceptance>(CONSENTS).has(key)) return false
      v.write<StoredConsentAcceptance>(CONSENTS).delete(key)
      return true
    })
  }

  listConsentAcceptances(siteId: string, filter: ConsentAcceptanceFilter = {}): Promise<StoredConsentAcceptance[]> {
    return this.access(siteId, (v) =>
      [...v.read<StoredConsentAcceptance>(CONSENTS).entries()]
        .filter(([, a]) => (filter.guardianId === undefined || a.guardianId === filter.guardianId) && (filter.consentId === undefined || a.consentId === filter.consentId))
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .map(([, a]) => copy(a)),
    )
  }
}

import { EcoleError, type LocalDate } from '@ecole/core'
import { assertConsentAcceptancePaging, type BookedDays, type BookingFilter, type BookingStore, type ConsentAcceptanceFilter, type Page, type PageRequest, type PutBookingResult, type StoredAttendance, type StoredBooking, type StoredConsentAcceptance } from '@ecole/core/ports'
import { firstAtLeast, pageLimit, paginate, paginateSorted, sortedEntries, tupleKey, type Access } from './access'
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

  putBookings(siteId: string, bookings: readonly StoredBooking[]): Promise<PutBookingResult[]> {
    return this.access(siteId, (v): PutBookingResult[] => {
      assertBookingBatch(bookings)
      // every booking is checked against what was stored before the batch, then the free ones are written
      const before = v.read<string>(ACTIVE)
      const results = bookings.map((b): PutBookingResult | undefined => {
        const holder = before.get(tupleKey(b.beneficiaryId, b.serviceId, b.date))
        return b.status === 'booked' && holder !== undefined && holder !== b.id ? { status: 'conflict', existingId: holder } : undefined
      })
      const stored = v.write<StoredBooking>(BOOKINGS)
      const active = v.write<string>(ACTIVE)
      const free = bookings.filter((_, i) => results[i] === undefined)
      const existed = new Set(free.filter((b) => stored.has(b.id)).map((b) => b.id))
      for (const b of free) {
        const previous = stored.get(b.id)
        if (previous && previous.status === 'booked') {
          const slot = tupleKey(previous.beneficiaryId, previous.serviceId, previous.date)
          if (active.get(slot) === b.id) active.delete(slot)
        }
      }
      for (const b of free) {
        stored.set(b.id, copy(b))
        if (b.status === 'booked') active.set(tupleKey(b.beneficiaryId, b.serviceId, b.date), b.id)
      }
      return bookings.map((b, i) => results[i] ?? { status: existed.has(b.id) ? 'updated' : 'created' })
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
      // a sorted index by (date, beneficiary, service, id), rebuilt only after the bookings changed
      const sorted = sortedEntries(v.read<StoredBooking>(BOOKINGS), 'byDay', (_, b) => tupleKey(b.date, b.beneficiaryId, b.serviceId, b.id))
      const result = paginateSorted(sorted, page, { from: filter.from, beyond: (key) => key.slice(0, 10) > filter.to, keep: (b) => inFilter(b, filter) })
      return { ...result, items: result.items.map(copy) }
    })
  }

  putAttendance(siteId: string, attendance: StoredAttendance): Promise<void> {
    return this.access(siteId, (v) => {
      v.write<StoredAttendance>(ATTENDANCE).set(tupleKey(attendance.date, attendance.beneficiaryId, attendance.serviceId), copy(attendance))
    })
  }

  putAttendances(siteId: string, attendance: readonly StoredAttendance[]): Promise<void> {
    return this.access(siteId, (v) => {
      const table = v.write<StoredAttendance>(ATTENDANCE)
      for (const a of attendance) table.set(tupleKey(a.date, a.beneficiaryId, a.serviceId), copy(a))
    })
  }

  listAttendance(siteId: string, filter: BookingFilter, page?: PageRequest): Promise<Page<StoredAttendance>> {
    return this.access(siteId, (v) => {
      // the table's keys are (date, beneficiary, service): the index is its keys in order
      const sorted = sortedEntries(v.read<StoredAttendance>(ATTENDANCE), 'byKey', (key) => key)
      const result = paginateSorted(sorted, page, { from: filter.from, beyond: (key) => key.slice(0, 10) > filter.to, keep: (a) => inFilter(a, filter) })
      return { ...result, items: result.items.map(copy) }
    })
  }

  listBookedDays(siteId: string, filter: BookingFilter, page?: PageRequest): Promise<Page<BookedDays>> {
    return this.access(siteId, (v) => {
      const limit = pageLimit(page)
      // the active slots' keys are (beneficiary, service, date): in order, a group is a run of them
      const slots = sortedEntries(v.read<string>(ACTIVE), 'bySlot', (key) => key)
      const attendance = v.read<StoredAttendance>(ATTENDANCE)
      const after = page?.after
      if (after !== undefined && after.split('\u0000').length !== 2) throw new EcoleError('INVALID_INPUT', 'page.after: not a cursor returned by this store')
      const items: BookedDays[] = []
      let more = false
      let current: BookedDays | undefined
      for (let i = after === undefined ? 0 : firstAtLeast(slots, `${after}\u0001`, true); i < slots.length; i++) {
        const [beneficiaryId, serviceId, date] = slots[i]![0].split('\u0000') as [string, string, LocalDate]
        if (!inFilter({ beneficiaryId, serviceId, date }, filter)) continue
        if (current === undefined || current.beneficiaryId !== beneficiaryId || current.serviceId !== serviceId) {
          if (items.length === limit) {
            more = true
            break
          }
          current = { beneficiaryId, serviceId, dates: [], attendance: [] }
          items.push(current)
        }
        current.dates.push(date)
        current.attendance.push(attendance.get(tupleKey(date, beneficiaryId, serviceId))?.status)
      }
      const last = items[items.length - 1]
      return { items, next: more && last ? tupleKey(last.beneficiaryId, last.serviceId) : undefined }
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
    const after = filter.afterGuardianId
    return this.access(siteId, (v) => {
      assertConsentAcceptancePaging(filter)
      return [...v.read<StoredConsentAcceptance>(CONSENTS).entries()]
        .filter(([, a]) => (filter.guardianId === undefined || a.guardianId === filter.guardianId) && (filter.consentId === undefined || a.consentId === filter.consentId))
        .filter(([, a]) => after === undefined || a.guardianId > after)
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .slice(0, filter.limit ?? Infinity)
        .map(([, a]) => copy(a))
    })
  }
}

/**
 * Refuses a batch of bookings that holds an id or a (beneficiary, service, day) slot twice
 * (INVALID_INPUT, before anything is written). @internal
 */
export function assertBookingBatch(bookings: readonly StoredBooking[]): void {
  const ids = new Set<string>()
  const slots = new Set<string>()
  for (const [i, b] of bookings.entries()) {
    const slot = tupleKey(b.beneficiaryId, b.serviceId, b.date)
    const field = ids.has(b.id) ? 'id' : slots.has(slot) ? 'slot' : undefined
    if (field !== undefined) {
      const what = field === 'id' ? `id ${b.id}` : `beneficiary ${b.beneficiaryId}, service ${b.serviceId} and day ${b.date}`
      throw new EcoleError('INVALID_INPUT', `bookings[${i}]: a batch may hold each booking id and each beneficiary, service and day only once; ${what} comes twice (split the batch)`, {
        details: { issues: [{ path: `bookings.${i}.${field === 'id' ? 'id' : 'date'}`, code: 'duplicate', message: `${what} comes twice in the batch` }] },
      })
    }
    ids.add(b.id)
    slots.add(slot)
  }
}

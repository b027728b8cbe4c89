import type { LocalDate } from '../time'
import { asInputError } from '../input-error'
import { periodCoversPlace, type Period } from './period'

/** What {@link closureImpact} needs to know of a booking: where and when, and whether it was billed. */
export interface ClosableBooking {
  /** The service booked. */
  serviceId: string
  /** The child's school on that day. */
  schoolId: string
  /** The child's class on that day. */
  classId: string
  /** The day booked. */
  date: LocalDate
  /** Already on a validated invoice (or a posted wallet transfer). */
  billed?: boolean | undefined
}

/** The bookings a closure would cancel, and the billed ones it cannot silently remove. */
export interface ClosureImpact<B extends ClosableBooking> {
  /** Unbilled bookings inside the closure: cancelled when the caller confirms. */
  cancelled: B[]
  /** Billed bookings inside the closure: need a credit note or refund, never a silent delete. */
  billedInside: B[]
}

/**
 * The bookings a new closure period would cancel. The seed warns that creating a period deletes
 * the bookings inside it; here nothing is deleted: the caller shows `cancelled` (and the billed
 * bookings it must settle another way) and applies the cancellation once confirmed. An opening
 * period cancels nothing.
 *
 * @example
 * closureImpact(
 *   { id: 'strike', kind: 'closure', label: 'Grève', from: '2026-03-12', to: '2026-03-12', scopes: [{ serviceId: 'canteen' }] },
 *   [{ id: 'b1', serviceId: 'canteen', schoolId: 's', classId: 'c', date: '2026-03-12' }],
 * ).cancelled.map((b) => b.id) //=> ['b1']
 */
export function closureImpact<B extends ClosableBooking>(period: Period, bookings: readonly B[]): ClosureImpact<B> {
  try {
    const cancelled: B[] = []
    const billedInside: B[] = []
    if (period.kind !== 'closure') return { cancelled, billedInside }
    for (const b of bookings) {
      if (b.date < period.from || b.date > period.to) continue
      if (!periodCoversPlace(period, b)) continue
      ;(b.billed ? billedInside : cancelled).push(b)
    }
    return { cancelled, billedInside }
  } catch (error) {
    throw asInputError(error, 'closureImpact', {
      period: [period, 'object', 'a period'],
      bookings: [bookings, 'array', 'the bookings ({ serviceId, schoolId, classId, date, billed? })'],
    })
  }
}

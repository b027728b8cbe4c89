import { EcoleError } from '@ecole/core'
import type { PutBookingResult, StoredAttendance, StoredBooking } from '@ecole/core/ports'
import type { BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'

const DEFAULT_BATCH = 2000

function batchSizeOf(batchSize: number | undefined): number {
  const size = batchSize ?? DEFAULT_BATCH
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new EcoleError('INVALID_INPUT', `batchSize: must be a positive integer, got ${String(batchSize)}`, {
      details: { issues: [{ path: 'batchSize', code: 'invalid_value', message: 'must be a positive integer' }] },
    })
  }
  return size
}

function bookingsPort(deps: Pick<BillingDeps, 'storage'>) {
  if (deps.storage.bookings === undefined) throw new EcoleError('PORT_MISSING', 'the storage adapter has no bookings port, which this workflow needs', { details: { port: 'bookings' } })
}

/**
 * Stores many bookings (a term's week templates, a month planned ahead) a batch at a time: each
 * batch of `batchSize` bookings (2,000 by default) is one transaction and one write of the
 * storage (`putBookings`: one SQL statement on PostgreSQL), so a city's million bookings are 500
 * statements, not three million. Answers one result per booking, in order, as `putBooking` would
 * (a booking whose child, service and day is already taken is refused, `conflict`, and the others
 * are stored). A batch must not hold the same booking id or the same child, service and day twice
 * (`INVALID_INPUT`); a failed batch leaves the earlier ones stored.
 *
 * @example
 * const results = await storeBookings(deps, { siteId: 'site-1', bookings: [
 *   { id: 'b1', beneficiaryId: 'c1', serviceId: 'lunch', date: '2027-01-04', status: 'booked', bookedAt: new Date() },
 * ] })
 * //=> [{ status: 'created' }]
 * @throws EcoleError `INVALID_INPUT` (batch size, an id or a slot twice in a batch), `PORT_MISSING`.
 */
export async function storeBookings(
  deps: Pick<BillingDeps, 'storage'>,
  input: { siteId: string; bookings: readonly StoredBooking[]; batchSize?: number | undefined; onProgress?: ((stored: number) => void) | undefined },
): Promise<PutBookingResult[]> {
  try {
    bookingsPort(deps)
    const size = batchSizeOf(input.batchSize)
    const results: PutBookingResult[] = []
    for (let i = 0; i < input.bookings.length; i += size) {
      const chunk = input.bookings.slice(i, i + size)
      results.push(...(await deps.storage.transaction(input.siteId, (tx) => tx.bookings!.putBookings(input.siteId, chunk))))
      input.onProgress?.(chunk.length)
    }
    return results
  } catch (error) {
    throw asUseCaseError(error, 'storeBookings', { deps: [deps, 'object', 'the host’s wiring ({ storage })'], input: [input, 'object', 'the bookings to store ({ siteId, bookings })'] })
  }
}

/**
 * Records a roll call's attendance (a day's, a month's) a batch at a time: each batch of
 * `batchSize` records (2,000 by default) is one transaction and one write of the storage
 * (`putAttendances`). A record replaces the one of the same child, service and day; given twice,
 * the later one is kept.
 *
 * @example
 * await recordAttendance(deps, { siteId: 'site-1', records: [
 *   { beneficiaryId: 'c1', serviceId: 'lunch', date: '2027-01-04', status: 'present', recordedAt: new Date() },
 * ] })
 * @throws EcoleError `INVALID_INPUT` (batch size), `PORT_MISSING`.
 */
export async function recordAttendance(
  deps: Pick<BillingDeps, 'storage'>,
  input: { siteId: string; records: readonly StoredAttendance[]; batchSize?: number | undefined; onProgress?: ((recorded: number) => void) | undefined },
): Promise<void> {
  try {
    bookingsPort(deps)
    const size = batchSizeOf(input.batchSize)
    for (let i = 0; i < input.records.length; i += size) {
      const chunk = input.records.slice(i, i + size)
      await deps.storage.transaction(input.siteId, (tx) => tx.bookings!.putAttendances(input.siteId, chunk))
      input.onProgress?.(chunk.length)
    }
  } catch (error) {
    throw asUseCaseError(error, 'recordAttendance', { deps: [deps, 'object', 'the host’s wiring ({ storage })'], input: [input, 'object', 'the attendance to record ({ siteId, records })'] })
  }
}

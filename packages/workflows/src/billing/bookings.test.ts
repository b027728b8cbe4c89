import { isEcoleError, type LocalDate } from '@ecole/core'
import type { StoredAttendance, StoredBooking } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { recordAttendance, storeBookings } from './index'

const siteId = 'site-1'
const at = new Date('2026-12-20T08:00:00Z')
const day = (n: number) => `2027-01-${String(n).padStart(2, '0')}` as LocalDate
const booking = (id: string, beneficiaryId: string, date: LocalDate): StoredBooking => ({ id, beneficiaryId, serviceId: 'cantine', date, status: 'booked', bookedAt: at })

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try { await p } catch (e) { return isEcoleError(e) ? e.code : String(e) }
  return undefined
}

describe('storeBookings and recordAttendance: bookings and roll calls a batch at a time', () => {
  it('stores the bookings in batches and answers per booking in order, a taken child-day refused and the rest stored', async () => {
    const storage = createMemoryStorage()
    await storage.bookings!.putBooking(siteId, booking('held', 'c3', day(4)))
    const input = [booking('a', 'c1', day(4)), booking('b', 'c2', day(4)), booking('c', 'c3', day(4)), booking('d', 'c1', day(5)), booking('e', 'c2', day(5))]
    const progress: number[] = []
    const results = await storeBookings({ storage }, { siteId, bookings: input, batchSize: 2, onProgress: (n) => progress.push(n) })
    expect(results).toEqual([{ status: 'created' }, { status: 'created' }, { status: 'conflict', existingId: 'held' }, { status: 'created' }, { status: 'created' }])
    expect(progress).toEqual([2, 2, 1])
    const listed = await storage.bookings!.listBookings(siteId, { from: day(1), to: day(31) })
    expect(listed.items.map((b) => b.id)).toEqual(['a', 'b', 'held', 'd', 'e'])
  })

  it('refuses a batch holding a booking id twice (INVALID_INPUT) and keeps the batches stored before it', async () => {
    const storage = createMemoryStorage()
    const input = [booking('a', 'c1', day(4)), booking('b', 'c2', day(4)), booking('x', 'c1', day(5)), booking('x', 'c2', day(5))]
    expect(await codeOf(storeBookings({ storage }, { siteId, bookings: input, batchSize: 2 }))).toBe('INVALID_INPUT')
    expect((await storage.bookings!.listBookings(siteId, { from: day(1), to: day(31) })).items.map((b) => b.id)).toEqual(['a', 'b'])
  })

  it('refuses a batch size that is not a positive integer, and a storage without a bookings port (PORT_MISSING)', async () => {
    const storage = createMemoryStorage()
    expect(await codeOf(storeBookings({ storage }, { siteId, bookings: [], batchSize: 0 }))).toBe('INVALID_INPUT')
    expect(await codeOf(recordAttendance({ storage }, { siteId, records: [], batchSize: 1.5 }))).toBe('INVALID_INPUT')
    const without = createMemoryStorage({ without: ['bookings'] })
    expect(await codeOf(storeBookings({ storage: without }, { siteId, bookings: [] }))).toBe('PORT_MISSING')
    expect(await codeOf(recordAttendance({ storage: without }, { siteId, records: [] }))).toBe('PORT_MISSING')
  })

  it('records attendance in batches, a record given twice keeping the later one', async () => {
    const storage = createMemoryStorage()
    const rec = (beneficiaryId: string, status: StoredAttendance['status']): StoredAttendance => ({ beneficiaryId, serviceId: 'cantine', date: day(4), status, recordedAt: at })
    await recordAttendance({ storage }, { siteId, records: [rec('c1', 'present'), rec('c2', 'absent'), rec('c1', 'excused')], batchSize: 2 })
    const listed = await storage.bookings!.listAttendance(siteId, { from: day(4), to: day(4) })
    expect(listed.items.map((a) => [a.beneficiaryId, a.status])).toEqual([['c1', 'excused'], ['c2', 'absent']])
  })
})

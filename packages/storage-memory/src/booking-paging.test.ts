import type { LocalDate } from '@ecole/core'
import type { StoredAttendance, StoredBooking } from '@ecole/core/ports'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMemoryStorage } from './memory-storage'

const at = new Date('2027-01-01T08:00:00.000Z')
const day = (n: number) => `2027-01-${String(n).padStart(2, '0')}` as LocalDate

/** `children` children booked on days 4..(4 + days - 1), on two services. */
function month(children: number, days: number): StoredBooking[] {
  const all: StoredBooking[] = []
  for (let d = 0; d < days; d++) {
    for (let c = 0; c < children; c++) {
      for (const serviceId of ['cantine', 'garderie']) {
        all.push({ id: `${c}|${serviceId}|${d}`, beneficiaryId: `enf-${String(c).padStart(5, '0')}`, serviceId, date: day(4 + d), status: 'booked', bookedAt: at })
      }
    }
  }
  return all
}

describe('paging the bookings and attendance of a large site in memory', () => {
  it('returns every booking of 40,000 exactly once, in (date, beneficiary, service, id) order, a page at a time', async () => {
    const storage = createMemoryStorage()
    const bookings = month(1000, 20)
    for (let i = 0; i < bookings.length; i += 5000) await storage.transaction('s', (tx) => tx.bookings!.putBookings('s', bookings.slice(i, i + 5000)))
    const seen: string[] = []
    let pages = 0
    let after: string | undefined
    do {
      const page = await storage.bookings!.listBookings('s', { from: '2027-01-01', to: '2027-01-31' }, { limit: 1000, ...(after ? { after } : {}) })
      seen.push(...page.items.map((b) => b.id))
      after = page.next
      pages++
    } while (after)
    expect(pages).toBe(40)
    expect(seen).toHaveLength(bookings.length)
    expect(new Set(seen).size).toBe(bookings.length)
    const key = (b: StoredBooking) => `${b.date}\u0000${b.beneficiaryId}\u0000${b.serviceId}\u0000${b.id}`
    expect(seen).toEqual([...bookings].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map((b) => b.id))
  })

  it('returns every attendance record exactly once within the days asked, the days outside left out', async () => {
    const storage = createMemoryStorage()
    const records: StoredAttendance[] = month(500, 20).map((b) => ({ beneficiaryId: b.beneficiaryId, serviceId: b.serviceId, date: b.date, status: 'present', recordedAt: at }))
    await storage.transaction('s', (tx) => tx.bookings!.putAttendances('s', records))
    const seen: string[] = []
    let after: string | undefined
    do {
      const page = await storage.bookings!.listAttendance('s', { from: day(8), to: day(12) }, { limit: 700, ...(after ? { after } : {}) })
      seen.push(...page.items.map((a) => `${a.date}|${a.beneficiaryId}|${a.serviceId}`))
      after = page.next
    } while (after)
    const expected = records.filter((a) => a.date >= day(8) && a.date <= day(12)).map((a) => `${a.date}|${a.beneficiaryId}|${a.serviceId}`)
    expect(seen).toHaveLength(expected.length)
    expect(new Set(seen)).toEqual(new Set(expected))
  })

  it('sees the writes made between two pages: a booking after the cursor is listed, one before it is not, a cancelled one is listed cancelled (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 199 }), fc.integer({ min: 0, max: 199 }), async (limit, before, change) => {
        const storage = createMemoryStorage()
        const bookings = month(10, 10)
        await storage.bookings!.putBookings('s', bookings)
        const first = await storage.bookings!.listBookings('s', { from: day(1), to: day(31) }, { limit })
        const cursor = first.next!
        // one new booking sorted before everything, one after everything, one existing booking cancelled
        await storage.bookings!.putBookings('s', [
          { id: 'early', beneficiaryId: 'aaa', serviceId: 'cantine', date: day(1), status: 'booked', bookedAt: at },
          { id: 'late', beneficiaryId: 'zzz', serviceId: 'cantine', date: day(30), status: 'booked', bookedAt: at },
          { ...bookings[change]!, status: 'cancelled', cancelledAt: at },
        ])
        const rest: StoredBooking[] = []
        let after: string | undefined = cursor
        do {
          const page = await storage.bookings!.listBookings('s', { from: day(1), to: day(31) }, { limit: limit + (before % 3), after })
          rest.push(...page.items)
          after = page.next
        } while (after)
        const ids = [...first.items.map((b) => b.id), ...rest.map((b) => b.id)]
        expect(ids).not.toContain('early')
        expect(ids[ids.length - 1]).toBe('late')
        expect(new Set(ids).size).toBe(ids.length)
        expect(ids).toHaveLength(bookings.length + 1)
        const changed = rest.find((b) => b.id === bookings[change]!.id)
        if (changed) expect(changed.status).toBe('cancelled')
        else expect(first.items.some((b) => b.id === bookings[change]!.id)).toBe(true)
      }),
      { numRuns: 40 },
    )
  })
})

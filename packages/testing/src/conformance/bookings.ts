import type { BookedDays, StoredAttendance, StoredBooking } from '@ecole/core/ports'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

const at = new Date('2026-03-01T08:00:00.000Z')

function booking(id: string, over: Partial<StoredBooking> = {}): StoredBooking {
  return { id, beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-02', status: 'booked', bookedAt: at, ...over }
}

/** Bookings and attendance: one active booking per slot, replace, filters, pagination, isolation. @internal */
export function describeBookings(ctx: ConformanceContext): void {
  describe('bookings and attendance', () => {
    it('stores a booking and returns an equal copy', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      const b = booking('b1', { reservationTransferId: 'tr-1' })
      expect(await store.putBooking(site, b)).toEqual({ status: 'created' })
      expect(await store.getBooking(site, 'b1')).toEqual(b)
    })

    it('refuses a second active booking of the same child, service and day, and writes nothing', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      await store.putBooking(site, booking('b1'))
      expect(await store.putBooking(site, booking('b2'))).toEqual({ status: 'conflict', existingId: 'b1' })
      expect(await store.getBooking(site, 'b2')).toBeUndefined()
    })

    it('frees the slot when the booking is cancelled, and keeps the cancelled one as history', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      await store.putBooking(site, booking('b1'))
      const cancelledAt = new Date('2026-03-01T09:00:00.000Z')
      expect(await store.putBooking(site, booking('b1', { status: 'cancelled', cancelledAt }))).toEqual({ status: 'updated' })
      expect(await store.putBooking(site, booking('b2'))).toEqual({ status: 'created' })
      const all = await store.listBookings(site, { from: '2026-03-02', to: '2026-03-02' })
      expect(all.items.map((b) => [b.id, b.status])).toEqual([
        ['b1', 'cancelled'],
        ['b2', 'booked'],
      ])
      expect(all.items[0]!.cancelledAt).toEqual(cancelledAt)
    })

    it('lets only one of N concurrent bookings of one slot succeed', async () => {
      const s = ctx.storage()
      const store = need(s.bookings, 'bookings')
      const site = freshSiteId()
      const results = await Promise.all(Array.from({ length: ctx.concurrency }, (_, i) => store.putBooking(site, booking(`b${i}`))))
      expect(results.filter((r) => r.status === 'created')).toHaveLength(1)
      const listed = await store.listBookings(site, { from: '2026-03-02', to: '2026-03-02' })
      expect(listed.items).toHaveLength(1)
    })

    it('filters by days (inclusive), beneficiary and service, in (date, beneficiary, service, id) order', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      await store.putBooking(site, booking('x', { date: '2026-03-03', beneficiaryId: 'c1' }))
      await store.putBooking(site, booking('y', { date: '2026-03-02', beneficiaryId: 'c2' }))
      await store.putBooking(site, booking('z', { date: '2026-03-02', beneficiaryId: 'c1', serviceId: 'care' }))
      await store.putBooking(site, booking('w', { date: '2026-03-04', beneficiaryId: 'c1' }))
      await store.putBooking(site, booking('v', { date: '2026-03-01', beneficiaryId: 'c1' }))
      const ids = async (f: Partial<Parameters<typeof store.listBookings>[1]>) =>
        (await store.listBookings(site, { from: '2026-03-02', to: '2026-03-03', ...f })).items.map((b) => b.id)
      expect(await ids({})).toEqual(['z', 'y', 'x'])
      expect(await ids({ beneficiaryId: 'c1' })).toEqual(['z', 'x'])
      expect(await ids({ serviceId: 'lunch' })).toEqual(['y', 'x'])
    })

    it('paginates bookings and attendance without losing or repeating one', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      const expected: string[] = []
      for (const date of ['2026-03-03', '2026-03-02'] as const) {
        for (const child of ['c2', 'c10', 'c1']) {
          await store.putBooking(site, booking(`${date}-${child}`, { date, beneficiaryId: child }))
          await store.putAttendance(site, { beneficiaryId: child, serviceId: 'lunch', date, status: 'present', recordedAt: at })
        }
      }
      for (const date of ['2026-03-02', '2026-03-03']) for (const child of ['c1', 'c10', 'c2']) expected.push(`${date}-${child}`)
      const seen: string[] = []
      const seenAttendance: string[] = []
      let page = await store.listBookings(site, { from: '2026-03-01', to: '2026-03-31' }, { limit: 2 })
      seen.push(...page.items.map((b) => b.id))
      while (page.next) {
        page = await store.listBookings(site, { from: '2026-03-01', to: '2026-03-31' }, { limit: 2, after: page.next })
        seen.push(...page.items.map((b) => b.id))
      }
      let att = await store.listAttendance(site, { from: '2026-03-01', to: '2026-03-31' }, { limit: 4 })
      seenAttendance.push(...att.items.map((a) => `${a.date}-${a.beneficiaryId}`))
      while (att.next) {
        att = await store.listAttendance(site, { from: '2026-03-01', to: '2026-03-31' }, { limit: 4, after: att.next })
        seenAttendance.push(...att.items.map((a) => `${a.date}-${a.beneficiaryId}`))
      }
      expect(seen).toEqual(expected)
      expect(seenAttendance).toEqual(expected)
    })

    it('lists the booked days grouped by child and service, with the attendance of each day, the same through every page size', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      if (store.listBookedDays === undefined) return
      const site = freshSiteId()
      const other = freshSiteId()
      const days = ['2026-03-02', '2026-03-03', '2026-03-04'] as const
      const bookings: StoredBooking[] = []
      for (const child of ['c2', 'c1', 'c10']) for (const service of ['lunch', 'care']) for (const date of days) bookings.push(booking(`${child}-${service}-${date}`, { beneficiaryId: child, serviceId: service, date }))
      bookings.push(booking('c1-lunch-feb', { date: '2026-02-27' }), booking('c1-lunch-apr', { date: '2026-04-01' }))
      expect((await store.putBookings(site, bookings)).every((r) => r.status === 'created')).toBe(true)
      // a cancelled day, a child with only cancelled days, attendance without a booking, another site
      await store.putBooking(site, booking('c10-care-2026-03-03', { beneficiaryId: 'c10', serviceId: 'care', date: '2026-03-03', status: 'cancelled', cancelledAt: at }))
      await store.putBooking(site, booking('c3-lunch', { beneficiaryId: 'c3', date: '2026-03-02', status: 'cancelled', cancelledAt: at }))
      await store.putAttendances(site, [
        { beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-02', status: 'present', recordedAt: at },
        { beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-04', status: 'excused', recordedAt: at },
        { beneficiaryId: 'c2', serviceId: 'care', date: '2026-03-03', status: 'absent', recordedAt: at },
        { beneficiaryId: 'c3', serviceId: 'lunch', date: '2026-03-02', status: 'present', recordedAt: at },
        // attendance of days not booked (before the first, the cancelled day) is not shown
        { beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-01', status: 'absent', recordedAt: at },
        { beneficiaryId: 'c10', serviceId: 'care', date: '2026-03-03', status: 'present', recordedAt: at },
        { beneficiaryId: 'c10', serviceId: 'care', date: '2026-03-04', status: 'excused', recordedAt: at },
      ])
      await store.putBooking(other, booking('x', { beneficiaryId: 'c0', date: '2026-03-02' }))
      const march = { from: '2026-03-01', to: '2026-03-31' } as const
      const all = ['2026-03-02', '2026-03-03', '2026-03-04']
      const none = [undefined, undefined, undefined]
      const expected = [
        { beneficiaryId: 'c1', serviceId: 'care', dates: all, attendance: none },
        { beneficiaryId: 'c1', serviceId: 'lunch', dates: all, attendance: ['present', undefined, 'excused'] },
        { beneficiaryId: 'c10', serviceId: 'care', dates: ['2026-03-02', '2026-03-04'], attendance: [undefined, 'excused'] },
        { beneficiaryId: 'c10', serviceId: 'lunch', dates: all, attendance: none },
        { beneficiaryId: 'c2', serviceId: 'care', dates: all, attendance: [undefined, 'absent', undefined] },
        { beneficiaryId: 'c2', serviceId: 'lunch', dates: all, attendance: none },
      ]
      for (const limit of [1, 2, 4, 100]) {
        const seen: unknown[] = []
        let page = await store.listBookedDays(site, march, { limit })
        seen.push(...page.items)
        while (page.next) {
          expect(page.items).toHaveLength(limit)
          page = await store.listBookedDays(site, march, { limit, after: page.next })
          seen.push(...page.items)
        }
        expect(seen).toEqual(expected)
      }
      expect((await store.listBookedDays(site, { ...march, beneficiaryId: 'c1', serviceId: 'lunch' })).items).toEqual([expected[1]])
      expect((await store.listBookedDays(site, { from: '2026-02-01', to: '2026-03-02', beneficiaryId: 'c1', serviceId: 'lunch' })).items).toEqual([
        { beneficiaryId: 'c1', serviceId: 'lunch', dates: ['2026-02-27', '2026-03-02'], attendance: [undefined, 'present'] },
      ])
      expect((await store.listBookedDays(other, march)).items.map((d) => d.beneficiaryId)).toEqual(['c0'])
      await expect(store.listBookedDays(site, march, { limit: 2, after: 'not a cursor' })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    })

    it('lists the booked days as the bookings and the attendance listings say, for random bookings, attendance, days and page sizes (property)', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      if (store.listBookedDays === undefined) return
      const dates = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'] as const
      const slot = fc.record({ beneficiaryId: fc.constantFrom('c1', 'c2', 'c10'), serviceId: fc.constantFrom('lunch', 'care'), date: fc.constantFrom(...dates) })
      const key = (x: { beneficiaryId: string; serviceId: string; date: string }) => `${x.beneficiaryId}|${x.serviceId}|${x.date}`
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.record({ slot, cancelled: fc.boolean() }), { selector: (b) => key(b.slot), maxLength: 12 }),
          fc.uniqueArray(fc.record({ slot, status: fc.constantFrom<StoredAttendance['status']>('present', 'absent', 'excused') }), { selector: (a) => key(a.slot), maxLength: 12 }),
          fc.constantFrom(...dates), fc.constantFrom(...dates), fc.integer({ min: 1, max: 5 }),
          async (bookings, attendance, d1, d2, limit) => {
            const site = freshSiteId()
            await store.putBookings(site, bookings.map((b, i) => booking(`b${i}`, { ...b.slot, ...(b.cancelled ? { status: 'cancelled' as const, cancelledAt: at } : {}) })))
            await store.putAttendances(site, attendance.map((a) => ({ ...a.slot, status: a.status, recordedAt: at })))
            const filter = { from: d1 < d2 ? d1 : d2, to: d1 < d2 ? d2 : d1 }
            // the model: the listings of the same days, grouped
            const booked = (await store.listBookings(site, filter, { limit: 1000 })).items.filter((b) => b.status === 'booked')
            const recorded = new Map((await store.listAttendance(site, filter, { limit: 1000 })).items.map((a) => [key(a), a.status]))
            const groups = new Map<string, BookedDays>()
            for (const b of [...booked].sort((x, y) => (x.beneficiaryId < y.beneficiaryId ? -1 : x.beneficiaryId > y.beneficiaryId ? 1 : x.serviceId < y.serviceId ? -1 : x.serviceId > y.serviceId ? 1 : x.date < y.date ? -1 : 1))) {
              const g = groups.get(`${b.beneficiaryId}|${b.serviceId}`) ?? { beneficiaryId: b.beneficiaryId, serviceId: b.serviceId, dates: [], attendance: [] }
              g.dates.push(b.date)
              g.attendance.push(recorded.get(key(b)))
              groups.set(`${b.beneficiaryId}|${b.serviceId}`, g)
            }
            const seen: BookedDays[] = []
            let page = await store.listBookedDays!(site, filter, { limit })
            seen.push(...page.items)
            while (page.next) {
              page = await store.listBookedDays!(site, filter, { limit, after: page.next })
              seen.push(...page.items)
            }
            expect(seen).toEqual([...groups.values()])
          },
        ),
        { numRuns: ctx.numRuns },
      )
    })

    it('keeps one attendance per child, service and day, replaced by the next', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      const a = { beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-02' as const, status: 'present' as const, recordedAt: at }
      await store.putAttendance(site, a)
      const later = new Date('2026-03-02T12:00:00.000Z')
      await store.putAttendance(site, { ...a, status: 'excused', recordedAt: later })
      expect((await store.listAttendance(site, { from: '2026-03-02', to: '2026-03-02' })).items).toEqual([{ ...a, status: 'excused', recordedAt: later }])
    })

    it("never shows a site another site's bookings", async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const a = freshSiteId()
      const b = freshSiteId()
      await store.putBooking(a, booking('b1'))
      expect(await store.getBooking(b, 'b1')).toBeUndefined()
      expect(await store.putBooking(b, booking('b2'))).toEqual({ status: 'created' })
      expect((await store.listBookings(b, { from: '2026-03-01', to: '2026-03-31' })).items.map((x) => x.id)).toEqual(['b2'])
    })
  })
}

import { isEcoleError, type LocalDate } from '@ecole/core'
import type { BookingStore, PutBookingResult, StoredAttendance, StoredBooking } from '@ecole/core/ports'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

const at = new Date('2026-03-01T08:00:00.000Z')
const later = new Date('2026-03-01T09:30:00.000Z')

function booking(id: string, over: Partial<StoredBooking> = {}): StoredBooking {
  return { id, beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-02', status: 'booked', bookedAt: at, ...over }
}

const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}` as LocalDate

async function listAll(store: BookingStore, site: string): Promise<StoredBooking[]> {
  const all: StoredBooking[] = []
  let after: string | undefined
  do {
    const page = await store.listBookings(site, { from: '2026-01-01', to: '2026-12-31' }, { limit: 1000, ...(after ? { after } : {}) })
    all.push(...page.items)
    after = page.next
  } while (after)
  return all
}

async function listAttendance(store: BookingStore, site: string): Promise<StoredAttendance[]> {
  const all: StoredAttendance[] = []
  let after: string | undefined
  do {
    const page = await store.listAttendance(site, { from: '2026-01-01', to: '2026-12-31' }, { limit: 1000, ...(after ? { after } : {}) })
    all.push(...page.items)
    after = page.next
  } while (after)
  return all
}

/** The active bookings per (beneficiary, service, day): never more than one. */
function activePerSlot(bookings: readonly StoredBooking[]): Map<string, string[]> {
  const slots = new Map<string, string[]>()
  for (const b of bookings) {
    if (b.status !== 'booked') continue
    const k = `${b.beneficiaryId}|${b.serviceId}|${b.date}`
    slots.set(k, [...(slots.get(k) ?? []), b.id])
  }
  return slots
}

/**
 * Bookings and attendance written in batches (`putBookings`, `putAttendances`): the same rules as
 * one at a time (one active booking per slot, replays, site isolation), the batch's own rules
 * (checked against what was stored before it; an id or slot twice is refused whole), and two
 * writers batching overlapping child-days at once. @internal
 */
export function describeBookingBatches(ctx: ConformanceContext): void {
  describe('bookings and attendance in batches', () => {
    it('stores a batch and answers per booking, in order, what putBooking would have answered', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      await store.putBooking(site, booking('held', { beneficiaryId: 'c2' }))
      await store.putBooking(site, booking('old', { beneficiaryId: 'c3', status: 'cancelled', cancelledAt: at }))
      const batch = [
        booking('a', { reservationTransferId: 'tr-a' }),
        booking('b', { beneficiaryId: 'c2' }),
        booking('old', { beneficiaryId: 'c3' }),
        booking('c', { date: '2026-03-03' }),
      ]
      expect(await store.putBookings(site, batch)).toEqual([
        { status: 'created' },
        { status: 'conflict', existingId: 'held' },
        { status: 'updated' },
        { status: 'created' },
      ])
      expect(await store.getBooking(site, 'a')).toEqual(batch[0])
      expect(await store.getBooking(site, 'b')).toBeUndefined()
      expect(await store.getBooking(site, 'old')).toEqual(batch[2])
      expect((await listAll(store, site)).map((b) => b.id)).toEqual(['a', 'held', 'old', 'c'])
    })

    it('answers updated for every booking of a replayed batch and changes nothing', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      const batch = Array.from({ length: 30 }, (_, i) => booking(`b${i}`, { beneficiaryId: `c${i % 10}`, date: day(2 + Math.floor(i / 10)) }))
      expect((await store.putBookings(site, batch)).every((r) => r.status === 'created')).toBe(true)
      const before = await listAll(store, site)
      expect(await store.putBookings(site, batch)).toEqual(batch.map(() => ({ status: 'updated' })))
      expect(await listAll(store, site)).toEqual(before)
    })

    it('cancels in a batch, which frees the slots for the next batch', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      await store.putBookings(site, [booking('a'), booking('b', { date: '2026-03-03' })])
      expect(await store.putBookings(site, [booking('a', { status: 'cancelled', cancelledAt: later }), booking('b', { date: '2026-03-03', status: 'cancelled', cancelledAt: later })])).toEqual([
        { status: 'updated' },
        { status: 'updated' },
      ])
      expect(await store.putBookings(site, [booking('a2'), booking('b2', { date: '2026-03-03' })])).toEqual([{ status: 'created' }, { status: 'created' }])
      expect([...activePerSlot(await listAll(store, site)).values()]).toEqual([['a2'], ['b2']])
      expect((await store.getBooking(site, 'a'))?.cancelledAt).toEqual(later)
    })

    it('checks each booking against what was stored before the batch: a slot freed in the same batch stays taken for it', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      await store.putBooking(site, booking('a'))
      // 'a' moves to another day and 'b' wants a's old day in the same batch: b is checked against the stored a
      expect(await store.putBookings(site, [booking('a', { date: '2026-03-05' }), booking('b')])).toEqual([{ status: 'updated' }, { status: 'conflict', existingId: 'a' }])
      expect(await store.putBookings(site, [booking('b')])).toEqual([{ status: 'created' }])
      expect([...activePerSlot(await listAll(store, site)).values()]).toEqual([['b'], ['a']])
    })

    it('refuses a batch that holds an id or a beneficiary, service and day twice (INVALID_INPUT naming the entry) and writes nothing of it', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      const twiceId = await store.putBookings(site, [booking('a'), booking('a', { date: '2026-03-03' })]).catch((e: unknown) => e)
      expect(isEcoleError(twiceId) && twiceId.code).toBe('INVALID_INPUT')
      expect(isEcoleError(twiceId) && twiceId.message).toMatch(/^\[ecole\] bookings\[1\]: .*id a comes twice/)
      const twiceSlot = await store.putBookings(site, [booking('x'), booking('a', { status: 'cancelled', cancelledAt: at })]).catch((e: unknown) => e)
      expect(isEcoleError(twiceSlot) && twiceSlot.code).toBe('INVALID_INPUT')
      expect(isEcoleError(twiceSlot) && twiceSlot.message).toMatch(/bookings\[1\]: .*beneficiary c1, service lunch and day 2026-03-02 comes twice/)
      expect(await listAll(store, site)).toEqual([])
    })

    it('answers an empty batch with no results', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      expect(await store.putBookings(freshSiteId(), [])).toEqual([])
    })

    it('keeps sites apart: a batch of one site neither sees nor takes the slots of another', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const [a, b] = [freshSiteId(), freshSiteId()]
      await store.putBookings(a, [booking('a1'), booking('shared-id', { date: '2026-03-03' })])
      expect(await store.putBookings(b, [booking('b1'), booking('shared-id', { date: '2026-03-03' })])).toEqual([{ status: 'created' }, { status: 'created' }])
      expect((await listAll(store, a)).map((x) => x.id)).toEqual(['a1', 'shared-id'])
      expect((await listAll(store, b)).map((x) => x.id)).toEqual(['b1', 'shared-id'])
    })

    it('writes all of a batch or none of it when the transaction around it fails', async () => {
      const s = ctx.storage()
      const store = need(s.bookings, 'bookings')
      const site = freshSiteId()
      const failure = await s
        .transaction(site, async (tx) => {
          await tx.bookings!.putBookings(site, [booking('a'), booking('b', { date: '2026-03-03' })])
          await tx.bookings!.putAttendances(site, [{ beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-02', status: 'present', recordedAt: at }])
          throw new Error('the caller gives up')
        })
        .catch((e: unknown) => e)
      expect((failure as Error).message).toBe('the caller gives up')
      expect(await listAll(store, site)).toEqual([])
      expect(await listAttendance(store, site)).toEqual([])
    })

    it('gives two writers batching overlapping child-days at once exactly one active booking per slot, and tells each loser who holds it', async () => {
      const s = ctx.storage()
      const store = need(s.bookings, 'bookings')
      const site = freshSiteId()
      const writers = Math.max(2, Math.min(4, ctx.concurrency))
      // each writer books the same 8 children x 5 days (its own ids), in its own order and in batches of 10
      const slots = Array.from({ length: 40 }, (_, i) => ({ beneficiaryId: `c${i % 8}`, date: day(2 + Math.floor(i / 8)) }))
      const results = await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const mine = (w % 2 === 0 ? slots : [...slots].reverse()).map((slot) => booking(`w${w}-${slot.beneficiaryId}-${slot.date}`, slot))
          const answers: Array<[StoredBooking, PutBookingResult]> = []
          for (let i = 0; i < mine.length; i += 10) {
            const chunk = mine.slice(i, i + 10)
            const r = await s.transaction(site, (tx) => tx.bookings!.putBookings(site, chunk))
            chunk.forEach((b, j) => answers.push([b, r[j]!]))
          }
          return answers
        }),
      )
      const stored = await listAll(store, site)
      const active = activePerSlot(stored)
      expect(active.size).toBe(slots.length)
      for (const holders of active.values()) expect(holders).toHaveLength(1)
      const holderOf = new Map([...active].map(([k, [id]]) => [k, id!]))
      const all = results.flat()
      for (const [b, r] of all) {
        const holder = holderOf.get(`${b.beneficiaryId}|${b.serviceId}|${b.date}`)
        if (r.status === 'created') expect(holder).toBe(b.id)
        else expect(r).toEqual({ status: 'conflict', existingId: holder })
      }
      expect(all.filter(([, r]) => r.status === 'created')).toHaveLength(slots.length)
      expect(stored).toHaveLength(slots.length)
    })

    it('agrees with a model of the batch rule on random batches, and never holds two active bookings of one slot (property)', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const entry = fc.record({
        id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
        beneficiaryId: fc.constantFrom('c1', 'c2'),
        date: fc.constantFrom(day(2), day(3)),
        status: fc.constantFrom<StoredBooking['status']>('booked', 'booked', 'cancelled'),
      })
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uniqueArray(entry, { selector: (e) => e.id, maxLength: 4 }), { minLength: 1, maxLength: 5 }), async (batches) => {
          const site = freshSiteId()
          const model = new Map<string, StoredBooking>()
          for (const raw of batches) {
            // one entry per slot (the batch rule), the first one kept
            const seen = new Set<string>()
            const batch = raw
              .filter((e) => !seen.has(`${e.beneficiaryId}|${e.date}`) && (seen.add(`${e.beneficiaryId}|${e.date}`), true))
              .map((e) => booking(e.id, { ...e, ...(e.status === 'cancelled' ? { cancelledAt: later } : {}) }))
            const holderBefore = (b: StoredBooking) => [...model.values()].find((m) => m.status === 'booked' && m.id !== b.id && m.beneficiaryId === b.beneficiaryId && m.serviceId === b.serviceId && m.date === b.date)?.id
            const expected = batch.map((b): PutBookingResult => {
              const holder = b.status === 'booked' ? holderBefore(b) : undefined
              return holder !== undefined ? { status: 'conflict', existingId: holder } : { status: model.has(b.id) ? 'updated' : 'created' }
            })
            batch.forEach((b, i) => {
              if (expected[i]!.status !== 'conflict') model.set(b.id, b)
            })
            expect(await store.putBookings(site, batch)).toEqual(expected)
          }
          const stored = await listAll(store, site)
          expect(new Map(stored.map((b) => [b.id, b]))).toEqual(model)
          for (const holders of activePerSlot(stored).values()) expect(holders).toHaveLength(1)
        }),
        { numRuns: ctx.numRuns },
      )
    })

    it('records a batch of attendance, replaces what was recorded, and keeps the later of a record given twice', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      const rec = (beneficiaryId: string, status: StoredAttendance['status'], recordedAt = at): StoredAttendance => ({ beneficiaryId, serviceId: 'lunch', date: '2026-03-02', status, recordedAt })
      await store.putAttendance(site, rec('c1', 'present'))
      await store.putAttendances(site, [rec('c1', 'absent', later), rec('c2', 'present'), rec('c3', 'absent'), rec('c3', 'excused', later)])
      expect(await listAttendance(store, site)).toEqual([rec('c1', 'absent', later), rec('c2', 'present'), rec('c3', 'excused', later)])
      await store.putAttendances(site, [])
      await store.putAttendances(freshSiteId(), [rec('c2', 'absent')])
      expect((await listAttendance(store, site)).map((a) => a.status)).toEqual(['absent', 'present', 'excused'])
    })
  })
}

import type { StoredBooking } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

const at = new Date('2026-03-01T08:00:00.000Z')
const DAY = '2026-03-02'

function booking(id: string, beneficiaryId: string): StoredBooking {
  return { id, beneficiaryId, serviceId: 'lunch', date: DAY, status: 'booked', bookedAt: at }
}

/**
 * The day locks a capacity check takes (`lockServiceDays`) and the consent acceptances that gate
 * booking (`acceptConsent`, `withdrawConsent`, `listConsentAcceptances`). @internal
 */
export function describeBookingCapacityAndConsents(ctx: ConformanceContext): void {
  describe('service-day locks and consent acceptances', () => {
    it('books exactly K of N transactions that each lock the day, count its bookings and book when a place is left', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const places = 3
      const n = Math.max(ctx.concurrency, places + 2)
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          s.transaction(site, async (tx) => {
            const store = need(tx.bookings, 'bookings')
            await store.lockServiceDays(site, 'lunch', [DAY])
            const taken = (await store.listBookings(site, { from: DAY, to: DAY, serviceId: 'lunch' })).items.filter((b) => b.status === 'booked').length
            if (taken < places) await store.putBooking(site, booking(`b${i}`, `c${i}`))
          }),
        ),
      )
      const booked = (await need(s.bookings, 'bookings').listBookings(site, { from: DAY, to: DAY })).items.filter((b) => b.status === 'booked')
      expect(booked).toHaveLength(places)
    })

    it('holds a day until the transaction that locked it ends: a second locker of that day starts after the first commits', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const events: string[] = []
      let locked!: () => void
      const firstHasLock = new Promise<void>((ok) => (locked = ok))
      const first = s.transaction(site, async (tx) => {
        await need(tx.bookings, 'bookings').lockServiceDays(site, 'lunch', ['2026-03-03', DAY])
        events.push('first locked')
        locked()
        await new Promise((ok) => setTimeout(ok, 150))
        events.push('first ends')
      })
      await firstHasLock
      const second = s.transaction(site, async (tx) => {
        await need(tx.bookings, 'bookings').lockServiceDays(site, 'lunch', [DAY])
        events.push('second locked')
      })
      await Promise.all([first, second])
      expect(events).toEqual(['first locked', 'first ends', 'second locked'])
    })

    it('locks nothing and returns at once when given no day, or when called outside a transaction', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const store = need(s.bookings, 'bookings')
      await expect(store.lockServiceDays(site, 'lunch', [])).resolves.toBeUndefined()
      await expect(store.lockServiceDays(site, 'lunch', [DAY])).resolves.toBeUndefined()
      // the day is free for the next transaction
      await s.transaction(site, (tx) => need(tx.bookings, 'bookings').lockServiceDays(site, 'lunch', [DAY]))
    })

    it('records an acceptance once and keeps the first instant when the guardian accepts again', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      const later = new Date('2026-09-02T10:00:00.000Z')
      expect(await store.acceptConsent(site, { consentId: 'rules', guardianId: 'g1', acceptedAt: at })).toBe('created')
      expect(await store.acceptConsent(site, { consentId: 'rules', guardianId: 'g1', acceptedAt: later })).toBe('already-accepted')
      expect(await store.listConsentAcceptances(site)).toEqual([{ consentId: 'rules', guardianId: 'g1', acceptedAt: at }])
    })

    it('lists acceptances by consent then guardian, filtered by guardian or consent', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      for (const [consentId, guardianId] of [['rules', 'g2'], ['photos', 'g1'], ['rules', 'g1']] as const) await store.acceptConsent(site, { consentId, guardianId, acceptedAt: at })
      expect((await store.listConsentAcceptances(site)).map((a) => `${a.consentId}/${a.guardianId}`)).toEqual(['photos/g1', 'rules/g1', 'rules/g2'])
      expect((await store.listConsentAcceptances(site, { guardianId: 'g1' })).map((a) => a.consentId)).toEqual(['photos', 'rules'])
      expect((await store.listConsentAcceptances(site, { consentId: 'rules' })).map((a) => a.guardianId)).toEqual(['g1', 'g2'])
    })

    it('withdraws an acceptance (true), reports false when there was none, and a new acceptance gets its own instant', async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      await store.acceptConsent(site, { consentId: 'rules', guardianId: 'g1', acceptedAt: at })
      expect(await store.withdrawConsent(site, 'rules', 'g1')).toBe(true)
      expect(await store.withdrawConsent(site, 'rules', 'g1')).toBe(false)
      expect(await store.listConsentAcceptances(site, { guardianId: 'g1' })).toEqual([])
      const again = new Date('2026-10-01T07:00:00.000Z')
      expect(await store.acceptConsent(site, { consentId: 'rules', guardianId: 'g1', acceptedAt: again })).toBe('created')
      expect((await store.listConsentAcceptances(site))[0]!.acceptedAt).toEqual(again)
    })

    it("never shows one site's acceptances to another, nor lets it withdraw them", async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const a = freshSiteId()
      const b = freshSiteId()
      await store.acceptConsent(a, { consentId: 'rules', guardianId: 'g1', acceptedAt: at })
      expect(await store.listConsentAcceptances(b)).toEqual([])
      expect(await store.withdrawConsent(b, 'rules', 'g1')).toBe(false)
      expect(await store.listConsentAcceptances(a)).toHaveLength(1)
    })
  })
}

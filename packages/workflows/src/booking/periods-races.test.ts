import {
  BillingRuleSchema, ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, ServiceSubscriptionSchema, isEcoleError,
} from '@ecole/core'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeBookings, deletePeriod, savePeriod, type BookingSiteSettings } from './index'

// A staff user saves a closure (confirming that it deletes nothing) while a parent books a day of
// it from the portal, on a real PostgreSQL server (PGlite runs one transaction at a time, so only
// a server shows a race).
const url = process.env['ECOLE_PG_URL']
const now = new Date('2027-02-08T07:30:00Z')
const clock = { now: () => now }
const settings: BookingSiteSettings = {
  timeZone: 'Europe/Paris', billingOfficeId: 'regie', storedPeriods: true,
  services: [
    { id: 'canteen', weekdays: [1, 2, 4, 5], bookingCutoff: { kind: 'daysBefore', days: 1, count: 'weekdays', at: '10:00' } },
    // a holiday centre, open only during openings
    { id: 'centre', weekdays: [1, 2, 3, 4, 5], openingsOnly: true, bookingCutoff: { kind: 'daysBefore', days: 1, count: 'weekdays', at: '10:00' } },
  ],
  offers: [{ serviceId: 'canteen', schoolId: 'jaures' }, { serviceId: 'centre', schoolId: 'jaures' }],
}

/** A site where child c0 (CP at jaures) is subscribed to `serviceId`, which guardian g0 pays. */
const seedChild = (storage: PostgresStorage, siteId: string, serviceId: string) => storage.transaction(siteId, async (tx) => {
  const d = tx.directory!
  await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h0', siteId, name: 'Famille 0' }))
  await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g0', siteId, householdId: 'h0', firstName: 'Parent', lastName: 'g0' }))
  await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'c0', siteId, firstName: 'Enfant', lastName: 'c0', birthDate: '2020-03-01', guardians: [{ guardianId: 'g0', relationship: 'mother' }] }))
  await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: 'e-c0', siteId, beneficiaryId: 'c0', schoolId: 'jaures', classId: 'cp', from: '2026-09-01' }))
  await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: 's-c0', siteId, beneficiaryId: 'c0', serviceId, from: '2026-09-01' }))
  await d.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'r0', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'g0', weight: 1 }], covers: [{ beneficiaryId: 'c0', serviceId }] }))
})

describe.skipIf(!url)('a closure saved while a parent books one of its days, on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('never leaves an active booking inside a saved closure: either the booking waits and is refused CLOSED, or it came first and the closure is refused PERIOD_IMPACT_CHANGED', async () => {
    const outcomes = new Set<string>()
    for (let round = 0; round < 12; round++) {
      const siteId = `period-race-${process.pid}-${Date.now()}-${round}`
      await seedChild(storage, siteId, 'canteen')
      const period = { id: 'strike', kind: 'closure' as const, label: 'Grève', from: '2027-02-11' as const, to: '2027-02-12' as const, scopes: [{ serviceId: 'canteen' }] }
      const shown = await savePeriod({ storage, clock }, { siteId, actor: { kind: 'user', id: 'u-admin' }, period, preview: true })
      expect(shown.impact.cancelled).toEqual([])
      const [saved, booked] = await Promise.allSettled([
        savePeriod({ storage, clock }, { siteId, actor: { kind: 'user', id: 'u-admin' }, period, confirmedBookingIds: [] }),
        changeBookings({ storage, clock }, settings, { siteId, guardianId: 'g0', beneficiaryId: 'c0', serviceId: 'canteen', dates: ['2027-02-11'], action: 'book' }),
      ])
      if (booked.status === 'rejected') throw booked.reason
      const stored = await storage.directory!.getDirectoryRecord(siteId, 'period', 'strike')
      const active = (await storage.bookings!.listBookings(siteId, { from: '2027-02-11', to: '2027-02-12' })).items.filter((b) => b.status === 'booked')
      if (saved.status === 'fulfilled') {
        // the closure came first: the booking waited for its lock, then saw the closure
        expect(booked.value).toEqual([{ date: '2027-02-11', ok: false, reasons: [expect.objectContaining({ code: 'CLOSED' })] }])
        expect(stored).toBeDefined()
        expect(active).toEqual([])
        outcomes.add('closure first')
      } else {
        // the booking came first: the closure would delete it, which was not confirmed; nothing written
        expect(isEcoleError(saved.reason, 'PERIOD_IMPACT_CHANGED')).toBe(true)
        expect(booked.value).toEqual([{ date: '2027-02-11', ok: true }])
        expect(stored).toBeUndefined()
        expect(active.length).toBe(1)
        outcomes.add('booking first')
      }
    }
    console.info(`closure vs booking race, 12 rounds: ${[...outcomes].join(', ')}`)
  }, 120_000)
})

describe.skipIf(!url)('an opening shrunk or deleted while a parent books one of the days it loses, on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('never leaves an active booking on a day no opening opens: either the booking waits and is refused CLOSED, or it came first and the change is refused PERIOD_IMPACT_CHANGED', async () => {
    const outcomes = new Set<string>()
    const actor = { kind: 'user' as const, id: 'u-admin' }
    for (let round = 0; round < 12; round++) {
      const siteId = `opening-race-${process.pid}-${Date.now()}-${round}`
      await seedChild(storage, siteId, 'centre')
      const opening = { id: 'spring', kind: 'opening' as const, label: 'Centre', from: '2027-04-12' as const, to: '2027-04-16' as const, scopes: [{ serviceId: 'centre' }] }
      await savePeriod({ storage, clock }, { siteId, actor, period: opening })
      // every other round deletes the opening, the others shrink it to Monday 12: the parent books Thursday 15
      const change = round % 2 === 0
        ? () => savePeriod({ storage, clock }, { siteId, actor, period: { ...opening, to: '2027-04-12' }, confirmedBookingIds: [] })
        : () => deletePeriod({ storage, clock }, { siteId, periodId: 'spring', actor, confirmedBookingIds: [] })
      const [changed, booked] = await Promise.allSettled([
        change(),
        changeBookings({ storage, clock }, settings, { siteId, guardianId: 'g0', beneficiaryId: 'c0', serviceId: 'centre', dates: ['2027-04-15'], action: 'book' }),
      ])
      if (booked.status === 'rejected') throw booked.reason
      const stored = await storage.directory!.getDirectoryRecord(siteId, 'period', 'spring')
      const active = (await storage.bookings!.listBookings(siteId, { from: '2027-04-12', to: '2027-04-16' })).items.filter((b) => b.status === 'booked')
      if (changed.status === 'fulfilled') {
        // the change came first: the booking waited for its lock, then saw the day closed
        expect(booked.value).toEqual([{ date: '2027-04-15', ok: false, reasons: [expect.objectContaining({ code: 'CLOSED' })] }])
        expect(stored?.to).toBe(round % 2 === 0 ? '2027-04-12' : undefined)
        expect(active).toEqual([])
        outcomes.add('change first')
      } else {
        // the booking came first: the change would delete it, which was not confirmed; nothing written
        expect(isEcoleError(changed.reason, 'PERIOD_IMPACT_CHANGED')).toBe(true)
        expect(booked.value).toEqual([{ date: '2027-04-15', ok: true }])
        expect(stored?.to).toBe('2027-04-16')
        expect(active.length).toBe(1)
        outcomes.add('booking first')
      }
    }
    console.info(`opening vs booking race, 12 rounds: ${[...outcomes].join(', ')}`)
  }, 120_000)
})

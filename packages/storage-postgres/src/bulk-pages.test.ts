import { PGlite } from '@electric-sql/pglite'
import type { LedgerAccount } from '@ecole/core'
import type { BookingFilter, StoredAttendance, StoredBooking } from '@ecole/core/ports'
import { afterAll, describe, expect, it } from 'vitest'
import { BULK_PAGE_LIMIT } from './access'
import { createPostgresStorage } from './postgres-storage'

const SITE = 's'
const at = new Date('2027-01-01T08:00:00Z')
const dates = ['2027-01-04', '2027-01-05', '2027-01-07', '2027-01-08'] as const

describe('the day-ordered bulk listings of PostgreSQL (bookings, attendance) serve pages of up to 10,000 rows', async () => {
  const pglite = await PGlite.create()
  const storage = await createPostgresStorage({ pglite })
  afterAll(() => storage.close())
  // 3,000 children x 4 days: 12,000 bookings and attendance rows
  const bookings: StoredBooking[] = []
  const attendance: StoredAttendance[] = []
  for (let c = 0; c < 3000; c++) {
    for (const date of dates) {
      const beneficiaryId = `enf-${String(c).padStart(5, '0')}`
      bookings.push({ id: `${beneficiaryId}|cantine|${date}`, beneficiaryId, serviceId: 'cantine', date, status: 'booked', bookedAt: at })
      attendance.push({ beneficiaryId, serviceId: 'cantine', date, status: c % 7 === 0 ? 'absent' : 'present', recordedAt: at })
    }
  }
  await storage.transaction(SITE, async (tx) => {
    await tx.bookings!.putBookings(SITE, bookings)
    await tx.bookings!.putAttendances(SITE, attendance)
  })
  const filter: BookingFilter = { from: '2027-01-01', to: '2027-01-31' }

  it('answers 10,000 bookings for a page of 20,000 asked, then the 2,000 after them: every booking once, in (date, child, service, id) order', async () => {
    expect(BULK_PAGE_LIMIT).toBe(10_000)
    const first = await storage.bookings!.listBookings(SITE, filter, { limit: 20_000 })
    expect(first.items).toHaveLength(10_000)
    expect(first.next).toBeDefined()
    const second = await storage.bookings!.listBookings(SITE, filter, { limit: 20_000, after: first.next! })
    expect(second.items).toHaveLength(2000)
    expect(second.next).toBeUndefined()
    const key = (b: StoredBooking) => `${b.date}|${b.beneficiaryId}|${b.serviceId}|${b.id}`
    expect([...first.items, ...second.items].map(key)).toEqual(bookings.map(key).sort())
  })

  it('answers attendance the same way, and still 1,000 at most for the other listings (ledger accounts)', async () => {
    const first = await storage.bookings!.listAttendance(SITE, filter, { limit: 12_000 })
    expect(first.items).toHaveLength(10_000)
    const second = await storage.bookings!.listAttendance(SITE, filter, { limit: 12_000, after: first.next! })
    expect(second.items).toHaveLength(2000)
    expect(second.next).toBeUndefined()
    expect([...first.items, ...second.items].filter((a) => a.status === 'absent')).toHaveLength(attendance.filter((a) => a.status === 'absent').length)
    const wallets: LedgerAccount[] = Array.from({ length: 1200 }, (_, i) => ({
      id: `wallet:g-${String(i).padStart(4, '0')}:o1:general`, kind: 'wallet', guardianId: `g-${i}`, billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' },
    }))
    await storage.ledger!.createAccounts(SITE, wallets)
    const accounts = await storage.ledger!.listAccounts(SITE, { kind: 'wallet' }, { limit: 5000 })
    expect(accounts.items).toHaveLength(1000)
    expect(accounts.next).toBeDefined()
  })
})

import { walletAccountId } from '@ecole/core'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scratchDatabase, type ScratchDatabase } from './scratch-database'
import { createApp } from '../src/app'
import { compose, type AppContext } from '../src/compose'
import { DEMO_BOOKING_SERVICES, seedDirectory, seedRaceFamilies } from '../src/seed'
import { SITE } from '../src/site-settings'
import { Client, TestClock } from './support'

// Parents racing for the last places of a day through the HTTP routes, on a real PostgreSQL
// server (PGlite runs one transaction at a time, so only a server shows a race).
const url = process.env['ECOLE_PG_URL']
const PARENTS = 24
const PLACES = 8
const DAY = '2027-02-25'

describe.skipIf(!url)('the last places of a day, raced by parents on a PostgreSQL server', () => {
  let db: ScratchDatabase | undefined
  let storage: PostgresStorage
  let ctx: AppContext
  let families: Array<{ guardianId: string; childId: string }>
  beforeAll(async () => {
    db = await scratchDatabase(url!, `web_race_${process.pid}_${Date.now()}`)
    storage = await createPostgresStorage({ connectionString: db.url, poolSize: 12 })
    const clock = new TestClock(new Date(SITE.demoNow))
    ctx = await compose(
      { port: 0, publicUrl: 'http://localhost', https: false, siteId: SITE.id, dataDir: '', devMailbox: false, outboxWorker: false, bookingServices: DEMO_BOOKING_SERVICES.map((s) => (s.id === 'gouter' ? { ...s, capacity: PLACES } : s)) },
      { clock, storage },
    )
    await seedDirectory(storage)
    families = await seedRaceFamilies(storage, { count: PARENTS, now: clock.now(), topUp: '5.00' })
    await Promise.all(Array.from({ length: 12 }, () => storage.transaction(SITE.id, (tx) => tx.invoiceNumbers!.lastNumber(SITE.id, 'warm-up'))))
  }, 120_000)
  afterAll(async () => {
    await ctx?.close()
    await db?.drop()
  })

  it(`books exactly ${PLACES} of ${PARENTS} parents asking at once for the last ${PLACES} places, and debits no wallet for a refused booking`, async () => {
    const app = createApp(ctx)
    const clients = families.map((f) => {
      const session = ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: f.guardianId })
      const c = new Client(app)
      c.cookies.set('ecole_session', session.id)
      c.csrf = session.csrf
      return c
    })
    const responses = await Promise.all(clients.map((c, i) => c.post('/bookings', { child: families[i]!.childId, service: 'gouter', month: '2027-02', action: 'book', date: DAY })))
    expect(responses.every((r) => r.status === 303)).toBe(true)
    const booked = (await storage.bookings!.listBookings(SITE.id, { from: DAY, to: DAY, serviceId: 'gouter' }, { limit: 1000 })).items.filter((b) => b.status === 'booked')
    expect(booked).toHaveLength(PLACES)
    const balances = await storage.ledger!.getBalances(SITE.id, families.map((f) => walletAccountId(f.guardianId, SITE.billingOfficeId)))
    const bookedChildren = new Set(booked.map((b) => b.beneficiaryId))
    families.forEach((f, i) => expect(balances[i]!.available, f.guardianId).toBe(bookedChildren.has(f.childId) ? 420n : 500n))
    // each refused parent was told why: the day is full
    const refusedPages = await Promise.all(clients.filter((_, i) => !bookedChildren.has(families[i]!.childId)).map((c) => c.get(`/bookings?child=${families[clients.indexOf(c)]!.childId}&service=gouter&month=2027-02`)))
    for (const p of refusedPages) expect(p.text).toMatch(/Complet/)
  })
})

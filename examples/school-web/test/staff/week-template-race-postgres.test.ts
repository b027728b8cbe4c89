import { BillingRuleSchema, ServiceSubscriptionSchema } from '@ecole/core'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scratchDatabase, type ScratchDatabase } from '../scratch-database'
import { createApp } from '../../src/app'
import { compose, type AppContext } from '../../src/compose'
import { SERVICES } from '@ecole/example-billing-run/demo-site'
import { DEMO_BOOKING_SERVICES, seedDirectory, seedRaceFamilies } from '../../src/seed'
import { SITE } from '../../src/site-settings'
import { seedStaffAccess } from '../../src/staff/staff-access'
import { Client as PortalClient, TestClock } from '../support'
import { Client as StaffClient, FAST_SCRYPT, PASSWORD } from './support'

// The last places of a canteen day, asked for at the same moment by parents on the portal and by
// the secretary applying children's week templates in the back office, on a real PostgreSQL
// server (PGlite runs one transaction at a time, so only a server shows a race). Both paths must
// take the same lock on the day: a week template that locked something else planned on a stale
// count of the day's bookings and overbooked it.
const url = process.env['ECOLE_PG_URL']
const PARENTS = 10
const TEMPLATES = 10
const PLACES = 6
const DAY = '2027-02-25' // a Thursday

describe.skipIf(!url)('the last places of a canteen day, raced by the portal and the back office\'s week templates on a PostgreSQL server', () => {
  let db: ScratchDatabase | undefined
  let storage: PostgresStorage
  let ctx: AppContext
  let families: Array<{ guardianId: string; childId: string }>
  beforeAll(async () => {
    db = await scratchDatabase(url!, `web_template_race_${process.pid}_${Date.now()}`)
    storage = await createPostgresStorage({ connectionString: db.url, poolSize: 12 })
    const clock = new TestClock(new Date(SITE.demoNow))
    const services = DEMO_BOOKING_SERVICES.map((s) => (s.id === SERVICES.canteen.id ? { ...s, capacity: PLACES } : s))
    ctx = await compose(
      { port: 0, publicUrl: 'http://localhost', https: false, siteId: SITE.id, dataDir: '', devMailbox: false, outboxWorker: false, bookingServices: services },
      { clock, storage },
    )
    await seedDirectory(storage)
    await seedStaffAccess(storage, SITE.id, { password: PASSWORD, scrypt: FAST_SCRYPT, now: clock.now() })
    families = await seedRaceFamilies(storage, { count: PARENTS + TEMPLATES, now: clock.now() })
    // the race children also eat at the canteen, paid by their parent
    await storage.transaction(SITE.id, async (tx) => {
      for (const f of families) {
        await tx.directory!.putDirectoryRecord(SITE.id, 'subscription', ServiceSubscriptionSchema.parse({ id: `cantine-${f.childId}`, siteId: SITE.id, beneficiaryId: f.childId, serviceId: SERVICES.canteen.id, from: '2026-09-01' }))
        await tx.directory!.putDirectoryRecord(SITE.id, 'billingRule', BillingRuleSchema.parse({
          id: `regle-${f.childId}`, from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: f.guardianId, weight: 1 }],
          covers: [{ beneficiaryId: f.childId, serviceId: SERVICES.snack.id }, { beneficiaryId: f.childId, serviceId: SERVICES.canteen.id }],
        }))
      }
    })
    await Promise.all(Array.from({ length: 12 }, () => storage.transaction(SITE.id, (tx) => tx.invoiceNumbers!.lastNumber(SITE.id, 'warm-up'))))
  }, 120_000)
  afterAll(async () => {
    await ctx?.close()
    await db?.drop()
  })

  it(`books exactly ${PLACES} children when ${PARENTS} parents and ${TEMPLATES} week templates ask for the same day at once`, async () => {
    const app = createApp(ctx)
    const canteen = SERVICES.canteen.id
    // the day is empty: each of the 20 requests, alone, would be booked
    expect((await storage.bookings!.listBookings(SITE.id, { from: DAY, to: DAY, serviceId: canteen }, { limit: 1000 })).items).toEqual([])
    const parents = families.slice(0, PARENTS).map((f) => {
      const session = ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: f.guardianId })
      const c = new PortalClient(app)
      c.cookies.set('ecole_session', session.id)
      c.csrf = session.csrf
      return { c, f }
    })
    const secretary = new StaffClient(app, ctx)
    await secretary.login('secretariat@jaures.example')
    const templated = families.slice(PARENTS)
    const form = { serviceId: canteen, weekdays: ['4'], from: DAY, to: DAY, recurrence: 'everyWeek', weeks: '', mode: 'add', step: 'apply' }
    const [portal, staff] = await Promise.all([
      Promise.all(parents.map(({ c, f }) => c.post('/bookings', { child: f.childId, service: canteen, month: '2027-02', action: 'book', date: DAY }))),
      Promise.all(templated.map((f) => secretary.post(`/staff/children/${f.childId}/week-template`, form))),
    ])
    expect(portal.map((r) => r.status)).toEqual(parents.map(() => 303))
    expect(staff.map((r) => r.status)).toEqual(templated.map(() => 200))
    const booked = (await storage.bookings!.listBookings(SITE.id, { from: DAY, to: DAY, serviceId: canteen }, { limit: 1000 })).items.filter((b) => b.status === 'booked')
    expect(booked).toHaveLength(PLACES)
    // what each week template answered agrees with what is stored: a child booked by a template was told "1 booked", the others "refused"
    const bookedChildren = new Set(booked.map((b) => b.beneficiaryId))
    templated.forEach((f, i) => {
      expect(staff[i]!.text, f.childId).toContain(bookedChildren.has(f.childId) ? 'Semaine type appliquée : 1 jour(s) réservé(s), 0 refusé(s)' : 'Semaine type appliquée : 0 jour(s) réservé(s), 1 refusé(s)')
    })
  }, 120_000)
})

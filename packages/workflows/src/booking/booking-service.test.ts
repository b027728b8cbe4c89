import {
  BillingRuleSchema, ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, ServiceSubscriptionSchema, bookingRefusalMessage, standardLedgerAccounts, walletAccountId,
  checkBooking, isEcoleError, type LocalDate,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { recordPayment } from '../billing/index'
import { acceptBookingConsent, changeBookings, guardianConsents, loadBookingContext, loadBookingFacts, withdrawBookingConsent, type BookingSiteSettings } from './index'

// Monday 8 February 2027, 08:30 in Paris: days from Wednesday 10 February can still be booked
const now = new Date('2027-02-08T07:30:00Z')
const clock = { now: () => now }
const DAY: LocalDate = '2027-02-11'
const cutoff = { kind: 'daysBefore', days: 1, count: 'weekdays', at: '10:00' } as const

function settings(places: number): BookingSiteSettings {
  return {
    timeZone: 'Europe/Paris', billingOfficeId: 'regie',
    services: [
      { id: 'snack', weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, bookingCutoff: cutoff, capacity: places },
      { id: 'lunch', weekdays: [1, 2, 4, 5], bookingCutoff: cutoff },
    ],
    offers: [{ serviceId: 'snack', schoolId: 'school' }, { serviceId: 'lunch', schoolId: 'school' }],
    periods: [{ id: 'winter', kind: 'closure', label: "Vacances d'hiver", from: '2027-02-20', to: '2027-03-07', scopes: [{ serviceId: 'snack' }, { serviceId: 'lunch' }] }],
    consents: [{ id: 'rules', siteId: 'ignored', label: 'Règlement de la restauration 2026-2027', validity: { from: '2026-09-01' }, scope: { kind: 'services', serviceIds: ['lunch'] } }],
  }
}

let sites = 0
/** A site with `count` families (one guardian, one child enrolled and subscribed to both services), each wallet topped up with 5.00. */
async function seeded(storage: StoragePorts, count: number, schoolOf: (i: number) => string = () => 'school') {
  const siteId = `booking-${process.pid}-${Date.now()}-${++sites}`
  const families = Array.from({ length: count }, (_, i) => ({ guardianId: `g${i}`, childId: `c${i}` }))
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    for (const [i, { guardianId, childId }] of families.entries()) {
      await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: `h-${guardianId}`, siteId, name: `Famille ${guardianId}` }))
      await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: guardianId, siteId, householdId: `h-${guardianId}`, firstName: 'Parent', lastName: guardianId, email: `${guardianId}@example.org` }))
      await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: childId, siteId, firstName: 'Enfant', lastName: childId, birthDate: '2020-03-01', guardians: [{ guardianId, relationship: 'mother' }] }))
      await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: `e-${childId}`, siteId, beneficiaryId: childId, schoolId: schoolOf(i), classId: 'cp', from: '2026-09-01' }))
      for (const serviceId of ['snack', 'lunch']) {
        await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: `s-${childId}-${serviceId}`, siteId, beneficiaryId: childId, serviceId, from: '2026-09-01' }))
      }
      await d.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: `r-${childId}`, from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId, weight: 1 }], covers: [{ beneficiaryId: childId, serviceId: 'snack' }, { beneficiaryId: childId, serviceId: 'lunch' }] }))
    }
    await tx.ledger!.createAccounts(siteId, standardLedgerAccounts({
      currency: 'EUR', billingOffices: [{ id: 'regie', serviceIds: ['snack', 'lunch'] }], guardians: families.map((f) => ({ guardianId: f.guardianId, billingOfficeIds: ['regie'] })),
    }))
  })
  for (const f of families) await recordPayment({ storage, clock }, { id: `top-up-${f.guardianId}`, siteId, billingOfficeId: 'regie', payerId: f.guardianId, method: 'cash', date: '2027-02-08', amount: '5.00' })
  const wallets = async () => (await storage.ledger!.getBalances(siteId, families.map((f) => walletAccountId(f.guardianId, 'regie')), now)).map((b) => b.available)
  const booked = async (serviceId = 'snack', date = DAY) => (await storage.bookings!.listBookings(siteId, { from: date, to: date, serviceId }, { limit: 1000 })).items.filter((b) => b.status === 'booked')
  return { siteId, families, wallets, booked }
}

function onStorage(name: string, create: () => Promise<StoragePorts>, { races }: { races: number }) {
  describe(`booking workflows on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())
    const deps = { storage, clock }

    it(`books exactly K of N parents asking at once for the last K places, and debits no refused parent's wallet`, async () => {
      const places = 5
      const { siteId, families, wallets, booked } = await seeded(storage, races)
      const outcomes = await Promise.all(families.map((f) => changeBookings(deps, settings(places), { siteId, guardianId: f.guardianId, beneficiaryId: f.childId, serviceId: 'snack', dates: [DAY], action: 'book' })))
      const accepted = outcomes.filter((o) => o[0]!.ok)
      expect(accepted).toHaveLength(places)
      expect(await booked()).toHaveLength(places)
      // each refused parent is told the day is full, in the library's words
      for (const o of outcomes.filter((x) => !x[0]!.ok)) expect(o[0]!.ok ? [] : o[0]!.reasons.map((r) => r.code)).toEqual(['FULL'])
      const winners = new Set((await booked()).map((b) => b.beneficiaryId))
      const balances = await wallets()
      families.forEach((f, i) => expect(balances[i], f.guardianId).toBe(winners.has(f.childId) ? 420n : 500n))
    }, 60_000)

    it('records a back-office user booking on a guardian\'s behalf as the entry\'s actor, naming the guardian, and refuses an actor without an id', async () => {
      const { siteId } = await seeded(storage, 1)
      const request = { siteId, guardianId: 'g0', beneficiaryId: 'c0', serviceId: 'snack', dates: [DAY], action: 'book' as const }
      const refused = await changeBookings(deps, settings(5), request, { audit: { entryId: 'staff-0', actor: { kind: 'user', id: '' } } }).catch((e: unknown) => e)
      expect(isEcoleError(refused) ? [refused.code, refused.details['field']] : refused).toEqual(['INVALID_INPUT', 'options.audit.actor'])
      await changeBookings(deps, settings(5), request, { audit: { entryId: 'staff-1', actor: { kind: 'user', id: 'u-secretary' } } })
      const [entry] = (await storage.audit!.listAuditEntries(siteId, { subjectId: 'c0' }, { limit: 10 })).items
      expect([entry!.actor, entry!.action, entry!.after]).toEqual([{ kind: 'user', id: 'u-secretary' }, 'booking.booked', { serviceId: 'snack', dates: [DAY], onBehalfOf: 'g0' }])
    })

    it('refunds a prepaid day cancelled before the cut-off, and frees its place', async () => {
      const { siteId, families, wallets, booked } = await seeded(storage, 1)
      const request = { siteId, guardianId: 'g0', beneficiaryId: 'c0', serviceId: 'snack', dates: [DAY, '2027-02-12' as LocalDate], action: 'book' as const }
      expect(await changeBookings(deps, settings(1), request)).toEqual([{ date: DAY, ok: true }, { date: '2027-02-12', ok: true }])
      expect(await wallets()).toEqual([340n])
      expect(await changeBookings(deps, settings(1), { ...request, dates: [DAY], action: 'cancel' })).toEqual([{ date: DAY, ok: true }])
      expect(await wallets()).toEqual([420n])
      expect(await booked()).toHaveLength(0)
      expect(families).toHaveLength(1)
    })

    it('reserves the price again when a day is booked, cancelled and booked again within one millisecond (the clock stands still)', async () => {
      // the reservation was named after the booking and the millisecond: the third call reused the
      // voided reservation's id, the ledger answered `exists`, and the day was booked holding no money
      const { siteId, wallets, booked } = await seeded(storage, 1)
      const request = { siteId, guardianId: 'g0', beneficiaryId: 'c0', serviceId: 'snack', dates: [DAY], action: 'book' as const }
      for (const action of ['book', 'cancel', 'book', 'cancel', 'book'] as const) expect(await changeBookings(deps, settings(5), { ...request, action })).toEqual([{ date: DAY, ok: true }])
      expect(await wallets()).toEqual([420n])
      const [day] = await booked()
      expect((await storage.ledger!.getTransfer(siteId, day!.reservationTransferId!))?.pendingStatus).toBe('pending')
    })

    it('leaves every booked day holding its reservation when book, cancel and book of one day arrive at once in one millisecond', async () => {
      for (let round = 0; round < 5; round++) {
        const { siteId, wallets, booked } = await seeded(storage, 1)
        const request = { siteId, guardianId: 'g0', beneficiaryId: 'c0', serviceId: 'snack', dates: [DAY], action: 'book' as const }
        await changeBookings(deps, settings(5), request)
        await Promise.all((['cancel', 'book', 'cancel', 'book'] as const).map((action) => changeBookings(deps, settings(5), { ...request, action })))
        const days = await booked()
        const reservation = days[0] ? await storage.ledger!.getTransfer(siteId, days[0].reservationTransferId!) : undefined
        // booked and holding 0.80, or cancelled and holding nothing: never booked for free
        expect(days.length === 1 ? [reservation?.pendingStatus, await wallets()] : [undefined, await wallets()]).toEqual(days.length === 1 ? ['pending', [420n]] : [undefined, [500n]])
      }
    }, 60_000)

    it('refuses a day of the winter closure with the closure and its label, and books the other days of the request', async () => {
      const { siteId } = await seeded(storage, 1)
      const outcomes = await changeBookings(deps, settings(10), { siteId, guardianId: 'g0', beneficiaryId: 'c0', serviceId: 'snack', dates: ['2027-02-19', '2027-02-22'], action: 'book' })
      expect(outcomes[0]).toEqual({ date: '2027-02-19', ok: true })
      const refused = outcomes[1]!
      expect(refused.ok).toBe(false)
      if (!refused.ok) {
        expect(refused.reasons).toEqual([{ code: 'CLOSED', date: '2027-02-22', closure: { cause: 'closurePeriod', periodId: 'winter', label: "Vacances d'hiver" } }])
        expect(bookingRefusalMessage(refused.reasons[0]!, 'en')).toContain("Vacances d'hiver")
      }
    })

    it('refuses a booking that needs a consent the guardian has not given, books it once given, and refuses again once withdrawn', async () => {
      const { siteId, booked } = await seeded(storage, 1)
      const s = settings(10)
      const request = { siteId, guardianId: 'g0', beneficiaryId: 'c0', serviceId: 'lunch', dates: [DAY], action: 'book' as const }
      const [first] = await changeBookings(deps, s, request)
      expect(first).toEqual({ date: DAY, ok: false, reasons: [{ code: 'CONSENT_MISSING', consentId: 'rules', label: 'Règlement de la restauration 2026-2027' }] })
      expect(await guardianConsents(deps, s, { siteId, guardianId: 'g0', date: '2027-02-08' })).toEqual([{ consent: expect.objectContaining({ id: 'rules' }) }])
      expect(await acceptBookingConsent(deps, s, { siteId, consentId: 'rules', guardianId: 'g0' })).toBe('created')
      expect((await guardianConsents(deps, s, { siteId, guardianId: 'g0', date: '2027-02-08' }))[0]!.acceptedAt).toEqual(now)
      expect(await changeBookings(deps, s, request)).toEqual([{ date: DAY, ok: true }])
      expect(await booked('lunch')).toHaveLength(1)
      expect(await withdrawBookingConsent(deps, s, { siteId, consentId: 'rules', guardianId: 'g0' })).toBe(true)
      const [again] = await changeBookings(deps, s, { ...request, dates: ['2027-02-12'] })
      expect(again!.ok ? [] : again!.reasons.map((r) => r.code)).toEqual(['CONSENT_MISSING'])
      // the prepaid snack is not gated by that consent
      expect(await changeBookings(deps, s, { ...request, serviceId: 'snack' })).toEqual([{ date: DAY, ok: true }])
    })

    it('refuses a request with a malformed day or action with INVALID_INPUT naming the field, and books nothing', async () => {
      const { siteId, booked } = await seeded(storage, 1)
      const request = { siteId, guardianId: 'g0', beneficiaryId: 'c0', serviceId: 'snack', dates: [DAY, '2027-13-45' as LocalDate], action: 'book' as const }
      await expect(changeBookings(deps, settings(10), request)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('dates[1]') })
      await expect(changeBookings(deps, settings(10), { ...request, dates: [DAY], action: 'reserve' as 'book' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^\[ecole\] action/) })
      expect(await booked()).toHaveLength(0)
    })

    it('refuses to record an answer to a consent the site does not have, and stores nothing', async () => {
      const { siteId } = await seeded(storage, 1)
      await expect(acceptBookingConsent(deps, settings(1), { siteId, consentId: 'photos', guardianId: 'g0' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^\[ecole\] consentId/) })
      expect(await storage.bookings!.listConsentAcceptances(siteId)).toEqual([])
    })

    it("reads only the family's child, counting the places of its school taken by other children and not those of another school", async () => {
      // children 0-3 at school A, 4-5 at school B; 2 places per day and school
      const { siteId, families, booked } = await seeded(storage, 6, (i) => (i < 4 ? 'school' : 'school-b'))
      const two = settings(2)
      two.offers = [...two.offers, { serviceId: 'snack', schoolId: 'school-b' }]
      const book = (i: number) => changeBookings(deps, two, { siteId, guardianId: families[i]!.guardianId, beneficiaryId: families[i]!.childId, serviceId: 'snack', dates: [DAY], action: 'book' })
      expect((await book(0))[0]!.ok).toBe(true)
      expect((await book(4))[0]!.ok).toBe(true)
      expect((await book(1))[0]!.ok).toBe(true)
      // school A is full with children 0 and 1, whose records the third child's booking does not read beforehand
      const third = (await book(2))[0]!
      expect(third.ok ? [] : third.reasons).toEqual([{ code: 'FULL', capacity: 2, booked: 2 }])
      // school B still has a place
      expect((await book(5))[0]!.ok).toBe(true)
      expect((await booked()).map((b) => b.beneficiaryId).sort()).toEqual(['c0', 'c1', 'c4', 'c5'])
    })

    it("gives the same verdicts from a family's facts as from the whole site's, for every day and action", async () => {
      const { siteId, families } = await seeded(storage, 5, (i) => (i % 2 ? 'school' : 'school-b'))
      const two = settings(2)
      two.offers = [...two.offers, { serviceId: 'snack', schoolId: 'school-b' }]
      for (const i of [0, 1, 2]) await changeBookings(deps, two, { siteId, guardianId: families[i]!.guardianId, beneficiaryId: families[i]!.childId, serviceId: 'snack', dates: ['2027-02-11', '2027-02-12'], action: 'book' })
      const days: LocalDate[] = ['2027-02-09', '2027-02-11', '2027-02-12', '2027-02-15', '2027-02-22']
      for (const f of families) {
        const [whole, family] = await storage.transaction(siteId, async (tx) => {
          const options = { from: days[0]!, to: days[days.length - 1]!, guardianIds: [f.guardianId], now, serviceId: 'snack' }
          const narrow = await loadBookingFacts(tx, { beneficiaryIds: [f.childId] })
          expect(narrow.children.map((c) => c.id)).toEqual([f.childId])
          expect(narrow.rules.map((r) => r.id)).toEqual([`r-${f.childId}`])
          return [await loadBookingContext(tx, two, options), await loadBookingContext(tx, two, { ...options, facts: narrow })]
        })
        for (const date of days) {
          for (const action of ['book', 'cancel'] as const) {
            for (const guardianId of [f.guardianId, 'g-other']) {
              const request = { beneficiaryId: f.childId, serviceId: 'snack', date, at: now, actor: { kind: 'guardian' as const, guardianId }, action }
              expect(checkBooking(family, request), `${f.childId} ${date} ${action} ${guardianId}`).toEqual(checkBooking(whole, request))
            }
          }
        }
      }
    })

    it('refuses a narrow read of children that are not an array of at most 1,000 ids with INVALID_INPUT naming beneficiaryIds', async () => {
      const refusal = (ids: unknown) => storage.transaction('booking-refusals', (tx) => loadBookingFacts(tx, { beneficiaryIds: ids as string[] })).then(() => undefined, (e: unknown) => e)
      for (const bad of ['c1', Array.from({ length: 1001 }, (_, i) => `c${i}`), ['c1', 7], ['']]) {
        const e = await refusal(bad)
        expect(isEcoleError(e) && e.code, JSON.stringify(bad).slice(0, 40)).toBe('INVALID_INPUT')
        expect((e as Error).message).toContain('beneficiaryIds')
      }
    })

    it('refuses a prepaid day the wallet cannot pay with the shortfall, and writes nothing of that day', async () => {
      const { siteId, wallets, booked } = await seeded(storage, 1)
      const dear = settings(10)
      dear.services = dear.services.map((sv) => (sv.id === 'snack' ? { ...sv, price: { amount: '6.00', currency: 'EUR' } } : sv))
      const [o] = await changeBookings(deps, dear, { siteId, guardianId: 'g0', beneficiaryId: 'c0', serviceId: 'snack', dates: [DAY], action: 'book' })
      expect(o!.ok ? [] : o!.reasons).toEqual([{ code: 'INSUFFICIENT_BALANCE', guardianId: 'g0', price: { amount: '6.00', currency: 'EUR' }, available: { amount: '5.00', currency: 'EUR' }, shortfall: { amount: '1.00', currency: 'EUR' } }])
      expect(await wallets()).toEqual([500n])
      expect(await booked()).toHaveLength(0)
    })
  })
}

onStorage('storage-memory', async () => createMemoryStorage(), { races: 8 })
onStorage('storage-postgres on PGlite', () => createPostgresStorage(), { races: 8 })
const url = process.env['ECOLE_PG_URL']
if (url) onStorage('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url, poolSize: 12 }), { races: 30 })
else console.log('[ecole] ECOLE_PG_URL is not set: the booking races on a PostgreSQL server are skipped')

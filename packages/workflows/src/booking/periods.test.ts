import {
  BillingRuleSchema, ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, ServiceSubscriptionSchema, isEcoleError, standardLedgerAccounts, walletAccountId,
  type LocalDate,
} from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { createInvoiceBatch, recordPayment, storeBookings } from '../billing/index'
import { applyWeekTemplate, changeBookings, deletePeriod, savePeriod, saveSchoolCalendar, type BookingSiteSettings, type SavePeriodRequest } from './index'

// Monday 8 February 2027, 08:30 in Paris
const now = new Date('2027-02-08T07:30:00Z')
const clock = { now: () => now }
const siteId = 'site-1'
const actor = { kind: 'user' as const, id: 'u-admin' }
const cutoff = { kind: 'daysBefore', days: 1, count: 'weekdays', at: '10:00' } as const
const settings: BookingSiteSettings = {
  timeZone: 'Europe/Paris', billingOfficeId: 'regie', storedPeriods: true,
  services: [
    { id: 'snack', weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, bookingCutoff: cutoff },
    { id: 'canteen', weekdays: [1, 2, 4, 5], bookingCutoff: cutoff },
  ],
  offers: [{ serviceId: 'snack', schoolId: 'jaures' }, { serviceId: 'canteen', schoolId: 'jaures' }],
}
// a strike on Thursday 11 and Friday 12 February closes the canteen and the snack of class CP-A only
const strike: SavePeriodRequest['period'] = {
  id: 'strike', kind: 'closure', label: 'Grève', colour: '#cc3333', from: '2027-02-11', to: '2027-02-12',
  scopes: [{ serviceId: 'canteen', schoolId: 'jaures', classIds: ['cp-a'] }, { serviceId: 'snack', schoolId: 'jaures', classIds: ['cp-a'] }],
}

/**
 * Léa (CP-A, paid by g0 from a wallet of 8.00) has the snack booked from 9 to 19 February (prepaid,
 * 7 days) and the canteen on 11 and 12 February; Tom (CE1, also g0's) has the canteen on 11 February.
 * Léa's canteen of 11 February is already on a draft invoice (billed).
 */
async function seeded() {
  const storage = createMemoryStorage()
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h0', siteId, name: 'Famille Martin' }))
    await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g0', siteId, householdId: 'h0', firstName: 'Anne', lastName: 'Martin' }))
    for (const [id, first, classId] of [['lea', 'Léa', 'cp-a'], ['tom', 'Tom', 'ce1']] as const) {
      await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id, siteId, firstName: first, lastName: 'Martin', birthDate: '2020-03-01', guardians: [{ guardianId: 'g0', relationship: 'mother' }] }))
      await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: `e-${id}`, siteId, beneficiaryId: id, schoolId: 'jaures', classId, from: '2026-09-01' }))
      for (const s of ['snack', 'canteen']) await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: `s-${id}-${s}`, siteId, beneficiaryId: id, serviceId: s, from: '2026-09-01' }))
    }
    await d.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'r0', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'g0', weight: 1 }], covers: ['lea', 'tom'].flatMap((b) => [{ beneficiaryId: b, serviceId: 'snack' }, { beneficiaryId: b, serviceId: 'canteen' }]) }))
    await tx.ledger!.createAccounts(siteId, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'regie', serviceIds: ['snack', 'canteen'] }], guardians: [{ guardianId: 'g0', billingOfficeIds: ['regie'] }] }))
  })
  await recordPayment({ storage, clock }, { id: 'top-up', siteId, billingOfficeId: 'regie', payerId: 'g0', method: 'cash', date: '2027-02-08', amount: '8.00' })
  const snack = await applyWeekTemplate({ storage, clock }, settings, { siteId, template: { beneficiaryId: 'lea', serviceId: 'snack', weekdays: [1, 2, 4, 5], from: '2027-02-09', to: '2027-02-19', recurrence: { kind: 'everyWeek' }, mode: 'add' } })
  expect(snack.counts.booked).toBe(7)
  const canteen = (id: string, beneficiaryId: string, date: LocalDate) => ({ id, beneficiaryId, serviceId: 'canteen', date, status: 'booked' as const, bookedAt: now })
  await storeBookings({ storage }, { siteId, bookings: [canteen('lea-11', 'lea', '2027-02-11'), canteen('lea-12', 'lea', '2027-02-12'), canteen('tom-11', 'tom', '2027-02-11')] })
  await createInvoiceBatch({ storage, clock }, {
    batch: { id: 'feb', siteId, billingOfficeId: 'regie', period: { from: '2027-02-01', to: '2027-02-28' }, serviceIds: ['canteen'], dueDate: '2027-03-15', portalDisplayDate: '2027-03-01' },
    charges: [{ chargeId: 'g0|lea|canteen|service|2027-02-11', debtorId: 'g0', beneficiaryId: 'lea', serviceId: 'canteen', date: '2027-02-11', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n }],
  })
  const available = async () => (await storage.ledger!.getBalances(siteId, [walletAccountId('g0', 'regie')], now))[0]!.available
  const booked = async () => (await storage.bookings!.listBookings(siteId, { from: '2027-02-01', to: '2027-02-28' }, { limit: 1000 })).items.filter((b) => b.status === 'booked').map((b) => `${b.beneficiaryId} ${b.serviceId} ${b.date}`)
  return { storage, available, booked }
}

async function failure(p: Promise<unknown>) {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('did not fail')
}

describe('savePeriod: a closure deletes the unbilled bookings it covers, once confirmed (seed 001: ajouter une période)', () => {
  it('previews the bookings a closure would delete (CP-A only) and the billed ones it keeps, writing nothing', async () => {
    const { storage, available, booked } = await seeded()
    const before = await booked()
    const r = await savePeriod({ storage, clock }, { siteId, actor, period: strike, preview: true })
    expect(r.status).toBe('preview')
    expect(r.impact.cancelled.map((b) => `${b.beneficiaryId} ${b.serviceId} ${b.date} ${b.classId}`)).toEqual([
      'lea snack 2027-02-11 cp-a', 'lea canteen 2027-02-12 cp-a', 'lea snack 2027-02-12 cp-a',
    ])
    expect(r.impact.billedInside.map((b) => b.bookingId)).toEqual(['lea-11'])
    expect(await booked()).toEqual(before)
    expect(await available()).toBe(800n - 7n * 80n)
    expect(await storage.directory!.getDirectoryRecord(siteId, 'period', 'strike')).toBeUndefined()
  })

  it('deletes exactly the confirmed bookings, refunds the two prepaid snacks to the wallet, keeps the billed canteen and Tom\'s class, stores the period and its audit entry', async () => {
    const { storage, available, booked } = await seeded()
    const wallet = await available()
    const shown = await savePeriod({ storage, clock }, { siteId, actor, period: strike, preview: true })
    const r = await savePeriod({ storage, clock }, { siteId, actor, period: strike, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
    expect(r.status).toBe('created')
    expect(r.refundedMinor).toBe(160n)
    expect(await available()).toBe(wallet + 160n)
    const left = await booked()
    expect(left).toContain('lea canteen 2027-02-11')
    expect(left).toContain('tom canteen 2027-02-11')
    expect(left).not.toContain('lea canteen 2027-02-12')
    expect(left.filter((b) => b.startsWith('lea snack'))).toEqual(['lea snack 2027-02-09', 'lea snack 2027-02-15', 'lea snack 2027-02-16', 'lea snack 2027-02-18', 'lea snack 2027-02-19'])
    expect(await storage.directory!.getDirectoryRecord(siteId, 'period', 'strike')).toEqual({ ...strike, siteId, scopes: strike.scopes })
    const audit = (await storage.audit!.listAuditEntries(siteId, { subjectKind: 'period' })).items
    expect(audit.map((a) => [a.action, a.actor.id, (a.after as { cancelledBookingIds?: string[] }).cancelledBookingIds?.length])).toEqual([['period.created', 'u-admin', 3]])
  })

  it('refuses, writing nothing, when a booking was made in the closure after the impact was shown (PERIOD_IMPACT_CHANGED names it)', async () => {
    const { storage, available, booked } = await seeded()
    const shown = await savePeriod({ storage, clock }, { siteId, actor, period: strike, preview: true })
    // meanwhile Léa's canteen of Friday 12 is cancelled and booked again (another booking id)
    await storage.bookings!.putBooking(siteId, { id: 'lea-12', beneficiaryId: 'lea', serviceId: 'canteen', date: '2027-02-12', status: 'cancelled', bookedAt: now, cancelledAt: now })
    await storeBookings({ storage }, { siteId, bookings: [{ id: 'lea-12-again', beneficiaryId: 'lea', serviceId: 'canteen', date: '2027-02-12', status: 'booked', bookedAt: now }] })
    const before = await booked()
    const wallet = await available()
    const e = await failure(savePeriod({ storage, clock }, { siteId, actor, period: strike, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) }))
    expect(isEcoleError(e, 'PERIOD_IMPACT_CHANGED')).toBe(true)
    expect((e as { details: Record<string, unknown> }).details).toMatchObject({ added: ['lea-12-again'], removed: ['lea-12'] })
    expect(await booked()).toEqual(before)
    expect(await available()).toBe(wallet)
    expect(await storage.directory!.getDirectoryRecord(siteId, 'period', 'strike')).toBeUndefined()
    expect((await storage.audit!.listAuditEntries(siteId, {})).items).toEqual([])
  })

  it('refuses a closure that deletes bookings when none was confirmed, and saves one that deletes none', async () => {
    const { storage } = await seeded()
    expect(isEcoleError(await failure(savePeriod({ storage, clock }, { siteId, actor, period: strike })), 'PERIOD_IMPACT_CHANGED')).toBe(true)
    const r = await savePeriod({ storage, clock }, { siteId, actor, period: { ...strike, id: 'works', from: '2027-03-01', to: '2027-03-05' } })
    expect([r.status, r.impact.cancelled.length]).toEqual(['created', 0])
  })

  it('deletes nothing for an opening (a holiday centre open in the holidays)', async () => {
    const { storage, booked } = await seeded()
    const before = await booked()
    const r = await savePeriod({ storage, clock }, { siteId, actor, period: { ...strike, id: 'centre', kind: 'opening' } })
    expect([r.status, r.impact.cancelled, await booked()]).toEqual(['created', [], before])
  })

  it('widening a stored closure deletes the bookings of the added days, after confirmation; its audit entry says what changed', async () => {
    const { storage, booked } = await seeded()
    const first = await savePeriod({ storage, clock }, { siteId, actor, period: strike, preview: true })
    await savePeriod({ storage, clock }, { siteId, actor, period: strike, confirmedBookingIds: first.impact.cancelled.map((b) => b.bookingId) })
    const wider = { ...strike, to: '2027-02-15' as const }
    const shown = await savePeriod({ storage, clock }, { siteId, actor, period: wider, preview: true })
    expect(shown.impact.cancelled.map((b) => `${b.serviceId} ${b.date}`)).toEqual(['snack 2027-02-15'])
    const r = await savePeriod({ storage, clock }, { siteId, actor, period: wider, confirmedBookingIds: shown.impact.cancelled.map((b) => b.bookingId) })
    expect(r.status).toBe('updated')
    expect(await booked()).not.toContain('lea snack 2027-02-15')
    const [edited] = (await storage.audit!.listAuditEntries(siteId, { action: 'period.edited' })).items
    expect([edited?.before, edited?.after]).toEqual([{ to: '2027-02-12' }, { to: '2027-02-15', cancelledBookingIds: shown.impact.cancelled.map((b) => b.bookingId) }])
  })

  it('a stored closure refuses the portal\'s bookings of its days (CLOSED) when the settings read stored periods', async () => {
    const { storage } = await seeded()
    await savePeriod({ storage, clock }, { siteId, actor, period: { ...strike, id: 'later', from: '2027-02-22', to: '2027-02-22' } })
    const outcome = await changeBookings({ storage, clock }, settings, { siteId, guardianId: 'g0', beneficiaryId: 'lea', serviceId: 'canteen', dates: ['2027-02-22', '2027-02-23'], action: 'book' })
    expect(outcome.map((o) => (o.ok ? 'ok' : o.reasons.map((r) => r.code).join()))).toEqual(['CLOSED', 'ok'])
  })

  it('refuses a period that is not one, naming the field, and another site\'s period', async () => {
    const { storage } = await seeded()
    const e = await failure(savePeriod({ storage, clock }, { siteId, actor, period: { ...strike, to: '2027-02-10' } }))
    expect(isEcoleError(e, 'INVALID_INPUT') && e.details.issues.map((i) => i.path)).toEqual(['period.to'])
    const other = await failure(savePeriod({ storage, clock }, { siteId, actor, period: { ...strike, siteId: 'site-2' } }))
    expect(isEcoleError(other, 'INVALID_INPUT') && other.details.issues.map((i) => i.path)).toEqual(['period.siteId'])
  })
})

describe('deletePeriod', () => {
  it('deletes a stored period with its audit entry; the deleted bookings stay deleted; a second delete answers false', async () => {
    const { storage, booked } = await seeded()
    await savePeriod({ storage, clock }, { siteId, actor, period: { ...strike, id: 'works', from: '2027-03-01', to: '2027-03-05' } })
    const before = await booked()
    expect((await deletePeriod({ storage, clock }, { siteId, periodId: 'works', actor })).deleted).toBe(true)
    expect((await deletePeriod({ storage, clock }, { siteId, periodId: 'works', actor })).deleted).toBe(false)
    expect(await storage.directory!.getDirectoryRecord(siteId, 'period', 'works')).toBeUndefined()
    expect(await booked()).toEqual(before)
    expect((await storage.audit!.listAuditEntries(siteId, { action: 'period.deleted' })).items.map((a) => a.subject.id)).toEqual(['works'])
  })
})

describe('saveSchoolCalendar: the national calendar of a zone, stored (seed 001: créer toutes les périodes scolaires)', () => {
  it('stores the zone C closures of 2026-2027 with their origin, unlinked ("périodes sans prestations"), and stores nothing more when run twice', async () => {
    const { storage } = await seeded()
    const first = await saveSchoolCalendar({ storage, clock }, { siteId, actor, zone: 'FR-C', schoolYear: '2026-2027' })
    expect(first.created.length).toBeGreaterThan(3)
    expect(first.existing).toEqual([])
    const stored = (await storage.directory!.listDirectoryRecords(siteId, 'period')).items
    expect(stored.map((p) => p.id).sort()).toEqual([...first.created].sort())
    expect(stored.every((p) => p.scopes.length === 0 && p.generatedFrom?.zone === 'FR-C' && p.generatedFrom.schoolYear === '2026-2027')).toBe(true)
    const again = await saveSchoolCalendar({ storage, clock }, { siteId, actor, zone: 'FR-C', schoolYear: '2026-2027' })
    expect([again.created, again.existing.sort()]).toEqual([[], [...first.created].sort()])
    expect((await storage.directory!.listDirectoryRecords(siteId, 'period')).items).toEqual(stored)
  })

  it('links the chosen services and classes, deletes the bookings the winter holidays cover once confirmed, and keeps a period edited since', async () => {
    const { storage, booked } = await seeded()
    await storeBookings({ storage }, { siteId, bookings: [{ id: 'hol', beneficiaryId: 'lea', serviceId: 'canteen', date: '2027-02-15', status: 'booked', bookedAt: now }] })
    const request = { siteId, actor, zone: 'FR-C', schoolYear: '2026-2027', scopes: [{ serviceId: 'canteen', schoolId: 'jaures', classIds: ['cp-a'] }] }
    const shown = await saveSchoolCalendar({ storage, clock }, { ...request, preview: true })
    // zone C's winter holidays run from 7 to 21 February 2027: Léa's canteen of the 12th and the 15th (her billed 11th kept, Tom's class not chosen)
    expect(shown.impact.cancelled.map((b) => b.bookingId)).toEqual(['lea-12', 'hol'])
    expect(shown.impact.billedInside.map((b) => b.bookingId)).toEqual(['lea-11'])
    expect(isEcoleError(await failure(saveSchoolCalendar({ storage, clock }, request)), 'PERIOD_IMPACT_CHANGED')).toBe(true)
    const r = await saveSchoolCalendar({ storage, clock }, { ...request, confirmedBookingIds: ['hol', 'lea-12'] })
    expect(r.impact.cancelled.map((b) => b.bookingId)).toEqual(['lea-12', 'hol'])
    expect((await booked()).filter((b) => b.startsWith('lea canteen'))).toEqual(['lea canteen 2027-02-11'])
    const winter = r.periods.find((p) => p.from <= '2027-02-15' && '2027-02-15' <= p.to)!
    await savePeriod({ storage, clock }, { siteId, actor, period: { ...winter, label: 'Hiver (modifié)' } })
    const again = await saveSchoolCalendar({ storage, clock }, { ...request, scopes: [] })
    expect(again.created).toEqual([])
    expect((await storage.directory!.getDirectoryRecord(siteId, 'period', winter.id))!.label).toBe('Hiver (modifié)')
  })

  it('refuses a zone and year without data (SCHOOL_YEAR_UNAVAILABLE), writing nothing', async () => {
    const { storage } = await seeded()
    expect(isEcoleError(await failure(saveSchoolCalendar({ storage, clock }, { siteId, actor, zone: 'FR-C', schoolYear: '1990-1991' })), 'SCHOOL_YEAR_UNAVAILABLE')).toBe(true)
    expect((await storage.directory!.listDirectoryRecords(siteId, 'period')).items).toEqual([])
  })
})

import {
  BillingRuleSchema, ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, ServiceSubscriptionSchema, isEcoleError, standardLedgerAccounts, walletAccountId,
  type LocalDate, type WeekTemplateInput,
} from '@ecole/core'
import type { LedgerStore, StoragePorts, StorageTransaction } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { recordPayment } from '../billing/index'
import { applyWeekTemplate, changeBookings, type BookingSiteSettings } from './index'

// Monday 8 February 2027, 08:30 in Paris: days from Tuesday 9 February can still be booked
const now = new Date('2027-02-08T07:30:00Z')
const clock = { now: () => now }
const cutoff = { kind: 'daysBefore', days: 1, count: 'weekdays', at: '10:00' } as const
const siteId = 'site-1'
const settings: BookingSiteSettings = {
  timeZone: 'Europe/Paris', billingOfficeId: 'regie',
  services: [{ id: 'snack', weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, bookingCutoff: cutoff }],
  offers: [{ serviceId: 'snack', schoolId: 'school' }],
  periods: [{ id: 'winter', kind: 'closure', label: "Vacances d'hiver", from: '2027-02-20', to: '2027-03-07', scopes: [{ serviceId: 'snack' }] }],
}
const template = (over: Partial<WeekTemplateInput> = {}): WeekTemplateInput => ({
  beneficiaryId: 'c0', serviceId: 'snack', weekdays: [1, 2, 4, 5], from: '2027-02-10', to: '2027-03-12', recurrence: { kind: 'everyWeek' }, mode: 'add', ...over,
})

/** One family: g0 pays c0's snacks from a wallet of 5.00 (six days at 0.80); an older rule, ended, named gx, who has no wallet. */
async function seeded(openAccounts = true) {
  const storage = createMemoryStorage()
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h0', siteId, name: 'Famille 0' }))
    for (const g of ['g0', 'gx']) await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: g, siteId, householdId: 'h0', firstName: 'Parent', lastName: g }))
    await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'c0', siteId, firstName: 'Enfant', lastName: 'c0', birthDate: '2020-03-01', guardians: [{ guardianId: 'g0', relationship: 'mother' }] }))
    await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: 'e-c0', siteId, beneficiaryId: 'c0', schoolId: 'school', classId: 'cp', from: '2026-09-01' }))
    await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: 's-c0', siteId, beneficiaryId: 'c0', serviceId: 'snack', from: '2026-09-01' }))
    await tx.directory!.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'a-old', from: '2026-09-01', to: '2026-12-31', criterion: { kind: 'always' }, payers: [{ guardianId: 'gx', weight: 1 }], covers: [{ beneficiaryId: 'c0', serviceId: 'snack' }] }))
    await tx.directory!.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'b-now', from: '2027-01-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'g0', weight: 1 }], covers: [{ beneficiaryId: 'c0', serviceId: 'snack' }] }))
    if (openAccounts) await tx.ledger!.createAccounts(siteId, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'regie', serviceIds: ['snack'] }], guardians: [{ guardianId: 'g0', billingOfficeIds: ['regie'] }] }))
  })
  await recordPayment({ storage, clock }, { id: 'top-up', siteId, billingOfficeId: 'regie', payerId: 'g0', method: 'cash', date: '2027-02-08', amount: '5.00' })
  const available = async () => (await storage.ledger!.getBalances(siteId, [walletAccountId('g0', 'regie')], now))[0]!.available
  const booked = async () => (await storage.bookings!.listBookings(siteId, { from: '2027-02-01', to: '2027-03-31', beneficiaryId: 'c0' }, { limit: 1000 })).items.filter((b) => b.status === 'booked').map((b) => b.date)
  return { storage, available, booked }
}

describe('applyWeekTemplate: a prepaid week template from the back office (seed 001: réservations selon une semaine type)', () => {
  it('books the days the wallet can pay, reserving each day\'s price, refuses the closed days and the days past the balance with the shortfall, and says so per date', async () => {
    const { storage, available, booked } = await seeded()
    const r = await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template() })
    const outcome = r.days.map((d) => [d.date, d.status, d.reasons?.[0]?.code ?? ''])
    expect(outcome).toEqual([
      ['2027-02-11', 'booked', ''], ['2027-02-12', 'booked', ''], ['2027-02-15', 'booked', ''], ['2027-02-16', 'booked', ''], ['2027-02-18', 'booked', ''], ['2027-02-19', 'booked', ''],
      ['2027-02-22', 'refused', 'CLOSED'], ['2027-02-23', 'refused', 'CLOSED'], ['2027-02-25', 'refused', 'CLOSED'], ['2027-02-26', 'refused', 'CLOSED'],
      ['2027-03-01', 'refused', 'CLOSED'], ['2027-03-02', 'refused', 'CLOSED'], ['2027-03-04', 'refused', 'CLOSED'], ['2027-03-05', 'refused', 'CLOSED'],
      ['2027-03-08', 'refused', 'INSUFFICIENT_BALANCE'], ['2027-03-09', 'refused', 'INSUFFICIENT_BALANCE'], ['2027-03-11', 'refused', 'INSUFFICIENT_BALANCE'], ['2027-03-12', 'refused', 'INSUFFICIENT_BALANCE'],
    ])
    expect(r.days.find((d) => d.date === '2027-03-08')!.reasons).toEqual([{ code: 'INSUFFICIENT_BALANCE', guardianId: 'g0', price: { amount: '0.80', currency: 'EUR' }, available: { amount: '0.20', currency: 'EUR' }, shortfall: { amount: '0.60', currency: 'EUR' } }])
    expect(r.counts).toEqual({ booked: 6, kept: 0, refused: 12, cancelled: 0 })
    expect(await booked()).toEqual(['2027-02-11', '2027-02-12', '2027-02-15', '2027-02-16', '2027-02-18', '2027-02-19'])
    // each booked day holds 0.80 of the wallet: 5.00 - 6 x 0.80
    expect(await available()).toBe(20n)
    // applied again: the six days are kept, nothing more is reserved
    const again = await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template() })
    expect(again.counts.kept).toBe(6)
    expect(await available()).toBe(20n)
  })

  it('opens the service\'s revenue account when only the desk credit opened the wallet (a first prepaid template of the service)', async () => {
    const { storage, available, booked } = await seeded(false)
    const r = await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template({ to: '2027-02-12' }) })
    expect(r.counts).toEqual({ booked: 2, kept: 0, refused: 0, cancelled: 0 })
    expect(await booked()).toEqual(['2027-02-11', '2027-02-12'])
    expect(await available()).toBe(500n - 2n * 80n)
  })

  it('previews without writing anything', async () => {
    const { storage, available, booked } = await seeded()
    const r = await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template(), preview: true })
    expect(r.counts.booked).toBe(6)
    expect(await booked()).toEqual([])
    expect(await available()).toBe(500n)
  })

  it('replaces what is not billed: the days the new template drops are cancelled and their reservations released, the money back in the wallet', async () => {
    const { storage, available, booked } = await seeded()
    await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template({ to: '2027-02-19' }) })
    expect(await available()).toBe(20n)
    const r = await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template({ to: '2027-02-19', weekdays: [1, 4], mode: 'replace' }) })
    expect(r.cancellations.map((x) => [x.date, x.status])).toEqual([['2027-02-12', 'cancelled'], ['2027-02-16', 'cancelled'], ['2027-02-19', 'cancelled']])
    expect(await booked()).toEqual(['2027-02-11', '2027-02-15', '2027-02-18'])
    expect(await available()).toBe(500n - 3n * 80n)
  })

  it('reserves the price again when a dropped day is applied again within the same millisecond (the clock stands still)', async () => {
    // the day's booking and reservation were named after the millisecond: applied again, the new
    // booking reused the voided reservation's id, the ledger answered `exists`, and the day held no money
    const { storage, available, booked } = await seeded()
    await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template({ to: '2027-02-12' }) })
    await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template({ to: '2027-02-12', weekdays: [4], mode: 'replace' }) })
    expect([await booked(), await available()]).toEqual([['2027-02-11'], 500n - 80n])
    const r = await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template({ to: '2027-02-12' }) })
    expect(r.counts).toEqual({ booked: 1, kept: 1, refused: 0, cancelled: 0 })
    expect([await booked(), await available()]).toEqual([['2027-02-11', '2027-02-12'], 500n - 2n * 80n])
  })

  it('cancels a dropped day whatever the number of the child\'s cancelled bookings listed before it (replace read only the first 1,000)', async () => {
    const { storage, available } = await seeded()
    await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template({ to: '2027-02-19' }) })
    // 1,001 cancelled bookings of the first day of the period, listed before the booked days
    const cancelledAt = new Date('2027-02-01T08:00:00Z')
    await storage.transaction(siteId, async (tx) => {
      for (let i = 0; i <= 1000; i++) await tx.bookings!.putBooking(siteId, { id: `old-${String(i).padStart(4, '0')}`, beneficiaryId: 'c0', serviceId: 'snack', date: '2027-02-10', status: 'cancelled', bookedAt: cancelledAt, cancelledAt })
    })
    const r = await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template({ to: '2027-02-19', weekdays: [1, 4], mode: 'replace' }) })
    expect(r.cancellations.map((x) => [x.date, x.status])).toEqual([['2027-02-12', 'cancelled'], ['2027-02-16', 'cancelled'], ['2027-02-19', 'cancelled']])
    const stored = (await storage.bookings!.listBookings(siteId, { from: '2027-02-11', to: '2027-03-31', beneficiaryId: 'c0' })).items
    expect(stored.filter((b) => b.status === 'booked').map((b) => b.date)).toEqual(['2027-02-11', '2027-02-15', '2027-02-18'])
    expect(await available()).toBe(500n - 3n * 80n)
  })

  it('books every other week, and only the weeks of a list', async () => {
    const other = await seeded()
    const r = await applyWeekTemplate({ storage: other.storage, clock }, settings, { siteId, template: template({ to: '2027-02-19', recurrence: { kind: 'everyOtherWeek' } }) })
    expect(r.days.map((d) => d.date)).toEqual(['2027-02-11', '2027-02-12'])
    const listed = await seeded()
    const l = await applyWeekTemplate({ storage: listed.storage, clock }, settings, { siteId, template: template({ recurrence: { kind: 'weekList', weeks: ['2027-W07'] } }) })
    expect(l.days.map((d) => [d.date, d.status])).toEqual([['2027-02-15', 'booked'], ['2027-02-16', 'booked'], ['2027-02-18', 'booked'], ['2027-02-19', 'booked']])
    expect(await listed.available()).toBe(500n - 4n * 80n)
  })

  it('writes the audit entries options.audit builds from the outcome in the same transaction, none for a preview; an audit that throws leaves no booking and no reservation', async () => {
    const { storage, available, booked } = await seeded()
    const audit = (_tx: unknown, r: { counts: { booked: number } }) => [{ id: `a-${r.counts.booked}`, siteId, at: now.toISOString(), actor: { kind: 'user' as const, id: 'u-regie' }, action: 'bookings.weekTemplate', subject: { kind: 'child', id: 'c0' }, after: { booked: r.counts.booked } }]
    await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template(), preview: true }, { audit })
    expect((await storage.audit!.listAuditEntries(siteId, {})).items).toEqual([])
    await expect(applyWeekTemplate({ storage, clock }, settings, { siteId, template: template() }, { audit: () => { throw new Error('the audit store is full') } })).rejects.toThrow('the audit store is full')
    expect([await booked(), await available()]).toEqual([[], 500n])
    await applyWeekTemplate({ storage, clock }, settings, { siteId, template: template() }, { audit })
    expect((await storage.audit!.listAuditEntries(siteId, {})).items.map((e) => [e.action, e.after])).toEqual([['bookings.weekTemplate', { booked: 6 }]])
    expect(await booked()).toHaveLength(6)
  })

  it('reserves a day paid by two payers entirely or not at all: a wallet emptied between the plan and the reservation leaves the other payer\'s money untouched, and the day is refused with the short payer named', async () => {
    const { storage, available, booked } = await seeded()
    // from 15 February, g0 and g1 share c0's snacks (0.40 each); g1's wallet holds 0.40, one day
    await storage.transaction(siteId, async (tx) => {
      const d = tx.directory!
      await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g1', siteId, householdId: 'h0', firstName: 'Parent', lastName: 'g1' }))
      await d.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'b-now', from: '2027-01-01', to: '2027-02-14', criterion: { kind: 'always' }, payers: [{ guardianId: 'g0', weight: 1 }], covers: [{ beneficiaryId: 'c0', serviceId: 'snack' }] }))
      await d.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: 'c-shared', from: '2027-02-15', criterion: { kind: 'always' }, payers: [{ guardianId: 'g0', weight: 1 }, { guardianId: 'g1', weight: 1 }], covers: [{ beneficiaryId: 'c0', serviceId: 'snack' }] }))
    })
    await recordPayment({ storage, clock }, { id: 'top-up-g1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-02-08', amount: '0.40' })
    // another writer spends g1's 0.40 after the plan was made, before the reservations are written
    // (the race the plan cannot see): the ledger then refuses g1's half of the 15th
    let spent = false
    const raced = withLedger(storage, (ledger) => ({
      async createTransfers(site: string, transfers: Parameters<typeof ledger.createTransfers>[1], at: Date) {
        if (!spent && transfers.some((t) => t.code === 'booking' && t.id.startsWith('backOffice:'))) {
          spent = true
          const [elsewhere] = await ledger.createTransfers(site, [{ id: 'elsewhere', debitAccountId: walletAccountId('g1', 'regie'), creditAccountId: transfers[0]!.creditAccountId, amount: 40n, currency: 'EUR', code: 'booking', timestamp: at }], at)
          expect(elsewhere!.status).toBe('created')
        }
        return ledger.createTransfers(site, transfers, at)
      },
    }))
    const r = await applyWeekTemplate({ storage: raced, clock }, settings, { siteId, template: template({ to: '2027-02-16' }) })
    expect(r.days.map((d) => [d.date, d.status])).toEqual([['2027-02-11', 'booked'], ['2027-02-12', 'booked'], ['2027-02-15', 'refused'], ['2027-02-16', 'refused']])
    expect(r.days[2]!.reasons).toEqual([{ code: 'INSUFFICIENT_BALANCE', guardianId: 'g1', price: { amount: '0.40', currency: 'EUR' }, available: { amount: '0.00', currency: 'EUR' }, shortfall: { amount: '0.40', currency: 'EUR' } }])
    expect(r.counts).toEqual({ booked: 2, kept: 0, refused: 2, cancelled: 0 })
    expect(await booked()).toEqual(['2027-02-11', '2027-02-12'])
    // g0 pays the two days it alone pays; nothing of the refused 15th stays reserved on its wallet
    expect(await available()).toBe(500n - 2n * 80n)
    const g0 = (await storage.ledger!.getBalances(siteId, [walletAccountId('g0', 'regie')], now))[0]!
    expect(g0.debitsPending).toBe(2n * 80n)
  })

  it('refuses a template that is not one, naming the field, and writes nothing', async () => {
    const { storage, booked } = await seeded()
    for (const [bad, field] of [[template({ weekdays: [] }), 'weekdays'], [template({ to: '2027-02-01' }), 'to'], [template({ from: '2027-02-10', to: '2028-03-01' }), 'to']] as const) {
      try {
        await applyWeekTemplate({ storage, clock }, settings, { siteId, template: bad })
        expect.unreachable()
      } catch (e) {
        expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
        expect((e as Error).message).toContain(field)
      }
    }
    expect(await booked()).toEqual([] as LocalDate[])
  })
})

describe('changeBookings on a prepaid service whose ledger accounts were never opened', () => {
  it('opens the service revenue account and the payer\'s wallet and books the day, instead of reporting a shortfall the wallet does not have', async () => {
    const { storage, available, booked } = await seeded(false)
    const r = await changeBookings({ storage, clock }, settings, { siteId, guardianId: 'g0', beneficiaryId: 'c0', serviceId: 'snack', dates: ['2027-02-09'], action: 'book' })
    expect(r).toEqual([{ date: '2027-02-09', ok: true }])
    expect([await booked(), await available()]).toEqual([['2027-02-09'], 420n])
  })
})

/** `storage` whose transactions' ledger is `wrap(ledger)` over the real one (the other methods unchanged). */
function withLedger<S extends StoragePorts>(storage: S, wrap: (ledger: LedgerStore) => Partial<LedgerStore>): S {
  const bound = <T extends object>(target: T, key: PropertyKey): unknown => {
    const v = Reflect.get(target, key) as unknown
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
  }
  return new Proxy(storage, {
    get(target, key) {
      if (key !== 'transaction') return bound(target, key)
      return (siteId: string, fn: (tx: StorageTransaction) => Promise<unknown>, ...rest: unknown[]) =>
        (target.transaction as (...a: unknown[]) => Promise<unknown>)(siteId, (tx: StorageTransaction) => {
          const ledger = tx.ledger!
          const own = wrap(ledger)
          const wrappedLedger = new Proxy(ledger, { get: (l, k) => (k in own ? (own as Record<PropertyKey, unknown>)[k] : bound(l, k)) })
          return fn(new Proxy(tx, { get: (t, k) => (k === 'ledger' ? wrappedLedger : bound(t, k)) }))
        }, ...rest)
    },
  })
}

/**
 * A prepaid day two parents share (a billing rule naming both, 1:1) on the portal's calendar: the
 * page decides each day as `changeBookings` does, with every payer's wallet, so a day both wallets
 * can pay is offered, and a day the other parent's wallet cannot pay is refused with the reason the
 * workflow gives when it is booked (no more of the other parent's wallet than that reason says).
 */
import { BillingRuleSchema, ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, ServiceSubscriptionSchema, standardLedgerAccounts, walletAccountId } from '@ecole/core'
import { SERVICES } from '@ecole/example-billing-run/demo-site'
import { hashPassword, recordPayment } from '@ecole/workflows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, guardianEmail } from '../src/seed'
import { SITE } from '../src/site-settings'
import { Client, startTestHost, visibleText, type TestHost } from './support'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
  // two families whose snack (prepaid, 0.80 a day) both parents pay half of: in the first both
  // wallets hold 5.00, in the second the father's wallet is empty
  await seedSharedFamily('funded', { mum: '5.00', dad: '5.00' })
  await seedSharedFamily('short', { mum: '5.00' })
})
afterAll(async () => host?.close())

const snack = SERVICES.snack.id
const DAY = '2027-03-11'

async function seedSharedFamily(name: string, topUps: { mum?: string; dad?: string }): Promise<void> {
  const siteId = SITE.id
  const now = host.clock.now()
  const mum = `partage-${name}-mere`
  const dad = `partage-${name}-pere`
  const child = `partage-${name}-enfant`
  const hash = await hashPassword(DEMO_PASSWORD, { N: 1024, r: 8, p: 1 })
  await host.ctx.storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: `partage-${name}`, siteId, name: `Famille Partage ${name}` }))
    for (const [id, firstName] of [[mum, 'Anne'], [dad, 'Bruno']] as const) {
      await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id, siteId, householdId: `partage-${name}`, firstName, lastName: `Partage ${name}`, email: guardianEmail(id) }))
    }
    await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: child, siteId, firstName: 'Chloé', lastName: `Partage ${name}`, birthDate: '2020-03-01', guardians: [{ guardianId: mum, relationship: 'mother' }, { guardianId: dad, relationship: 'father' }] }))
    await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: `insc-${child}`, siteId, beneficiaryId: child, schoolId: SITE.schoolId, classId: 'cp', from: '2026-09-01' }))
    await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: `droit-${child}`, siteId, beneficiaryId: child, serviceId: snack, from: '2026-09-01' }))
    await d.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: `regle-${child}`, from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: mum, weight: 1 }, { guardianId: dad, weight: 1 }], covers: [{ beneficiaryId: child, serviceId: snack }] }))
    await tx.access!.putPortalAccount(siteId, { siteId, guardianId: mum, login: guardianEmail(mum) })
    await tx.access!.putCredential(siteId, { subject: { kind: 'guardian', id: mum }, passwordHash: hash, updatedAt: now.toISOString() })
    await tx.ledger!.createAccounts(siteId, standardLedgerAccounts({
      currency: 'EUR', billingOffices: [{ id: SITE.billingOfficeId, serviceIds: Object.values(SERVICES).map((s) => s.id) }],
      guardians: [mum, dad].map((guardianId) => ({ guardianId, billingOfficeIds: [SITE.billingOfficeId] })),
    }))
  })
  for (const [guardianId, amount] of [[mum, topUps.mum], [dad, topUps.dad]] as const) {
    if (amount) await recordPayment({ storage: host.ctx.storage, clock: host.clock }, { id: `partage-topup-${guardianId}`, siteId, billingOfficeId: SITE.billingOfficeId, payerId: guardianId, method: 'cash', date: '2027-02-01', amount })
  }
}

async function mumOf(name: string): Promise<Client> {
  const c = new Client(host.app)
  expect((await c.login(guardianEmail(`partage-${name}-mere`), DEMO_PASSWORD)).status).toBe(303)
  return c
}

async function walletMinor(guardianId: string): Promise<bigint> {
  const [b] = await host.ctx.storage.ledger!.getBalances(SITE.id, [walletAccountId(guardianId, SITE.billingOfficeId)], host.clock.now())
  return b?.available ?? 0n
}

/** The calendar cell of a day, as HTML. */
function cellOf(html: string, date: string): string {
  const m = new RegExp(`<td[^>]*data-date="${date}"[\\s\\S]*?</td>`).exec(html)
  expect(m, `no cell for ${date}`).not.toBeNull()
  return m![0]
}

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ').trim()

describe('a prepaid day two parents share (billing rule 1:1)', () => {
  it("is offered when both wallets can pay their share, and booking it takes each parent's share", async () => {
    const mum = await mumOf('funded')
    const page = await mum.get(`/bookings?child=partage-funded-enfant&service=${snack}&month=2027-03`)
    expect(page.status).toBe(200)
    const cell = cellOf(page.text, DAY)
    expect(cell).toContain('data-state="open"')
    expect(cell).toContain(`<input type="checkbox" name="date" value="${DAY}"`)
    expect(visibleText(cell)).not.toContain('Solde insuffisant')
    // a shared day is paid by both, never by "you" alone
    expect(plain(visibleText(cell))).toContain("Payé par vous et l'autre parent")
    // the page shows no parent's balance in the calendar
    expect(visibleText(page.text)).not.toMatch(/solde disponible/i)
    // and booking it goes through, as the page said
    const r = await mum.post('/bookings', { child: 'partage-funded-enfant', service: snack, month: '2027-03', action: 'book', date: DAY })
    expect(r.status).toBe(303)
    expect(visibleText((await mum.get(r.headers.get('Location')!)).text)).toContain('1 jour(s) traité(s), 0 refusé(s)')
    expect(await walletMinor('partage-funded-mere')).toBe(460n)
    expect(await walletMinor('partage-funded-pere')).toBe(460n)
  })

  it("is refused when the other parent's wallet cannot pay their share, saying so without the other parent's balance, on the calendar and when posted", async () => {
    const mum = await mumOf('short')
    const calendar = `/bookings?child=partage-short-enfant&service=${snack}&month=2027-03`
    const page = await mum.get(calendar)
    const cell = cellOf(page.text, DAY)
    expect(cell).toContain('data-state="refused"')
    expect(cell).not.toContain('type="checkbox"')
    const shown = [...cell.matchAll(/<span class="reason">([^<]*)<\/span>/g)].map((m) => plain(m[1]!)).filter((r) => r.includes('solde'))
    expect(shown).toEqual(['Le solde de l&#39;autre payeur de ce jour ne suffit pas pour sa part.'])
    expect(plain(cell)).not.toMatch(/0,00 €|0,40 €/)
    // the workflow refuses it with that very reason (the form is posted anyway, as a stale page would)
    const r = await mum.post('/bookings', { child: 'partage-short-enfant', service: snack, month: '2027-03', action: 'book', date: DAY })
    const flash = plain(visibleText((await mum.get(r.headers.get('Location')!)).text))
    expect(flash).toContain('0 jour(s) traité(s), 1 refusé(s)')
    expect(flash).toContain("Le solde de l'autre payeur de ce jour ne suffit pas pour sa part.")
    expect(flash).not.toMatch(/solde disponible|il manque/)
    expect(await walletMinor('partage-short-mere')).toBe(500n)
    expect(await walletMinor('partage-short-pere')).toBe(0n)
  })
})

import type { LocalDate } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { host, pgliteForFile } from './support'
import { MoneyClient, moneySite } from './money-support'

// What a day costs, on screen: the services' tariffs and the guardians' family quotients, stored
// as directory records and read by the invoice batches. One PGlite for the file, a site per test.
const db = pgliteForFile()
let site = 0

async function fresh(login = 'direction@jaures.example') {
  const siteId = `staff-tariffs-${++site}`
  await moneySite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const user = new MoneyClient(app, ctx)
  await user.login(login)
  return { ctx, siteId, user, as: async (other: string) => { const u = new MoneyClient(app, ctx); await u.login(other); return u } }
}

const BRACKETS = { mode: 'booked', from: '2027-01-01', kind: 'quotientBrackets', max0: '700', price0: '1,10', max1: '1200', price1: '3,30', max2: '', price2: '4,20', noQuotientPrice: '4,70' }

describe('service tariffs (what a day costs)', () => {
  it('lists every service with its billing and tariffs, amounts and dates written in French', async () => {
    const { user } = await fresh()
    const r = await user.get('/staff/admin/tariffs')
    expect(r.status).toBe(200)
    expect(r.text).toContain('Tarifs des prestations')
    expect(r.text).toMatch(/Cantine<\/th><td>jours réservés<\/td><td><ul><li>01\/09\/2026 – sans fin : QF 0 à 700 : 1,00\s€ ; QF 700 et plus : 3,20\s€ ; sans QF : 3,20\s€<\/li>/)
    expect(r.text).toMatch(/Garderie du soir<\/th><td>jours réservés<\/td><td><ul><li>01\/09\/2026 – sans fin : 2,50\s€<\/li>/)
  })

  it('adds a tariff by family quotient from a date, typed with commas: the open tariff before it must end first, then both are kept in date order', async () => {
    const { user, ctx, siteId } = await fresh()
    const overlapping = await user.post('/staff/admin/tariffs/cantine', BRACKETS)
    expect(overlapping.status).toBe(400)
    expect(overlapping.text).toContain('À partir du : ')
    expect(overlapping.text).toContain('overlap')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'cantine'))!.tariffs).toHaveLength(1)
    // end the 2026 tariff on 2026-12-31 (same first day: replaced), then add the 2027 one
    const ended = await user.post('/staff/admin/tariffs/cantine', { mode: 'booked', from: '2026-09-01', to: '2026-12-31', kind: 'quotientBrackets', max0: '700', price0: '1', max1: '', price1: '3,20', noQuotientPrice: '3,20' })
    expect(ended.status).toBe(303)
    const added = await user.post('/staff/admin/tariffs/cantine', BRACKETS)
    expect(added.status).toBe(303)
    const stored = await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'cantine')
    expect(stored!.tariffs.map((x) => [x.from, x.to])).toEqual([['2026-09-01', '2026-12-31'], ['2027-01-01', undefined]])
    expect(stored!.tariffs[1]!.tariff).toEqual({
      kind: 'quotientBrackets', noQuotientPrice: { amount: '4.70', currency: 'EUR' },
      brackets: [{ min: '0', max: '700', price: { amount: '1.10', currency: 'EUR' } }, { min: '700', max: '1200', price: { amount: '3.30', currency: 'EUR' } }, { min: '1200', price: { amount: '4.20', currency: 'EUR' } }],
    })
    const list = await user.get('/staff/admin/tariffs?done=saved')
    expect(list.text).toContain('Le tarif est enregistré.')
    expect(list.text).toMatch(/01\/01\/2027 – sans fin : QF 0 à 700 : 1,10\s€ ; QF 700 à 1200 : 3,30\s€ ; QF 1200 et plus : 4,20\s€ ; sans QF : 4,70\s€/)
  })

  it('shows a bad bracket beside its own field (a price that is not one, a ceiling not above the floor) and stores nothing', async () => {
    const { user, ctx, siteId } = await fresh()
    const before = await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'garderie')
    const r = await user.post('/staff/admin/tariffs/garderie', { ...BRACKETS, from: '2026-09-01', max1: '500', price2: 'deux euros' })
    expect(r.status).toBe(400)
    expect(r.text).toContain("Rien n&#39;a été enregistré")
    expect(r.text).toMatch(/id="b-max1-error" class="field-error">Tranche 2 : jusqu&#39;au QF \(exclu\) : /)
    expect(r.text).toMatch(/id="b-price2-error" class="field-error">Tranche 3 : prix : /)
    expect(r.text).toContain('value="deux euros"')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'garderie')).toEqual(before)
  })

  it('deletes a tariff period after a confirmation that says what it changes, and records who did it', async () => {
    const { user, ctx, siteId } = await fresh()
    const confirm = await user.get('/staff/admin/tariffs/garderie/periods/2026-09-01/delete')
    expect(confirm.text).toContain('Supprimer le tarif de « Garderie du soir » à partir du 01/09/2026')
    expect(confirm.text).toContain("C&#39;est son seul tarif")
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'garderie')).toBeDefined()
    const r = await user.post('/staff/admin/tariffs/garderie/periods/2026-09-01/delete', {})
    expect(r.status).toBe(303)
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'garderie')).toBeUndefined()
    expect((await user.get('/staff/admin/tariffs')).text).toMatch(/Garderie du soir<\/th><td>—<\/td><td><strong>Aucun tarif/)
    const audit = await ctx.storage.audit!.listAuditEntries(siteId, {}, { limit: 50 })
    expect(audit.items.map((e) => e.action)).toContain('servicePricing.periodDeleted')
  })

  it('refuses a tariff saved from a form opened before someone else changed the service\'s tariffs (409, what changed), keeps both their period and the stored one, and saves again knowingly', async () => {
    const { user, ctx, siteId } = await fresh()
    const versionIn = (page: string) => page.match(/name="version" value="([^"]*)"/)![1]!
    const openedA = versionIn((await user.get('/staff/admin/tariffs/cantine')).text)
    const openedB = versionIn((await user.get('/staff/admin/tariffs/cantine')).text)
    // A ends the 2026 tariff; B, from the same page, adds 2027 as if the 2026 tariff were still open
    expect((await user.post('/staff/admin/tariffs/cantine', { version: openedA, mode: 'booked', from: '2026-09-01', to: '2026-12-31', kind: 'quotientBrackets', max0: '700', price0: '1', max1: '', price1: '3,20', noQuotientPrice: '3,20' })).status).toBe(303)
    const late = await user.post('/staff/admin/tariffs/cantine', { ...BRACKETS, version: openedB })
    expect(late.status).toBe(409)
    expect(late.text).toContain('Cette fiche a été modifiée par')
    expect(late.text).toContain('value="4,70"')
    const stored = await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'cantine')
    expect(stored!.tariffs.map((x) => [x.from, x.to])).toEqual([['2026-09-01', '2026-12-31']])
    const again = await user.post('/staff/admin/tariffs/cantine', { ...BRACKETS, version: versionIn(late.text) })
    expect(again.status).toBe(303)
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'cantine'))!.tariffs.map((x) => x.from)).toEqual(['2026-09-01', '2027-01-01'])
    // a period deleted from a confirmation shown before that save: refused, nothing deleted
    const confirmation = versionIn((await user.get('/staff/admin/tariffs/garderie/periods/2026-09-01/delete')).text)
    expect((await user.post('/staff/admin/tariffs/garderie', { version: versionIn((await user.get('/staff/admin/tariffs/garderie')).text), mode: 'booked', from: '2026-09-01', kind: 'fixed', price: '2,60' })).status).toBe(303)
    expect((await user.post('/staff/admin/tariffs/garderie/periods/2026-09-01/delete', { version: confirmation })).status).toBe(409)
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'garderie')).toBeDefined()
  })

  it('lets the secretary see the tariffs (invoices.read) but not change them, naming settings.services, and changes nothing', async () => {
    const { as, ctx, siteId } = await fresh()
    const secretary = await as('secretariat@jaures.example')
    const list = await secretary.get('/staff/admin/tariffs')
    expect(list.status).toBe(200)
    expect(list.text).not.toContain('/staff/admin/tariffs/cantine')
    const before = await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'cantine')
    const r = await secretary.post('/staff/admin/tariffs/cantine', { mode: 'booked', from: '2026-09-01', kind: 'fixed', price: '0,01' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('settings.services')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'cantine')).toEqual(before)
  })
})

describe('family quotients, and the batch that prices with them', () => {
  it('prices the canteen by the family quotient the secretary enters on the guardian’s page, known on the first day of the billing period: 3,20 € without a QF, 1,00 € under QF 700', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as('secretariat@jaures.example')
    // Claire Martin (g1) has no QF: her 4 canteen days cost the price without a QF
    const page = await secretary.get('/staff/guardians/g1')
    expect(page.text).toContain('Aucun quotient connu')
    const cashier = await as('regisseur@jaures.example')
    const batch = (id: string) => cashier.post('/staff/batches', { batchId: id, from: '2027-01-01', to: '2027-01-31', billingOfficeId: 'regie', serviceIds: ['cantine', 'garderie'], dueDate: '2027-02-15', portalDisplayDate: '2027-02-05' })
    const draftOf = async (id: string) => {
      for (let i = 0; i < 200 && (await ctx.storage.invoicing!.getInvoice(siteId, id)) === undefined; i++) await new Promise((ok) => setTimeout(ok, 25))
      return (await ctx.storage.invoicing!.getInvoice(siteId, id))!
    }
    expect((await batch('jan')).status).toBe(303)
    expect((await draftOf('jan:g1')).totalMinor).toBe(4n * 320n + 250n)
    // the draft deleted (its days may be billed again), the QF entered, the month billed again
    expect((await cashier.post('/staff/drafts/jan:g1/delete', {})).status).toBe(303)
    expect(await ctx.storage.invoicing!.getInvoice(siteId, 'jan:g1')).toBeUndefined()
    const saved = await secretary.post('/staff/guardians/g1/quotient', { quotient: '612,5', from: '2027-01-01' })
    expect(saved.status).toBe(303)
    expect((await secretary.get(saved.location!)).text).toContain('QF 612,50 à partir du 01/01/2027')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'familyQuotient', 'g1')).toEqual({ id: 'g1', siteId, quotients: [{ quotient: '612.50', from: '2027-01-01' }] })
    // the same month billed again in a new batch (the first one's draft deleted): 4 canteen days under QF 700 at 1,00 €, care 2,50 €
    expect((await batch('jan2')).status).toBe(303)
    expect((await draftOf('jan2:g1')).totalMinor).toBe(4n * 100n + 250n)
  })

  it('ends the open QF the day before a new one starts, and refuses a QF that is not a number, naming the field', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as('secretariat@jaures.example')
    const bad = await secretary.post('/staff/guardians/g2/quotient', { quotient: 'beaucoup', from: '2027-01-01' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Quotient familial (QF) : ')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'familyQuotient', 'g2')).toEqual({ id: 'g2', siteId, quotients: [{ quotient: '650', from: '2026-01-01' }] })
    expect((await secretary.post('/staff/guardians/g2/quotient', { quotient: '910', from: '2027-03-01' })).status).toBe(303)
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'familyQuotient', 'g2'))!.quotients).toEqual([
      { quotient: '650', from: '2026-01-01', to: '2027-02-28' as LocalDate }, { quotient: '910', from: '2027-03-01' },
    ])
  })

  it('refuses a batch of a service that has no tariff on the form, naming the service, and creates no batch', async () => {
    const { ctx, siteId, user, as } = await fresh()
    expect((await user.post('/staff/admin/tariffs/garderie/periods/2026-09-01/delete', {})).status).toBe(303)
    const cashier = await as('regisseur@jaures.example')
    const r = await cashier.post('/staff/batches', { batchId: 'jan', from: '2027-01-01', to: '2027-01-31', billingOfficeId: 'regie', serviceIds: ['cantine', 'garderie'], dueDate: '2027-02-15', portalDisplayDate: '2027-02-05' })
    expect(r.status).toBe(400)
    expect(r.text).toContain("Ces prestations n&#39;ont pas de tarif enregistré : garderie.")
    expect(await ctx.storage.invoicing!.getInvoiceBatch(siteId, 'jan')).toBeUndefined()
  })
})

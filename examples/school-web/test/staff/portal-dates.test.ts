import { GuardianSchema } from '@ecole/core'
import { openPortalAccess, setPasswordWithToken, validateDrafts } from '@ecole/workflows'
import { afterEach, describe, expect, it } from 'vitest'
import { invoicesPage } from '../../src/portal/family'
import { freshPgliteStorage } from '../fresh-pglite'
import { mailHost } from './msg-support'
import { Client, FAST_SCRYPT, host, NOW, pgliteForFile, smallSite } from './support'

// The portal display date of invoices (seed 001, « mettre à disposition la facture sur le
// portail ») through HTTP, for a filtered set of invoices, confirmed with the count; then what the
// family sees on the portal before and after that day.
const db = pgliteForFile()
let site = 0
let stops: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const stop of stops) await stop()
  stops = []
})

const CASHIER = 'regisseur@jaures.example'
const CLAIRE = 'claire@example.fr'

async function fresh() {
  const siteId = `staff-portal-dates-${++site}`
  await smallSite(db.storage, siteId)
  await db.storage.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g1', siteId, householdId: 'h1', firstName: 'Claire', lastName: 'Martin', email: CLAIRE, attributes: {} }))
  // no mail is queued here: the relay port is never dialled
  const h = await mailHost(db.storage, siteId, 9)
  stops.push(h.stop)
  return { ...h, siteId }
}

describe('the portal display date of a filtered set of invoices (seed 001)', () => {
  it('says how many invoices get the date before setting it; the family sees the validated invoice on the portal from that day, not before', async () => {
    const { as, ctx, siteId, app, clock } = await fresh()
    const cashier = await as(CASHIER)
    const confirm = await cashier.get('/staff/portal-dates/confirm?batchId=dec&debtorId=&invoiceId=&portalDisplayDate=2027-01-25')
    expect(confirm.text).toContain('Mettre la date portail de 2 facture(s) au 25/01/2027 ?')
    const r = await cashier.post('/staff/portal-dates', { batchId: 'dec', debtorId: '', invoiceId: '', portalDisplayDate: '2027-01-25' })
    expect(r.location).toBe('/staff/portal-dates?done=set&count=2&date=2027-01-25')
    expect((await cashier.get(r.location!)).text).toContain('Date portail mise au 25/01/2027 sur 2 facture(s).')
    const [invoice] = await validateDrafts({ storage: ctx.storage, clock: ctx.clock }, { siteId, invoiceIds: ['dec:g1'], issueDate: '2027-01-20' })
    expect(invoice!.portalDisplayDate).toBe('2027-01-25')
    // Claire on the portal
    const opened = await openPortalAccess({ storage: ctx.storage, ids: ctx.ids }, { siteId, guardianId: 'g1', now: NOW })
    if (!opened.ok) throw new Error('refused')
    await setPasswordWithToken({ access: ctx.storage.access!, siteId, token: opened.token, password: 'un mot de passe', confirmation: 'un mot de passe', now: NOW, scrypt: FAST_SCRYPT })
    const claireOn = async (at: string) => {
      clock.at = new Date(at)
      const browser = new Client(app, ctx)
      expect((await browser.post('/login', { username: CLAIRE, password: 'un mot de passe' })).status).toBe(303)
      const page = await browser.get('/invoices')
      expect(page.status).toBe(200)
      return page.text
    }
    expect(await claireOn('2027-01-24T12:00:00Z')).not.toContain(invoice!.number!)
    expect(await claireOn('2027-01-25T07:00:00Z')).toContain(invoice!.number!)
    // a validated invoice's date moves too (only that date): the confirmation says how many are validated
    clock.at = NOW
    const again = await (await as(CASHIER)).get('/staff/portal-dates/confirm?batchId=dec&portalDisplayDate=2027-01-30')
    expect(again.text).toContain('Mettre la date portail de 2 facture(s) au 30/01/2027 ?')
    expect(again.text).toContain('Dont 1 facture(s) validée(s) : seule leur date portail change')
    expect((await (await as(CASHIER)).post('/staff/portal-dates', { batchId: 'dec', debtorId: '', invoiceId: '', portalDisplayDate: '2027-01-30' })).status).toBe(303)
    expect(await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1')).toEqual({ ...invoice!, portalDisplayDate: '2027-01-30' })
    // Claire no longer sees it on the 25th... and sees it again from the 30th
    expect(await claireOn('2027-01-26T12:00:00Z')).not.toContain(invoice!.number!)
    expect(await claireOn('2027-01-30T07:00:00Z')).toContain(invoice!.number!)
  })

  it('asks for an invoice, a batch or a payer, and refuses the secretary (permission invoices.write)', async () => {
    const { as } = await fresh()
    const cashier = await as(CASHIER)
    const none = await cashier.get('/staff/portal-dates/confirm?batchId=&debtorId=&invoiceId=&portalDisplayDate=2027-01-25')
    expect(none.status).toBe(400)
    expect(none.text).toContain('Indiquez une facture, un lot ou un payeur.')
    const secretary = await as('secretariat@jaures.example')
    const refused = await secretary.post('/staff/portal-dates', { batchId: 'dec', portalDisplayDate: '2027-01-25' })
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('il vous manque la permission « invoices.write »')
  })
})

describe('two hosts in one process', () => {
  it("over two databases serving the same site and batch ids, each shows its own batch's label on the portal's invoice list (the labels were kept per process, keyed by site and batch)", async () => {
    const other = await freshPgliteStorage()
    try {
      const siteId = 'staff-portal-two-hosts'
      await smallSite(db.storage, siteId)
      await smallSite(other, siteId, { batchLabel: 'Cantine de décembre (école B)' })
      const labelsOn = async (storage: typeof other) => {
        const { ctx } = await host(storage, siteId)
        await validateDrafts({ storage, clock: ctx.clock }, { siteId, invoiceIds: ['dec:g1'], issueDate: '2027-01-04' })
        const { views, labels } = await invoicesPage(ctx, 'g1', true)
        expect(views.map((v) => v.invoice.id)).toEqual(['dec:g1'])
        return labels.get('dec')
      }
      expect(await labelsOn(db.storage)).toBe('Décembre 2026')
      expect(await labelsOn(other)).toBe('Cantine de décembre (école B)')
    } finally {
      await other.close()
    }
  })
})

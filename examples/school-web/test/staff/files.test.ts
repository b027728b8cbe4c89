import { describe, expect, it } from 'vitest'
import { Client, host, pgliteForFile, smallSite } from './support'

// Issue 18 (files): a draft's reduction modified, and the portal date of validated invoices,
// through HTTP on the host's embedded PGlite, each procedure as its steps (seed 001).
const db = pgliteForFile()
let site = 0

async function fresh() {
  const siteId = `staff-files-${++site}`
  await smallSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const cashier = new Client(app, ctx)
  await cashier.login('regisseur@jaures.example')
  return { ctx, siteId, cashier, client: () => new Client(app, ctx) }
}

describe('a reduction or surcharge of a draft modified (seed 001: réductions et majorations ajoutées, modifiées, supprimées)', () => {
  it('shows the form pre-filled with what is stored, saves the new amount with the total updated, and audits the total before and after', async () => {
    const { cashier, ctx, siteId } = await fresh()
    expect((await cashier.post('/staff/invoices/dec:g1/adjustments', { adjustmentId: 'adj-1', reason: 'Sortie scolaire', kind: 'reduction', amount: '10,00' })).status).toBe(303)
    const page = (await cashier.get('/staff/invoices/dec:g1')).text
    expect(page).toContain('href="/staff/invoices/dec%3Ag1/adjustments/adj-1/edit"')
    const form = (await cashier.get('/staff/invoices/dec:g1/adjustments/adj-1/edit')).text
    expect(form).toMatch(/Total actuel du brouillon : 90,00\s€/)
    expect(form).toContain('value="Sortie scolaire"')
    expect(form).toContain('value="10.00"')
    expect(form).toMatch(/<option value="reduction" selected/)
    const saved = await cashier.post('/staff/invoices/dec:g1/adjustments/adj-1/edit', { reason: 'Sortie au musée', kind: 'reduction', lineId: '', amount: '15,00', percent: '' })
    expect([saved.status, saved.location]).toEqual([303, '/staff/invoices/dec%3Ag1?adjusted=1'])
    expect((await cashier.get(saved.location!)).text).toMatch(/Brouillon mis à jour : nouveau total 85,00\s€/)
    const stored = (await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1'))!
    expect([stored.totalMinor, stored.adjustments.map((a) => [a.id, a.reason, a.amountMinor])]).toEqual([8500n, [['adj-1', 'Sortie au musée', -1500n]]])
    const audit = await ctx.storage.audit!.listAuditEntries(siteId, { subjectId: 'dec:g1' }, { limit: 10 })
    const entry = audit.items.find((e) => e.action === 'invoice.adjustmentChanged')
    expect(entry).toMatchObject({ before: { totalMinor: 9000n }, after: { totalMinor: 8500n } })
  })

  it('turns an amount into a percentage, refuses both at once with the library message and keeps what was stored', async () => {
    const { cashier, ctx, siteId } = await fresh()
    await cashier.post('/staff/invoices/dec:g1/adjustments', { adjustmentId: 'adj-1', reason: 'Fratrie', kind: 'reduction', amount: '10.00' })
    const both = await cashier.post('/staff/invoices/dec:g1/adjustments/adj-1/edit', { reason: 'Fratrie', kind: 'reduction', lineId: '', amount: '5', percent: '10' })
    expect(both.status).toBe(400)
    expect(both.text).toContain('give exactly one of amount or percent')
    expect(both.text).toContain('value="10"') // what was typed stays on the form
    expect((await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1'))!.totalMinor).toBe(9000n)
    expect((await cashier.post('/staff/invoices/dec:g1/adjustments/adj-1/edit', { reason: 'Fratrie', kind: 'surcharge', lineId: '', amount: '', percent: '10' })).status).toBe(303)
    expect((await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1'))!.totalMinor).toBe(11_000n)
    expect((await cashier.get('/staff/invoices/dec:g1/adjustments/adj-1/edit')).text).toMatch(/name="percent"[^>]*value="10"|value="10"[^>]*name="percent"/)
  })

  it('refuses a validated invoice (409), an unknown adjustment (404) and the secretary (invoices.write)', async () => {
    const { cashier, client } = await fresh()
    await cashier.post('/staff/invoices/dec:g1/adjustments', { adjustmentId: 'adj-1', reason: 'Geste', kind: 'reduction', amount: '1.00' })
    expect((await cashier.get('/staff/invoices/dec:g1/adjustments/nope/edit')).status).toBe(404)
    const secretary = client()
    await secretary.login('secretariat@jaures.example')
    const denied = await secretary.post('/staff/invoices/dec:g1/adjustments/adj-1/edit', { reason: 'x', kind: 'reduction', amount: '2' })
    expect(denied.status).toBe(403)
    expect(denied.text).toContain('invoices.write')
    await cashier.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const late = await cashier.post('/staff/invoices/dec:g1/adjustments/adj-1/edit', { reason: 'Geste', kind: 'reduction', amount: '2.00' })
    expect(late.status).toBe(409)
    expect(late.text).toContain('ne se changent que sur un brouillon')
  })
})

describe('the portal display date of validated invoices (seed 001: mettre à disposition la facture sur le portail)', () => {
  it('moves the portal date of a validated invoice from its page, saying it is validated, and changes nothing else of it', async () => {
    const { cashier, ctx, siteId } = await fresh()
    await cashier.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const before = (await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1'))!
    const page = (await cashier.get('/staff/invoices/dec:g1')).text
    const link = page.match(/id="portal-date-link" href="([^"]+)"/)?.[1]?.replace(/&amp;/g, '&')
    expect(link).toBe(`/staff/portal-dates?invoiceId=dec%3Ag1&portalDisplayDate=${before.portalDisplayDate}`)
    const confirm = (await cashier.get('/staff/portal-dates/confirm?invoiceId=dec:g1&portalDisplayDate=2027-02-01')).text
    expect(confirm).toContain('Mettre la date portail de 1 facture(s) au 01/02/2027 ?')
    expect(confirm).toContain('Dont 1 facture(s) validée(s) : seule leur date portail change')
    const r = await cashier.post('/staff/portal-dates', { invoiceId: 'dec:g1', batchId: '', debtorId: '', portalDisplayDate: '2027-02-01' })
    expect(r.location).toBe('/staff/portal-dates?done=set&count=1&date=2027-02-01')
    expect(await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1')).toEqual({ ...before, portalDisplayDate: '2027-02-01' })
    expect((await cashier.get('/staff/invoices/dec:g1')).text).toMatch(/id="portal-date">01\/02\/2027/)
    const audit = await ctx.storage.audit!.listAuditEntries(siteId, { subjectId: 'dec:g1' }, { limit: 10 })
    expect(audit.items.find((e) => e.action === 'invoice.portalDateSet')).toMatchObject({ before: { portalDisplayDate: before.portalDisplayDate }, after: { portalDisplayDate: '2027-02-01', status: 'validated' } })
  })
})

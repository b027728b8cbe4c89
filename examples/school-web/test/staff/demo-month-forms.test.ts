import { describe, expect, it } from 'vitest'
import { host, pgliteForFile } from './support'
import { MoneyClient, moneySite } from './money-support'

// What the back office could not do for the demo's month (test/staff/demo-month-browser.test.ts),
// each through HTTP on the small money site: a batch's minimum amount, a reduction as a
// percentage, the SEPA collection's end-to-end prefix and product (the excused absence is in the browser test).
const db = pgliteForFile()
let site = 0

async function fresh() {
  const siteId = `staff-demo-month-${++site}`
  await moneySite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const user = new MoneyClient(app, ctx)
  await user.login('bo-admin@jaures.example')
  return { ctx, siteId, user }
}

async function settle(user: MoneyClient, location: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const page = await user.get(location)
    if (!page.text.includes('hx-trigger="every 1s"')) return page.text
    await new Promise((ok) => setTimeout(ok, 25))
  }
  throw new Error('the batch did not finish')
}

const january = { batchId: 'jan', label: 'Janvier 2027', from: '2027-01-01', to: '2027-01-31', billingOfficeId: 'regie', serviceIds: ['cantine', 'garderie'], dueDate: '2027-02-15', directDebitDate: '2027-02-10', portalDisplayDate: '2027-02-05' }

describe('the forms the demo month needed', () => {
  it('a batch with a minimum amount drafts no invoice for a payer under it (k-g1 owes 15,30 € for January)', async () => {
    const { ctx, siteId, user } = await fresh()
    const r = await user.post('/staff/batches', { ...january, minimumAmount: '20.00' })
    expect(r.status).toBe(303)
    await settle(user, r.location!)
    expect((await ctx.storage.invoicing!.listInvoices(siteId, { batchId: 'jan' }, { limit: 10 })).items).toEqual([])
    const low = await user.post('/staff/batches', { ...january, batchId: 'jan2', minimumAmount: '15.00' })
    await settle(user, low.location!)
    expect((await ctx.storage.invoicing!.listInvoices(siteId, { batchId: 'jan2' }, { limit: 10 })).items.map((i) => i.totalMinor)).toEqual([1530n])
  })

  it('a reduction given as a percentage of one line takes that share of the line only, and an amount with a percentage is refused', async () => {
    const { ctx, siteId, user } = await fresh()
    const draft = (await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1'))!
    const page = await user.get('/staff/invoices/dec%3Ag1')
    expect(page.text).toContain('id="f-percent"')
    const r = await user.post('/staff/invoices/dec:g1/adjustments', { adjustmentId: 'a1', reason: 'Sortie', kind: 'reduction', amount: '', percent: '10 %', lineId: draft.lines[0]!.id })
    expect(r.status).toBe(303)
    const after = (await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1'))!
    expect(after.totalMinor).toBe(draft.totalMinor - draft.lines[0]!.amountMinor / 10n)
    expect((await user.post('/staff/invoices/dec:g1/adjustments', { adjustmentId: 'a2', reason: 'Les deux', kind: 'reduction', amount: '1.00', percent: '10', lineId: '' })).status).toBe(400)
    expect((await user.post('/staff/invoices/dec:g1/adjustments', { adjustmentId: 'a3', reason: 'Rien', kind: 'reduction', amount: '', percent: '', lineId: '' })).status).toBe(400)
    expect((await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1'))!.totalMinor).toBe(after.totalMinor)
  })

  it("the SEPA collection takes the bank's end-to-end prefix and the payments' product", async () => {
    const { ctx, siteId, user } = await fresh()
    const r = await user.post('/staff/batches', january)
    await settle(user, r.location!)
    expect((await user.post('/staff/invoices/validate', { batchId: 'jan', issueDate: '2027-01-20' })).status).toBe(200)
    const form = await user.get('/staff/direct-debits')
    expect(form.text).toContain('id="f-endToEndPrefix"')
    const done = await user.post('/staff/direct-debits', { batchId: 'jan', collectionDate: '2027-02-10', endToEndPrefix: 'PRLV2702-', product: 'périscolaire' })
    expect(done.status).toBe(200)
    const payments = (await ctx.storage.payments!.listPayments(siteId, { method: 'directDebit' }, { limit: 10 })).items
    expect(payments.map((p) => [p.endToEndId?.startsWith('PRLV2702-'), p.product])).toEqual([[true, 'périscolaire']])
  })
})

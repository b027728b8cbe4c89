import type { InvoiceChargeLine, LocalDate } from '@ecole/core'
import { createInvoiceBatch, recordPayment } from '@ecole/workflows'
import { describe, expect, it } from 'vitest'
import { host, NOW, pgliteForFile } from './support'
import { MoneyClient, moneySite } from './money-support'

// Issue 18: the invoices list the seed shows (seed 001, « FACTURES », « FILTRER SUR LES FACTURES »,
// « État facture : à relancer »): state, search by number or name, order, pages on the server, and
// the reminders of exactly the listed invoices. Through HTTP on the host's embedded PGlite; the
// clock's today is 2027-01-20.
const db = pgliteForFile()
let site = 0

const charge = (batch: string, debtorId: string, amountMinor: bigint, date: LocalDate): InvoiceChargeLine => ({
  chargeId: `${batch}-${debtorId}`, debtorId, beneficiaryId: `k-${debtorId}`, serviceId: 'garderie', date, quantity: 1, unitPriceMinor: amountMinor, amountMinor,
})

/**
 * October (due 2026-11-15: Claire Martin 10.00, paid in full, Paul Roux 8.00), November (due
 * 2026-12-15: Paul Roux 25.00), validated in that order (F2026-000001..3); the test site's
 * December drafts (due 2027-01-15: Claire Martin 100.00, Paul Roux 50.00) left as drafts.
 */
async function fresh() {
  const siteId = `staff-invoice-list-${++site}`
  await moneySite(db.storage, siteId)
  const deps = { storage: db.storage, clock: { now: () => NOW } }
  await createInvoiceBatch(deps, {
    batch: { id: 'oct', siteId, billingOfficeId: 'regie', period: { from: '2026-10-01', to: '2026-10-31' }, serviceIds: ['garderie'], dueDate: '2026-11-15', portalDisplayDate: '2026-11-05', label: 'Octobre 2026' },
    charges: [charge('oct', 'g1', 1000n, '2026-10-05'), charge('oct', 'g2', 800n, '2026-10-05')],
  })
  const { ctx, app } = await host(db.storage, siteId)
  const user = new MoneyClient(app, ctx)
  await user.login('regisseur@jaures.example')
  expect((await user.post('/staff/invoices/validate', { batchId: 'oct', issueDate: '2026-10-31' })).status).toBe(200)
  expect((await user.post('/staff/invoices/validate', { batchId: 'nov', issueDate: '2026-11-30' })).status).toBe(200)
  await recordPayment(deps, { id: 'pay-oct-g1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2026-11-10', invoiceId: 'oct:g1' })
  return { ctx, siteId, user }
}

/** The rows of the list's table: number (drafts by id and `*`), payer, total, remains, due date. */
function rows(page: string): string[][] {
  const body = page.match(/<table id="invoices">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? ''
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').replace(/\u202f|\u00a0/g, ' ').trim()))
}

const numbers = (page: string) => rows(page).map((r) => r[0])
const nextLink = (page: string) => page.match(/<a href="([^"]+)" rel="next">/)?.[1]?.replace(/&amp;/g, '&')

describe('the invoices list: state, search, order and pages (seed 001, FILTRER SUR LES FACTURES)', () => {
  it('shows each invoice with its number, payer by name, total, what remains and due date', async () => {
    const { user } = await fresh()
    const page = (await user.get('/staff/invoices?sort=number')).text
    expect(page).toContain('État facture')
    expect(rows(page)).toEqual([
      ['dec:g1 *', 'Claire Martin', '100,00 €', '', '15/01/2027'],
      ['dec:g2 *', 'Paul Roux', '50,00 €', '', '15/01/2027'],
      ['F2026-000001', 'Claire Martin', '10,00 €', '0,00 €', '15/11/2026'],
      ['F2026-000002', 'Paul Roux', '8,00 €', '8,00 €', '15/11/2026'],
      ['F2026-000003', 'Paul Roux', '25,00 €', '25,00 €', '15/12/2026'],
    ])
  })

  it('filters by state: drafts, validated, to remind (validated, due before today, still owing) and settled', async () => {
    const { user } = await fresh()
    expect(numbers((await user.get('/staff/invoices?state=draft&sort=number')).text)).toEqual(['dec:g1 *', 'dec:g2 *'])
    expect(numbers((await user.get('/staff/invoices?state=validated&sort=number')).text)).toEqual(['F2026-000001', 'F2026-000002', 'F2026-000003'])
    expect(numbers((await user.get('/staff/invoices?state=toRemind&sort=number')).text)).toEqual(['F2026-000002', 'F2026-000003'])
    expect(numbers((await user.get('/staff/invoices?state=settled&sort=number')).text)).toEqual(['F2026-000001'])
    // the links written before the state select (status=) keep working
    expect(numbers((await user.get('/staff/invoices?status=draft&sort=number')).text)).toEqual(['dec:g1 *', 'dec:g2 *'])
  })

  it('finds invoices by the start of their number in any case, or by the payer\'s name', async () => {
    const { user } = await fresh()
    expect(numbers((await user.get('/staff/invoices?q=f2026-000003')).text)).toEqual(['F2026-000003'])
    expect(numbers((await user.get('/staff/invoices?q=F2026&sort=number')).text)).toEqual(['F2026-000001', 'F2026-000002', 'F2026-000003'])
    expect(numbers((await user.get('/staff/invoices?q=martin&sort=number')).text)).toEqual(['dec:g1 *', 'F2026-000001'])
    expect(numbers((await user.get('/staff/invoices?q=Roux&state=toRemind&sort=number')).text)).toEqual(['F2026-000002', 'F2026-000003'])
    const none = (await user.get('/staff/invoices?q=Dupont')).text
    expect([numbers(none), none.includes('Aucune facture ne correspond à ces filtres.')]).toEqual([[], true])
  })

  it('sorts by number, due date and total both ways, and pages on the server with no invoice twice nor missing', async () => {
    const { user } = await fresh()
    expect(numbers((await user.get('/staff/invoices?state=validated&sort=number&dir=desc')).text)).toEqual(['F2026-000003', 'F2026-000002', 'F2026-000001'])
    expect(numbers((await user.get('/staff/invoices?sort=total&dir=desc')).text)).toEqual(['dec:g1 *', 'dec:g2 *', 'F2026-000003', 'F2026-000001', 'F2026-000002'])
    expect(numbers((await user.get('/staff/invoices?sort=dueDate&dir=desc')).text)).toEqual(['dec:g2 *', 'dec:g1 *', 'F2026-000003', 'F2026-000002', 'F2026-000001'])
    // two a page, by total ascending: the pager keeps the order, the filters and the search
    const seen: Array<string | undefined> = []
    let link: string | undefined = '/staff/invoices?sort=total&limit=2'
    let pages = 0
    while (link) {
      const page = (await user.get(link)).text
      seen.push(...numbers(page))
      link = nextLink(page)
      if (link) expect(link).toContain('sort=total')
      pages++
    }
    expect([pages, seen]).toEqual([3, ['F2026-000002', 'F2026-000001', 'F2026-000003', 'dec:g2 *', 'dec:g1 *']])
    // a cursor of another order starts the list again and says so
    const stale = (await user.get('/staff/invoices?sort=total&after=oct:g1')).text
    expect(stale).toContain('Cette page ne correspond plus')
    expect(numbers(stale)[0]).toBe('F2026-000002')
  })

  it('from the « à relancer » list, reminds exactly the listed invoices: a search for one leaves the other unreminded', async () => {
    const { user, ctx, siteId } = await fresh()
    const list = (await user.get('/staff/invoices?state=toRemind&q=F2026-000003')).text
    expect(numbers(list)).toEqual(['F2026-000003'])
    const link = list.match(/<a class="button" id="remind-listed" href="([^"]+)"/)?.[1]?.replace(/&amp;/g, '&')
    expect(link).toBe('/staff/reminders?state=toRemind&q=F2026-000003')
    const reminders = (await user.get(link!)).text
    expect(reminders).toContain('Relances des 1 facture(s) de la liste filtrée.')
    const action = reminders.match(/<form method="post" action="([^"]+)" class="card" id="reminders-send">/)?.[1]?.replace(/&amp;/g, '&')
    expect(action).toBe('/staff/reminders?state=toRemind&q=F2026-000003')
    const r = await user.post(action!, { letters: 'on', notify: 'on' })
    expect([r.status, r.location]).toEqual([303, '/staff/reminders?sent=1&letters=1&state=toRemind&q=F2026-000003'])
    const levels = await ctx.storage.invoicing!.lastReminderLevels(siteId, ['nov:g2', 'oct:g2'])
    expect([levels.get('nov:g2'), levels.get('oct:g2')]).toEqual([2, undefined])
    // without a state to remind the list offers no reminder button
    expect((await user.get('/staff/invoices?state=validated')).text).not.toContain('id="remind-listed"')
  })

  it('refuses a state, order, direction or due day it does not offer, naming the field and the value, and lists nothing (never every invoice)', async () => {
    const { user } = await fresh()
    const state = await user.get('/staff/invoices?state=paid')
    expect(state.status).toBe(400)
    expect(state.text).toContain('État facture : « paid » n&#39;est pas un choix de la liste')
    expect([numbers(state.text), state.text.includes('id="no-invoices"')]).toEqual([[], false])
    const others = await user.get('/staff/invoices?sort=amount&dir=down&dueBefore=2027-02-31')
    expect(others.status).toBe(400)
    for (const sentence of ['Trier par : « amount »', 'Ordre : « down »', 'Échéance avant le : « 2027-02-31 » n&#39;est pas une date']) expect(others.text).toContain(sentence)
    // the older status= link with an unknown value too
    expect((await user.get('/staff/invoices?status=paid')).status).toBe(400)
    // empty values are no filter
    expect(numbers((await user.get('/staff/invoices?state=&sort=&dir=&dueBefore=')).text)).toHaveLength(5)
  })

  it('reminds nothing from a « à relancer » list whose query has a value the list does not offer (GET and POST), and says so', async () => {
    const { user, ctx, siteId } = await fresh()
    const shown = await user.get('/staff/reminders?state=toRemind&dueBefore=2027-13-01')
    expect([shown.status, shown.text.includes('aucune relance n&#39;est faite'), shown.text.includes('id="reminders-send"')]).toEqual([400, true, false])
    const sent = await user.post('/staff/reminders?state=toRemind&dueBefore=2027-13-01', { letters: 'on', notify: 'on' })
    expect(sent.status).toBe(400)
    const levels = await ctx.storage.invoicing!.lastReminderLevels(siteId, ['nov:g2', 'oct:g2'])
    expect([levels.get('nov:g2'), levels.get('oct:g2')]).toEqual([undefined, undefined])
  })
})

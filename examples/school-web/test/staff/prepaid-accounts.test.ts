import { GuardianSchema, localDateOf, walletAccountId } from '@ecole/core'
import { createInvoiceBatch, recordPayment, validateDrafts } from '@ecole/workflows'
import { describe, expect, it } from 'vitest'
import { ACCOUNTS_PAGE_SIZE, pageOf } from '../../src/staff/accounts'
import { host, pgliteForFile } from './support'
import { hiddenField, MoneyClient, moneySite } from './money-support'
import { decemberAndPrepaidDays } from './prepaid-support'

// The prepaid accounts of the back office through HTTP (seed 001, « Comptes prépayés »): the
// account's movements by month with the running balance, the desk credit's billing office and
// product, the debtor and creditor lists paged with their totals. One PGlite for the file, a site per test.
const db = pgliteForFile()
let site = 0

async function fresh(login = 'regisseur@jaures.example') {
  const siteId = `staff-prepaid-${++site}`
  await moneySite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const user = new MoneyClient(app, ctx)
  await user.login(login)
  return { ctx, siteId, user, app }
}

/** The cells of a table's rows (text only, every run of spaces, the no-break one included, made one space), in the first table after a marker. */
function rows(html: string, marker: string): string[][] {
  const start = html.indexOf(marker)
  const table = html.slice(start, html.indexOf('</table>', start))
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()))
}

describe('a prepaid account by month (seed 001: Comptes prépayés, « débits et crédits, triés par mois »)', () => {
  it('opens January at December\'s close, lists each credit and debit with the running balance, closes at the balance, and says what is still reserved', async () => {
    const { ctx, siteId, user } = await fresh()
    await decemberAndPrepaidDays(ctx.storage, siteId)
    // step: the cashier credits Paul Roux's account at the desk: 12.00 in cash, product « Caisse 1 »
    const g2 = await user.get('/staff/guardians/g2')
    const credited = await user.post('/staff/guardians/g2/credit', { paymentId: hiddenField(g2.text, 'paymentId'), date: '2027-01-20', method: 'cash', billingOfficeId: 'regie', product: 'Caisse 1', amount: '12.00' })
    expect(credited.status).toBe(303)
    // step: the account of January
    const jan = await user.get('/staff/accounts/g2?month=2027-01')
    expect(jan.status).toBe(200)
    expect(jan.text).toContain('Mouvements de janvier 2027')
    expect(jan.text).toContain('id="f-month" name="month" type="month" value="2027-01"')
    expect(rows(jan.text, 'class="wallet-month"')).toEqual([
      ['Date', 'Mouvement', 'Débit', 'Crédit', 'Solde'],
      ['01/01/2027', 'Solde au début du mois', '', '', '30,00 €'],
      ['11/01/2027', 'Journée prépayée (Cantine du 11/01)', '3,20 €', '', '26,80 €'],
      ['20/01/2027', 'Crédit du compte (Espèces, produit « Caisse 1 »)', '', '12,00 €', '38,80 €'],
      ['Total du mois', '3,20 €', '12,00 €', ''],
      ['Solde à la fin du mois', '38,80 €'],
    ].map((r) => r.map((c) => c.replace(/ €/g, ' €'))))
    expect(jan.text).toMatch(/Jours prépayés réservés, pas encore débités : 3,20\s€ · Disponible : 35,60\s€/)
    // step: the month before, from the picker's « previous month » link
    expect(jan.text).toContain('href="/staff/accounts/g2?month=2026-12" rel="prev"')
    const dec = await user.get('/staff/accounts/g2?month=2026-12')
    expect(rows(dec.text, 'class="wallet-month"')).toEqual([
      ['Date', 'Mouvement', 'Débit', 'Crédit', 'Solde'],
      ['01/12/2026', 'Solde au début du mois', '', '', '0,00 €'],
      ['10/12/2026', 'Crédit du compte (Chèque, produit « Chèque 123 »)', '', '30,00 €', '30,00 €'],
      ['Total du mois', '0,00 €', '30,00 €', ''],
      ['Solde à la fin du mois', '30,00 €'],
    ])
    const feb = await user.get('/staff/accounts/g2?month=2027-02')
    expect(feb.text).toContain('Aucun mouvement ce mois-ci.')
    expect(rows(feb.text, 'class="wallet-month"').at(-1)).toEqual(['Solde à la fin du mois', '38,80 €'])
  })

  it('shows the month\'s invoices and payments from the balance before the month, the current month when none is asked', async () => {
    const { user } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const page = await user.get('/staff/accounts/g1')
    expect(page.text).toContain('value="2027-01"')
    const invoices = rows(page.text, 'id="movements"')
    expect(invoices[1]).toEqual(['01/01/2027', 'Solde au début du mois', '', '', '0,00 €'])
    expect(invoices[2]).toEqual(['20/01/2027', expect.stringMatching(/^Facture F2027-\d+$/), '100,00 €', '', '-100,00 €'])
    const feb = await user.get('/staff/accounts/g1?month=2027-02')
    expect(rows(feb.text, 'id="movements"')[1]).toEqual(['01/02/2027', 'Solde au début du mois', '', '', '-100,00 €'])
  })

  it('refuses a month that is not one, beside the month field, and reads nothing', async () => {
    const { user } = await fresh()
    for (const month of ['2027-13', 'janvier', '2027-1']) {
      const r = await user.get(`/staff/accounts/g2?month=${encodeURIComponent(month)}`)
      expect([month, r.status]).toEqual([month, 400])
      expect(r.text).toContain('<strong id="f-month-error" class="field-error">Mois : choisissez un mois (AAAA-MM).</strong>')
      expect(r.text).toContain('aria-invalid="true"')
    }
  })

  it('shows the statement in the reader\'s language (English)', async () => {
    const { ctx, siteId, user } = await fresh()
    await decemberAndPrepaidDays(ctx.storage, siteId)
    await user.post('/lang', { lang: 'en' })
    const jan = await user.get('/staff/accounts/g2?month=2027-01')
    expect(jan.text).toContain('Movements of January 2027')
    expect(jan.text).toContain('Balance at the start of the month')
    expect(jan.text).toContain('Prepaid day (Cantine du 11/01)')
  })
})

describe('a desk credit (seed 001: créditer le compte d\'un responsable qui paie au guichet)', () => {
  it('records the billing office, method and product on the payment, and credits that office\'s wallet', async () => {
    const { ctx, siteId, user } = await fresh()
    const g1 = await user.get('/staff/guardians/g1')
    const paymentId = hiddenField(g1.text, 'paymentId')
    const r = await user.post('/staff/guardians/g1/credit', { paymentId, date: '2027-01-19', method: 'card', billingOfficeId: 'regie', product: 'TPE accueil', amount: '25,50' })
    expect(r.status).toBe(303)
    const payment = await ctx.storage.payments!.getPayment(siteId, paymentId)
    expect([payment?.billingOfficeId, payment?.method, payment?.product, payment?.date, payment?.amountMinor, payment?.walletCreditMinor]).toEqual(['regie', 'card', 'TPE accueil', '2027-01-19', 2550n, 2550n])
    const [wallet] = await ctx.storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')])
    expect(wallet?.posted).toBe(2550n)
    const transfer = await ctx.storage.ledger!.getTransfer(siteId, `payment:${paymentId}`)
    expect(transfer?.transfer.links).toEqual({ paymentId })
  })

  it('dates the wallet credit by the day typed in the form, in the site\'s time zone, not by the server clock (entered on the 20th for the 19th)', async () => {
    const { ctx, siteId, user } = await fresh()
    // the host's clock reads 2027-01-20 10:00 in Paris; the cashier enters a credit paid on the 19th
    const g1 = await user.get('/staff/guardians/g1')
    const paymentId = hiddenField(g1.text, 'paymentId')
    expect((await user.post('/staff/guardians/g1/credit', { paymentId, date: '2027-01-19', method: 'cash', billingOfficeId: 'regie', product: '', amount: '7.00' })).status).toBe(303)
    const transfer = await ctx.storage.ledger!.getTransfer(siteId, `payment:${paymentId}`)
    expect(localDateOf(transfer!.transfer.timestamp, 'Europe/Paris')).toBe('2027-01-19')
    expect((await ctx.storage.payments!.getPayment(siteId, paymentId))?.date).toBe('2027-01-19')
    const jan = await user.get('/staff/accounts/g1?month=2027-01')
    const line = rows(jan.text, 'class="wallet-month"').find((r) => r[1]?.startsWith('Crédit') || r[3] === '7,00 €')
    expect(line?.[0]).toBe('19/01/2027')
    // one entered for today is stamped with the clock's instant
    const again = hiddenField((await user.get('/staff/guardians/g1')).text, 'paymentId')
    await user.post('/staff/guardians/g1/credit', { paymentId: again, date: '2027-01-20', method: 'cash', billingOfficeId: 'regie', product: '', amount: '1.00' })
    expect((await ctx.storage.ledger!.getTransfer(siteId, `payment:${again}`))!.transfer.timestamp.toISOString()).toBe(ctx.clock.now().toISOString())
  })
})

describe('the debtor and creditor lists of a billing office, paged on the server with their totals', () => {
  it('pages a page size at a time, the total counting every page, and filters by name', async () => {
    const { ctx, siteId, user } = await fresh()
    const n = ACCOUNTS_PAGE_SIZE + 5
    await ctx.storage.transaction(siteId, async (tx) => {
      for (let i = 1; i <= n; i++) {
        await tx.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: `p${i}`, siteId, householdId: 'h1', firstName: 'Parent', lastName: `Numéro ${String(i).padStart(2, '0')}`, attributes: {} }))
      }
    })
    const deps = { storage: ctx.storage, clock: { now: () => new Date('2027-01-15T10:00:00Z') } }
    for (let i = 1; i <= n; i++) {
      await recordPayment(deps, { id: `w${i}`, siteId, billingOfficeId: 'regie', payerId: `p${i}`, method: 'cash', date: '2027-01-15', amount: `${i}.00`, currency: 'EUR' }, { walletOnly: true })
    }
    const total = (n * (n + 1)) / 2
    const first = await user.get('/staff/accounts?office=regie')
    const firstRows = rows(first.text, 'id="creditors"')
    expect(firstRows.length).toBe(1 + ACCOUNTS_PAGE_SIZE + 1)
    // largest first: 30.00 down to 6.00 on page 1
    expect(firstRows[1]).toEqual(['Parent Numéro 30', '30,00 €'])
    expect(firstRows.at(-1)).toEqual([`Total (${n})`, `${total},00 €`])
    expect(first.text).toContain('Page 1 sur 2')
    const next = first.text.match(/data-list="creditors">[\s\S]*?href="([^"]+)" rel="next"/)![1]!.replace(/&amp;/g, '&')
    const second = await user.get(next)
    const secondRows = rows(second.text, 'id="creditors"')
    expect(secondRows.slice(1, -1).map((r) => r[0])).toEqual(['Parent Numéro 05', 'Parent Numéro 04', 'Parent Numéro 03', 'Parent Numéro 02', 'Parent Numéro 01'])
    expect(secondRows.at(-1)).toEqual([`Total (${n})`, `${total},00 €`])
    const filtered = await user.get('/staff/accounts?office=regie&q=num%C3%A9ro%201')
    expect(rows(filtered.text, 'id="creditors"').slice(1).map((r) => r[0])).toEqual(['Parent Numéro 19', 'Parent Numéro 18', 'Parent Numéro 17', 'Parent Numéro 16', 'Parent Numéro 15', 'Parent Numéro 14', 'Parent Numéro 13', 'Parent Numéro 12', 'Parent Numéro 11', 'Parent Numéro 10', 'Total (10)'])
  })

  it('lists the debtors with what they owe and their total', async () => {
    const { user } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const page = await user.get('/staff/accounts')
    expect(rows(page.text, 'id="debtors"').slice(1)).toEqual([['Claire Martin', '100,00 €'], ['Paul Roux', '50,00 €'], ['Total (2)', '150,00 €']])
  })

  it('pages the debtors in the storage, largest first, counting and totalling every page, a payment taking off what was paid, filtered by name', async () => {
    const { ctx, siteId, user } = await fresh()
    const n = ACCOUNTS_PAGE_SIZE + 5
    const deps = { storage: ctx.storage, clock: { now: () => new Date('2027-02-01T10:00:00Z') } }
    await ctx.storage.transaction(siteId, async (tx) => {
      for (let i = 1; i <= n; i++) {
        await tx.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: `d${i}`, siteId, householdId: 'h1', firstName: 'Débiteur', lastName: `Numéro ${String(i).padStart(2, '0')}`, attributes: {} }))
      }
    })
    // debtor i is invoiced i.00 EUR; debtor 30 then pays 29.50 of it (owes 0.50, last), debtor 29 pays it all (not listed)
    const charges = Array.from({ length: n }, (_, k) => ({ chargeId: `jan-${k + 1}`, debtorId: `d${k + 1}`, beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-01-11' as const, quantity: 1, unitPriceMinor: BigInt((k + 1) * 100), amountMinor: BigInt((k + 1) * 100) }))
    await createInvoiceBatch(deps, { batch: { id: 'jan-debts', siteId, billingOfficeId: 'regie', period: { from: '2027-01-01', to: '2027-01-31' }, serviceIds: ['cantine'], dueDate: '2027-02-15', directDebitDate: null, portalDisplayDate: '2027-02-01', minimumAmount: '0.01' }, charges })
    await validateDrafts(deps, { siteId, batchId: 'jan-debts', issueDate: '2027-02-01' })
    await recordPayment(deps, { id: 'pay-30', siteId, billingOfficeId: 'regie', payerId: 'd30', method: 'cash', date: '2027-02-01', invoiceId: 'jan-debts:d30', amount: '29.50' })
    await recordPayment(deps, { id: 'pay-29', siteId, billingOfficeId: 'regie', payerId: 'd29', method: 'cash', date: '2027-02-01', invoiceId: 'jan-debts:d29' })
    const listed = n - 1
    const total = (n * (n + 1)) / 2 - 30 - 29 + 0.5
    const first = await user.get('/staff/accounts?office=regie&q=D%C3%A9biteur')
    const firstRows = rows(first.text, 'id="debtors"')
    expect(firstRows.slice(1, 4)).toEqual([['Débiteur Numéro 28', '28,00 €'], ['Débiteur Numéro 27', '27,00 €'], ['Débiteur Numéro 26', '26,00 €']])
    expect(firstRows.length).toBe(1 + ACCOUNTS_PAGE_SIZE + 1)
    expect(firstRows.at(-1)).toEqual([`Total (${listed})`, `${String(total).replace('.', ',')}0 €`])
    const last = await user.get('/staff/accounts?office=regie&q=D%C3%A9biteur&dpage=9')
    const lastRows = rows(last.text, 'id="debtors"')
    expect(lastRows.slice(1, -1)).toEqual([['Débiteur Numéro 03', '3,00 €'], ['Débiteur Numéro 02', '2,00 €'], ['Débiteur Numéro 01', '1,00 €'], ['Débiteur Numéro 30', '0,50 €']])
    expect(lastRows.at(-1)).toEqual(firstRows.at(-1))
    expect(last.text).toContain('Page 2 sur 2')
    const one = await user.get('/staff/accounts?office=regie&q=num%C3%A9ro%2012')
    expect(rows(one.text, 'id="debtors"').slice(1)).toEqual([['Débiteur Numéro 12', '12,00 €'], ['Total (1)', '12,00 €']])
    const nobody = await user.get('/staff/accounts?office=regie&q=Personne')
    expect(rows(nobody.text, 'id="debtors"').at(-1)).toEqual(['Total (0)', '0,00 €'])
  })

  it('keeps a page number asked out of range on the last page, and a bad one on the first', () => {
    const list = Array.from({ length: 30 }, (_, i) => i)
    expect(pageOf(list, '9', 25)).toEqual({ items: list.slice(25), page: 2, pages: 2 })
    expect(pageOf(list, 'x', 25).page).toBe(1)
    expect(pageOf([], '3', 25)).toEqual({ items: [], page: 1, pages: 1 })
  })
})

describe('the prepaid account screens refuse a role without wallets.read, naming it', () => {
  it('the animateur opens neither the month statement nor the lists', async () => {
    const { user } = await fresh('animateur@jaures.example')
    for (const path of ['/staff/accounts/g2?month=2027-01', '/staff/accounts?office=regie&cpage=2']) {
      const r = await user.get(path)
      expect([path, r.status]).toEqual([path, 403])
      expect(r.text).toContain('wallets.read')
    }
  })
})

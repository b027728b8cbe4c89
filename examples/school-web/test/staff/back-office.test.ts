import { describe, expect, it } from 'vitest'
import { Client, host, payFormOf, pgliteForFile, smallSite } from './support'

// The back office through HTTP, on the host's embedded PGlite: each procedure as its steps, each
// refusal naming what is missing. One PGlite for the file (a fresh one takes seconds to start).
const db = pgliteForFile()
let site = 0

async function fresh() {
  const siteId = `staff-http-${++site}`
  await smallSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  return { ctx, siteId, client: () => new Client(app, ctx) }
}

describe('staff login and the permission gate', () => {
  it('refuses a wrong password with the same page as an unknown login', async () => {
    const { client } = await fresh()
    const a = await client().post('/staff/login', { username: 'secretariat@jaures.example', password: 'wrong password' })
    const b = await client().post('/staff/login', { username: 'nobody@jaures.example', password: 'wrong password' })
    expect([a.status, b.status]).toEqual([401, 401])
    const neutral = (html: string) => html.replace(/value="[^"]*"/g, '').replace(/X-CSRF-Token&quot;:&quot;[^&]*/g, '')
    expect(neutral(a.text)).toBe(neutral(b.text))
  })

  it('sends a visitor who is not logged in to the login page', async () => {
    const { client } = await fresh()
    const r = await client().get('/staff/invoices')
    expect([r.status, r.location]).toEqual([303, '/staff/login'])
  })

  it('shows the menu entries the role allows, and only those', async () => {
    const { client } = await fresh()
    const secretary = client()
    await secretary.login('secretariat@jaures.example')
    const home = (await secretary.get('/staff')).text
    expect(home).toContain('href="/staff/households"')
    expect(home).toContain('href="/staff/invoices"')
    expect(home).not.toContain('href="/staff/audit"')
  })

  it('refuses the secretary the validation of a batch, naming the permission invoices.validate, and validates nothing', async () => {
    const { client, ctx } = await fresh()
    const secretary = client()
    await secretary.login('secretariat@jaures.example')
    const r = await secretary.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('invoices.validate')
    const drafts = await ctx.storage.invoicing!.listInvoices(ctx.config.siteId, { batchId: 'dec', status: 'draft' })
    expect(drafts.items).toHaveLength(2)
  })

  it("refuses the animateur, tied to one school and the after-school care, the site's household list as outside their scope", async () => {
    const { client } = await fresh()
    const animateur = client()
    await animateur.login('animateur@jaures.example')
    const r = await animateur.get('/staff/households')
    expect(r.status).toBe(403)
    expect(r.text).toContain('households.read')
    expect(r.text).toContain('pas sur cet établissement ou cette prestation')
  })
})

describe('invoicing through the back office (seed 001: créer, valider, ajouter un paiement)', () => {
  it('lists the drafts with their number followed by *, then validates the batch after a confirmation page naming the count and total', async () => {
    const { client, ctx } = await fresh()
    const cashier = client()
    await cashier.login('regisseur@jaures.example')
    const list = await cashier.get('/staff/invoices?status=draft&batchId=dec')
    expect(list.text).toContain('dec:g1 *')
    expect(list.text).toContain('href="/staff/invoices/validate?batchId=dec"')
    const confirm = await cashier.get('/staff/invoices/validate?batchId=dec')
    expect(confirm.text).toMatch(/Valider 2 brouillon\(s\) du groupe « Décembre 2026 » \(150,00\s€\)/)
    const done = await cashier.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    expect(done.status).toBe(200)
    expect(done.text).toContain('2 facture(s) validée(s), numéros F2027-000001 à F2027-000002')
    const audit = await ctx.storage.audit!.listAuditEntries(ctx.config.siteId, { action: 'invoice.validated' })
    expect(audit.items.map((e) => [e.actor.id, e.subject.id]).sort()).toEqual([['u-bo-regisseur', 'dec:g1'], ['u-bo-regisseur', 'dec:g2']])
  })

  it('records a payment whose amount defaults to what remains, and tells a second cashier on the same form that the invoice changed', async () => {
    const { client, ctx } = await fresh()
    const a = client()
    const b = client()
    await a.login('regisseur@jaures.example')
    await b.login('bo-admin@jaures.example')
    await a.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const formA = payFormOf((await a.get('/staff/invoices/dec:g1')).text)
    const formB = payFormOf((await b.get('/staff/invoices/dec:g1')).text)
    expect([formA.amount, formA.expectOutstandingMinor]).toEqual(['100.00', '10000'])
    const paid = await a.post('/staff/invoices/dec:g1/pay', { ...formA, method: 'cheque', product: 'cantine' })
    expect([paid.status, paid.location]).toEqual([303, '/staff/invoices/dec%3Ag1?paid=1'])
    const late = await b.post('/staff/invoices/dec:g1/pay', { ...formB, method: 'cash', product: '' })
    expect(late.status).toBe(409)
    expect(late.text).toMatch(/la facture a changé pendant la saisie[^<]*Il reste maintenant 0,00\s€ à payer/)
    const payments = await ctx.storage.payments!.listPayments(ctx.config.siteId, { payerId: 'g1' })
    expect(payments.items.map((p) => p.amountMinor)).toEqual([10_000n])
  })

  it('asks to confirm an amount above what the invoice owes, saying the excess goes to the prepaid account, and records it once confirmed', async () => {
    // a typo of 100000000 for 100.00 was recorded at once and credited the family's account with 99,999,900.00
    const { client, ctx } = await fresh()
    const a = client()
    await a.login('regisseur@jaures.example')
    await a.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const form = payFormOf((await a.get('/staff/invoices/dec:g2')).text)
    const asked = await a.post('/staff/invoices/dec:g2/pay', { ...form, amount: '80.00', method: 'cheque' })
    expect(asked.status).toBe(409)
    expect(asked.text).toMatch(/80,00\s€ dépasse ce que la facture doit encore : l’excédent de 30,00\s€ ira au compte prépayé de la famille/)
    expect(asked.text).toContain('name="confirmExcess" value="80.00"')
    expect((await ctx.storage.payments!.listPayments(ctx.config.siteId, { payerId: 'g2' })).items).toEqual([])
    // confirming another amount than the one shown asks again
    expect((await a.post('/staff/invoices/dec:g2/pay', { ...form, amount: '800.00', confirmExcess: '80.00', method: 'cheque' })).status).toBe(409)
    const paid = await a.post('/staff/invoices/dec:g2/pay', { ...form, amount: '80.00', confirmExcess: '80.00', method: 'cheque' })
    expect(paid.status).toBe(303)
    const [payment] = (await ctx.storage.payments!.listPayments(ctx.config.siteId, { payerId: 'g2' })).items
    expect([payment!.amountMinor, payment!.walletCreditMinor]).toEqual([8_000n, 3_000n])
    // an amount of ten digits or more is refused as a typo
    const form2 = payFormOf((await a.get('/staff/invoices/dec:g1')).text)
    expect((await a.post('/staff/invoices/dec:g1/pay', { ...form2, amount: '99999999999999999999', confirmExcess: '99999999999999999999', method: 'cash' })).status).toBe(400)
  })

  it('answers a double submit of one payment form once', async () => {
    const { client, ctx } = await fresh()
    const a = client()
    await a.login('regisseur@jaures.example')
    await a.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const form = payFormOf((await a.get('/staff/invoices/dec:g2')).text)
    const first = await a.post('/staff/invoices/dec:g2/pay', { ...form, method: 'cheque' })
    const second = await a.post('/staff/invoices/dec:g2/pay', { ...form, method: 'cheque' })
    expect([first.status, second.status]).toEqual([303, 303])
    expect((await ctx.storage.payments!.listPayments(ctx.config.siteId, { payerId: 'g2' })).items).toHaveLength(1)
  })
})

describe('reductions and surcharges on a draft (seed 001: enregistrer / supprimer une réduction / majoration)', () => {
  it('adds a reduction on one child\'s service with the total updated, removes it after a confirmation naming the new total, and refuses it once validated', async () => {
    const { client, ctx } = await fresh()
    const cashier = client()
    await cashier.login('regisseur@jaures.example')
    const page = (await cashier.get('/staff/invoices/dec:g1')).text
    const lineId = page.match(/<option value="(dec:g1:[^"]+)"/)?.[1]
    expect(lineId).toBeDefined()
    const added = await cashier.post('/staff/invoices/dec:g1/adjustments', { adjustmentId: 'adj-1', reason: 'Sortie scolaire', kind: 'reduction', amount: '10,00', lineId: lineId! })
    expect(added.status).toBe(303)
    const after = (await cashier.get('/staff/invoices/dec:g1?adjusted=1')).text
    expect(after).toMatch(/Brouillon mis à jour : nouveau total 90,00\s€/)
    expect(after).toContain('Réduction : Sortie scolaire')
    const empty = await cashier.post('/staff/invoices/dec:g1/adjustments', { adjustmentId: 'adj-2', reason: '', kind: 'surcharge', amount: '' })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('a reduction or surcharge needs a reason')
    const confirm = (await cashier.get('/staff/invoices/dec:g1/adjustments/adj-1/remove')).text
    expect(confirm).toMatch(/Supprimer « Sortie scolaire » \? Le total du brouillon passera à 100,00\s€/)
    expect((await cashier.post('/staff/invoices/dec:g1/adjustments/adj-1/remove', {})).status).toBe(303)
    expect((await ctx.storage.invoicing!.getInvoice(ctx.config.siteId, 'dec:g1'))?.totalMinor).toBe(10_000n)
    await cashier.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const late = await cashier.post('/staff/invoices/dec:g1/adjustments', { adjustmentId: 'adj-3', reason: 'Trop tard', kind: 'reduction', amount: '1.00' })
    expect(late.status).toBe(400)
    expect(late.text).toContain('ne se changent que sur un brouillon')
  })

  it('refuses the secretary a reduction, naming invoices.write', async () => {
    const { client, ctx } = await fresh()
    const secretary = client()
    await secretary.login('secretariat@jaures.example')
    const r = await secretary.post('/staff/invoices/dec:g1/adjustments', { reason: 'Geste', kind: 'reduction', amount: '5.00' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('invoices.write')
    expect((await ctx.storage.invoicing!.getInvoice(ctx.config.siteId, 'dec:g1'))?.adjustments).toEqual([])
  })
})

describe("a guardian's page lists their invoices", () => {
  it('the most recent due first, the 100 most recent of more, saying how many there are (it listed the first 100 by id)', async () => {
    const { ctx, siteId, client } = await fresh()
    const inv = ctx.storage.invoicing!
    const dec = (await inv.listInvoices(siteId, { batchId: 'dec', debtorId: 'g1' })).items[0]!
    const batch = (await inv.getInvoiceBatch(siteId, 'dec'))!
    // 100 older monthly invoices of g1, from September 2018; their batch ids sort after "dec"
    await ctx.storage.transaction(siteId, async (tx) => {
      for (let m = 0; m < 100; m++) {
        const month = new Date(Date.UTC(2018, 8 + m, 1)).toISOString().slice(0, 7)
        const id = `old-${month}`
        const dueDate = `${month}-20` as typeof batch.dueDate
        await tx.invoicing!.createInvoiceBatch(siteId, { ...batch, id, label: month, period: { from: `${month}-01` as typeof dueDate, to: `${month}-28` as typeof dueDate }, dueDate, portalDisplayDate: `${month}-05` as typeof dueDate })
        await tx.invoicing!.createDrafts(siteId, [{ ...dec, id: `${id}:g1`, batchId: id, dueDate, lines: dec.lines.map((l) => ({ ...l, chargeIds: l.chargeIds.map((c) => `${id}-${c}`) })) }])
      }
    })
    const secretary = client()
    await secretary.login('secretariat@jaures.example')
    const page = (await secretary.get('/staff/guardians/g1')).text
    expect(page).toMatch(/Les 100 factures dont l(&#39;|')échéance est la plus récente, sur 101\./)
    const listed = [...page.matchAll(/href="\/staff\/invoices\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!))
    expect(listed).toHaveLength(100)
    // December 2026's invoice (due 2027-01-15) first, then the monthly ones from the latest; September 2018's is the one left out
    expect(listed.slice(0, 3)).toEqual(['dec:g1', 'old-2026-12:g1', 'old-2026-11:g1'])
    expect(listed).not.toContain('old-2018-09:g1')
  })
})

describe('prepaid accounts (seed 001: créditer le compte d\'un responsable qui vient vous régler)', () => {
  it('credits the account of a guardian paying at the desk with the whole amount, the balance shown, the invoices left as they were', async () => {
    const { client, ctx } = await fresh()
    const cashier = client()
    await cashier.login('regisseur@jaures.example')
    await cashier.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const page = (await cashier.get('/staff/guardians/g1')).text
    expect(page).toContain('Créditer le compte')
    const paymentId = page.match(/credit"[^]*?name="paymentId" value="([^"]+)"/)?.[1]
    const r = await cashier.post('/staff/guardians/g1/credit', { paymentId: paymentId!, date: '2027-01-20', method: 'cash', billingOfficeId: 'regie', product: 'goûter', amount: '20,00' })
    expect([r.status, r.location]).toEqual([303, '/staff/guardians/g1?done=credited'])
    const after = (await cashier.get('/staff/guardians/g1?done=credited')).text
    expect(after).toMatch(/<dd class="balance">20,00\s€<\/dd>/)
    const payments = await ctx.storage.payments!.listPayments(ctx.config.siteId, { payerId: 'g1' })
    expect(payments.items.map((p) => [p.amountMinor, p.allocations.length, p.walletCreditMinor])).toEqual([[2_000n, 0, 2_000n]])
  })

  it('shows the secretary no credit form and refuses her the credit, naming wallets.credit', async () => {
    const { client, ctx } = await fresh()
    const secretary = client()
    await secretary.login('secretariat@jaures.example')
    expect((await secretary.get('/staff/guardians/g1')).text).not.toContain('/staff/guardians/g1/credit')
    const r = await secretary.post('/staff/guardians/g1/credit', { paymentId: 'x', date: '2027-01-20', method: 'cash', billingOfficeId: 'regie', amount: '20.00' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('wallets.credit')
    expect((await ctx.storage.payments!.listPayments(ctx.config.siteId, { payerId: 'g1' })).items).toEqual([])
  })
})

describe('renaming a household (seed 001: Comment renommer un foyer ?)', () => {
  it('renames the household, records the name before and after, and refuses an empty name naming the field', async () => {
    const { client, ctx } = await fresh()
    const secretary = client()
    await secretary.login('secretariat@jaures.example')
    const r = await secretary.post('/staff/households/h1/rename', { name: 'Foyer Martin-Roux' })
    expect([r.status, r.location]).toEqual([303, '/staff/households/h1?done=renamed'])
    expect((await secretary.get('/staff/households/h1?done=renamed')).text).toContain('<h1>Foyer Martin-Roux</h1>')
    const trail = await ctx.storage.audit!.listAuditEntries(ctx.config.siteId, { householdId: 'h1' })
    expect(trail.items.map((e) => [e.action, e.before, e.after])).toEqual([['household.renamed', { name: 'Foyer Martin' }, { name: 'Foyer Martin-Roux' }]])
    const empty = await secretary.post('/staff/households/h1/rename', { name: '  ' })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('household.name')
  })
})

describe('deposits (seed 001: créer un dépôt, supprimer un dépôt)', () => {
  it('groups the ticked cheques into a deposit with its total, and deleting it after a confirmation puts the payments back in the list', async () => {
    const { client, ctx } = await fresh()
    const cashier = client()
    await cashier.login('regisseur@jaures.example')
    await cashier.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    for (const id of ['dec:g1', 'dec:g2']) {
      const form = payFormOf((await cashier.get(`/staff/invoices/${id}`)).text)
      await cashier.post(`/staff/invoices/${id}/pay`, { ...form, method: 'cheque', product: 'cantine' })
    }
    const list = (await cashier.get('/staff/payments?method=cheque')).text
    const ids = [...list.matchAll(/name="paymentIds" value="([^"]+)"/g)].map((m) => m[1]!)
    expect(ids).toHaveLength(2)
    const created = await cashier.post('/staff/deposits', { depositId: 'dep-1', method: 'cheque', bankAccountId: 'FR7630004000031234567890143', paymentIds: ids })
    expect([created.status, created.location]).toEqual([303, '/staff/deposits/dep-1'])
    expect((await cashier.get('/staff/deposits/dep-1')).text).toMatch(/id="deposit-total">150,00\s€/)
    expect((await cashier.get('/staff/payments?method=cheque')).text).not.toContain('name="paymentIds"')
    expect((await cashier.get('/staff/deposits/dep-1/delete')).text).toMatch(/Supprimer ce dépôt de 2 paiement\(s\) \(150,00\s€\)/)
    const deleted = await cashier.post('/staff/deposits/dep-1/delete', {})
    expect([deleted.status, deleted.location]).toEqual([303, '/staff/payments?deleted=1'])
    expect((await ctx.storage.payments!.listPayments(ctx.config.siteId, { inDeposit: false, method: 'cheque' })).items).toHaveLength(2)
    expect(await ctx.storage.payments!.getDeposit(ctx.config.siteId, 'dep-1')).toBeUndefined()
  })

  it('refuses a deposit of no payment, and a secretary any deposit, naming payments.write', async () => {
    const { client } = await fresh()
    const cashier = client()
    await cashier.login('regisseur@jaures.example')
    expect((await cashier.post('/staff/deposits', { depositId: 'dep-0', method: 'cheque', bankAccountId: 'x' })).text).toContain('Cochez au moins un paiement.')
    const secretary = client()
    await secretary.login('secretariat@jaures.example')
    const r = await secretary.get('/staff/payments')
    expect(r.status).toBe(403)
    expect(r.text).toContain('payments.write')
  })
})

describe('archiving a guardian (seed 001: refused while invoices are unpaid)', () => {
  it('refuses to archive a guardian with an unpaid invoice, naming the invoice and what it owes, then archives once it is paid', async () => {
    const { client, ctx } = await fresh()
    const cashier = client()
    await cashier.login('regisseur@jaures.example')
    await cashier.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const secretary = client()
    await secretary.login('secretariat@jaures.example')
    const page = await secretary.get('/staff/guardians/g2/archive')
    expect(page.text).toMatch(/Paul Roux ne peut pas être archivé\(e\) : 1 facture\(s\) impayée\(s\)/)
    expect(page.text).toMatch(/F2027-00000\d<\/a>: 50,00\s€/)
    const refused = await secretary.post('/staff/guardians/g2/archive', {})
    expect(refused.status).toBe(409)
    expect((await ctx.storage.directory!.getDirectoryRecord(ctx.config.siteId, 'guardian', 'g2'))?.archived).toBeNull()

    const form = payFormOf((await cashier.get('/staff/invoices/dec:g2')).text)
    await cashier.post('/staff/invoices/dec:g2/pay', { ...form, method: 'cash' })
    const confirm = await secretary.get('/staff/guardians/g2/archive')
    expect(confirm.text).toContain('Archiver Paul Roux ?')
    const done = await secretary.post('/staff/guardians/g2/archive', {})
    expect([done.status, done.location]).toEqual([303, '/staff/guardians/g2?done=archived'])
    expect((await ctx.storage.directory!.getDirectoryRecord(ctx.config.siteId, 'guardian', 'g2'))?.archived?.on).toBe('2027-01-20')
    const unarchived = await secretary.post('/staff/guardians/g2/unarchive', {})
    expect(unarchived.status).toBe(303)
    const trail = await ctx.storage.audit!.listAuditEntries(ctx.config.siteId, { subjectId: 'g2' })
    // the test's clock stands still: both entries have the same instant (then the order is by id)
    expect(trail.items.map((e) => e.action).sort()).toEqual(['guardian.archived', 'guardian.unarchived'])
    expect(trail.items.find((e) => e.action === 'guardian.archived')).toMatchObject({ householdId: 'h2', before: { archived: null }, after: { archived: { on: '2027-01-20' } } })
  })
})

describe('the audit trail screen', () => {
  it('shows the direction who validated what, and refuses the cashier, naming audit.read', async () => {
    const { client } = await fresh()
    const cashier = client()
    await cashier.login('regisseur@jaures.example')
    await cashier.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    expect((await cashier.get('/staff/audit')).text).toContain('audit.read')
    const direction = client()
    await direction.login('direction@jaures.example')
    const page = await direction.get('/staff/audit?subjectId=dec:g1')
    expect(page.status).toBe(200)
    expect(page.text).toContain('user:u-bo-regisseur')
    expect(page.text).toContain('invoice.validated')
    expect(page.text).toContain('F2027-00000')
  })
})

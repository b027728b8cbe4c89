import { testCamt053 } from '@ecole/bank'
import { GuardianSchema, walletAccountId } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { createInvoiceBatch, validateDrafts } from '@ecole/workflows'
import { walletReferenceOf } from '../../src/portal/family'
import { Client as PortalClient } from '../support'
import { host, pgliteForFile } from './support'
import { hiddenField, MoneyClient, moneySite, OFFICE_IBAN } from './money-support'

// The money procedures of the back office through HTTP, on the host's embedded PGlite, each as
// its steps (seed 001), each refusal naming the permission, each bad input showing the library's
// error with nothing stored. One PGlite for the file, a site per test.
const db = pgliteForFile()
let site = 0
/** The crèche office's account, and one no office of the test site holds. */
const CRECHE_IBAN = 'BE68539007547034'
const STRANGER_IBAN = 'FR1420041010050500013M02606'
/** A 128-character CODA record with the given fields at their 1-based positions. */
function codaRecord(fields: Record<number, string>): string {
  const chars = Array.from({ length: 128 }, () => ' ')
  for (const [pos, text] of Object.entries(fields)) for (let i = 0; i < text.length; i++) chars[Number(pos) - 1 + i] = text[i]!
  return chars.join('')
}

/**
 * A CODA 2 statement of one credit (free communication), its account given as a 12-digit Belgian
 * account number (account structure 0, as older files give it), balances from 0.00.
 */
function belgianAccountCoda(account: string, text: string, cents: bigint): string {
  const amount = (c: bigint) => (c * 10n).toString().padStart(15, '0')
  return [
    codaRecord({ 1: '00000', 6: '150327', 12: '005', 35: 'ECOLE TEST', 61: 'GEBABEBB', 128: '2' }),
    codaRecord({ 1: `10001${account}`, 19: 'EUR', 43: '0', 44: amount(0n), 59: '140327', 65: 'CRECHE', 91: 'COMPTE COURANT', 126: '001' }),
    codaRecord({ 1: '21', 3: '00010000', 11: 'BANKREF-CODA-0001', 32: '0', 33: amount(cents), 48: '150327', 54: '00501000', 62: `0${text}`, 116: '150327', 125: '0', 126: '0', 128: '0' }),
    codaRecord({ 1: `8001${account} EUR`, 42: '0', 43: amount(cents), 58: '150327' }),
    codaRecord({ 1: '9', 17: '000003', 23: amount(0n), 38: amount(cents), 128: '2' }),
  ].join('\r\n') + '\r\n'
}
/** An account number as the pages show it: in groups of four. */
const spaced = (iban: string) => iban.replace(/(.{4})(?=.)/g, '$1 ')

async function fresh(login = 'regisseur@jaures.example') {
  const siteId = `staff-money-${++site}`
  await moneySite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const client = () => new MoneyClient(app, ctx)
  const user = client()
  await user.login(login)
  return { ctx, app, siteId, client, user }
}

/** Creates batch `jan` through the form and waits on its progress page until it is done; answers every progress page seen. */
async function createJanuary(user: MoneyClient, extra: Record<string, string> = {}) {
  const r = await user.post('/staff/batches', {
    batchId: 'jan', label: 'Janvier 2027', from: '2027-01-01', to: '2027-01-31', billingOfficeId: 'regie', serviceIds: ['cantine', 'garderie'],
    dueDate: '2027-02-15', directDebitDate: '2027-02-10', portalDisplayDate: '2027-02-05', ...extra,
  })
  expect(r.status).toBe(303)
  const pages: string[] = []
  for (let i = 0; i < 200; i++) {
    const page = await user.get(r.location!)
    pages.push(page.text)
    if (!page.text.includes('hx-trigger="every 1s"')) break
    await new Promise((ok) => setTimeout(ok, 25))
  }
  return { location: r.location!, pages }
}

describe('invoice batches (seed 001: créer un groupe de factures, modifier / supprimer un brouillon)', () => {
  it('creates the January batch from the stored bookings: the progress page polls (htmx) and refreshes itself (no JS) until done, then the drafts are listed by name and marked *', async () => {
    const { user, ctx, siteId } = await fresh()
    const { pages } = await createJanuary(user)
    const last = pages[pages.length - 1]!
    expect(last).toContain('Le groupe jan est créé.')
    expect(last).toContain('1 brouillon(s) ; 0 payeur(s) sous le minimum ; 0 ligne(s) déjà facturée(s).')
    expect(last).not.toContain('http-equiv="refresh"')
    // every page seen before the end polls and refreshes itself
    for (const p of pages.slice(0, -1)) expect(p).toMatch(/http-equiv="refresh"[\s\S]*hx-trigger="every 1s"|hx-trigger="every 1s"/)
    const drafts = await user.get('/staff/batches/jan/drafts')
    expect(drafts.text).toContain('jan:g1 *')
    expect(drafts.text).toContain('Claire Martin')
    expect(drafts.text).toMatch(/15,30\s€/)
    const stored = await ctx.storage.invoicing!.getInvoice(siteId, 'jan:g1')
    expect([stored!.totalMinor, stored!.lines.length]).toEqual([1530n, 2])
  })

  it("offers every billing office and every invoiced service on the batch form, past the storage's page of 1,000 (it offered the first 100 and 200 before)", async () => {
    const { ctx, siteId, user } = await fresh()
    const d = ctx.storage.directory!
    const regie = await d.getDirectoryRecord(siteId, 'billingOffice', 'regie')
    const cantine = await d.getDirectoryRecord(siteId, 'service', 'cantine')
    for (let n = 0; n < 1000; n++) {
      const k = String(n).padStart(4, '0')
      await d.putDirectoryRecord(siteId, 'billingOffice', { ...regie!, id: `office-${k}`, name: `Régie ${k}` })
      await d.putDirectoryRecord(siteId, 'service', { ...cantine!, id: `service-${k}`, name: `Service ${k}` })
    }
    const form = (await user.get('/staff/batches/new')).text
    expect(new Set(form.match(/Régie \d{4}/g)).size).toBe(1000)
    expect(new Set(form.match(/Service \d{4}/g)).size).toBe(1000)
    for (const name of ['Régie de test', 'Cantine', 'Garderie du soir']) expect(form).toContain(name)
  }, 60_000)

  it('refuses a period that ends before it starts with the library error on the form, and stores no batch', async () => {
    const { user, ctx, siteId } = await fresh()
    const r = await user.post('/staff/batches', { batchId: 'bad', from: '2027-01-31', to: '2027-01-01', billingOfficeId: 'regie', serviceIds: ['cantine'], dueDate: '2027-02-15', portalDisplayDate: '2027-02-05' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('INVALID_INPUT')
    expect(r.text).toContain('period')
    expect(r.text).toContain('value="bad"')
    expect(await ctx.storage.invoicing!.getInvoiceBatch(siteId, 'bad')).toBeUndefined()
  })

  it('refuses the secretary the batch form, naming the permission invoices.write, and stores nothing', async () => {
    const s = await fresh('secretariat@jaures.example')
    const r = await s.user.post('/staff/batches', { batchId: 'jan', from: '2027-01-01', to: '2027-01-31', billingOfficeId: 'regie', serviceIds: ['cantine'], dueDate: '2027-02-15', portalDisplayDate: '2027-02-05' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('invoices.write')
    expect(await s.ctx.storage.invoicing!.getInvoiceBatch(s.siteId, 'jan')).toBeUndefined()
  })

  it("changes a draft's comment and portal date; a date that is not one shows the library error and changes nothing", async () => {
    const { user, ctx, siteId } = await fresh()
    const bad = await user.post('/staff/drafts/dec:g1/edit', { comment: 'Sortie', portalDisplayDate: 'demain' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('INVALID_INPUT')
    expect(bad.text).toContain('portalDisplayDate')
    expect((await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1'))!.comment ?? null).toBeNull()
    const ok = await user.post('/staff/drafts/dec:g1/edit', { comment: 'Sortie du 15/12', portalDisplayDate: '2027-01-08' })
    expect([ok.status, ok.location]).toEqual([303, '/staff/batches/dec/drafts?done=edited'])
    const stored = await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1')
    expect([stored!.comment, stored!.portalDisplayDate]).toEqual(['Sortie du 15/12', '2027-01-08'])
  })

  it('deletes a draft after a confirmation naming the payer and total; the draft is gone from the list', async () => {
    const { user, ctx, siteId } = await fresh()
    const confirm = await user.get('/staff/drafts/dec:g1/delete')
    expect(confirm.text).toMatch(/Supprimer le brouillon dec:g1 de Claire Martin \(100,00\s€\)/)
    const r = await user.post('/staff/drafts/dec:g1/delete', {})
    expect(r.status).toBe(303)
    expect(await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1')).toBeUndefined()
    const list = await user.get('/staff/batches/dec/drafts?done=deleted')
    expect(list.text).not.toContain('dec:g1 *')
    expect(list.text).toContain('dec:g2 *')
  })

  it('refuses to delete a validated invoice with the library error INVOICE_NOT_DRAFT, and keeps it', async () => {
    const { user, ctx, siteId } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const r = await user.post('/staff/drafts/dec:g1/delete', {})
    expect(r.status).toBe(409)
    expect(r.text).toContain('INVOICE_NOT_DRAFT')
    expect((await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1'))!.status).toBe('validated')
  })
})

describe('direct debits (seed 001: fichier de prélèvement, rejet de prélèvement)', () => {
  async function collected() {
    const f = await fresh()
    await createJanuary(f.user)
    await f.user.post('/staff/invoices/validate', { batchId: 'jan', issueDate: '2027-01-20' })
    const r = await f.user.post('/staff/direct-debits', { batchId: 'jan', collectionDate: '2027-02-10' })
    return { ...f, page: r }
  }

  it('generates the SEPA collection of the validated January invoice and downloads it as pain.008', async () => {
    const { user, page } = await collected()
    expect(page.text.match(/notice error[^>]*>([^<]*)/)?.[1] ?? '').toBe('')
    expect(page.status).toBe(200)
    expect(page.text).toMatch(/1 prélèvement\(s\) pour 15,30\s€/)
    const href = page.text.match(/id="pain008" href="([^"]+)"/)![1]!
    const file = await user.get(href)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toContain('application/xml')
    expect(file.headers.get('content-disposition')).toContain('attachment')
    expect(file.text).toContain('urn:iso:std:iso:20022:tech:xsd:pain.008')
    expect(file.text).toContain('<InstdAmt Ccy="EUR">15.30</InstdAmt>')
    expect(file.text).toContain('<MndtId>RUM-g1</MndtId>')
    expect(file.text).toContain(OFFICE_IBAN)
  })

  it("collects for the batch's own billing office, found among 1,001 (the first 100 only before, and else the first office: another IBAN and creditor)", async () => {
    const f = await fresh()
    const d = f.ctx.storage.directory!
    const regie = await d.getDirectoryRecord(f.siteId, 'billingOffice', 'regie')
    // 1,000 offices whose ids sort before 'regie'
    for (let n = 0; n < 1000; n++) await d.putDirectoryRecord(f.siteId, 'billingOffice', { ...regie!, id: `autre-${String(n).padStart(4, '0')}`, name: `Autre régie ${n}` })
    // on a site of several offices a mandate names the office it was signed with (one without is not presented: MANDATE_OFFICE_UNKNOWN)
    for (const m of (await d.listDirectoryRecords(f.siteId, 'sepaMandate')).items) await d.putDirectoryRecord(f.siteId, 'sepaMandate', { ...m, billingOfficeId: 'regie' })
    await createJanuary(f.user)
    await f.user.post('/staff/invoices/validate', { batchId: 'jan', issueDate: '2027-01-20' })
    const page = await f.user.post('/staff/direct-debits', { batchId: 'jan', collectionDate: '2027-02-10' })
    expect(page.text.match(/notice error[^>]*>([^<]*)/)?.[1] ?? '').toBe('')
    const file = await f.user.get(page.text.match(/id="pain008" href="([^"]+)"/)![1]!)
    // (names in the SEPA character set: the accents dropped)
    expect(file.text).toContain('<Cdtr><Nm>Regie de test</Nm>')
    expect(file.text).not.toContain('Autre regie')
  }, 60_000)

  it('stores the collection file with the collection: after a restart (a new host over the same storage) it is listed and downloads the same', async () => {
    const { user, ctx, siteId, page } = await collected()
    const href = page.text.match(/id="pain008" href="([^"]+)"/)![1]!
    const before = (await user.get(href)).text
    const stored = await ctx.storage.directory!.listDirectoryRecords(siteId, 'collectionFile')
    expect(stored.items.map((f) => [f.batchId, f.collectionDate, f.count, f.amount])).toEqual([['jan', '2027-02-10', 1, { minor: 1530n, currency: 'EUR' }]])
    // a restart: another host (nothing kept in its memory) over the same database
    const { ctx: ctx2, app: app2 } = await host(db.storage, siteId)
    const other = new MoneyClient(app2, ctx2)
    await other.login('regisseur@jaures.example')
    const list = await other.get('/staff/direct-debits/files')
    expect(list.status).toBe(200)
    const link = list.text.match(/id="collection-files"[\s\S]*?href="([^"]+\.xml)"/)![1]!
    expect(link).toBe(href)
    expect(list.text).toMatch(/15,30\s€/)
    const again = await other.get(link)
    expect([again.status, again.text]).toEqual([200, before])
    // a file never made is not found
    expect((await other.get('/staff/direct-debits/DD-nothing.xml')).status).toBe(404)
  })

  it('warns when the collection date is not a TARGET business day, naming the day the bank settles', async () => {
    const f = await fresh()
    await createJanuary(f.user)
    await f.user.post('/staff/invoices/validate', { batchId: 'jan', issueDate: '2027-01-20' })
    const r = await f.user.post('/staff/direct-debits', { batchId: 'jan', collectionDate: '2027-02-13' })
    expect(r.status).toBe(200)
    expect((r.text.match(/id="not-target-day">([^<]*)</)?.[1] ?? '').replace(/\s+/g, ' ')).toMatch(/13 février 2027 n’est pas un jour ouvré TARGET : la banque réglera les prélèvements le lundi 15 février 2027/)
    const ok = await collected()
    expect(ok.page.text).not.toContain('not-target-day')
  })

  it('collects nothing twice: a second run for the same batch is told there is nothing to collect', async () => {
    const { user } = await collected()
    const again = await user.post('/staff/direct-debits', { batchId: 'jan', collectionDate: '2027-02-10' })
    expect(again.status).toBe(409)
    expect(again.text).toContain('Aucune facture à prélever')
  })

  it('records a return entered by hand: the payment is REFUSED and the invoice owes its 15,30 € again', async () => {
    const { user, ctx, siteId, page } = await collected()
    const xml = (await user.get(page.text.match(/id="pain008" href="([^"]+)"/)![1]!)).text
    const e2e = xml.match(/<EndToEndId>([^<]+)<\/EndToEndId>/)![1]!
    const r = await user.post('/staff/direct-debits/returns', { endToEndId: e2e, reasonCode: 'AM04', date: '2027-01-20' })
    expect(r.status).toBe(200)
    expect(r.text).toContain('Paiement REFUSÉ')
    expect(r.text).toMatch(/F2027-000001<\/a>\u00a0: Montant restant à payer 15,30\s€/)
    const payment = (await ctx.storage.payments!.listPayments(siteId, { endToEndId: e2e })).items[0]!
    expect([payment.status, payment.refusal?.reasonCode]).toEqual(['refused', 'AM04'])
  })

  it("reads the returns of the bank's pain.002: the rejected debit is REFUSED, the invoice due again", async () => {
    const { user, ctx, siteId, page } = await collected()
    const xml = (await user.get(page.text.match(/id="pain008" href="([^"]+)"/)![1]!)).text
    const e2e = xml.match(/<EndToEndId>([^<]+)<\/EndToEndId>/)![1]!
    const msgId = xml.match(/<MsgId>([^<]+)<\/MsgId>/)![1]!
    const pain002 = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2027-02-11T08:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>${msgId}</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>PMT-1</OrgnlPmtInfId>
<TxInfAndSts><OrgnlEndToEndId>${e2e}</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>
</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>`
    const r = await user.upload('/staff/direct-debits/returns/pain002', 'file', { name: 'pain002.xml', content: pain002 })
    expect(r.status).toBe(200)
    expect(r.text).toContain('1 rejet(s) traité(s).')
    expect(r.text).toMatch(/Montant restant à payer 15,30\s€/)
    const payment = (await ctx.storage.payments!.listPayments(siteId, { endToEndId: e2e })).items[0]!
    expect([payment.status, payment.refusal?.reasonCode]).toEqual(['refused', 'AC04'])
  })

  it("reads a pain.002 rejecting the whole file without listing one debit: every debit of the stored file is REFUSED", async () => {
    const { user, ctx, siteId, page } = await collected()
    const xml = (await user.get(page.text.match(/id="pain008" href="([^"]+)"/)![1]!)).text
    const e2es = [...xml.matchAll(/<EndToEndId>([^<]+)<\/EndToEndId>/g)].map((m) => m[1]!)
    const msgId = xml.match(/<MsgId>([^<]+)<\/MsgId>/)![1]!
    const pain002 = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>STS-2</MsgId><CreDtTm>2027-02-11T08:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>${msgId}</OrgnlMsgId><GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf></OrgnlGrpInfAndSts>
</CstmrPmtStsRpt></Document>`
    const r = await user.upload('/staff/direct-debits/returns/pain002', 'file', { name: 'pain002.xml', content: pain002 })
    expect(r.status).toBe(200)
    expect(r.text).toContain(`${e2es.length} rejet(s) traité(s).`)
    for (const e2e of e2es) {
      const payment = (await ctx.storage.payments!.listPayments(siteId, { endToEndId: e2e })).items[0]!
      expect([payment.status, payment.refusal?.reasonCode]).toEqual(['refused', 'FF01'])
    }
  })

  it("refuses a return dated after today on the form, naming the date, and leaves the debit as it was", async () => {
    const { user, ctx, siteId, page } = await collected()
    const xml = (await user.get(page.text.match(/id="pain008" href="([^"]+)"/)![1]!)).text
    const e2e = xml.match(/<EndToEndId>([^<]+)<\/EndToEndId>/)![1]!
    const r = await user.post('/staff/direct-debits/returns', { endToEndId: e2e, reasonCode: 'AM04', date: '2027-02-12' })
    expect(r.status).toBe(400)
    expect(r.text).toMatch(/2027-02-12, after today 2027-01-20/)
    const payment = (await ctx.storage.payments!.listPayments(siteId, { endToEndId: e2e })).items[0]!
    expect(payment.status).toBe('recorded')
  })

  it('refuses a return for an unknown debit with the library error NOT_FOUND on the form', async () => {
    const { user } = await collected()
    const r = await user.post('/staff/direct-debits/returns', { endToEndId: 'DD-NOBODY', reasonCode: 'AM04', date: '2027-01-20' })
    expect(r.status).toBe(404)
    expect(r.text).toContain('NOT_FOUND')
  })
})

describe('bank statements (seed 001: import de relevés, rapprochement)', () => {
  async function statementFor() {
    const f = await fresh()
    await f.user.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    // Paul Roux has a prepaid account (opened by a desk payment) to top up by transfer
    const g2 = await f.user.get('/staff/guardians/g2')
    await f.user.post('/staff/guardians/g2/credit', { paymentId: hiddenField(g2.text, 'paymentId'), date: '2027-01-20', method: 'cash', billingOfficeId: 'regie', product: '', amount: '5.00' })
    const invoice = (await f.ctx.storage.invoicing!.getInvoice(f.siteId, 'dec:g1'))!
    const camt = testCamt053(OFFICE_IBAN, [
      { ref: 'E1', cents: 10_000n, credit: true, date: '2027-01-21', structured: { reference: invoice.paymentReference!, issuer: 'ISO' } },
      { ref: 'E2', cents: 2_000n, credit: true, date: '2027-01-21', structured: { reference: (await walletReferenceOf(f.ctx, 'g2')).electronic, issuer: 'ISO' } },
      { ref: 'E3', cents: 1_234n, credit: true, date: '2027-01-21', text: 'cantine janvier' },
    ])
    return { ...f, camt }
  }

  it('credits a top-up to the guardian whose structured communication it carries, and to no other: two guardians added on screen have two references', async () => {
    const f = await fresh()
    // ids as the household form draws them (resp-<uuid>): their first digits once made the reference, so both had 70's
    const ids = ['resp-7a1c90e2', 'resp-7b9d41f3']
    for (const [i, id] of ids.entries()) {
      await f.ctx.storage.directory!.putDirectoryRecord(f.siteId, 'guardian', GuardianSchema.parse({ id, siteId: f.siteId, householdId: 'h2', firstName: `Parent${i}`, lastName: 'Nouveau' }))
      const page = await f.user.get(`/staff/guardians/${id}`)
      expect((await f.user.post(`/staff/guardians/${id}/credit`, { paymentId: hiddenField(page.text, 'paymentId'), date: '2027-01-20', method: 'cash', billingOfficeId: 'regie', product: '', amount: '1.00' })).status).toBe(303)
    }
    // no number until the portal shows the account to the guardian
    expect((await f.user.get(`/staff/guardians/${ids[0]}`)).text).toMatch(/<dd id="wallet-reference"><span class="muted">pas encore attribuée/)
    const [first, second] = await Promise.all(ids.map((id) => walletReferenceOf(f.ctx, id)))
    expect(first!.electronic).not.toBe(second!.electronic)
    expect(await walletReferenceOf(f.ctx, ids[1]!)).toEqual(second) // stored: the same on every page
    // the guardian's file shows the reference the portal gave them
    expect((await f.user.get(`/staff/guardians/${ids[1]}`)).text).toContain(`<dd id="wallet-reference">${second!.display}</dd>`)
    const camt = testCamt053(OFFICE_IBAN, [{ ref: 'N1', cents: 3_000n, credit: true, date: '2027-01-21', structured: { reference: second!.electronic, issuer: 'ISO' } }])
    const preview = await f.user.upload('/staff/bank/preview', 'file', { name: 'releve.xml', content: camt })
    expect(preview.text).toContain('Crédite le compte prépayé de Parent1 Nouveau (communication structurée)')
    await f.user.post('/staff/bank/import', { content: hiddenField(preview.text, 'content'), fileName: 'releve.xml' })
    const balances = await f.ctx.storage.ledger!.getBalances(f.siteId, ids.map((id) => walletAccountId(id, 'regie')))
    expect(balances.map((b) => b.posted)).toEqual([100n, 3_100n])
  })

  it('shows the proposed reconciliation (invoice paid, wallet topped up by its structured communication, an entry to review), then imports it once', async () => {
    const { user, ctx, siteId, camt } = await statementFor()
    const preview = await user.upload('/staff/bank/preview', 'file', { name: 'releve.xml', content: camt })
    expect(preview.status).toBe(200)
    expect(preview.text).toContain('Paie la facture F2027-000001 de Claire Martin')
    expect(preview.text).toContain('Crédite le compte prépayé de Paul Roux (communication structurée)')
    expect(preview.text).toContain('À vérifier : aucune correspondance')
    // nothing is written by the review
    expect((await ctx.storage.payments!.listPayments(siteId, { payerId: 'g1' })).items).toEqual([])
    const done = await user.post('/staff/bank/import', { content: hiddenField(preview.text, 'content'), fileName: 'releve.xml' })
    expect(done.status).toBe(200)
    expect(done.text).toContain('Relevé importé : 3 opération(s), 2 paiement(s) enregistré(s).')
    expect((await ctx.storage.payments!.listPayments(siteId, { payerId: 'g1' })).items.map((p) => p.amountMinor)).toEqual([10_000n])
    // a second import of the same statement is refused clearly and records nothing more
    const again = await user.post('/staff/bank/import', { content: hiddenField(preview.text, 'content'), fileName: 'releve.xml' })
    expect(again.status).toBe(409)
    expect(again.text).toContain('Ce relevé a déjà été importé')
    expect((await ctx.storage.payments!.listPayments(siteId, { payerId: 'g1' })).items).toHaveLength(1)
    const review = await user.upload('/staff/bank/preview', 'file', { name: 'releve.xml', content: camt })
    expect(review.text).toContain('Ce relevé a déjà été importé')
    expect(review.text).not.toContain('action="/staff/bank/import"')
  })

  it('holds a statement whose balances disagree, lists it for review, and imports it once accepted', async () => {
    const { user, ctx, siteId, camt } = await statementFor()
    // the bank states an opening balance of 1.00 while the closing balance is computed from 0.00
    const wrong = camt.replace('<Amt Ccy="EUR">0.00</Amt>', '<Amt Ccy="EUR">1.00</Amt>')
    const preview = await user.upload('/staff/bank/preview', 'file', { name: 'faux.xml', content: wrong })
    expect(preview.text).toContain('ne concordent pas')
    const held = await user.post('/staff/bank/import', { content: hiddenField(preview.text, 'content') })
    expect(held.status).toBe(200)
    expect(held.text).toMatch(/Relevés en attente de vérification<\/dt><dd>1</)
    expect((await ctx.storage.payments!.listPayments(siteId, { payerId: 'g1' })).items).toEqual([])
    const list = await user.get('/staff/bank/held')
    expect(list.text).toContain('name="decision" value="accept"')
    const accepted = await user.post('/staff/bank/held/decide', { key: hiddenField(list.text, 'key'), decision: 'accept', reason: 'solde d\'ouverture faux' })
    expect([accepted.status, accepted.location]).toEqual([303, '/staff/bank/held?done=accepted'])
    expect((await ctx.storage.payments!.listPayments(siteId, { payerId: 'g1' })).items.map((p) => p.amountMinor)).toEqual([10_000n])
    const again = await user.post('/staff/bank/held/decide', { key: hiddenField(list.text, 'key'), decision: 'reject' })
    expect(again.status).toBe(409)
    expect(again.text).toContain('STATEMENT_ALREADY_DECIDED')
  })

  /**
   * A second office, `aaa-creche` (its id sorts before `regie`: the site's first office), with its
   * own account, and Paul Roux's prepaid account there too (5.00 at the desk).
   */
  async function secondOffice(f: Awaited<ReturnType<typeof fresh>>) {
    const regie = await f.ctx.storage.directory!.getDirectoryRecord(f.siteId, 'billingOffice', 'regie')
    await f.ctx.storage.directory!.putDirectoryRecord(f.siteId, 'billingOffice', { ...regie!, id: 'aaa-creche', name: 'Régie de la crèche', iban: CRECHE_IBAN })
    const g2 = await f.user.get('/staff/guardians/g2')
    const r = await f.user.post('/staff/guardians/g2/credit', { paymentId: hiddenField(g2.text, 'paymentId'), date: '2027-01-20', method: 'cash', billingOfficeId: 'aaa-creche', product: '', amount: '5.00' })
    expect(r.status).toBe(303)
  }
  const walletOf = async (f: Awaited<ReturnType<typeof fresh>>, office: string) =>
    (await f.ctx.storage.ledger!.getBalances(f.siteId, [walletAccountId('g2', office)]))[0]!.posted

  it('refuses, on the portal, one transfer for invoices payable to two accounts (two offices), and gives each its own office’s IBAN', async () => {
    const f = await fresh()
    const regie = (await f.ctx.storage.directory!.getDirectoryRecord(f.siteId, 'billingOffice', 'regie'))!
    await f.ctx.storage.directory!.putDirectoryRecord(f.siteId, 'billingOffice', { ...regie, id: 'aaa-creche', name: 'Régie de la crèche', iban: CRECHE_IBAN })
    const deps = { storage: f.ctx.storage, clock: f.ctx.clock }
    const references = { scheme: 'rf', siteCode: '094' } as const
    await createInvoiceBatch(deps, {
      batch: { id: 'creche', siteId: f.siteId, billingOfficeId: 'aaa-creche', period: { from: '2026-11-01', to: '2026-11-30' }, serviceIds: ['garderie'], dueDate: '2026-12-20', portalDisplayDate: '2026-12-05' },
      charges: [{ chargeId: 'creche-care', debtorId: 'g2', beneficiaryId: 'k-g2', serviceId: 'garderie', date: '2026-11-06', quantity: 2, unitPriceMinor: 300n, amountMinor: 600n }],
    })
    for (const batchId of ['nov', 'creche']) await validateDrafts(deps, { siteId: f.siteId, batchId, issueDate: '2026-12-01', paymentReferences: references })
    // the portal lets a session through while the guardian's access is open
    await f.ctx.storage.access!.putPortalAccount(f.siteId, { siteId: f.siteId, guardianId: 'g2', login: 'g2@example.fr' })
    const session = f.ctx.sessions.login(undefined, f.siteId, { kind: 'guardian', id: 'g2' })
    const parent = new PortalClient(f.app)
    parent.cookies.set('ecole_session', session.id)
    parent.csrf = session.csrf
    const both = await parent.get('/invoices/pay-several?invoice=nov%3Ag2&invoice=creche%3Ag2')
    expect(both.status).toBe(404)
    expect(both.text).toContain('Ces factures se paient sur des comptes différents')
    expect((await parent.get('/invoices/nov%3Ag2/pay')).text).toContain(OFFICE_IBAN)
    expect((await parent.get('/invoices/creche%3Ag2/pay')).text).toContain(CRECHE_IBAN)
  })

  it("reconciles a statement against the office holding its account, not the site's first office: the invoice paid, the top-up in that office's wallet", async () => {
    const f = await statementFor()
    await secondOffice(f)
    const preview = await f.user.upload('/staff/bank/preview', 'file', { name: 'releve.xml', content: f.camt })
    expect(preview.status).toBe(200)
    expect(preview.text).toContain('Paie la facture F2027-000001 de Claire Martin')
    expect(preview.text).toContain('Crédite le compte prépayé de Paul Roux (communication structurée)')
    expect(preview.text).toContain(`Compte ${spaced(OFFICE_IBAN)} : Régie de test`)
    const done = await f.user.post('/staff/bank/import', { content: hiddenField(preview.text, 'content'), fileName: 'releve.xml' })
    expect(done.text).toContain('Relevé importé : 3 opération(s), 2 paiement(s) enregistré(s).')
    expect((await f.ctx.storage.payments!.listPayments(f.siteId, { payerId: 'g1' })).items.map((p) => [p.billingOfficeId, p.amountMinor])).toEqual([['regie', 10_000n]])
    // the 20.00 transfer went to the régie's account: its wallet has 5.00 + 20.00, the crèche's its 5.00
    expect([await walletOf(f, 'regie'), await walletOf(f, 'aaa-creche')]).toEqual([2_500n, 500n])
    // the crèche's own statement, with the same structured communication, tops up the crèche's wallet
    const creche = testCamt053(CRECHE_IBAN, [{ ref: 'C1', cents: 700n, credit: true, date: '2027-01-22', structured: { reference: (await walletReferenceOf(f.ctx, 'g2')).electronic, issuer: 'ISO' } }])
    const second = await f.user.upload('/staff/bank/preview', 'file', { name: 'creche.xml', content: creche })
    expect(second.text).toContain(`Compte ${spaced(CRECHE_IBAN)} : Régie de la crèche`)
    await f.user.post('/staff/bank/import', { content: hiddenField(second.text, 'content'), fileName: 'creche.xml' })
    expect([await walletOf(f, 'regie'), await walletOf(f, 'aaa-creche')]).toEqual([2_500n, 1_200n])
  })

  it("imports a file of two offices' statements, each into its own office's invoices and wallets", async () => {
    const f = await statementFor()
    await secondOffice(f)
    const creche = testCamt053(CRECHE_IBAN, [{ ref: 'C1', cents: 700n, credit: true, date: '2027-01-22', structured: { reference: (await walletReferenceOf(f.ctx, 'g2')).electronic, issuer: 'ISO' } }])
    const stmt = (xml: string) => xml.slice(xml.indexOf('<Stmt>'), xml.indexOf('</Stmt>') + '</Stmt>'.length)
    const both = f.camt.replace('</Stmt>', `</Stmt>${stmt(creche).replace('<Id>STMT-1</Id>', '<Id>STMT-C</Id>')}`)
    const preview = await f.user.upload('/staff/bank/preview', 'file', { name: 'releves.xml', content: both })
    expect(preview.text).toContain(`Compte ${spaced(OFFICE_IBAN)} : Régie de test`)
    expect(preview.text).toContain(`Compte ${spaced(CRECHE_IBAN)} : Régie de la crèche`)
    const done = await f.user.post('/staff/bank/import', { content: hiddenField(preview.text, 'content'), fileName: 'releves.xml' })
    expect(done.text).toContain('Relevé importé : 4 opération(s), 3 paiement(s) enregistré(s).')
    expect([await walletOf(f, 'regie'), await walletOf(f, 'aaa-creche')]).toEqual([2_500n, 1_200n])
    const audit = await f.ctx.storage.audit!.listAuditEntries(f.siteId, { action: 'bankStatement.imported' })
    expect(audit.items.map((e) => [e.subject.id, (e.after as { billingOfficeId: string }).billingOfficeId]).sort()).toEqual([['STMT-1', 'regie'], ['STMT-C', 'aaa-creche']])
  })

  it('reads an older CODA file that gives the Belgian account number (structure 0) instead of the IBAN as the account of the office with that IBAN', async () => {
    const f = await statementFor()
    await secondOffice(f)
    const preview = await f.user.upload('/staff/bank/preview', 'file', { name: 'creche.cod', content: belgianAccountCoda('539007547034', 'cantine mars', 700n) })
    expect(preview.status).toBe(200)
    expect(preview.text).toContain(`Compte ${spaced(CRECHE_IBAN)} : Régie de la crèche`)
    expect(preview.text).toContain('cantine mars')
    // another Belgian account number is no office's
    const other = await f.user.upload('/staff/bank/preview', 'file', { name: 'autre.cod', content: belgianAccountCoda('000171234567', 'x', 100n) })
    expect(other.status).toBe(400)
    expect(other.text).toContain('0001 7123 4567')
  })

  it("reconciles every office sharing a statement's account: each invoice paid in its office, a top-up of a parent with a prepaid account at both left to review", async () => {
    const f = await statementFor()
    const regie = await f.ctx.storage.directory!.getDirectoryRecord(f.siteId, 'billingOffice', 'regie')
    // the crèche (its id sorts first) shares the régie's account
    await f.ctx.storage.directory!.putDirectoryRecord(f.siteId, 'billingOffice', { ...regie!, id: 'aaa-creche', name: 'Régie de la crèche' })
    const preview = await f.user.upload('/staff/bank/preview', 'file', { name: 'releve.xml', content: f.camt })
    expect(preview.status).toBe(200)
    expect(preview.text).toContain(`Compte ${spaced(OFFICE_IBAN)} : Régie de la crèche, Régie de test`)
    expect(preview.text).toContain(`Le compte ${spaced(OFFICE_IBAN)} est partagé par : Régie de la crèche, Régie de test.`)
    expect(preview.text).toContain('Paie la facture F2027-000001 de Claire Martin')
    expect(preview.text).toContain('Crédite le compte prépayé de Paul Roux à Régie de test (communication structurée)')
    const done = await f.user.post('/staff/bank/import', { content: hiddenField(preview.text, 'content'), fileName: 'releve.xml' })
    expect(done.text).toContain('Relevé importé : 3 opération(s), 2 paiement(s) enregistré(s).')
    expect((await f.ctx.storage.payments!.listPayments(f.siteId, { payerId: 'g1' })).items.map((p) => [p.billingOfficeId, p.amountMinor])).toEqual([['regie', 10_000n]])
    expect(await walletOf(f, 'regie')).toBe(2_500n)
    const audit = await f.ctx.storage.audit!.listAuditEntries(f.siteId, { action: 'bankStatement.imported' })
    expect(audit.items.map((e) => (e.after as { billingOfficeId: string[] }).billingOfficeId)).toEqual([['aaa-creche', 'regie']])
    // Paul Roux opens a prepaid account at the crèche too: a top-up on the shared account could be
    // meant for either, so it is left to review, naming both, and credits neither
    const g2 = await f.user.get('/staff/guardians/g2')
    await f.user.post('/staff/guardians/g2/credit', { paymentId: hiddenField(g2.text, 'paymentId'), date: '2027-01-20', method: 'cash', billingOfficeId: 'aaa-creche', product: '', amount: '5.00' })
    const next = testCamt053(OFFICE_IBAN, [{ ref: 'E4', cents: 700n, credit: true, date: '2027-01-22', structured: { reference: (await walletReferenceOf(f.ctx, 'g2')).electronic, issuer: 'ISO' } }]).replace(/STMT-1/g, 'STMT-2')
    const second = await f.user.upload('/staff/bank/preview', 'file', { name: 'releve2.xml', content: next })
    expect(second.text).toContain('À vérifier : plusieurs correspondances (le compte prépayé de Paul Roux à Régie de la crèche, le compte prépayé de Paul Roux à Régie de test)')
    await f.user.post('/staff/bank/import', { content: hiddenField(second.text, 'content'), fileName: 'releve2.xml' })
    expect([await walletOf(f, 'regie'), await walletOf(f, 'aaa-creche')]).toEqual([2_500n, 500n])
    const [entry] = (await f.ctx.storage.bankImports!.listBankEntries(f.siteId, {})).items.filter((e) => e.entryReference === `${OFFICE_IBAN}|E4`)
    expect(entry?.outcome).toMatchObject({ kind: 'review', reason: 'AMBIGUOUS', candidates: ['wallet:g2@aaa-creche', 'wallet:g2@regie'] })
  })

  it('refuses a statement of an account that no office of the site holds, naming the account, and records nothing', async () => {
    const f = await statementFor()
    const stranger = f.camt.replaceAll(OFFICE_IBAN, STRANGER_IBAN)
    const preview = await f.user.upload('/staff/bank/preview', 'file', { name: 'autre.xml', content: stranger })
    expect(preview.status).toBe(400)
    expect(preview.text).toContain(`Ce relevé est celui du compte ${spaced(STRANGER_IBAN)}, qu&#39;aucune régie du site ne détient : rien n&#39;a été enregistré.`)
    expect(preview.text).not.toContain('action="/staff/bank/import"')
    // posted all the same (a form kept from before the office's IBAN changed): refused, nothing recorded
    const done = await f.user.post('/staff/bank/import', { content: Buffer.from(stranger, 'utf8').toString('base64'), fileName: 'autre.xml' })
    expect(done.status).toBe(400)
    expect(done.text).toContain(spaced(STRANGER_IBAN))
    expect((await f.ctx.storage.payments!.listPayments(f.siteId, { method: 'transfer' })).items).toEqual([])
    expect((await f.ctx.storage.bankImports!.listBankEntries(f.siteId, {})).items).toEqual([])
  })

  it("accepts a held statement into the office holding its account, not the site's first office; if no office holds it any more, refuses and keeps it held", async () => {
    const f = await statementFor()
    await secondOffice(f)
    // the bank states an opening balance of 1.00 while the closing balance is computed from 0.00
    const wrong = (camt: string) => camt.replace('<Amt Ccy="EUR">0.00</Amt>', '<Amt Ccy="EUR">1.00</Amt>')
    const hold = async (camt: string) => {
      const preview = await f.user.upload('/staff/bank/preview', 'file', { name: 'faux.xml', content: wrong(camt) })
      await f.user.post('/staff/bank/import', { content: hiddenField(preview.text, 'content') })
      return hiddenField((await f.user.get('/staff/bank/held')).text, 'key')
    }
    const key = await hold(f.camt)
    const accepted = await f.user.post('/staff/bank/held/decide', { key, decision: 'accept' })
    expect([accepted.status, accepted.location]).toEqual([303, '/staff/bank/held?done=accepted'])
    expect((await f.ctx.storage.payments!.listPayments(f.siteId, { payerId: 'g1' })).items.map((p) => [p.billingOfficeId, p.amountMinor])).toEqual([['regie', 10_000n]])
    expect([await walletOf(f, 'regie'), await walletOf(f, 'aaa-creche')]).toEqual([2_500n, 500n])
    // another held statement of the régie's account (its own id and entries), then the régie's IBAN changes
    const other = await hold(f.camt.replace(/STMT-1/g, 'STMT-2').replace(/>E([123])</g, '>F$1<'))
    expect(other).not.toBe(key)
    const regie = await f.ctx.storage.directory!.getDirectoryRecord(f.siteId, 'billingOffice', 'regie')
    await f.ctx.storage.directory!.putDirectoryRecord(f.siteId, 'billingOffice', { ...regie!, iban: STRANGER_IBAN })
    const refused = await f.user.post('/staff/bank/held/decide', { key: other, decision: 'accept' })
    expect(refused.status).toBe(409)
    expect(refused.text).toContain(`compte ${spaced(OFFICE_IBAN)}, qu&#39;aucune régie`)
    expect((await f.ctx.storage.bankImports!.getHeldStatement(f.siteId, other))?.status).toBe('held')
    expect((await f.ctx.storage.payments!.listPayments(f.siteId, { method: 'transfer' })).items).toHaveLength(2)
    // rejecting needs no office: nothing of it is ever posted
    const rejected = await f.user.post('/staff/bank/held/decide', { key: other, decision: 'reject' })
    expect([rejected.status, rejected.location]).toEqual([303, '/staff/bank/held?done=rejected'])
  })

  it('refuses a file that is not a statement with the library error, and records nothing', async () => {
    const { user, ctx, siteId } = await statementFor()
    const r = await user.upload('/staff/bank/preview', 'file', { name: 'releve.xml', content: '<Document><Nothing/></Document>' })
    expect(r.status).toBe(400)
    expect(r.text).toMatch(/[A-Z_]{5,}: /)
    expect((await ctx.storage.payments!.listPayments(siteId, { method: 'transfer' })).items).toEqual([])
  })
})

describe('reminders, tax certificates, credit notes (seed 001)', () => {
  it('lists the overdue November invoice of Paul Roux, then records the reminder and queues its mail in the outbox', async () => {
    const { user, ctx, siteId } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'nov', issueDate: '2026-11-30' })
    const list = await user.get('/staff/reminders')
    expect(list.text).toContain('1 facture(s) échue(s) à relancer')
    expect(list.text).toContain('Paul Roux')
    const sent = await user.post('/staff/reminders', { notify: 'on' })
    expect([sent.status, sent.location]).toEqual([303, '/staff/reminders?sent=1'])
    const levels = await ctx.storage.invoicing!.lastReminderLevels(siteId, ['nov:g2'])
    expect(levels.get('nov:g2')).toBe(2)
    const mails = (await ctx.storage.outbox!.list(siteId, {})).items
    expect(mails).toHaveLength(1)
    expect(JSON.stringify(mails[0])).toContain('paul.roux@familles.example')
    expect((await user.get('/staff/reminders')).text).toContain('0 facture(s) échue(s) à relancer')
  })

  it('refuses the secretary the sending of reminders, naming invoices.write, and records none', async () => {
    const s = await fresh('secretariat@jaures.example')
    const admin = s.client()
    await admin.login('bo-admin@jaures.example')
    await admin.post('/staff/invoices/validate', { batchId: 'nov', issueDate: '2026-11-30' })
    const r = await s.user.post('/staff/reminders', {})
    expect(r.status).toBe(403)
    expect(r.text).toContain('invoices.write')
    expect((await s.ctx.storage.invoicing!.lastReminderLevels(s.siteId, ['nov:g2'])).size).toBe(0)
  })

  it("lists the year's tax certificates by name and downloads one as a PDF", async () => {
    const { user } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'nov', issueDate: '2026-11-30' })
    const invoice = await user.get('/staff/invoices/nov:g2')
    await user.post('/staff/invoices/nov:g2/pay', { paymentId: hiddenField(invoice.text, 'paymentId'), expectOutstandingMinor: hiddenField(invoice.text, 'expectOutstandingMinor'), amount: '25.00', method: 'cheque' })
    const page = await user.get('/staff/tax-certificates?year=2027')
    expect(page.text).toContain('1 attestation(s).')
    expect(page.text).toContain('Paul Roux')
    expect(page.text).toContain('Tom Roux')
    expect(page.text).toMatch(/25,00\s€/)
    const pdf = await user.get('/staff/tax-certificates/2027/g2/k-g2.pdf')
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(new TextDecoder().decode(pdf.bytes.slice(0, 5))).toBe('%PDF-')
  })

  it('issues a credit note within what the invoice bills; beyond it the library error CREDIT_EXCEEDS_INVOICE is shown and nothing is stored', async () => {
    const { user, ctx, siteId } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const form = await user.get('/staff/invoices/dec:g1/credit-note')
    const tooMuch = await user.post('/staff/invoices/dec:g1/credit-note', { creditNoteId: hiddenField(form.text, 'creditNoteId'), reason: 'Repas non servis', amount: '150,00' })
    expect(tooMuch.status).toBe(400)
    expect(tooMuch.text).toContain('CREDIT_EXCEEDS_INVOICE')
    expect(await ctx.storage.invoicing!.listCreditNotes(siteId, ['dec:g1'])).toEqual([])
    const ok = await user.post('/staff/invoices/dec:g1/credit-note', { creditNoteId: hiddenField(form.text, 'creditNoteId'), reason: 'Repas non servis', amount: '20,00' })
    expect(ok.status).toBe(303)
    const notes = await ctx.storage.invoicing!.listCreditNotes(siteId, ['dec:g1'])
    expect(notes.map((n) => [n.amountMinor, n.number])).toEqual([[2000n, 'AV2027-000001']])
    expect((await user.get(ok.location!)).text).toContain('L&#39;avoir AV2027-000001 est émis.')
  })

  it('says a credit note is issued only for a credit note of that invoice, never for the text of a ?done= link', async () => {
    const { user } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const form = await user.get('/staff/invoices/dec:g1/credit-note')
    const ok = await user.post('/staff/invoices/dec:g1/credit-note', { creditNoteId: hiddenField(form.text, 'creditNoteId'), reason: 'Repas non servis', amount: '20,00' })
    expect(ok.location).toBe('/staff/invoices/dec%3Ag1/credit-note?done=AV2027-000001')
    for (const done of ['AV-0001 ; rappelez le 0899 123 456', 'AV2027-000002']) {
      const page = await user.get(`/staff/invoices/dec:g1/credit-note?done=${encodeURIComponent(done)}`)
      expect(page.status).toBe(200)
      expect(page.text).not.toContain('est émis')
      expect(page.text).not.toContain('0899')
    }
  })

  it('refuses the secretary a credit note, naming invoices.validate, and stores none', async () => {
    const s = await fresh('secretariat@jaures.example')
    const admin = s.client()
    await admin.login('bo-admin@jaures.example')
    await admin.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const r = await s.user.post('/staff/invoices/dec:g1/credit-note', { creditNoteId: 'cn-1', reason: 'x', amount: '1.00' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('invoices.validate')
    expect(await s.ctx.storage.invoicing!.listCreditNotes(s.siteId, ['dec:g1'])).toEqual([])
  })
})

describe('a payment form sent again (seed 001: enregistrer un paiement)', () => {
  it('with the same payment id and another amount (Back, edit, send) keeps the first payment, says so with a 409, and offers a new form', async () => {
    const { user, ctx, siteId } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const invoice = await user.get('/staff/invoices/dec:g1')
    const form = { paymentId: hiddenField(invoice.text, 'paymentId'), expectOutstandingMinor: hiddenField(invoice.text, 'expectOutstandingMinor'), method: 'cheque' }
    expect((await user.post('/staff/invoices/dec:g1/pay', { ...form, amount: '40.00' })).status).toBe(303)
    const edited = await user.post('/staff/invoices/dec:g1/pay', { ...form, amount: '30.00' })
    expect(edited.status).toBe(409)
    expect(edited.text).toContain('Ce formulaire a déjà été envoyé avec d’autres valeurs')
    const paid = (await ctx.storage.payments!.listPayments(siteId, { payerId: 'g1' })).items
    expect(paid.map((p) => [p.id, p.amountMinor])).toEqual([[form.paymentId, 4000n]])
    expect(hiddenField(edited.text, 'paymentId')).not.toBe(form.paymentId)
  })
})

describe('accounts (seed 001: comptes débiteurs / créditeurs, compte d un responsable)', () => {
  it('lists the debtors by name with what they owe and the creditors with their prepaid balance, and a payer\'s movements', async () => {
    const { user } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const g2 = await user.get('/staff/guardians/g2')
    await user.post('/staff/guardians/g2/credit', { paymentId: hiddenField(g2.text, 'paymentId'), date: '2027-01-20', method: 'cash', billingOfficeId: 'regie', product: '', amount: '12.00' })
    const invoice = await user.get('/staff/invoices/dec:g1')
    await user.post('/staff/invoices/dec:g1/pay', { paymentId: hiddenField(invoice.text, 'paymentId'), expectOutstandingMinor: hiddenField(invoice.text, 'expectOutstandingMinor'), amount: '40.00', method: 'cheque' })
    const page = await user.get('/staff/accounts')
    const debtors = page.text.slice(page.text.indexOf('id="debtors"'), page.text.indexOf('id="creditors"'))
    expect(debtors).toMatch(/Claire Martin<\/a><\/td><td class="num">60,00\s€/)
    expect(debtors).toMatch(/Paul Roux<\/a><\/td><td class="num">50,00\s€/)
    expect(debtors).not.toContain('g1<')
    const creditors = page.text.slice(page.text.indexOf('id="creditors"'))
    expect(creditors).toMatch(/Paul Roux<\/a><\/td><td class="num">12,00\s€/)
    expect(creditors).not.toContain('Claire Martin')
    const account = await user.get('/staff/accounts/g1')
    expect(account.text).toContain('Compte de Claire Martin')
    expect(account.text).toContain('F2027-000001')
    expect(account.text).toMatch(/-60,00\s€/)
  })

  it("counts a credit note on a paid invoice once: the excess it carries to the wallet is no second credit on the payer's account", async () => {
    const { user, ctx, siteId } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const invoice = await user.get('/staff/invoices/dec:g1')
    const paid = await user.post('/staff/invoices/dec:g1/pay', { paymentId: hiddenField(invoice.text, 'paymentId'), expectOutstandingMinor: hiddenField(invoice.text, 'expectOutstandingMinor'), amount: '100.00', method: 'cheque' })
    expect(paid.status).toBe(303)
    const form = await user.get('/staff/invoices/dec:g1/credit-note')
    const credited = await user.post('/staff/invoices/dec:g1/credit-note', { creditNoteId: hiddenField(form.text, 'creditNoteId'), reason: 'Repas non servis', amount: '20,00' })
    expect(credited.status).toBe(303)
    // the library carried the 20,00 freed on the paid invoice to the wallet, as a payment of method creditNote
    const carried = (await ctx.storage.payments!.listPayments(siteId, { payerId: 'g1', method: 'creditNote' })).items
    expect(carried.map((p) => [p.amountMinor, p.walletCreditMinor])).toEqual([[2000n, 2000n]])
    const account = await user.get('/staff/accounts/g1?month=2027-01')
    const closing = account.text.slice(account.text.indexOf('class="closing"'))
    // billed 100,00, paid 100,00, credited 20,00: the payer is 20,00 in credit (not 40,00)
    expect(closing).toMatch(/>20,00\s€</)
    expect(account.text).not.toMatch(/40,00\s€/)
  })
})

describe('every money screen is refused to a role without its permission, naming it', () => {
  const cases: Array<[string, string]> = [
    ['/staff/batches/new', 'invoices.write'], ['/staff/batches/dec/drafts', 'invoices.read'], ['/staff/drafts/dec:g1/edit', 'invoices.write'], ['/staff/drafts/dec:g1/delete', 'invoices.write'],
    ['/staff/direct-debits', 'payments.write'], ['/staff/bank', 'payments.write'], ['/staff/reminders', 'invoices.read'],
    ['/staff/tax-certificates', 'documents.write'], ['/staff/invoices/dec:g1/credit-note', 'invoices.validate'], ['/staff/accounts', 'wallets.read'], ['/staff/accounts/g1', 'wallets.read'],
  ]
  it('the animateur opens none of them, and each refusal names the permission', async () => {
    const { user } = await fresh('animateur@jaures.example')
    for (const [path, permission] of cases) {
      const r = await user.get(path)
      expect([path, r.status]).toEqual([path, 403])
      expect(r.text).toContain(permission)
    }
  })

  it('the direction (invoices.read only) may not import a statement nor record a return: payments.write is named', async () => {
    const { user } = await fresh('direction@jaures.example')
    for (const path of ['/staff/bank/import', '/staff/direct-debits/returns', '/staff/direct-debits']) {
      const r = await user.post(path, { content: '', endToEndId: 'x', reasonCode: 'AM04', date: '2027-01-20', batchId: 'dec', collectionDate: '2027-01-20' })
      expect([path, r.status]).toEqual([path, 403])
      expect(r.text).toContain('payments.write')
    }
  })
})

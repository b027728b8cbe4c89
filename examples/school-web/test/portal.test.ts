import { reconcile, type StatementEntry } from '@ecole/bank'
import { creditorId, Money, ServiceSubscriptionSchema, walletAccountId } from '@ecole/core'
import { issueOneTimeToken, listConsents, saveConsent } from '@ecole/workflows'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedRaceFamilies } from '../src/seed'
import { SITE } from '../src/site-settings'
import { invoicePdf } from '../src/portal/invoice-pdf'
import { STORED_SETTINGS_TTL_MS } from '../src/stored-settings'
import { Client, startTestHost, visibleText, type TestHost } from './support'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
})
afterAll(async () => host?.close())

const PASSWORD = 'jaures-demo-2027'
const mail = (g: string) => `${g}@familles.example`
async function loggedIn(guardianId: string): Promise<Client> {
  const c = new Client(host.app)
  const r = await c.login(mail(guardianId), PASSWORD)
  expect(r.status).toBe(303)
  return c
}
async function walletMinor(guardianId: string): Promise<bigint> {
  const [b] = await host.ctx.storage.ledger!.getBalances(SITE.id, [walletAccountId(guardianId, SITE.billingOfficeId)], host.clock.now())
  return b!.available
}
async function activeBookings(childId: string, serviceId: string, from: string, to: string) {
  return (await host.ctx.storage.bookings!.listBookings(SITE.id, { from: from as '2027-01-01', to: to as '2027-01-01', beneficiaryId: childId, serviceId })).items.filter((b) => b.status === 'booked')
}

describe('first login and reset with a one-time token (seed 004)', () => {
  it('sets the password with the username and the token pasted with spaces around it, then is logged in; the token then gets a clear "already used" page', async () => {
    const c = new Client(host.app)
    await c.get('/token')
    const { username, token } = host.logins.firstLogin
    const r = await c.post('/token', { username, token: `  ${token}  `, password: 'Cantine du lundi', confirmation: 'Cantine du lundi' })
    expect(r.status).toBe(303)
    expect(visibleText((await c.get('/')).text)).toContain('Tableau de bord')
    const again = new Client(host.app)
    await again.get('/token')
    const used = await again.post('/token', { username, token, password: 'Cantine du mardi', confirmation: 'Cantine du mardi' })
    expect(used.status).toBe(410)
    expect(visibleText(used.text)).toContain('Ce jeton a déjà servi')
    expect((await again.login(username, 'Cantine du lundi')).status).toBe(303)
  })

  it("refuses a token shown with another person's username without using it up", async () => {
    const { token } = await host.ctx.storage.transaction(SITE.id, (tx) => issueOneTimeToken({ access: tx.access!, ids: host.ctx.ids, siteId: SITE.id, subject: { kind: 'guardian', id: 'resp-04' }, purpose: 'passwordReset', now: host.clock.now() }))
    const c = new Client(host.app)
    await c.get('/token')
    const wrong = await c.post('/token', { username: mail('resp-06'), token, password: 'Goûter du jeudi', confirmation: 'Goûter du jeudi' })
    expect(wrong.status).toBe(400)
    expect(visibleText(wrong.text)).toContain("n'appartient pas à ce nom d'utilisateur")
    expect((await c.post('/token', { username: mail('resp-04'), token, password: 'Goûter du jeudi', confirmation: 'Goûter du jeudi' })).status).toBe(303)
  })

  it('answers "forgotten password" the same whether the address exists or not, and mails a new token only to an address on file', async () => {
    const c = new Client(host.app)
    await c.get('/forgot')
    const known = await c.post('/forgot', { email: mail('resp-08') })
    const unknown = await c.post('/forgot', { email: 'nobody@familles.example' })
    expect(known.status).toBe(unknown.status)
    expect(visibleText(known.text)).toEqual(visibleText(unknown.text))
    await host.ctx.flushMail()
    const messages = host.ctx.mailbox!.messages
    expect(messages.some((m) => m.to.includes(mail('resp-08')))).toBe(true)
    expect(messages.some((m) => m.to.includes('nobody@familles.example'))).toBe(false)
    // the token in the mail works (end to end through SMTP)
    const text = messages.find((m) => m.to.includes(mail('resp-08')))!.text
    const token = /([0-9A-Z]{8,}(?:[ -]?[0-9A-Z]{4,})*)/.exec(text.replace(/resp-08@familles\.example/g, ''))?.[1]
    expect(token).toBeDefined()
    await c.get('/token')
    expect((await c.post('/token', { username: mail('resp-08'), token: token!, password: 'Sortie au musée', confirmation: 'Sortie au musée' })).status).toBe(303)
  })
})

describe('dashboard and invoices (seed 004)', () => {
  it('shows the wallet compartment with its balance, the top-up transfer details and EPC QR code, and the count of invoices to pay', async () => {
    const c = await loggedIn('resp-21')
    const home = await c.get('/')
    const text = visibleText(home.text)
    expect(text).toContain('Compartiment général')
    expect(text).toContain(SITE.iban)
    expect(text).toMatch(/RF\d\d/)
    expect(text).toMatch(/Vous avez \d+ facture\(s\) à payer|aucune facture à payer/)
    expect(home.text).toContain('<img src="data:image/svg+xml;base64,')
  })

  it('lists the invoices by year with number, paid / to pay and due date, shows details, downloads the PDF and explains how to pay', async () => {
    const c = await loggedIn('resp-01')
    const list = await c.get('/invoices')
    const text = visibleText(list.text)
    expect(text).toContain('2027')
    expect(text).toMatch(/FAC-2027-\d{5}/)
    const id = /data-invoice="([^"]+)"/.exec(list.text)![1]!
    expect(visibleText((await c.get(`/invoices/${id}`)).text)).toContain('Cantine')
    const pdf = await c.get(`/invoices/${id}/pdf`)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf')
    expect(new TextDecoder().decode((await pdf.res.arrayBuffer()).slice(0, 5))).toBe('%PDF-')
  })

  it('pays several open invoices with one transfer: one total, one communication carrying each reference, one EPC QR code; the library\'s bank reconciliation then settles every invoice from that one transfer', async () => {
    // a parent with two invoices still to pay (December's and January's), logged in through a session
    const open = (await host.ctx.storage.invoicing!.listInvoices(SITE.id, { status: 'validated' }, { limit: 1000 })).items
    const paid = new Set((await host.ctx.storage.payments!.listPayments(SITE.id, {}, { limit: 1000 })).items.flatMap((p) => p.allocations.map((a) => a.invoiceId)))
    const counts = new Map<string, number>()
    for (const inv of open) if (!paid.has(inv.id) && inv.debtorId !== 'resp-21') counts.set(inv.debtorId, (counts.get(inv.debtorId) ?? 0) + 1)
    const guardianId = [...counts].find(([, n]) => n >= 2)![0]
    const session = host.ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: guardianId })
    const c = new Client(host.app)
    c.cookies.set('ecole_session', session.id)
    c.csrf = session.csrf
    const list = await c.get('/invoices')
    const selectable = [...list.text.matchAll(/name="invoice" value="([^"]+)"/g)].map((m) => m[1]!)
    expect(selectable.length).toBeGreaterThanOrEqual(2)
    const chosen = selectable.slice(0, 2)
    const page = await c.get(`/invoices/pay-several?${chosen.map((id) => `invoice=${encodeURIComponent(id)}`).join('&')}`)
    expect(page.status).toBe(200)
    const invoices = await Promise.all(chosen.map((id) => host.ctx.storage.invoicing!.getInvoice(SITE.id, id)))
    const payments = await Promise.all(chosen.map((id) => host.ctx.storage.payments!.listPayments(SITE.id, { invoiceId: id })))
    const due = invoices.map((inv, i) => inv!.totalMinor - payments[i]!.items.filter((p) => p.status === 'recorded').flatMap((p) => p.allocations).filter((a) => a.invoiceId === chosen[i]).reduce((s, a) => s + a.amountMinor, 0n))
    const total = due[0]! + due[1]!
    expect(page.text).toContain(`data-total="${total}"`)
    const communication = /id="pay-ref"[^>]*>([^<]+)</.exec(page.text)?.[1] ?? /id="pay-ref"[^>]*value="([^"]+)"/.exec(page.text)?.[1]
    expect(communication).toBeDefined()
    for (const inv of invoices) expect(communication).toContain(inv!.paymentReference!.replace(/\s+/g, ''))
    expect(page.text).toMatch(/<img src="data:image\/svg\+xml;base64,/)
    // the transfer the parent makes, as the school's bank statement shows it: the library pays both invoices from it
    const transfer: StatementEntry = {
      reference: 'BQ-2027-02-10-1', amount: { minor: total, currency: 'EUR' }, creditDebit: 'credit', reversal: false, status: 'booked', additionalInfo: [],
      transactions: [{ remittance: { structured: [], unstructured: [communication!] } }],
    }
    const result = reconcile([transfer], { invoices: invoices.map((inv, i) => ({ id: inv!.id, reference: inv!.paymentReference!, amountDue: Money.fromMinor(due[i]!, 'EUR').toJSON(), dueDate: inv!.dueDate })), wallets: [] })
    expect(result.invoicePayments).toHaveLength(1)
    expect(result.invoicePayments[0]!.allocations.map((a) => [a.invoiceId, a.amount.minor]).sort()).toEqual(chosen.map((id, i) => [id, due[i]]).sort())
    expect(result.invoicePayments[0]!.unallocated.minor).toBe(0n)
    // one invoice alone goes to its own payment page; another family's invoice is not found
    expect((await c.get(`/invoices/pay-several?invoice=${encodeURIComponent(chosen[0]!)}`)).headers.get('Location')).toBe(`/invoices/${encodeURIComponent(chosen[0]!)}/pay`)
    const other = (await host.ctx.storage.invoicing!.listInvoices(SITE.id, { debtorOrJointDebtorId: 'resp-21', status: 'validated' })).items[0]!
    expect((await c.get(`/invoices/pay-several?invoice=${encodeURIComponent(chosen[0]!)}&invoice=${encodeURIComponent(other.id)}`)).status).toBe(404)
  })

  it('shows a joint debtor the invoices they are jointly liable for', async () => {
    const c = await loggedIn('resp-05j')
    expect(visibleText((await c.get('/invoices')).text)).toMatch(/FAC-2027-\d{5}/)
  })
})

describe('bookings (seed 001)', () => {
  it('books several prepaid days at once, debiting the wallet at once, and refunds a day cancelled before the cut-off', async () => {
    const c = await loggedIn('resp-21')
    const before = await walletMinor('resp-21')
    await c.get('/bookings?child=enfant-29&service=gouter&month=2027-03')
    const r = await c.post('/bookings', { child: 'enfant-29', service: 'gouter', month: '2027-03', action: 'book', date: ['2027-03-04', '2027-03-05'] })
    expect(r.status).toBe(303)
    expect(await activeBookings('enfant-29', 'gouter', '2027-03-04', '2027-03-05')).toHaveLength(2)
    expect(await walletMinor('resp-21')).toBe(before - 160n)
    const page = await c.get(r.headers.get('Location')!)
    expect(visibleText(page.text)).toContain('2 jour(s) traité(s), 0 refusé(s)')
    await c.post('/bookings', { child: 'enfant-29', service: 'gouter', month: '2027-03', action: 'cancel', date: '2027-03-05' })
    expect(await activeBookings('enfant-29', 'gouter', '2027-03-04', '2027-03-05')).toHaveLength(1)
    expect(await walletMinor('resp-21')).toBe(before - 80n)
  })

  it('leaves out the days that are not on the calendar and books the others (2027-02-30 failed the whole request with a server error)', async () => {
    const c = await loggedIn('resp-21')
    const before = await walletMinor('resp-21')
    await c.get('/bookings?child=enfant-29&service=gouter&month=2027-03')
    const r = await c.post('/bookings', { child: 'enfant-29', service: 'gouter', month: '2027-03', action: 'book', date: ['2027-02-30', '0000-00-00', '2027-13-01', '2027-03-11'] })
    expect(r.status).toBe(303)
    expect(await activeBookings('enfant-29', 'gouter', '2027-03-11', '2027-03-11')).toHaveLength(1)
    expect(await walletMinor('resp-21')).toBe(before - 80n)
    expect((await c.post('/bookings', { child: 'enfant-29', service: 'gouter', month: '2027-03', action: 'cancel', date: ['2027-03-11', '2027-02-29'] })).status).toBe(303)
    expect(await walletMinor('resp-21')).toBe(before)
  })

  it("says by how much a parent's wallet falls short of a prepaid day, the amounts written for the parent's language (fr, then en)", async () => {
    // one family whose wallet holds 0.50 EUR, a snack day costs 0.80 EUR
    const [family] = await seedRaceFamilies(host.ctx.storage, { count: 1, now: host.clock.now(), topUp: '0.50', scrypt: { N: 1024, r: 8, p: 1 }, password: PASSWORD })
    const c = new Client(host.app)
    expect((await c.login(family!.email, PASSWORD)).status).toBe(303)
    await c.get(`/bookings?child=${family!.childId}&service=gouter&month=2027-03`)
    const book = async () => {
      const r = await c.post('/bookings', { child: family!.childId, service: 'gouter', month: '2027-03', action: 'book', date: '2027-03-04' })
      expect(r.status).toBe(303)
      return visibleText((await c.get(r.headers.get('Location')!)).text).replace(/[\u00a0\u202f]/g, ' ')
    }
    expect(await book()).toContain('il manque 0,30 € (solde disponible 0,50 €, prix 0,80 €)')
    await c.post('/lang', { lang: 'en' })
    expect(await book()).toContain('€0.30 short (available €0.50, price €0.80)')
    expect(await activeBookings(family!.childId, 'gouter', '2027-03-04', '2027-03-04')).toHaveLength(0)
    expect(await walletMinor(family!.guardianId)).toBe(50n)
  })

  it('says why a day cannot be booked and until when, in the site zone (cut-off passed)', async () => {
    const c = await loggedIn('resp-21')
    const page = await c.get('/bookings?child=enfant-29&service=cantine&month=2027-02')
    expect(page.text).toMatch(/data-date="2027-02-09" data-state="refused"/)
    expect(visibleText(page.text)).toContain('(Europe/Paris)')
    await c.post('/bookings', { child: 'enfant-29', service: 'cantine', month: '2027-02', action: 'book', date: '2027-02-09' })
    expect(await activeBookings('enfant-29', 'cantine', '2027-02-09', '2027-02-09')).toHaveLength(0)
    expect(visibleText((await c.get('/bookings?child=enfant-29&service=cantine&month=2027-02')).text)).toContain('date limite')
  })

  it("shows separated parents whose week each day is, and refuses the other parent's days", async () => {
    const mum = await loggedIn('resp-03')
    const page = await mum.get('/bookings?child=enfant-05&service=cantine&month=2027-03')
    expect(visibleText(page.text)).toContain("l'autre parent")
    const dad = await loggedIn('resp-03b')
    // 2027-03-11 is in ISO week 10 (even): the mother's week
    await dad.get('/bookings?child=enfant-05&service=cantine&month=2027-03')
    await dad.post('/bookings', { child: 'enfant-05', service: 'cantine', month: '2027-03', action: 'book', date: '2027-03-11' })
    expect(await activeBookings('enfant-05', 'cantine', '2027-03-11', '2027-03-11')).toHaveLength(0)
    await mum.post('/bookings', { child: 'enfant-05', service: 'cantine', month: '2027-03', action: 'book', date: '2027-03-11' })
    expect(await activeBookings('enfant-05', 'cantine', '2027-03-11', '2027-03-11')).toHaveLength(1)
  })
})

describe('consents gating bookings (seed 001)', () => {
  it('refuses a canteen day while the parent has not accepted the canteen rules, with the library reason and a link to give it; books once accepted, refuses again once withdrawn', async () => {
    const c = await loggedIn('resp-22')
    const page = await c.get('/bookings?child=enfant-30&service=cantine&month=2027-03')
    expect(page.text).toMatch(/data-date="2027-03-11" data-state="refused"/)
    expect(visibleText(page.text)).toContain('Consentement requis : « Règlement intérieur de la restauration scolaire 2026-2027 »')
    expect(page.text).toContain('href="/consents"')
    const refused = await c.post('/bookings', { child: 'enfant-30', service: 'cantine', month: '2027-03', action: 'book', date: '2027-03-11' })
    expect(visibleText((await c.get(refused.headers.get('Location')!)).text)).toContain('0 jour(s) traité(s), 1 refusé(s)')
    expect(await activeBookings('enfant-30', 'cantine', '2027-03-11', '2027-03-11')).toHaveLength(0)

    const consents = await c.get('/consents')
    expect(consents.text).toContain('data-state="missing"')
    expect(consents.text).toContain('href="/documents/reglement-restauration-2026"')
    // accepting needs the "I have read" box
    await c.post('/consents', { consent: 'reglement-2026', action: 'accept' })
    expect(await host.ctx.storage.bookings!.listConsentAcceptances(SITE.id, { guardianId: 'resp-22' })).toEqual([])
    await c.post('/consents', { consent: 'reglement-2026', action: 'accept', read: 'yes' })
    const accepted = await c.get('/consents')
    expect(accepted.text).toContain('data-state="accepted"')
    expect(visibleText(accepted.text)).toContain('Accepté le lundi 8 février 2027.')
    await c.post('/bookings', { child: 'enfant-30', service: 'cantine', month: '2027-03', action: 'book', date: '2027-03-11' })
    expect(await activeBookings('enfant-30', 'cantine', '2027-03-11', '2027-03-11')).toHaveLength(1)

    await c.post('/consents', { consent: 'reglement-2026', action: 'withdraw' })
    await c.post('/bookings', { child: 'enfant-30', service: 'cantine', month: '2027-03', action: 'book', date: '2027-03-12' })
    expect(await activeBookings('enfant-30', 'cantine', '2027-03-12', '2027-03-12')).toHaveLength(0)
    // a consent the site does not have is not found
    expect((await c.post('/consents', { consent: 'photos', action: 'accept', read: 'yes' })).status).toBe(404)
  })
})

describe('a consent changed while its page was read', () => {
  it('records no acceptance of a consent made inactive (by another host, or the library) since the page was shown, and says to read it again', async () => {
    const c = await loggedIn('resp-21')
    expect((await c.get('/consents')).text).toContain('reglement-2026')
    const before = await host.ctx.storage.bookings!.listConsentAcceptances(SITE.id, { guardianId: 'resp-21' })
    const deps = { storage: host.ctx.storage }
    const record = (await listConsents(deps, SITE.id)).find((r) => r.id === 'reglement-2026')!
    // written behind this host's back: its kept copy of the consents still offers it
    await saveConsent(deps, { ...record, active: false })
    try {
      const r = await c.post('/consents', { consent: 'reglement-2026', action: 'accept', read: 'yes' })
      expect(r.status).toBe(303)
      expect(visibleText((await c.get('/consents')).text)).toContain("Ce consentement a changé depuis l'affichage de la page : relisez-le, puis acceptez-le à nouveau.")
      expect(await host.ctx.storage.bookings!.listConsentAcceptances(SITE.id, { guardianId: 'resp-21' })).toEqual(before)
    } finally {
      await saveConsent(deps, { ...record, active: true })
    }
  })
})

describe('attendance from the browser (seed 000 option)', () => {
  it('is refused with a clear reason while the site does not allow it, and recorded once it does', async () => {
    const c = await loggedIn('resp-21')
    await c.get('/bookings?child=enfant-29&service=cantine&month=2027-02')
    const refused = await c.post('/attendance', { child: 'enfant-29', service: 'cantine' })
    expect(refused.status).toBe(403)
    expect(visibleText(refused.text)).toContain("n'autorise pas l'enregistrement des présences")
    const site = (await host.ctx.storage.directory!.getSite(SITE.id))!
    await host.ctx.storage.directory!.putSite(SITE.id, { ...site, options: { ...site.options, browserAttendance: true } })
    const before = host.clock.current
    try {
      // Monday 2027-02-22 (the first day after the winter holidays) at 12:30 in Paris, after the canteen started (11:30)
      host.clock.current = new Date('2027-02-22T11:30:00Z')
      const c = await loggedIn('resp-21')
      const page = await c.get('/bookings?child=enfant-29&service=cantine&month=2027-02')
      expect(page.text).toContain('action="/attendance"')
      expect((await c.post('/attendance', { child: 'enfant-29', service: 'cantine' })).status).toBe(303)
      const recorded = (await host.ctx.storage.bookings!.listAttendance(SITE.id, { from: '2027-02-22', to: '2027-02-22', beneficiaryId: 'enfant-29' })).items
      expect(recorded.map((a) => a.status)).toEqual(['present'])
    } finally {
      host.clock.current = before
      await host.ctx.storage.directory!.putSite(SITE.id, site)
    }
  })
})

describe('statement and documents', () => {
  it('lists the wallet movements of the month with the running balance, and the prepaid bookings still reserved, each in words', async () => {
    const c = await loggedIn('resp-21')
    const page = visibleText((await c.get('/statement?month=2027-02')).text)
    expect(page).toContain('Relevé de compte')
    expect(page).toContain(' du 04/03/2027 pour ')
    const december = visibleText((await c.get('/statement?month=2026-11')).text)
    expect(december).toMatch(/20,00\s€/)
  })

  it("shows the school's documents within their availability window and downloads them; another id is not found", async () => {
    const c = await loggedIn('resp-21')
    expect(visibleText((await c.get('/documents')).text)).toContain('Menus de février 2027')
    const doc = await c.get('/documents/menus-2027-02')
    expect(doc.status).toBe(200)
    expect(doc.text).toContain('poisson pané')
    expect((await c.get('/documents/not-yours')).status).toBe(404)
  })
})

describe('languages', () => {
  it('remembers the language chosen, across sessions, and formats amounts for it', async () => {
    const c = await loggedIn('resp-21')
    await c.get('/')
    expect((await c.post('/lang', { lang: 'en' })).status).toBe(303)
    const home = visibleText((await c.get('/')).text)
    expect(home).toContain('Dashboard')
    expect(home).toMatch(/€\d+\.\d\d/)
    // a new session in the same browser (the session cookie dropped, the language cookie kept)
    for (const k of [...c.cookies.keys()]) if (k.includes('session')) c.cookies.delete(k)
    expect(visibleText((await c.get('/login')).text)).toContain('Log in')
  })
})

describe('security rules, one test each (issue 17)', () => {
  const sessionCookie = (c: Client) => [...c.cookies].find(([k]) => k.includes('ecole_session'))!

  it('session ids carry at least 128 bits and a new id is issued at login (the anonymous one stops working)', async () => {
    const c = new Client(host.app)
    await c.get('/login')
    const [, anonymous] = sessionCookie(c)
    expect(Buffer.from(anonymous, 'base64url').length * 8).toBeGreaterThanOrEqual(128)
    await c.post('/login', { username: mail('resp-21'), password: PASSWORD })
    const [, logged] = sessionCookie(c)
    expect(logged).not.toBe(anonymous)
    expect(Buffer.from(logged, 'base64url').length * 8).toBeGreaterThanOrEqual(128)
    // a planted (pre-login) id is worth nothing
    const attacker = new Client(host.app)
    attacker.cookies.set('ecole_session', anonymous)
    expect((await attacker.get('/')).status).toBe(303)
  })

  it('ends a session after 30 idle minutes, and after 12 hours whatever the activity', async () => {
    const c = await loggedIn('resp-21')
    host.clock.advance(29 * 60_000)
    expect((await c.get('/')).status).toBe(200)
    host.clock.advance(31 * 60_000)
    expect((await c.get('/')).status).toBe(303)
    const busy = await loggedIn('resp-21')
    for (let h = 0; h < 12 * 3; h++) {
      host.clock.advance(20 * 60_000)
      const r = await busy.get('/invoices')
      if (h < 12 * 3 - 1) expect(r.status).toBe(200)
    }
    host.clock.advance(20 * 60_000)
    expect((await busy.get('/')).status).toBe(303)
  })

  it('ends every session of a person when their password changes', async () => {
    const elsewhere = await loggedIn('resp-22')
    expect((await elsewhere.get('/')).status).toBe(200)
    const { token } = await host.ctx.storage.transaction(SITE.id, (tx) => issueOneTimeToken({ access: tx.access!, ids: host.ctx.ids, siteId: SITE.id, subject: { kind: 'guardian', id: 'resp-22' }, purpose: 'passwordReset', now: host.clock.now() }))
    const here = new Client(host.app)
    await here.get('/token')
    expect((await here.post('/token', { username: mail('resp-22'), token, password: 'Nouvelle rentrée 2027', confirmation: 'Nouvelle rentrée 2027' })).status).toBe(303)
    expect((await elsewhere.get('/')).status).toBe(303)
    expect((await here.get('/')).status).toBe(200)
  })

  it('ends a session at once on logout: the very next request with its cookie, from this browser or a copy of it, is sent to the login page', async () => {
    const c = await loggedIn('resp-21')
    expect((await c.get('/invoices')).status).toBe(200)
    const stolen = new Client(host.app)
    for (const [k, v] of c.cookies) stolen.cookies.set(k, v)
    expect((await stolen.get('/invoices')).status).toBe(200)
    const out = await c.post('/logout', {})
    expect([out.status, out.headers.get('Location')]).toEqual([303, '/login'])
    const after = await stolen.get('/invoices')
    expect([after.status, after.headers.get('Location')]).toEqual([303, '/login'])
    expect((await c.get('/invoices')).status).toBe(303)
  })

  it('sends cookies HttpOnly and SameSite=Lax, and over HTTPS Secure with the __Host- prefix', async () => {
    const plain = await new Client(host.app).get('/login')
    const cookie = plain.headers.getSetCookie().find((c) => c.startsWith('ecole_session='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(/Path=\//)
    const { createApp } = await import('../src/app')
    const https = createApp({ ...host.ctx, config: { ...host.ctx.config, https: true, publicUrl: 'https://portail.example' } })
    const secure = await new Client(https, 'https://portail.example').get('/login')
    const hostCookie = secure.headers.getSetCookie().find((c) => c.startsWith('__Host-ecole_session='))!
    expect(hostCookie).toMatch(/Secure/)
    expect(hostCookie).toMatch(/Path=\//)
    expect(hostCookie).not.toMatch(/Domain=/i)
    expect(secure.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d+/)
  })

  it('puts an anti-forgery token in every form, refuses a state change without it or from another origin, and never changes state on GET', async () => {
    const c = await loggedIn('resp-21')
    for (const path of ['/', '/invoices', '/bookings?child=enfant-29&service=gouter&month=2027-02', '/login', '/token', '/forgot', '/staff/login']) {
      const page = await c.get(path)
      const forms = page.text.match(/<form[^>]*method="post"[^>]*>[\s\S]*?<\/form>/g) ?? []
      for (const f of forms) expect(f, `a form of ${path}`).toContain(`name="_csrf" value="${c.csrf}"`)
    }
    const before = await walletMinor('resp-21')
    const forged = await c.request('POST', '/bookings', { child: 'enfant-29', service: 'gouter', month: '2027-02', action: 'book', date: '2027-02-15' })
    expect(forged.status).toBe(403)
    const crossSite = await c.request('POST', '/bookings', { _csrf: c.csrf, child: 'enfant-29', service: 'gouter', month: '2027-02', action: 'book', date: '2027-02-15' }, { Origin: 'https://evil.example' })
    expect(crossSite.status).toBe(403)
    // GET with the same parameters books nothing either
    await c.get('/bookings?child=enfant-29&service=gouter&month=2027-02&action=book&date=2027-02-15')
    expect((await c.get('/logout')).status).toBe(404)
    expect((await c.get('/')).status).toBe(200)
    expect(await activeBookings('enfant-29', 'gouter', '2027-02-15', '2027-02-15')).toHaveLength(0)
    expect(await walletMinor('resp-21')).toBe(before)
  })

  it('sends the security headers on every page: CSP without inline script, no framing, nosniff, a referrer policy; pages carry no inline script or style', async () => {
    const c = await loggedIn('resp-21')
    for (const path of ['/', '/invoices', '/bookings', '/login', '/nowhere', '/static/app.css', '/invoices/pay-several']) {
      const r = await c.get(path)
      // pages are never cached; the static files of the origin are, for an hour
      expect(r.headers.get('Cache-Control')).toBe(path.startsWith('/static/') ? 'public, max-age=3600' : 'no-store')
      expect(r.headers.get('X-Frame-Options')).toBe('DENY')
      const csp = r.headers.get('Content-Security-Policy')!
      expect(csp).toContain("script-src 'self'")
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).toContain("frame-ancestors 'none'")
      expect(r.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(r.headers.get('Referrer-Policy')).toBe('same-origin')
      expect(r.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
      expect(r.text).not.toMatch(/\sstyle="/)
      expect(r.text).not.toMatch(/\son[a-z]+="/)
    }
  })

  it('slows repeated failed logins down without locking the parent out', async () => {
    const c = new Client(host.app)
    await c.get('/login')
    host.delays.length = 0
    for (let i = 0; i < 9; i++) expect((await c.post('/login', { username: mail('resp-09'), password: `wrong-${i}` })).status).toBe(401)
    expect(host.delays.length).toBeGreaterThanOrEqual(3)
    expect(host.delays).toEqual([...host.delays].sort((a, b) => a - b))
    expect(Math.max(...host.delays)).toBeLessThanOrEqual(8000)
    // the right password still works, only later
    const right = await c.post('/login', { username: mail('resp-01'), password: PASSWORD })
    expect(right.status).toBe(303)
    // the token and reset pages are slowed the same way
    host.delays.length = 0
    const t = new Client(host.app)
    await t.get('/token')
    for (let i = 0; i < 8; i++) await t.post('/token', { username: mail('resp-10'), token: `NOTATOKEN${i}`, password: 'Sortie au musée', confirmation: 'Sortie au musée' })
    expect(host.delays.length).toBeGreaterThan(0)
  })

  it('refuses passwords under 8 characters and common ones, naming the rule', async () => {
    const { token } = await host.ctx.storage.transaction(SITE.id, (tx) => issueOneTimeToken({ access: tx.access!, ids: host.ctx.ids, siteId: SITE.id, subject: { kind: 'guardian', id: 'resp-11' }, purpose: 'passwordReset', now: host.clock.now() }))
    const c = new Client(host.app)
    await c.get('/token')
    const short = await c.post('/token', { username: mail('resp-11'), token, password: 'Ab1!xyz', confirmation: 'Ab1!xyz' })
    expect(short.status).toBe(400)
    expect(visibleText(short.text)).toContain('au moins 8 caractères')
    const common = await c.post('/token', { username: mail('resp-11'), token, password: 'password123', confirmation: 'password123' })
    expect(visibleText(common.text)).toContain('trop courant')
    // neither refusal used the token up
    expect((await c.post('/token', { username: mail('resp-11'), token, password: 'Kermesse de juin', confirmation: 'Kermesse de juin' })).status).toBe(303)
  })

  it("never reaches another family's or site's data by changing an id in a URL or a form, on every route", async () => {
    const mine = await loggedIn('resp-21')
    const other = await loggedIn('resp-01')
    const theirs = /data-invoice="([^"]+)"/.exec((await other.get('/invoices')).text)![1]!
    for (const path of [`/invoices/${theirs}`, `/invoices/${theirs}/pdf`, `/invoices/${theirs}/pay`, '/bookings?child=enfant-01&service=cantine&month=2027-02', '/bookings?child=enfant-29&service=piscine&month=2027-02']) {
      const r = await mine.get(path)
      expect(r.status, path).toBe(404)
      expect(r.text).not.toContain(theirs.split(':')[1]!)
    }
    expect(visibleText((await mine.get('/invoices')).text)).not.toContain(visibleText((await other.get(`/invoices/${theirs}`)).text).match(/FAC-2027-\d{5}/)![0])
    const forged = await mine.post('/bookings', { child: 'enfant-01', service: 'cantine', month: '2027-02', action: 'book', date: '2027-02-15' })
    expect(forged.status).toBe(404)
    expect(await activeBookings('enfant-01', 'cantine', '2027-02-15', '2027-02-15')).toHaveLength(0)
    // the staff area is not a parent's
    expect((await mine.get('/staff')).status).toBe(303)
    // a session of another site is not a session here
    const foreign = host.ctx.sessions.login(undefined, 'another-site', { kind: 'guardian', id: 'resp-21' })
    const stranger = new Client(host.app)
    stranger.cookies.set('ecole_session', foreign.id)
    expect((await stranger.get('/')).status).toBe(303)
  })

  it('shows error pages without a stack trace or an internal message', async () => {
    const c = await loggedIn('resp-21')
    const notFound = await c.get('/no/such/page')
    expect(notFound.status).toBe(404)
    const { createApp } = await import('../src/app')
    const broken = createApp({
      ...host.ctx,
      log: () => {},
      // the database refuses the connection, for a page's reads in a transaction as for a read alone
      storage: {
        ...host.ctx.storage,
        transaction: () => Promise.reject(new Error('connection to 10.0.0.5 refused: secret detail')),
        invoicing: { ...host.ctx.storage.invoicing!, listInvoices: () => Promise.reject(new Error('connection to 10.0.0.5 refused: secret detail')) },
      },
    })
    const b = new Client(broken)
    b.cookies.set('ecole_session', sessionCookie(c)[1])
    const error = await b.get('/invoices')
    expect(error.status).toBe(500)
    for (const r of [notFound, error]) {
      expect(r.text).not.toMatch(/\bat .+\.(ts|js):\d+/)
      expect(r.text).not.toContain('secret detail')
      expect(r.text).not.toContain('Error:')
    }
    expect(visibleText(error.text)).toMatch(/référence [0-9a-f]{8}/)
  })
})

describe('settings the site stores, not the host code (issue 17)', () => {
  it("follows a change of a stored service's booking cut-off and of the site's portal text, once the host's brief cache has expired, without a code change", async () => {
    const directory = host.ctx.storage.directory!
    const canteen = (await directory.getDirectoryRecord(SITE.id, 'service', 'cantine'))!
    const site = (await directory.getSite(SITE.id))!
    const c = await loggedIn('resp-21')
    const calendar = '/bookings?child=enfant-29&service=cantine&month=2027-03'
    // seeded: two working days before at 10:00, so 25 March is open, and the seeded login text shows
    expect((await c.get(calendar)).text).toMatch(/data-date="2027-03-25" data-state="open"/)
    expect(visibleText((await new Client(host.app).get('/login')).text)).toContain("Bienvenue sur le portail des familles de l'école Jean-Jaurès.")
    try {
      await host.ctx.storage.transaction(SITE.id, async (tx) => {
        await tx.directory!.putDirectoryRecord(SITE.id, 'service', { ...canteen, bookingCutoff: { kind: 'daysBefore', days: 60, count: 'calendar', at: '10:00' } })
        await tx.directory!.putSite(SITE.id, { ...site, portalTexts: { ...site.portalTexts, login: { fr: 'Portail fermé le 1er mars pour maintenance.' } } })
      })
      // within the cache's delay the host still serves what it read
      expect((await c.get(calendar)).text).toMatch(/data-date="2027-03-25" data-state="open"/)
      host.clock.advance(STORED_SETTINGS_TTL_MS)
      const page = await c.get(calendar)
      expect(page.text).toMatch(/data-date="2027-03-25" data-state="refused"/)
      expect(visibleText(page.text)).toContain('date limite')
      await c.post('/bookings', { child: 'enfant-29', service: 'cantine', month: '2027-03', action: 'book', date: '2027-03-25' })
      expect(await activeBookings('enfant-29', 'cantine', '2027-03-25', '2027-03-25')).toHaveLength(0)
      const login = visibleText((await new Client(host.app).get('/login')).text)
      expect(login).toContain('Portail fermé le 1er mars pour maintenance.')
      expect(login).not.toContain('Bienvenue sur le portail des familles')
    } finally {
      await host.ctx.storage.transaction(SITE.id, async (tx) => {
        await tx.directory!.putDirectoryRecord(SITE.id, 'service', canteen)
        await tx.directory!.putSite(SITE.id, site)
      })
      host.clock.advance(STORED_SETTINGS_TTL_MS)
    }
  })
})

describe('who families pay, as the billing office stores it (not the host code)', () => {
  it('prints an invoice again after a partial payment asking for what is still due, not its total (the PDF the portal downloads)', async () => {
    const invoice = (await host.ctx.storage.invoicing!.listInvoices(SITE.id, { debtorOrJointDebtorId: 'resp-21', status: 'validated' })).items[0]!
    const text = (settled?: { paidMinor: bigint; creditedMinor: bigint }) => invoicePdf(host.ctx, invoice, 'fr', settled).then((bytes) => {
      const dir = mkdtempSync(join(tmpdir(), 'ecole-invoice-'))
      writeFileSync(join(dir, 'invoice.pdf'), bytes)
      return execFileSync('pdftotext', ['-layout', join(dir, 'invoice.pdf'), '-'], { encoding: 'utf8' }).replace(/[\s\u00a0\u202f]+/g, ' ')
    })
    const euros = (minor: bigint) => Money.fromMinor(minor, 'EUR').amount.replace('.', ',')
    expect(await text()).toMatch(new RegExp(`Montant ${euros(invoice.totalMinor)} €`))
    const paidOnce = await text({ paidMinor: 100n, creditedMinor: 0n })
    expect(paidOnce).toMatch(new RegExp(`Montant ${euros(invoice.totalMinor - 100n)} €`))
    expect(paidOnce).not.toMatch(new RegExp(`Montant ${euros(invoice.totalMinor)} €`))
    expect(await text({ paidMinor: invoice.totalMinor, creditedMinor: 0n })).not.toContain('Paiement par virement')
  })

  it('shows the stored office’s IBAN on the top-up and on an invoice’s payment page, prints its address, e-mail, SEPA creditor id and the school’s UAI on the invoice PDF (a debit only under a usable mandate, else a transfer to its IBAN), and offers no transfer when the office has no IBAN', async () => {
    const directory = host.ctx.storage.directory!
    const office = (await directory.getDirectoryRecord(SITE.id, 'billingOffice', SITE.billingOfficeId))!
    const moved = 'FR7630006000011234567890189'
    const c = await loggedIn('resp-21')
    const invoice = (await host.ctx.storage.invoicing!.listInvoices(SITE.id, { debtorOrJointDebtorId: 'resp-21', status: 'validated' })).items[0]!
    const creditor = creditorId.generate({ country: 'FR', nationalId: '654321' })
    try {
      await directory.putDirectoryRecord(SITE.id, 'billingOffice', { ...office, iban: moved, creditorId: creditor, email: 'caisse@creteil.example.fr', address: { line1: '1 place de la Régie', postcode: '94010', city: 'Créteil Cedex' } })
      expect(visibleText((await c.get('/')).text)).toContain(moved)
      expect(visibleText((await c.get(`/invoices/${encodeURIComponent(invoice.id)}/pay`)).text)).toContain(moved)
      const pdfText = async (client: Client, id: string) => {
        const dir = mkdtempSync(join(tmpdir(), 'ecole-invoice-'))
        writeFileSync(join(dir, 'invoice.pdf'), new Uint8Array(await (await client.get(`/invoices/${encodeURIComponent(id)}/pdf`)).res.arrayBuffer()))
        return execFileSync('pdftotext', ['-layout', join(dir, 'invoice.pdf'), '-'], { encoding: 'utf8' })
      }
      const text = await pdfText(c, invoice.id)
      expect(text).toContain('1 place de la Régie')
      expect(text).toContain('94010 Créteil Cedex')
      expect(text).toContain('caisse@creteil.example.fr')
      expect(text).toContain('UAI 0941234F')
      // the batch has a debit date, but Marc Blanc signed no mandate: he is told to pay by transfer, to the office's IBAN
      expect(invoice.directDebitDate).not.toBeNull()
      expect(await host.ctx.storage.directory!.listSepaMandatesOf(SITE.id, ['resp-21'])).toEqual([])
      expect(text).not.toContain('prélevée')
      expect(text.replace(/\s+/g, '')).toContain(moved)
      // a family with a mandate is told its invoice will be debited, under its mandate and the office's creditor id
      const mandated = (await host.ctx.storage.invoicing!.listInvoices(SITE.id, { debtorOrJointDebtorId: 'resp-20', status: 'validated' })).items[0]!
      const session = host.ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: 'resp-20' })
      const other = new Client(host.app)
      other.cookies.set('ecole_session', session.id)
      other.csrf = session.csrf
      const debited = (await pdfText(other, mandated.id)).replace(/\s+/g, ' ')
      expect(debited).toContain('sera prélevée')
      expect(debited).toContain('RUM-JAURES-0020')
      expect(debited).toContain(creditor)
      // an office without an account: the top-up and the payment page say so, with no account shown
      const { iban: _iban, ...withoutIban } = office
      await directory.putDirectoryRecord(SITE.id, 'billingOffice', withoutIban)
      const home = await c.get('/')
      expect(home.text).toContain('id="topup-no-account"')
      expect(visibleText(home.text)).not.toContain(SITE.iban)
      const pay = await c.get(`/invoices/${encodeURIComponent(invoice.id)}/pay`)
      expect(pay.status).toBe(404)
      expect(visibleText(pay.text)).toContain('la régie n’a pas enregistré son compte bancaire')
    } finally {
      await directory.putDirectoryRecord(SITE.id, 'billingOffice', office)
    }
    expect(visibleText((await c.get('/')).text)).toContain(SITE.iban)
  })
})

// Last in the file: it adds 1,001 service rights of other children, a page of cancelled bookings
// and 1,001 wallet movements to the shared site.
describe('the portal on a big site and for a long-lived family: every page reads past the first page of a listing', () => {
  it("shows the child's services and their days (the page read the site's first 1,000 rights and looked for the child's among them)", async () => {
    // rights of other children whose ids sort before the demo's
    await host.ctx.storage.transaction(SITE.id, async (tx) => {
      for (let i = 0; i <= 1000; i++) {
        await tx.directory!.putDirectoryRecord(SITE.id, 'subscription', ServiceSubscriptionSchema.parse({ id: `a-${String(i).padStart(4, '0')}`, siteId: SITE.id, beneficiaryId: `other-${i}`, serviceId: 'cantine', from: '2026-09-01' }))
      }
    })
    const c = await loggedIn('resp-21')
    const page = await c.get('/bookings?child=enfant-29&service=gouter&month=2027-03')
    expect(page.status).toBe(200)
    expect(page.text).toContain('value="2027-03-04"')
  })

  it('shows a booked day as booked after more than a page of the child\'s cancelled bookings of the month (the grid read the first 100)', async () => {
    const at = new Date('2027-02-01T08:00:00Z')
    await host.ctx.storage.transaction(SITE.id, async (tx) => {
      for (let i = 0; i <= 100; i++) await tx.bookings!.putBooking(SITE.id, { id: `old-${String(i).padStart(3, '0')}`, beneficiaryId: 'enfant-29', serviceId: 'gouter', date: '2027-03-01', status: 'cancelled', bookedAt: at, cancelledAt: at })
      await tx.bookings!.putBooking(SITE.id, { id: 'b-0308', beneficiaryId: 'enfant-29', serviceId: 'gouter', date: '2027-03-08', status: 'booked', bookedAt: at })
    })
    const c = await loggedIn('resp-21')
    const page = await c.get('/bookings?child=enfant-29&service=gouter&month=2027-03')
    expect(page.text).toMatch(/data-date="2027-03-08" data-state="booked"/)
  })

  it("lists a month's wallet movements after the wallet's first 1,000 (the statement read the first 1,000 and stopped)", async () => {
    const ledger = host.ctx.storage.ledger!
    const wallet = walletAccountId('resp-21', SITE.billingOfficeId)
    const credit = (await ledger.listTransfers(SITE.id, { accountId: wallet }, { limit: 100 })).items.map((r) => r.transfer).find((t) => t.creditAccountId === wallet && !t.flags?.pending)!
    // 1,001 credits of one cent in October 2026, before every other movement of the wallet
    const at = new Date('2026-10-15T08:00:00Z')
    const cents = Array.from({ length: 1001 }, (_, i) => ({ id: `cent-${i}`, debitAccountId: credit.debitAccountId, creditAccountId: wallet, amount: 1n, currency: credit.currency, code: credit.code, timestamp: at }))
    expect((await ledger.createTransfers(SITE.id, cents, at)).every((r) => r.status === 'created')).toBe(true)
    const c = await loggedIn('resp-21')
    const page = visibleText((await c.get('/statement?month=2027-02')).text)
    expect(page).toContain(' du 04/03/2027 pour ')
  })
})

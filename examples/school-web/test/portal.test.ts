import { walletAccountId } from '@ecole/core'
import { issueOneTimeToken } from '@ecole/workflows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SITE } from '../src/site-settings'
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

  it('shows a joint debtor the invoices they are jointly liable for', async () => {
    const c = await loggedIn('resp-05j')
    expect(visibleText((await c.get('/invoices')).text)).toMatch(/FAC-2027-\d{5}/)
  })
})

describe('bookings (seed 001)', () => {
  it('books several prepaid days at once, debiting the wallet at once, and refunds a day cancelled before the cut-off', async () => {
    const c = await loggedIn('resp-21')
    const before = await walletMinor('resp-21')
    await c.get('/bookings?child=enfant-29&service=gouter&month=2027-02')
    const r = await c.post('/bookings', { child: 'enfant-29', service: 'gouter', month: '2027-02', action: 'book', date: ['2027-02-11', '2027-02-12'] })
    expect(r.status).toBe(303)
    expect(await activeBookings('enfant-29', 'gouter', '2027-02-11', '2027-02-12')).toHaveLength(2)
    expect(await walletMinor('resp-21')).toBe(before - 160n)
    const page = await c.get(r.headers.get('Location')!)
    expect(visibleText(page.text)).toContain('2 jour(s) traité(s), 0 refusé(s)')
    await c.post('/bookings', { child: 'enfant-29', service: 'gouter', month: '2027-02', action: 'cancel', date: '2027-02-12' })
    expect(await activeBookings('enfant-29', 'gouter', '2027-02-11', '2027-02-12')).toHaveLength(1)
    expect(await walletMinor('resp-21')).toBe(before - 80n)
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
    const page = await mum.get('/bookings?child=enfant-05&service=cantine&month=2027-02')
    expect(visibleText(page.text)).toContain("l'autre parent")
    const dad = await loggedIn('resp-03b')
    // 2027-02-11 is in ISO week 6 (even): the mother's week
    await dad.get('/bookings?child=enfant-05&service=cantine&month=2027-02')
    await dad.post('/bookings', { child: 'enfant-05', service: 'cantine', month: '2027-02', action: 'book', date: '2027-02-11' })
    expect(await activeBookings('enfant-05', 'cantine', '2027-02-11', '2027-02-11')).toHaveLength(0)
    await mum.post('/bookings', { child: 'enfant-05', service: 'cantine', month: '2027-02', action: 'book', date: '2027-02-11' })
    expect(await activeBookings('enfant-05', 'cantine', '2027-02-11', '2027-02-11')).toHaveLength(1)
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

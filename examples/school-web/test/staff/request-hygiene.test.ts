import { describe, expect, it } from 'vitest'
import { Client, host, pgliteForFile, smallSite } from './support'

// Requests an attacker (or a broken client) sends, answered as such: a language switch never sends
// the visitor to another site, and a value PostgreSQL cannot hold (a NUL character), a form that
// cannot be read or an Origin that is no URL are refused with 4xx and store nothing. Each was a
// server error or an open redirect (found by an attacker probe of the host).
const db = pgliteForFile()
let site = 0

const CASHIER = 'regisseur@jaures.example'

async function fresh() {
  const siteId = `hygiene-${++site}`
  await smallSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  /** A raw request with a session cookie and its anti-forgery token. */
  const raw = async (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
    const first = await app.request('http://localhost/staff/login')
    const cookie = /ecole_session=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')![1]!
    const csrf = ctx.sessions.get(cookie)!.csrf
    const res = await app.request(`http://localhost${path}`, {
      method: init.method ?? 'GET',
      headers: { Host: 'localhost', Cookie: `ecole_session=${cookie}`, 'X-CSRF-Token': csrf, ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    })
    return { status: res.status, location: res.headers.get('location') }
  }
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  return { ctx, siteId, raw, as }
}

describe('requests a page cannot serve', () => {
  it('sends the language switch back to a page of this host only, never to a protocol-relative path', async () => {
    const { raw } = await fresh()
    const lang = (referer: string) => raw('/lang', { method: 'POST', headers: { Referer: referer, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'lang=en' })
    expect(await lang('http://localhost/staff/invoices?page=2')).toEqual({ status: 303, location: '/staff/invoices?page=2' })
    for (const referer of ['http://localhost//evil.example/x', 'http://localhost/\\evil.example/x', 'http://evil.example/staff', 'not a url']) {
      expect(await lang(referer), referer).toEqual({ status: 303, location: '/' })
    }
  })

  it('refuses a NUL character in a path, a query or a form field with 400, and stores nothing', async () => {
    const { ctx, siteId, as } = await fresh()
    const cashier = await as(CASHIER)
    for (const path of ['/staff/invoices/%00', '/staff/guardians/g1%00', '/staff/messages?after=%00', '/staff/invoices?q=a%00b', '/history?after=%00']) {
      expect((await cashier.get(path)).status, path).toBe(400)
    }
    const before = await ctx.storage.payments!.listPayments(siteId, {})
    const r = await cashier.post('/staff/guardians/g1/credit', { billingOfficeId: 'regie\u0000', paymentId: 'p\u0000', method: 'cash', amount: '10.00', date: '2027-01-20' })
    expect(r.status).toBe(400)
    expect(await ctx.storage.payments!.listPayments(siteId, {})).toEqual(before)
  })

  it('refuses a form that cannot be read and an Origin that is no URL (403), instead of a server error', async () => {
    const { raw } = await fresh()
    expect((await raw('/staff/login', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data' }, body: 'username=x' })).status).toBe(400)
    expect((await raw('/staff/login', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=zz' }, body: '--zz\r\nContent-Disposition: form-data; name="user' })).status).toBe(400)
    expect((await raw('/staff/login', { method: 'POST', headers: { Origin: 'not a url', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'username=x' })).status).toBe(403)
  })

  it('answers a tax-certificate year out of range, a too long account search and a page cursor that is no cursor without a server error', async () => {
    const { as } = await fresh()
    const cashier = await as(CASHIER)
    expect((await cashier.get('/staff/tax-certificates?year=1999')).status).toBe(200)
    expect((await cashier.get('/staff/tax-certificates/1999/g1/k1.pdf')).status).toBe(404)
    expect((await cashier.post('/staff/tax-certificates/save', { into: 'guardian' })).status).toBe(400)
    expect((await cashier.get(`/staff/accounts?q=${'a'.repeat(300)}`)).status).toBe(200)
    expect((await cashier.get('/staff/messages?after=abc')).status).not.toBe(500)
    expect((await cashier.get('/staff/messages?after=99999999999999999999')).status).not.toBe(500)
  })

  it('keeps a staff user signed in when the browser asks a portal path (its /favicon.ico): only a family\'s closed access ends a session there', async () => {
    const { as } = await fresh()
    const cashier = await as(CASHIER)
    expect((await cashier.get('/favicon.ico')).status).toBe(303)
    expect((await cashier.get('/staff/invoices')).status).toBe(200)
  })
})

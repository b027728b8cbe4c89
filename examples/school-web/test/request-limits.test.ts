import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serve } from '@hono/node-server'
import { createApp } from '../src/app'
import { DEMO_PASSWORD, guardianEmail } from '../src/seed'
import { Client, startTestHost, visibleText, type TestHost } from './support'
import { pdfBytes, pngBytes, staffLogin, upload } from './staff/docs-support'

// What an anonymous visitor or a password guesser can make the host do (found by an outside
// probe): a request body is read no further than its route's limit, and guesses sent in parallel
// are not tried faster than the slow-down allows. The demo school on PGlite; delays are recorded,
// not slept, and the clock stands still.
let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
}, 180_000)
afterAll(async () => {
  await host?.close()
})

const MB = 1024 * 1024

/** A browser at a client address of its own (the rate limits key on it): cookie, anti-forgery token. */
function visitor(address: string) {
  let cookie = ''
  let csrf = ''
  const env = { incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily: 'IPv4' } } }
  const send = async (method: string, path: string, form?: Record<string, string>) => {
    const headers = new Headers({ Host: 'localhost' })
    if (cookie) headers.set('Cookie', cookie)
    let body: string | undefined
    if (form) {
      body = new URLSearchParams({ _csrf: csrf, ...form }).toString()
      headers.set('Content-Type', 'application/x-www-form-urlencoded')
    }
    const res = await host.app.request(`http://localhost${path}`, { method, headers, body }, env)
    const set = /(ecole_session=[^;]+)/.exec(res.headers.get('set-cookie') ?? '')
    if (set) cookie = set[1]!
    const text = await res.text()
    const token = /name="_csrf" value="([^"]+)"/.exec(text)
    if (token) csrf = token[1]!
    return { status: res.status, headers: res.headers, text }
  }
  return { get: (path: string) => send('GET', path), post: (path: string, form: Record<string, string>) => send('POST', path, form) }
}

/** A body of `bytes` bytes of `a`, made as it is read; `pulled()` says how much was read. */
function countedBody(bytes: number) {
  const chunk = new Uint8Array(64 * 1024).fill(97)
  let pulled = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= bytes) return controller.close()
      pulled += chunk.length
      controller.enqueue(chunk)
    },
  })
  return { stream, pulled: () => pulled }
}

describe('request bodies', () => {
  it('refuses an anonymous 64 MB form with 413 before the anti-forgery check, having read no more than about the 1 MB limit', async () => {
    const body = countedBody(64 * MB)
    const res = await host.app.request('http://localhost/login', {
      method: 'POST', headers: { Host: 'localhost', 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.stream, duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    expect(body.pulled()).toBeLessThan(1_000_000 + 3 * 64 * 1024)
    expect(visibleText(await res.text())).toContain("L'envoi est trop volumineux (au plus 1 Mo).")
  })

  it('still takes a normal form and a normal upload', async () => {
    const parent = new Client(host.app)
    expect((await parent.login(guardianEmail('resp-21'), DEMO_PASSWORD)).status).toBe(303)
    const secretary = new Client(host.app)
    await staffLogin(secretary, 'secretariat@jaures.example', DEMO_PASSWORD)
    await secretary.get('/staff/documents/new?householdId=foyer-21')
    const r = await upload(secretary, '/staff/documents', { name: 'certificat.pdf', bytes: pdfBytes('Certificat') }, {
      householdId: 'foyer-21', name: 'Certificat', for: 'guardian:resp-21', from: '2027-02-01', to: '2027-02-28',
    })
    expect(r.status).toBe(303)
  })

  it('gives each upload route its own limit: a 2.5 MB logo is refused with 413 and a readable page, a 2.5 MB document is read, a 1.5 MB form is refused', async () => {
    const director = new Client(host.app)
    await staffLogin(director, 'direction@jaures.example', DEMO_PASSWORD)
    await director.get('/staff/admin/images')
    const big = new Uint8Array(2.5 * 1e6).fill(1)
    const logo = await upload(director, '/staff/admin/images/siteLogo', { name: 'logo.png', bytes: big, type: 'image/png' })
    expect(logo.status).toBe(413)
    expect(visibleText(logo.text)).toContain("L'envoi est trop volumineux (au plus 2 Mo).")
    // a logo within the limit is still taken
    expect((await upload(director, '/staff/admin/images/siteLogo', { name: 'logo.png', bytes: pngBytes(40, 40) })).status).toBe(303)
    const secretary = new Client(host.app)
    await staffLogin(secretary, 'secretariat@jaures.example', DEMO_PASSWORD)
    await secretary.get('/staff/documents/new?householdId=foyer-21')
    // read and refused by the library for what it is (no PDF or image), not for its size
    const document = await upload(secretary, '/staff/documents', { name: 'scan.pdf', bytes: big }, { householdId: 'foyer-21', name: 'Scan', for: 'guardian:resp-21' })
    expect(document.status).toBe(400)
    expect((await secretary.post('/staff/documents/new', { note: 'x'.repeat(1.5 * 1e6) })).status).toBe(413)
  })

  it('takes its limits from the host configuration', async () => {
    const app = createApp({ ...host.ctx, config: { ...host.ctx.config, bodyLimits: { formBytes: 2_000 } } })
    const c = new Client(app)
    await c.get('/login')
    expect((await c.post('/login', { username: guardianEmail('resp-21'), password: 'x'.repeat(3_000) })).status).toBe(413)
    expect((await c.post('/login', { username: guardianEmail('resp-21'), password: DEMO_PASSWORD })).status).toBe(303)
  })
})

describe('password guesses', () => {
  it('tries one of 30 guesses sent at once for an account at the capped delay, after 8 s; the others, the right password among them, are refused with 429 and Retry-After', async () => {
    const victim = guardianEmail('resp-01')
    // the account is at the cap after 11 failures (from one address)
    const earlier = visitor('192.0.2.1')
    await earlier.get('/login')
    for (let i = 0; i < 11; i++) expect((await earlier.post('/login', { username: victim, password: `wrong-${i}` })).status).toBe(401)
    // 30 guesses from 30 addresses, the right password last
    const guessers = Array.from({ length: 30 }, (_, i) => visitor(`198.51.100.${i + 1}`))
    await Promise.all(guessers.map((g) => g.get('/login')))
    host.delays.length = 0
    const answers = await Promise.all(guessers.map((g, i) => g.post('/login', { username: victim, password: i === 29 ? DEMO_PASSWORD : `guess-${i}` })))
    const tried = answers.filter((a) => a.status !== 429)
    expect(tried).toHaveLength(1)
    expect(host.delays).toEqual([8000])
    const refused = answers.filter((a) => a.status === 429)
    expect(refused).toHaveLength(29)
    for (const a of refused) {
      expect(a.headers.get('Retry-After')).toBe('8')
      expect(visibleText(a.text)).toContain('Trop de tentatives : patientez quelques secondes avant de réessayer.')
    }
    // the right password gets in only on its own turn, after the capped delay
    if (answers[29]!.status !== 303) {
      host.delays.length = 0
      expect((await guessers[29]!.post('/login', { username: victim, password: DEMO_PASSWORD })).status).toBe(303)
      expect(host.delays).toEqual([8000])
    }
  })

  it('tries one of 10 staff guesses sent at once once the account is slowed', async () => {
    const login = 'regisseur@jaures.example'
    const earlier = visitor('192.0.2.2')
    await earlier.get('/staff/login')
    for (let i = 0; i < 6; i++) expect((await earlier.post('/staff/login', { username: login, password: `wrong-${i}` })).status).toBe(401)
    const guessers = Array.from({ length: 10 }, (_, i) => visitor(`203.0.113.${i + 1}`))
    await Promise.all(guessers.map((g) => g.get('/staff/login')))
    const answers = await Promise.all(guessers.map((g, i) => g.post('/staff/login', { username: login, password: i === 9 ? DEMO_PASSWORD : `guess-${i}` })))
    expect(answers.filter((a) => a.status !== 429)).toHaveLength(1)
  })

  it("slows a flood of reset requests without slowing the same address's logins", async () => {
    const parent = visitor('192.0.2.3')
    await parent.get('/forgot')
    host.delays.length = 0
    for (let i = 0; i < 7; i++) expect((await parent.post('/forgot', { email: `x${i}@nowhere.example` })).status).toBe(200)
    // the reset requests of one address are limited (the sixth waits 250 ms, the seventh 500 ms) ...
    expect(host.delays).toEqual([250, 500])
    // ... but the parent's own login from that address is not slowed by them
    host.delays.length = 0
    await parent.get('/login')
    expect((await parent.post('/login', { username: guardianEmail('resp-22'), password: DEMO_PASSWORD })).status).toBe(303)
    expect(host.delays).toEqual([])
  })
})

describe('over the Node server', () => {
  /** Posts `mb` MB to `/login` with no cookie or token; the status, the time taken and how much the process grew meanwhile. */
  async function bigPost(port: number, mb: number, chunked: boolean): Promise<{ status: number; ms: number; grewMb: number }> {
    const chunk = Buffer.alloc(MB, 'a')
    const rss0 = process.memoryUsage().rss
    let peak = rss0
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 10)
    const t0 = Date.now()
    const status = await new Promise<number>((resolve, reject) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', ...(chunked ? {} : { 'Content-Length': String(mb * MB + 2) }) }
      const req = request({ host: '127.0.0.1', port, path: '/login', method: 'POST', headers }, (res) => {
        res.resume()
        resolve(res.statusCode!)
      })
      req.on('error', reject) // the server closes the connection once it has answered
      req.write('x=')
      let i = 0
      const pump = () => {
        while (i < mb) {
          i++
          if (req.destroyed) return
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        req.end()
      }
      pump()
    })
    clearInterval(timer)
    return { status, ms: Date.now() - t0, grewMb: (peak - rss0) / 1e6 }
  }

  /** Logs in to the portal over the server, the form sent in chunks (no Content-Length); the status. */
  async function chunkedLogin(port: number): Promise<number> {
    const page = await fetch(`http://127.0.0.1:${port}/login`)
    const cookie = /(ecole_session=[^;]+)/.exec(page.headers.get('set-cookie') ?? '')![1]!
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
    const form = new URLSearchParams({ _csrf: csrf, username: guardianEmail('resp-22'), password: DEMO_PASSWORD }).toString()
    return new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/login', method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume()
        resolve(res.statusCode!)
      })
      req.on('error', reject)
      req.write(form.slice(0, 20))
      req.end(form.slice(20))
    })
  }

  it('answers an anonymous 64 MB POST with 413 at once and stays small, with or without a Content-Length; a form sent in chunks still logs in', async () => {
    const server = serve({ fetch: host.app.fetch, port: 0, hostname: '127.0.0.1' })
    try {
      await new Promise((ok) => server.once('listening', ok))
      const port = (server.address() as AddressInfo).port
      for (const chunked of [false, true]) {
        const r = await bigPost(port, 64, chunked)
        expect(r.status, `chunked: ${chunked}`).toBe(413)
        expect(r.ms, `chunked: ${chunked}`).toBeLessThan(2_000)
        expect(r.grewMb, `chunked: ${chunked}`).toBeLessThan(40)
      }
      expect(await chunkedLogin(port)).toBe(303)
    } finally {
      await new Promise((ok) => server.close(ok))
    }
  })
})

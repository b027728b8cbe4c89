/**
 * The test host: the app composed over an embedded PostgreSQL (PGlite, in memory) or the
 * PostgreSQL server, seeded with the demo school, a clock the test moves, delays recorded instead
 * of slept, and a small browser-like client (cookie jar, CSRF token read from the page).
 */
import type { Clock, StoragePorts } from '@ecole/core/ports'
import type { Hono } from 'hono'
import { createApp } from '../src/app'
import { compose, type AppContext, type WebConfig } from '../src/compose'
import type { AppEnv } from '../src/env'
import { freshPgliteStorage } from './fresh-pglite'
import { seedDemoSchool, type DemoLogins } from '../src/seed'
import { SITE } from '../src/site-settings'

/** A clock the test sets. */
export class TestClock implements Clock {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current)
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms)
  }
}

/** The composed test host. */
export interface TestHost {
  ctx: AppContext
  app: Hono<AppEnv>
  clock: TestClock
  logins: DemoLogins
  delays: number[]
  close(): Promise<void>
}

/** Composes and seeds a host (PGlite in memory unless `storage` is given). */
export async function startTestHost(options: { storage?: StoragePorts; config?: Partial<WebConfig> } = {}): Promise<TestHost> {
  const clock = new TestClock(new Date(SITE.demoNow))
  const delays: number[] = []
  const storage = options.storage ?? (await freshPgliteStorage())
  const config: WebConfig = {
    port: 0, publicUrl: 'http://localhost', https: false, siteId: SITE.id, dataDir: '', inMemory: true, devMailbox: true, outboxWorker: true,
    sleep: async (ms) => { delays.push(ms) },
    ...options.config,
  }
  const ctx = await compose(config, { clock, storage })
  const logins = await seedDemoSchool(ctx.storage, { now: clock.now(), scrypt: { N: 1024, r: 8, p: 1 } })
  return { ctx, app: createApp(ctx), clock, logins, delays, close: () => ctx.close() }
}

/** A response with its text read once. */
export interface Page {
  status: number
  headers: Headers
  text: string
  res: Response
}

/** A browser-like client of the app: keeps cookies, follows nothing, reads the CSRF token of the last page. */
export class Client {
  readonly cookies = new Map<string, string>()
  csrf = ''
  constructor(readonly app: Hono<AppEnv>, readonly origin = 'http://localhost') {}

  async request(method: string, path: string, form?: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Page> {
    const h = new Headers({ Host: new URL(this.origin).host, ...headers })
    if (this.cookies.size) h.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    let body: string | undefined
    if (form) {
      const p = new URLSearchParams()
      for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x)
      body = p.toString()
      h.set('Content-Type', 'application/x-www-form-urlencoded')
    }
    const res = await this.app.request(`${this.origin}${path}`, { method, headers: h, body })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const i = pair!.indexOf('=')
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1))
    }
    const text = res.headers.get('Content-Type')?.startsWith('application/pdf') ? '' : await res.clone().text()
    const m = /name="_csrf" value="([^"]+)"/.exec(text)
    if (m) this.csrf = m[1]!
    return { status: res.status, headers: res.headers, text, res }
  }

  get(path: string): Promise<Page> {
    return this.request('GET', path)
  }

  /** Posts a form with the CSRF token of the last page read. */
  post(path: string, form: Record<string, string | string[]> = {}): Promise<Page> {
    return this.request('POST', path, { _csrf: this.csrf, ...form })
  }

  /** Logs in to the portal. */
  async login(username: string, password: string): Promise<Page> {
    await this.get('/login')
    return this.post('/login', { username, password })
  }
}

/** The text of a page without tags (for assertions on what a person reads). */
export function visibleText(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ')
}

/**
 * What the back office's HTTP tests share: a host composed over a given storage (PGlite in
 * memory, or the PostgreSQL server), a small site with one invoice batch, and a browser-like
 * client (cookie jar, anti-forgery token) that talks to the app without a network.
 */
import {
  BillingOfficeSchema, GuardianSchema, HouseholdSchema, SiteSchema, type InvoiceChargeLine, type LocalDate,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createInvoiceBatch, type BillingDeps } from '@ecole/workflows'
import type { Hono } from 'hono'
import { afterAll, beforeAll } from 'vitest'
import type { PostgresStorage } from '@ecole/storage-postgres'
import { freshPgliteStorage } from '../fresh-pglite'
import { createApp } from '../../src/app'
import { compose, type AppContext, type WebConfig } from '../../src/compose'
import type { AppEnv } from '../../src/env'
import { seedStaffAccess } from '../../src/staff/staff-access'

/** Fast password hashing for tests. */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 }
export const PASSWORD = 'staff-test-password'
export const NOW = new Date('2027-01-20T09:00:00Z')

/** A host over `storage` for site `siteId` (no mail server, no worker). */
/**
 * One embedded PGlite for a test file (a fresh one takes seconds to start): started before the
 * file's tests, closed after them; each test makes its own site in it.
 */
export function pgliteForFile(): { readonly storage: PostgresStorage } {
  const holder = {} as { storage: PostgresStorage }
  beforeAll(async () => {
    holder.storage = await freshPgliteStorage()
  }, 120_000)
  afterAll(async () => {
    await holder.storage?.close()
  })
  return holder
}

export async function host(storage: StoragePorts, siteId: string): Promise<{ ctx: AppContext; app: Hono<AppEnv> }> {
  const config: WebConfig = {
    port: 0, publicUrl: 'http://localhost', https: false, siteId, dataDir: '/nonexistent', devMailbox: false, outboxWorker: false,
    sleep: async () => {},
  }
  const ctx = await compose(config, { storage, clock: { now: () => NOW } })
  return { ctx, app: createApp(ctx) }
}

/**
 * A small site: the back office's staff, households h1 and h2 with guardians g1 and g2, and a
 * batch `dec` of two drafts (g1: 100.00 €, g2: 50.00 €), labelled `Décembre 2026` unless `options.batchLabel` says otherwise.
 */
export async function smallSite(storage: StoragePorts, siteId: string, options: { batchLabel?: string } = {}): Promise<void> {
  await seedStaffAccess(storage, siteId, { password: PASSWORD, scrypt: FAST_SCRYPT, now: NOW })
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putSite(siteId, { ...SiteSchema.parse({ id: siteId, name: 'École de test', country: 'FR', timeZone: 'Europe/Paris' }), smtp: null })
    await d.putDirectoryRecord(siteId, 'billingOffice', BillingOfficeSchema.parse({ id: 'regie', siteId, name: 'Régie de test', paymentReference: 'rf' }))
    for (const n of [1, 2]) {
      await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: `h${n}`, siteId, name: `Foyer ${n === 1 ? 'Martin' : 'Roux'}` }))
      await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: `g${n}`, siteId, householdId: `h${n}`, firstName: n === 1 ? 'Claire' : 'Paul', lastName: n === 1 ? 'Martin' : 'Roux', attributes: {} }))
    }
  })
  const deps: BillingDeps = { storage, clock: { now: () => NOW } }
  const meal = (payer: string, day: number): InvoiceChargeLine => ({
    chargeId: `${payer}-${day}`, debtorId: payer, beneficiaryId: `k-${payer}`, serviceId: 'cantine', date: `2026-12-0${day}` as LocalDate, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n,
  })
  await createInvoiceBatch(deps, {
    batch: { id: 'dec', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['cantine'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05', label: options.batchLabel ?? 'Décembre 2026' },
    charges: [meal('g1', 1), meal('g1', 2), meal('g1', 3), meal('g1', 4), meal('g2', 1), meal('g2', 2)],
  })
}

/** A browser-like client: keeps the session cookie, sends the anti-forgery token with forms. */
export class Client {
  #cookie = ''
  constructor(private readonly app: Hono<AppEnv>, private readonly ctx: AppContext) {}

  async get(path: string): Promise<{ status: number; text: string; location: string | null }> {
    return this.#send(path, { method: 'GET' })
  }

  async post(path: string, form: Record<string, string | string[]>): Promise<{ status: number; text: string; location: string | null }> {
    if (!this.#cookie) await this.get('/staff/login')
    const session = this.ctx.sessions.get(this.#cookie.split('=')[1])
    const body = new URLSearchParams({ _csrf: session?.csrf ?? '' })
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
    return this.#send(path, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
  }

  /** Logs in as a back-office user. */
  async login(username: string, password = PASSWORD): Promise<void> {
    const r = await this.post('/staff/login', { username, password })
    if (r.status !== 303) throw new Error(`login of ${username} answered ${r.status}`)
  }

  async #send(path: string, init: RequestInit): Promise<{ status: number; text: string; location: string | null }> {
    const headers = new Headers(init.headers)
    if (this.#cookie) headers.set('Cookie', this.#cookie)
    const res = await this.app.request(`http://localhost${path}`, { ...init, headers })
    const set = res.headers.get('set-cookie')
    const m = set?.match(/ecole_session=([^;]+)/)
    if (m) this.#cookie = `ecole_session=${m[1]}`
    return { status: res.status, text: await res.text(), location: res.headers.get('location') }
  }
}

/** The hidden fields of the payment form on an invoice page. */
export function payFormOf(html: string): { paymentId: string; expectOutstandingMinor: string; amount: string } {
  const pick = (name: string) => html.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`))?.[1] ?? ''
  return { paymentId: pick('paymentId'), expectOutstandingMinor: pick('expectOutstandingMinor'), amount: pick('amount') }
}

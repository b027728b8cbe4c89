import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import type { PostgresStorage } from '@ecole/storage-postgres'
import { freshPgliteStorage } from '../fresh-pglite'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import type { Hono } from 'hono'
import type { AppContext } from '../../src/compose'
import type { AppEnv } from '../../src/env'
import { host, PASSWORD } from './support'
import { saveScreenshot } from '../screenshots'

// What every staff browser test shares: one PGlite storage and one Debian Chromium per file, a
// host of a fresh site on a loopback port per test (the plain test host, or the file's own, e.g.
// one that mails), the staff login, and screenshots saved under test-artifacts/staff/ (not
// committed; look at them).

/** Where the staff browser tests save their screenshots. */
export const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'staff')
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** A language of the host. */
export type Lang = 'fr' | 'en' | 'it' | 'nl'

/** One test's host and browser page. */
export interface OpenedSite {
  readonly page: Page
  readonly base: string
  readonly ctx: AppContext
  readonly siteId: string
  /** Another page in its own browser context (its own cookies), in the same language: a parent beside the staff, say. */
  newPage(): Promise<Page>
}

/** A host of a site as a test file builds it: the plain test host by default (see {@link StaffBrowserOptions}). */
export interface BrowserHost {
  readonly ctx: AppContext
  readonly app: Hono<AppEnv>
  /** Stops what the host runs (an outbox worker, a mailer), at the end of the file. */
  readonly stop?: () => Promise<void>
}

/** Options of {@link staffBrowser}. */
export interface StaffBrowserOptions {
  /** Builds each test's host over the file's storage; `host` of ./support (no outbox worker) by default. */
  readonly host?: (storage: PostgresStorage, siteId: string) => Promise<BrowserHost>
}

/** Options of {@link StaffBrowser.open}. */
export interface OpenOptions {
  /** Logs in as this staff member when given. */
  readonly username?: string
  /** Seeds this test's site instead of the file's seed. */
  readonly seed?: (storage: PostgresStorage, siteId: string) => Promise<unknown>
}

/** The helpers a staff browser test file gets from {@link staffBrowser}. */
export interface StaffBrowser {
  /** Seeds a fresh site (`<prefix>-<n>`), serves it on a loopback port and opens a page in `lang`; logs in as `username` when given. */
  open(lang: Lang, options?: OpenOptions): Promise<OpenedSite>
  /** Logs in on the staff login page and waits for the staff home. */
  login(page: Page, base: string, username: string): Promise<void>
  /** Saves a full-page screenshot as `<name>.png` under {@link ARTIFACTS}. */
  shot(page: Page, name: string): Promise<void>
}

/**
 * Registers the file's `beforeAll`/`afterAll` (storage, Chromium, servers closed at the end) and
 * returns the helpers; call it once at the top of a test file.
 *
 * @example
 * const { open, shot } = staffBrowser('staff-search-browser', (storage, siteId) => searchSite(storage, siteId))
 * const { page } = await open('fr', { username: 'secretariat@jaures.example' })
 */
export function staffBrowser(prefix: string, seed: (storage: PostgresStorage, siteId: string) => Promise<unknown>, options: StaffBrowserOptions = {}): StaffBrowser {
  let storage: PostgresStorage | undefined
  let browser: Browser | undefined
  let site = 0
  const servers: ServerType[] = []
  const stops: Array<() => Promise<void>> = []
  const hostOf: (storage: PostgresStorage, siteId: string) => Promise<BrowserHost> = options.host ?? host

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    storage = await freshPgliteStorage()
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    for (const stop of stops) await stop()
    for (const s of servers) await new Promise<void>((ok) => s.close(() => ok()))
    await storage?.close()
  })

  async function login(page: Page, base: string, username: string): Promise<void> {
    await page.goto(`${base}/staff/login`)
    await page.locator('#f-username').fill(username)
    await page.locator('#f-password').fill(PASSWORD)
    await page.locator('form.card button[type=submit]').click()
    await page.waitForURL(`${base}/staff`, { timeout: 90_000 }) // the sign-in's scrypt waits for a core while the other workers run
  }

  async function open(lang: Lang, options: OpenOptions = {}): Promise<OpenedSite> {
    if (!storage || !browser) throw new Error('staffBrowser: open() called outside a test')
    const siteId = `${prefix}-${++site}`
    await (options.seed ?? seed)(storage, siteId)
    const { ctx, app, stop } = await hostOf(storage, siteId)
    if (stop) stops.push(stop)
    const server = await new Promise<ServerType>((ok) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => ok(s))
    })
    servers.push(server)
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const b = browser
    const newPage = async () => (await b.newContext({ locale: lang, extraHTTPHeaders: { 'Accept-Language': lang }, viewport: { width: 1100, height: 800 } })).newPage()
    const page = await newPage()
    if (options.username !== undefined) await login(page, base, options.username)
    return { page, base, ctx, siteId, newPage }
  }

  async function shot(page: Page, name: string): Promise<void> {
    await saveScreenshot(page, resolve(ARTIFACTS, `${name}.png`))
  }

  return { open, login, shot }
}

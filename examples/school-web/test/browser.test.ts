/// <reference lib="dom" />
/**
 * The portal in a real browser: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), JavaScript on (French) and off (English), an accessibility check with axe-core on each
 * page (no serious or critical violation), and a screenshot of each page saved under
 * `test-artifacts/` (not committed).
 */
import { existsSync, mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import axe from 'axe-core'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestHost, type TestHost } from './support'
import { saveScreenshot } from './screenshots'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const ARTIFACTS = resolve(import.meta.dirname, '..', 'test-artifacts')
const PASSWORD = 'jaures-demo-2027'

let host: TestHost
let server: ServerType
let base: string
let browser: Browser

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`)
  mkdirSync(ARTIFACTS, { recursive: true })
  host = await startTestHost()
  server = serve({ fetch: host.app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((ok) => server.once('listening', ok))
  base = `http://localhost:${(server.address() as AddressInfo).port}`
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] })
})
afterAll(async () => {
  await browser?.close()
  server?.close()
  await host?.close()
})

async function checkPage(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, resolve(ARTIFACTS, `${name}.png`))
  await page.evaluate(axe.source)
  const result = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }))
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), name).toEqual([])
}

describe('the portal in Chromium', () => {
  it('runs the journeys in French with JavaScript on: login, dashboard with top-up, invoices, booking two days through htmx', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1100, height: 900 } })
    const page = await context.newPage()
    const cspErrors: string[] = []
    page.on('console', (m) => { if (m.type() === 'error') cspErrors.push(m.text()) })
    await page.goto(`${base}/login`)
    await checkPage(page, 'fr-js-login')
    await page.getByLabel("Nom d'utilisateur").fill('resp-21@familles.example')
    await page.getByLabel('Mot de passe').fill(PASSWORD)
    await page.getByRole('button', { name: 'Connexion' }).click()
    await expect.poll(() => page.url()).toBe(`${base}/`)
    await page.getByText('Recharger par virement bancaire').click()
    await expect.poll(() => page.locator('button.copy').first().isVisible()).toBe(true)
    await checkPage(page, 'fr-js-dashboard')
    await page.getByRole('link', { name: 'Factures' }).first().click()
    await expect.poll(() => page.locator('[data-invoice]').count()).toBeGreaterThan(0)
    await checkPage(page, 'fr-js-invoices')
    await page.locator('[data-invoice] a', { hasText: 'Payer' }).first().click()
    await expect.poll(() => page.locator('.qr img').count()).toBe(1)
    await checkPage(page, 'fr-js-pay')
    await page.goto(`${base}/bookings?child=enfant-29&service=gouter&month=2027-03`)
    await page.locator('input[value="2027-03-01"]').check()
    await page.locator('input[value="2027-03-02"]').check()
    await page.getByRole('button', { name: 'Réserver les jours cochés' }).click()
    await expect.poll(() => page.locator('[data-date="2027-03-01"][data-state="booked"]').count()).toBe(1)
    expect(await page.locator('[data-date="2027-03-02"]').getAttribute('data-state')).toBe('booked')
    await checkPage(page, 'fr-js-bookings')
    expect(cspErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([])
    await context.close()
  })

  it('runs the journeys in English with JavaScript off: language chosen, dashboard, bookings form posted, refusal reasons shown', async () => {
    const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false, viewport: { width: 1100, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${base}/login`)
    await page.getByLabel('Username').fill('resp-03@familles.example')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL(`${base}/`)
    await page.locator('#lang-select').selectOption('en')
    await page.getByRole('button', { name: 'Change' }).click()
    await page.waitForLoadState()
    expect(await page.locator('h1').textContent()).toBe('Dashboard')
    // copy buttons need JavaScript: hidden without it, the values stay selectable
    expect(await page.locator('button.copy:visible').count()).toBe(0)
    await saveScreenshot(page, resolve(ARTIFACTS, 'en-nojs-dashboard.png'))
    // axe needs scripts: the same page, same session, in a context with JavaScript
    const withJs = await browser.newContext({ storageState: await context.storageState(), viewport: { width: 1100, height: 900 } })
    const check = await withJs.newPage()
    await check.goto(page.url())
    await checkPage(check, 'en-js-dashboard')
    await page.goto(`${base}/bookings?child=enfant-05&service=cantine&month=2027-02`)
    // the winter holidays close the canteen, with their name
    expect(await page.locator('[data-date="2027-02-09"]').getAttribute('data-state')).toBe('refused')
    expect(await page.locator('[data-date="2027-02-16"]').textContent()).toContain("Vacances d'hiver")
    await page.goto(`${base}/bookings?child=enfant-05&service=cantine&month=2027-03`)
    await page.locator('input[value="2027-03-12"]').check()
    await page.getByRole('button', { name: 'Book the ticked days' }).click()
    await page.waitForLoadState()
    expect(await page.locator('.notice').textContent()).toContain('1 day(s) done, 0 refused.')
    expect(await page.locator('[data-date="2027-03-12"]').getAttribute('data-state')).toBe('booked')
    expect(await page.locator('body').textContent()).toContain('the other parent')
    await saveScreenshot(page, resolve(ARTIFACTS, 'en-nojs-bookings.png'))
    await check.goto(page.url())
    await checkPage(check, 'en-js-bookings')
    await withJs.close()
    await context.close()
  })
})

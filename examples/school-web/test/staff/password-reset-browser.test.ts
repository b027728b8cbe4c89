/**
 * Seed 001, « Connexion » : « J'ai perdu mon login et mon mot de passe », in Debian's Chromium.
 * The secretary, on the back office's login page, follows « Identifiant ou mot de passe perdu ? »,
 * types her e-mail (her login), receives the mail (the host's development mailbox, through SMTP),
 * opens its link, types the code and a new password twice, and lands signed in on the back office.
 * In French and in Italian; screenshots under test-artifacts/staff/ (not committed).
 */
import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestHost, type TestHost } from '../support'
import { ARTIFACTS } from './browser-support'
import { saveScreenshot } from '../screenshots'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
let host: TestHost
let server: ServerType
let base: string
let browser: Browser

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  server = serve({ fetch: (req) => host.app.fetch(req), port: 0, hostname: '127.0.0.1' })
  await new Promise((ok) => server.once('listening', ok))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // the mail's link points at the address the browser uses
  host = await startTestHost({ config: { publicUrl: base } })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
}, 180_000)
afterAll(async () => {
  await browser?.close()
  server?.close()
  await host?.close()
})

const shot = (page: Page, name: string) => saveScreenshot(page, resolve(ARTIFACTS, `${name}.png`))

const TEXT = {
  fr: { login: 'secretariat@jaures.example', lost: 'Identifiant ou mot de passe perdu ?', send: 'Recevoir un nouveau jeton', sent: 'Si cette adresse correspond à un compte', link: 'Créer mon mot de passe', change: 'Modifier', password: 'une phrase de passe neuve', home: 'Secrétaire' },
  it: { login: 'regisseur@jaures.example', lost: 'Nome utente o password dimenticati?', send: 'Ricevi un nuovo codice', sent: 'Se questo indirizzo corrisponde a un account', link: 'Creare la mia password', change: 'Modifica', password: 'una nuova frase segreta', home: 'Régisseur' },
} as const

describe('in Chromium: a staff member who lost their password (seed 001, Connexion)', () => {
  for (const lang of ['fr', 'it'] as const) {
    it(`[${lang}] asks for a new password with her e-mail, follows the mailed link, sets it and is signed in`, async () => {
      const x = TEXT[lang]
      const context = await browser.newContext({ locale: lang, extraHTTPHeaders: { 'Accept-Language': lang }, viewport: { width: 1000, height: 800 } })
      const page = await context.newPage()
      // 1. the login page: « Identifiant ou mot de passe perdu ? »
      await page.goto(`${base}/staff/login`)
      await page.getByRole('link', { name: x.lost }).click()
      await page.waitForURL(`${base}/staff/forgot`)
      // 2. her login is her e-mail: she types it and asks for a new password
      await page.locator('#f-email').fill(x.login)
      await shot(page, `password-reset-${lang}-1-forgot`)
      await page.getByRole('button', { name: x.send }).click()
      expect(await page.locator('.notice.ok').textContent()).toContain(x.sent)
      // 3. the mail arrives (through SMTP, in the host's development mailbox) with the code and the link
      await host.ctx.flushMail()
      const mail = host.ctx.mailbox!.messages.filter((m) => m.to.includes(x.login)).at(-1)
      expect(mail).toBeDefined()
      const code = /: ([0-9A-Z]{20,})\s/.exec(mail!.text)?.[1]
      expect(code).toBeDefined()
      const link = new RegExp(`${x.link} <([^>]+)>`).exec(mail!.text)?.[1]
      expect(link).toBe(`${base}/staff/token`)
      // 4. the link: the code, the new password twice
      await page.goto(link!)
      await page.locator('#f-username').fill(x.login)
      await page.locator('#f-token').fill(code!)
      await page.locator('#f-password').fill(x.password)
      await page.locator('#f-confirmation').fill(x.password)
      await shot(page, `password-reset-${lang}-2-token`)
      await page.getByRole('button', { name: x.change }).click()
      // 5. signed in on the back office
      await page.waitForURL(`${base}/staff`)
      expect(await page.locator('body').textContent()).toContain(x.home)
      await shot(page, `password-reset-${lang}-3-signed-in`)
      await context.close()
    }, 120_000)
  }
})

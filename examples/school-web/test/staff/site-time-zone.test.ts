import { GuardianSchema } from '@ecole/core'
import { openPortalAccess, setPasswordWithToken, validateDrafts } from '@ecole/workflows'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import { compose, type WebConfig } from '../../src/compose'
import { Client, FAST_SCRYPT, NOW, pgliteForFile, smallSite } from './support'

// The host's "today" and wall-clock times are the stored site's (seed 000: « le pays définira le
// fuseau horaire »): they were Paris's whatever the site stored, so a school in Réunion (UTC+4)
// saw yesterday's date on its forms and its portal from 20:00 to 24:00 local time each day.
const db = pgliteForFile()
let site = 0

const CASHIER = 'regisseur@jaures.example'
const DIRECTION = 'direction@jaures.example'
// 21:30 in UTC: 22:30 on the 24th in Paris, already 01:30 on the 25th in Réunion
const EVENING = '2027-01-24T21:30:00Z'

async function fresh(country: string, timeZone: string) {
  const siteId = `site-zone-${++site}`
  await smallSite(db.storage, siteId)
  const stored = await db.storage.directory!.getSite(siteId)
  await db.storage.directory!.putSite(siteId, { ...stored!, country, timeZone })
  const clock = { at: new Date(EVENING) }
  const config: WebConfig = { port: 0, publicUrl: 'http://localhost', https: false, siteId, dataDir: '/nonexistent', devMailbox: false, outboxWorker: false, sleep: async () => {} }
  const ctx = await compose(config, { storage: db.storage, clock: { now: () => clock.at } })
  const app = createApp(ctx)
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  /** Claire (g1) on the portal, her invoice `dec:g1` validated and shown to families from 2027-01-25. */
  const claire = async () => {
    await db.storage.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g1', siteId, householdId: 'h1', firstName: 'Claire', lastName: 'Martin', email: 'claire@example.fr', attributes: {} }))
    const [invoice] = await validateDrafts({ storage: ctx.storage, clock: { now: () => NOW } }, { siteId, invoiceIds: ['dec:g1'], issueDate: '2027-01-20' })
    await db.storage.transaction(siteId, (tx) => tx.invoicing!.setPortalDisplayDate(siteId, ['dec:g1'], '2027-01-25'))
    const opened = await openPortalAccess({ storage: ctx.storage, ids: ctx.ids }, { siteId, guardianId: 'g1', now: NOW })
    if (!opened.ok) throw new Error('refused')
    await setPasswordWithToken({ access: ctx.storage.access!, siteId, token: opened.token, password: 'un mot de passe', confirmation: 'un mot de passe', now: NOW, scrypt: FAST_SCRYPT })
    const browser = new Client(app, ctx)
    expect((await browser.post('/login', { username: 'claire@example.fr', password: 'un mot de passe' })).status).toBe(303)
    return { browser, number: invoice!.number! }
  }
  return { as, clock, claire }
}

/** The issue date the validation form proposes: the site's today. */
async function proposedIssueDate(client: Client): Promise<string | undefined> {
  const page = await client.get('/staff/invoices/validate?batchId=dec')
  expect(page.status).toBe(200)
  return /name="issueDate"[^>]*value="([^"]+)"/.exec(page.text)?.[1]
}

describe('the site’s time zone, as stored', () => {
  it('gives a school in Réunion its own today at 01:30 local time, while a school in Paris is still on the day before', async () => {
    const reunion = await fresh('RE', 'Indian/Reunion')
    expect(await proposedIssueDate(await reunion.as(CASHIER))).toBe('2027-01-25')
    const paris = await fresh('FR', 'Europe/Paris')
    expect(await proposedIssueDate(await paris.as(CASHIER))).toBe('2027-01-24')
  })

  it('shows a Réunion family the invoice made visible from 25 January once it is the 25th in Réunion; a Paris family not yet', async () => {
    const reunion = await (await fresh('RE', 'Indian/Reunion')).claire()
    expect((await reunion.browser.get('/invoices')).text).toContain(reunion.number)
    const paris = await (await fresh('FR', 'Europe/Paris')).claire()
    expect((await paris.browser.get('/invoices')).text).not.toContain(paris.number)
  })

  it('follows the site screen at once: the next page after saving the country reads the new zone', async () => {
    const { as } = await fresh('FR', 'Europe/Paris')
    const cashier = await as(CASHIER)
    expect(await proposedIssueDate(cashier)).toBe('2027-01-24')
    const direction = await as(DIRECTION)
    const saved = await direction.post('/staff/admin/site', { name: 'École de test', country: 'RE', maxPupils: '', maxStorageGb: '' })
    expect([saved.status, saved.location]).toEqual([303, '/staff/admin/site?done=saved'])
    expect(await proposedIssueDate(cashier)).toBe('2027-01-25')
  })
})

/**
 * The reminder letter saved into a family's documents asks for a transfer: each invoice it lists
 * carries the payment reference the portal's payment page gives for that invoice.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../src/seed'
import { SITE } from '../src/site-settings'
import { staffLogin } from './staff/docs-support'
import { Client, startTestHost, type TestHost } from './support'

let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
})
afterAll(async () => host?.close())

describe('reminder letters (seed 001: relances)', () => {
  it('prints beside each invoice of a reminder letter the payment reference the portal\'s payment page shows for it', async () => {
    host.clock.current = new Date('2027-02-16T08:00:00Z')
    const staff = new Client(host.app)
    await staffLogin(staff, 'regie@jaures.example', DEMO_PASSWORD)
    await staff.get('/staff/reminders')
    const sent = await staff.post('/staff/reminders', { letters: 'on' })
    expect(sent.status).toBe(303)
    expect(sent.headers.get('location')).toMatch(/letters=[1-9]/)

    const session = host.ctx.sessions.login(undefined, SITE.id, { kind: 'guardian', id: 'resp-21' })
    const family = new Client(host.app)
    family.cookies.set('ecole_session', session.id)
    family.csrf = session.csrf
    const invoiceId = 'factures-2026-12:resp-21'
    const pay = await family.get(`/invoices/${encodeURIComponent(invoiceId)}/pay`)
    const shown = /<code id="pay-ref">([^<]+)<\/code>/.exec(pay.text)?.[1]
    expect(shown).toMatch(/^RF\d\d/)

    const letter = await family.get('/documents/reminder-letter-resp-21-2027-02-16')
    expect(letter.status).toBe(200)
    const dir = mkdtempSync(join(tmpdir(), 'ecole-reminder-'))
    writeFileSync(join(dir, 'letter.pdf'), new Uint8Array(await letter.res.arrayBuffer()))
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'letter.pdf'), '-'], { encoding: 'utf8' })
    const number = (await host.ctx.storage.invoicing!.getInvoice(SITE.id, invoiceId))!.number!
    const row = text.split('\n').find((l) => l.includes(number))
    expect(row, `no row for ${number} in the letter`).toBeDefined()
    // the letter prints the reference in its print form (groups of four): compared without spaces
    expect(row!.replace(/\s+/g, '')).toContain(shown!)
  })
})

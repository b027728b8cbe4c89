import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startTestHost, visibleText, type TestHost } from './support'

let host: TestHost
beforeAll(async () => {
  const t0 = performance.now()
  host = await startTestHost()
  console.log(`seeded in ${Math.round(performance.now() - t0)} ms`)
})
afterAll(async () => host?.close())

describe('the families portal, journey by journey', () => {
  it('logs a parent in with a password and shows the dashboard with the wallet compartment and the invoices to pay', async () => {
    const c = new Client(host.app)
    const r = await c.login(host.logins.withPassword.username, host.logins.withPassword.password)
    expect(r.status).toBe(303)
    const home = await c.get('/')
    expect(home.status).toBe(200)
    const text = visibleText(home.text)
    expect(text).toContain('Compartiment général')
    expect(text).toMatch(/Vous avez \d+ facture\(s\) à payer|aucune facture à payer/)
    expect(text).toContain('FR7630004000031234567890143')
    expect(home.text).toContain('data:image/svg+xml;base64,')
  })
})

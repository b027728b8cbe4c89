import type { StoragePorts } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import { compose, type WebConfig } from '../../src/compose'
import { MoneyClient, moneySite } from './money-support'
import { NOW, pgliteForFile } from './support'

// CGI annexe II art. 242 nonies A: the numbers of a series follow their issue dates. Validating a
// batch dated before the latest invoice of the series is refused by the library; the back office
// answered it with a server error page.

async function host(storage: StoragePorts, siteId: string) {
  const config: WebConfig = {
    port: 0, publicUrl: 'http://localhost', https: false, siteId, dataDir: '/nonexistent', devMailbox: false, outboxWorker: false, sleep: async () => {},
  }
  const ctx = await compose(config, { storage, clock: { now: () => NOW } })
  const user = new MoneyClient(createApp(ctx), ctx)
  await user.login('regisseur@jaures.example')
  return { ctx, user }
}

describe('back office: a validation dated before the latest invoice of the series (PGlite)', () => {
  const db = pgliteForFile()

  it('says which date and which invoice, validates nothing, then validates on that date', async () => {
    const siteId = 'issue-order-1'
    await moneySite(db.storage, siteId)
    const { ctx, user } = await host(db.storage, siteId)
    expect((await user.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })).status).toBe(200)
    const refused = await user.post('/staff/invoices/validate', { batchId: 'nov', issueDate: '2027-01-10' })
    expect(refused.status).toBe(400)
    expect(refused.text).toContain('La date d&#39;émission doit être le 20/01/2027 ou après : la facture F2027-000002 de cette série a été émise ce jour-là')
    expect((await ctx.storage.invoicing!.getInvoice(siteId, 'nov:g2'))!.status).toBe('draft')
    const done = await user.post('/staff/invoices/validate', { batchId: 'nov', issueDate: '2027-01-20' })
    expect(done.status).toBe(200)
    expect((await ctx.storage.invoicing!.getInvoice(siteId, 'nov:g2'))!.number).toBe('F2027-000003')
  })
})

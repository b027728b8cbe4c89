import { testCamt053 } from '@ecole/bank'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { host } from './support'
import { hiddenField, MoneyClient, moneySite, OFFICE_IBAN } from './money-support'

// Two staff users importing the same bank statement at the same moment through the host, on a
// real PostgreSQL server (PGlite runs one transaction at a time, so only a server shows a race).
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)('two imports of one bank statement at once, through the back office, on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('applies the statement exactly once: one user sees it imported, the other is told it was already imported, and each invoice is paid once', async () => {
    const siteId = `staff-money-race-${process.pid}-${Date.now()}`
    await moneySite(storage, siteId)
    const { ctx, app } = await host(storage, siteId)
    const a = new MoneyClient(app, ctx)
    const b = new MoneyClient(app, ctx)
    await a.login('regisseur@jaures.example')
    await b.login('bo-admin@jaures.example')
    await a.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const invoices = (await storage.invoicing!.listInvoices(siteId, { batchId: 'dec' })).items
    const camt = testCamt053(OFFICE_IBAN, invoices.map((inv, i) => ({
      ref: `RACE-${i}`, cents: inv.totalMinor, credit: true, date: '2027-01-21', structured: { reference: inv.paymentReference!, issuer: 'ISO' as const },
    })))
    const [pa, pb] = await Promise.all([a.upload('/staff/bank/preview', 'file', { name: 'r.xml', content: camt }), b.upload('/staff/bank/preview', 'file', { name: 'r.xml', content: camt })])
    for (let round = 0; round < 3; round++) {
      const [ra, rb] = await Promise.all([
        a.post('/staff/bank/import', { content: hiddenField(pa.text, 'content') }),
        b.post('/staff/bank/import', { content: hiddenField(pb.text, 'content') }),
      ])
      if (round === 0) {
        expect([ra.status, rb.status].sort()).toEqual([200, 409])
        const loser = ra.status === 409 ? ra : rb
        expect(loser.text).toContain('Ce relevé a déjà été importé')
      } else {
        expect([ra.status, rb.status]).toEqual([409, 409])
      }
    }
    const payments = (await storage.payments!.listPayments(siteId, { method: 'transfer' })).items
    expect(payments.map((p) => p.allocations[0]?.invoiceId).sort()).toEqual(['dec:g1', 'dec:g2'])
    expect(payments.every((p) => p.walletCreditMinor === 0n)).toBe(true)
  }, 120_000)
})

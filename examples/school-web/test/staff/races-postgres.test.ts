import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, host, payFormOf, smallSite } from './support'

// Two staff users racing through the host on a real PostgreSQL server (PGlite runs one
// transaction at a time, so only a server shows a race). Each test has a site of its own.
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)('two staff users racing through the back office on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  async function twoUsers(loginA: string, loginB: string) {
    const siteId = `staff-races-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`
    await smallSite(storage, siteId)
    const { ctx, app } = await host(storage, siteId)
    const a = new Client(app, ctx)
    const b = new Client(app, ctx)
    await a.login(loginA)
    await b.login(loginB)
    return { ctx, a, b, siteId }
  }

  it('validates a batch once when two users confirm it at the same moment: numbers 1 and 2, no gap, and the other is told it was validated meanwhile', async () => {
    const { a, b, siteId } = await twoUsers('regisseur@jaures.example', 'bo-admin@jaures.example')
    const [ra, rb] = await Promise.all([
      a.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' }),
      b.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' }),
    ])
    expect([ra.status, rb.status].sort()).toEqual([200, 409])
    const loser = ra.status === 409 ? ra : rb
    expect(loser.text).toContain('viennent d&#39;être validés par une autre personne')
    const invoices = await storage.invoicing!.listInvoices(siteId, { batchId: 'dec' })
    expect(invoices.items.map((i) => i.number).sort()).toEqual(['F2027-000001', 'F2027-000002'])
    expect(await storage.invoiceNumbers!.lastNumber(siteId, 'regie/invoice/2027')).toBe(2)
  }, 120_000)

  it('records one payment when two cashiers pay the same invoice from the same balance at once: no double credit, the other is told', async () => {
    const { a, b, siteId } = await twoUsers('regisseur@jaures.example', 'bo-admin@jaures.example')
    await a.post('/staff/invoices/validate', { batchId: 'dec', issueDate: '2027-01-20' })
    const formA = payFormOf((await a.get('/staff/invoices/dec:g1')).text)
    const formB = payFormOf((await b.get('/staff/invoices/dec:g1')).text)
    const [ra, rb] = await Promise.all([
      a.post('/staff/invoices/dec:g1/pay', { ...formA, method: 'cheque' }),
      b.post('/staff/invoices/dec:g1/pay', { ...formB, method: 'cash' }),
    ])
    expect([ra.status, rb.status].sort()).toEqual([303, 409])
    const loser = ra.status === 409 ? ra : rb
    expect(loser.text).toContain('la facture a changé pendant la saisie')
    const payments = await storage.payments!.listPayments(siteId, { payerId: 'g1' })
    expect(payments.items).toHaveLength(1)
    expect(payments.items[0]!.allocations).toEqual([{ invoiceId: 'dec:g1', amountMinor: 10_000n }])
    expect(payments.items[0]!.walletCreditMinor).toBe(0n)
  }, 120_000)
})

import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { createInvoiceBatch, validateDrafts } from '@ecole/workflows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { host, NOW } from './support'
import { MoneyClient, moneySite } from './money-support'

// Two staff users making the SEPA collection of one batch at the same moment through the host, on a
// real PostgreSQL server (PGlite runs one transaction at a time, so only a server shows a race): the
// file is stored with the collection's payments, so exactly one file and one debit per invoice.
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)('two staff users collecting one batch at once, on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('stores one collection file and one debit per invoice; the other user is told there is nothing left to collect', async () => {
    const siteId = `staff-collection-race-${process.pid}-${Date.now()}`
    await moneySite(storage, siteId)
    const deps = { storage, clock: { now: () => NOW } }
    await createInvoiceBatch(deps, {
      batch: { id: 'feb', siteId, billingOfficeId: 'regie', period: { from: '2027-02-01', to: '2027-02-28' }, serviceIds: ['cantine'], dueDate: '2027-03-15', directDebitDate: '2027-03-10', portalDisplayDate: '2027-03-05' },
      charges: [{ chargeId: 'feb-g1', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-02-01', quantity: 1, unitPriceMinor: 1530n, amountMinor: 1530n }],
    })
    await validateDrafts(deps, { siteId, batchId: 'feb', issueDate: '2027-02-20' })
    const { ctx, app } = await host(storage, siteId)
    const a = new MoneyClient(app, ctx)
    const b = new MoneyClient(app, ctx)
    await a.login('regisseur@jaures.example')
    await b.login('bo-admin@jaures.example')
    await Promise.all([a.get('/staff/direct-debits'), b.get('/staff/direct-debits')])
    const [ra, rb] = await Promise.all([a.post('/staff/direct-debits', { batchId: 'feb', collectionDate: '2027-03-10' }), b.post('/staff/direct-debits', { batchId: 'feb', collectionDate: '2027-03-10' })])
    expect([ra.status, rb.status].sort()).toEqual([200, 409])
    const files = (await storage.directory!.listDirectoryRecords(siteId, 'collectionFile')).items
    expect(files.map((f) => [f.batchId, f.count, f.amount.minor])).toEqual([['feb', 1, 1530n]])
    const debits = (await storage.payments!.listPayments(siteId, {})).items.filter((p) => p.method === 'directDebit')
    expect(debits.map((p) => [p.payerId, p.amountMinor])).toEqual([['g1', 1530n]])
    // the winner's link downloads the stored file
    const winner = ra.status === 200 ? ra : rb
    const href = winner.text.match(/id="pain008" href="([^"]+)"/)![1]!
    expect((await a.get(href)).text).toBe(files[0]!.xml)
  }, 120_000)
})

/**
 * The back office's drafts list on a site of 50,000 children (issue 18: p99 < 100 ms), through
 * the host (routing, session, the can() gate, the store's paginated query, rendering), on the
 * PostgreSQL server of ECOLE_PG_URL. Baseline in the same run: the staff home page (same
 * middleware, no list). The site is built once per database (50,000 children, 40,000 payers,
 * one draft each) and reused.
 */
import type { InvoiceChargeLine, LocalDate } from '@ecole/core'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { createInvoiceBatch } from '@ecole/workflows'
import { afterAll, bench, describe } from 'vitest'
import { Client, host, NOW, smallSite } from '../test/staff/support'

const url = process.env['ECOLE_PG_URL']
const SITE = 'staff-bench-50k'
const CHILDREN = 50_000
const PAYERS = 40_000

describe.skipIf(!url)('drafts list of a 50,000-child site (PostgreSQL server)', async () => {
  const storage = await createPostgresStorage({ connectionString: url!, poolSize: 4 })
  if ((await storage.invoicing!.getInvoiceBatch(SITE, 'big')) === undefined) {
    const t0 = Date.now()
    await smallSite(storage, SITE)
    const charges: InvoiceChargeLine[] = []
    for (let c = 0; c < CHILDREN; c++) {
      const payer = `p${String(c % PAYERS).padStart(5, '0')}`
      for (const day of ['2026-12-01', '2026-12-03'] as LocalDate[]) {
        charges.push({ chargeId: `k${c}|${day}`, debtorId: payer, beneficiaryId: `k${c}`, serviceId: 'cantine', date: day, quantity: 1, unitPriceMinor: 320n, amountMinor: 320n })
      }
    }
    await createInvoiceBatch({ storage, clock: { now: () => NOW } }, {
      batch: { id: 'big', siteId: SITE, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['cantine'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' },
      charges,
    })
    console.log(`[bench] built the 50,000-child site in ${Date.now() - t0} ms`)
  }
  const { ctx, app } = await host(storage, SITE)
  const cashier = new Client(app, ctx)
  await cashier.login('regisseur@jaures.example')
  // a cursor half-way down the list, for the deep page
  const deep = (await storage.invoicing!.listInvoices(SITE, { batchId: 'big', status: 'draft' }, { limit: 1, after: 'big:p20000' })).items[0]!.id
  afterAll(async () => {
    await storage.close()
  })
  const expectOk = (r: { status: number; text: string }) => {
    if (r.status !== 200 || !r.text.includes(' *</a>')) throw new Error(`unexpected answer ${r.status}`)
  }

  bench('baseline: the staff home page (same session, gate and layout, no list)', async () => {
    const r = await cashier.get('/staff')
    if (r.status !== 200) throw new Error(String(r.status))
  }, { time: 3000 })
  bench('drafts list, first page of 50 (status=draft, batch filter)', async () => {
    expectOk(await cashier.get('/staff/invoices?status=draft&batchId=big'))
  }, { time: 3000 })
  bench('drafts list, a page half-way down (cursor)', async () => {
    expectOk(await cashier.get(`/staff/invoices?status=draft&batchId=big&after=${encodeURIComponent(deep)}`))
  }, { time: 3000 })
  bench('drafts of one payer (payer filter)', async () => {
    expectOk(await cashier.get('/staff/invoices?status=draft&payerId=p12345'))
  }, { time: 3000 })
})

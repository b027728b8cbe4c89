/**
 * The back office's drafts list of a batch (`/staff/batches/:batch/drafts`, issue 18: p99 < 100 ms)
 * with the demo school (`npm run web`'s data: 32 families) on the PostgreSQL server of
 * ECOLE_PG_URL, through the host (routing, session, the can() gate, the paginated query, the
 * payers' names, rendering). Baseline in the same run: a static file of the same host. The demo
 * is seeded once per database; a February batch of drafts (one per payer of December) is added once.
 */
import type { InvoiceChargeLine, LocalDate } from '@ecole/core'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { createInvoiceBatch } from '@ecole/workflows'
import { afterAll, bench, describe } from 'vitest'
import { DEMO_PASSWORD, isSeeded, seedDemoSchool } from '../src/seed'
import { Client, FAST_SCRYPT, host } from '../test/staff/support'

const url = process.env['ECOLE_PG_URL']
const SITE = 'demo-creteil'
const NOW = new Date('2027-02-20T09:00:00Z')

describe.skipIf(!url)('drafts list of a batch with the demo school (PostgreSQL server)', async () => {
  const storage = await createPostgresStorage({ connectionString: url!, poolSize: 4 })
  if (!(await isSeeded(storage))) await seedDemoSchool(storage, { now: NOW, scrypt: FAST_SCRYPT })
  if ((await storage.invoicing!.getInvoiceBatch(SITE, 'factures-2027-02')) === undefined) {
    // February's drafts: each December invoice's lines again, one day in February
    const december = (await storage.invoicing!.listInvoices(SITE, { batchId: 'factures-2026-12' }, { limit: 500 })).items
    const charges: InvoiceChargeLine[] = december.flatMap((inv) => inv.lines.map((l, i) => ({
      chargeId: `fev|${inv.debtorId}|${l.beneficiaryId}|${l.serviceId}|${i}`, debtorId: inv.debtorId, beneficiaryId: l.beneficiaryId, serviceId: l.serviceId,
      date: '2027-02-08' as LocalDate, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, amountMinor: l.amountMinor,
    })))
    await createInvoiceBatch({ storage, clock: { now: () => NOW } }, {
      batch: { id: 'factures-2027-02', siteId: SITE, billingOfficeId: 'regie-periscolaire', period: { from: '2027-02-01', to: '2027-02-28' }, serviceIds: [...new Set(charges.map((c) => c.serviceId))], dueDate: '2027-03-15', portalDisplayDate: '2027-03-05', label: 'Février 2027' },
      charges,
    })
  }
  const { ctx, app } = await host(storage, SITE)
  const cashier = new Client(app, ctx)
  await cashier.login('regisseur@jaures.example', DEMO_PASSWORD)
  const drafts = (await storage.invoicing!.listInvoices(SITE, { batchId: 'factures-2027-02', status: 'draft' }, { limit: 500 })).items.length
  console.log(`[bench] ${drafts} drafts in the February batch of the demo school`)
  afterAll(async () => {
    await storage.close()
  })

  bench('baseline: a static file of the host (/static/app.css)', async () => {
    const r = await cashier.get('/static/app.css')
    if (r.status !== 200) throw new Error(String(r.status))
  }, { time: 3000 })
  bench('drafts list of the February batch (first page of 50, payers by name)', async () => {
    const r = await cashier.get('/staff/batches/factures-2027-02/drafts')
    if (r.status !== 200 || !r.text.includes(' *</a>')) throw new Error(`unexpected answer ${r.status}`)
  }, { time: 3000 })
})

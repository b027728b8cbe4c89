import type { InvoiceBatchInput, InvoiceChargeLine, LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { createInvoiceBatch, selectReminders, validateDrafts, type BillingDeps } from './index'

// Two reminder runs of one day at the same moment (two clerks, or a clerk and the nightly job):
// each reminder level is recorded, announced and returned once, so a host printing the letters
// from the returned list never sends one twice.
const clock = { now: () => new Date('2027-01-25T09:00:00Z') }
const policy = { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] }

let sites = 0
/** A site with `payers` December invoices of 50.00, due 2027-01-10 and unpaid: 15 days late on 2027-01-25. */
async function seeded(storage: StoragePorts, payers: number) {
  const siteId = `reminder-race-${process.pid}-${Date.now()}-${++sites}`
  const d: BillingDeps = { storage, clock }
  const batch: InvoiceBatchInput = {
    id: 'b-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
    dueDate: '2027-01-10', directDebitDate: null, portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
  }
  const charges: InvoiceChargeLine[] = []
  for (let p = 1; p <= payers; p++) {
    for (const day of ['2026-12-01', '2026-12-02'] as LocalDate[]) {
      charges.push({ chargeId: `g${p}|k${p}|meal|${day}`, debtorId: `g${p}`, beneficiaryId: `k${p}`, serviceId: 'meal', date: day, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n })
    }
  }
  await createInvoiceBatch(d, { batch, charges })
  await validateDrafts(d, { siteId, batchId: 'b-12', issueDate: '2027-01-04' })
  return { d, siteId }
}

function races(name: string, create: () => Promise<StoragePorts>) {
  describe(`reminder runs racing, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    it('records and returns each due reminder once when two runs of the same day start at once: the second run finds them sent', async () => {
      // several rounds, so that on a server the two runs overlap in both orders
      for (let round = 0; round < 6; round++) {
        const { d, siteId } = await seeded(storage, 3)
        const audited: number[] = []
        const run = () => selectReminders(d, { siteId, today: '2027-01-25', policy, record: true }, { audit: (_tx, due) => { audited.push(due.length); return [] } })
        const lists = await Promise.all([run(), run()])
        expect(lists.map((l) => l.length).sort()).toEqual([0, 3])
        // the run that recorded nothing calls no audit callback
        expect(audited).toEqual([3])
        expect((await run()).length).toBe(0)
      }
    })
  })
}

races('storage-memory', async () => createMemoryStorage())
races('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) races('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }))
else console.log('[ecole] ECOLE_PG_URL is not set: the reminder races on a PostgreSQL server are skipped')

import { GuardianSchema, HouseholdSchema, type InvoiceChargeLine } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { createInvoiceBatch, validateDrafts } from '../billing/index'

const siteId = 's1'
const clock = { now: () => new Date('2027-01-04T08:00:00Z') }
const notify = { timeZone: 'Europe/Paris', locale: 'fr' as const, sender: { from: 'no-reply@ecole.example' }, portalUrl: 'https://portail.example' }

// families: per payer, whether they have an e-mail and which other guardians are joint debtors
const families = fc.array(fc.record({ email: fc.boolean(), joint: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 2 }) }), { minLength: 1, maxLength: 6 })

test.prop([families], { numRuns: 25 })(
  'validating with notify queues exactly one notice per invoice and distinct recipient with an e-mail, and a replay queues nothing more',
  async (fams) => {
    const storage = createMemoryStorage()
    await storage.directory!.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h1', siteId, name: 'Famille' }))
    for (const [i, f] of fams.entries()) {
      await storage.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: `g${i}`, siteId, householdId: 'h1', firstName: 'G', lastName: `${i}`, ...(f.email ? { email: `g${i}@example.fr` } : {}) }))
    }
    const charges: InvoiceChargeLine[] = fams.map((f, i) => ({
      chargeId: `g${i}|meal`, debtorId: `g${i}`, jointDebtorIds: f.joint.filter((j) => j !== i && j < fams.length).map((j) => `g${j}`),
      beneficiaryId: `k${i}`, serviceId: 'meal', date: '2026-12-01', quantity: 1, unitPriceMinor: 420n, amountMinor: 420n,
    }))
    const deps = { storage, clock }
    await createInvoiceBatch(deps, {
      batch: { id: 'b', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', directDebitDate: null, portalDisplayDate: '2027-01-05', minimumAmount: '1.00' },
      charges,
    })
    const invoices = await validateDrafts(deps, { siteId, batchId: 'b', issueDate: '2027-01-04', notify })
    const expected = invoices.flatMap((inv) => [...new Set([inv.debtorId, ...inv.jointDebtorIds])].filter((g) => fams[Number(g.slice(1))]!.email).map((g) => `notice:invoice:${inv.id}:${g}`))
    const queued = async () => (await storage.outbox!.list(siteId, {})).items.map((m) => m.id).sort()
    expect(await queued()).toEqual(expected.sort())
    await expect(validateDrafts(deps, { siteId, batchId: 'b', issueDate: '2027-01-04', notify })).rejects.toMatchObject({ code: 'NOTHING_TO_VALIDATE' })
    expect(await queued()).toEqual(expected)
  },
)

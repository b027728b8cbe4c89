import { type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { fc, test } from '@fast-check/vitest'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { createInvoiceBatch, recordPayment, selectReminders, validateDrafts, type BillingDeps } from './index'
import { readAll } from './support'

const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
let sites = 0

/** Two batches of `payers` payers (due 2027-01-15 and 2027-01-20), validated; some invoices paid in part or in full. */
async function site(storage: StoragePorts, payers: number, paid: ReadonlyArray<0 | 1 | 2>): Promise<{ deps: BillingDeps; siteId: string }> {
  const deps = { storage, clock }
  const siteId = `reminders-list-${++sites}`
  for (const [b, due] of [['b1', '2027-01-15'], ['b2', '2027-01-20']] as const) {
    const batch: InvoiceBatchInput = {
      id: b, siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
      dueDate: due, directDebitDate: null, portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
    }
    const charges: InvoiceChargeLine[] = Array.from({ length: payers }, (_, p) => ({
      chargeId: `${b}|g${p}`, debtorId: `g${p}`, beneficiaryId: `k${p}`, serviceId: 'meal', date: '2026-12-01', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n,
    }))
    await createInvoiceBatch(deps, { batch, charges })
    await validateDrafts(deps, { siteId, batchId: b, issueDate: '2027-01-04' })
  }
  for (let p = 0; p < payers; p++) {
    const share = paid[p % paid.length]!
    if (share === 0) continue
    await recordPayment(deps, { id: `pay-${p}`, siteId, billingOfficeId: 'regie', payerId: `g${p}`, method: 'cash', date: '2027-01-12', invoiceId: `b1:g${p}`, amount: share === 2 ? '4.15' : '2.00' })
  }
  return { deps, siteId }
}

const policy = { levels: [{ level: 1, daysAfterDue: 1, templateId: 'relance-1' }] }

function properties(name: string, storage: () => StoragePorts) {
  describe(`the « à relancer » invoice list and selectReminders over ${name}`, () => {
    test.prop([fc.integer({ min: 1, max: 5 }), fc.array(fc.constantFrom<0 | 1 | 2>(0, 1, 2), { minLength: 1, maxLength: 5 }), fc.constantFrom<LocalDate>('2027-01-15', '2027-01-16', '2027-01-21'), fc.array(fc.boolean(), { minLength: 10, maxLength: 10 })], { numRuns: 8 })(
      'the list to remind on a day is exactly what selectReminders considers that day, and reminders of listed invoices are those of exactly those invoices',
      async (payers, paid, today, pick) => {
        const { deps, siteId } = await site(storage(), payers, paid)
        const listed = (await readAll((p) => deps.storage.invoicing!.listInvoicesWithBalances(siteId, { balance: 'toRemind', today }, p))).map((r) => r.invoice.id)
        // a first level one day after the due date: every invoice reminders consider is due a reminder
        const due = await selectReminders(deps, { siteId, today, policy })
        expect(due.map((d) => d.invoiceId).sort()).toEqual([...listed].sort())
        // the rule written out: validated, due before today, still owing
        const all = await readAll((p) => deps.storage.invoicing!.listInvoicesWithBalances(siteId, { status: 'validated' }, p))
        expect(listed).toEqual(all.filter((r) => r.invoice.dueDate < today && r.balance.outstandingMinor > 0n).map((r) => r.invoice.id))
        // the reminders flow for the invoices a (searched) list showed
        const shown = listed.filter((_, k) => pick[k])
        const only = await selectReminders(deps, { siteId, today, policy, invoiceIds: shown })
        expect(only.map((d) => d.invoiceId).sort()).toEqual([...shown].sort())
      },
      // eight sites of invoices on PGlite: a guard against a hang, not a speed target (that is a benchmark's)
      120_000,
    )
  })
}

properties('storage-memory', () => createMemoryStorage())
describe('on PGlite (one for the file)', () => {
  let shared: StoragePorts | undefined
  beforeAll(async () => { shared = await createPostgresStorage() }, 60_000)
  afterAll(async () => shared?.close())
  properties('storage-postgres on PGlite', () => shared!)
})

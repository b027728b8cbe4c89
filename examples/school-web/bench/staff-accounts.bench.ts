/**
 * The back office's debtor list (`/staff/accounts?office=`, issue 18: every list paged on the
 * server, a large site stays fast) on a site of 20,000 debtors with one validated invoice each
 * and 10,000 payments (half of them paid in part), on the PostgreSQL server of ECOLE_PG_URL,
 * through the host. Compared in the same run with the fold the page did before (every validated
 * invoice, credit note and payment of the office read and summed in the host, kept here as
 * `hostFold`), and with the staff home page as the baseline. The site is built once per database.
 */
import { invoiceBalances, type InvoiceChargeLine, type Payment } from '@ecole/core'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { createInvoiceBatch, validateDrafts } from '@ecole/workflows'
import { GuardianSchema } from '@ecole/core'
import { afterAll, bench, describe } from 'vitest'
import { guardianNames, readAllPages } from '../src/staff/staff-money'
import { Client, host, NOW, smallSite } from '../test/staff/support'

const url = process.env['ECOLE_PG_URL']
const SITE = 'staff-bench-debtors-20k'
const PAYERS = 20_000
const PAID = 10_000

describe.skipIf(!url)('debtor list of a site of 20,000 debtors (PostgreSQL server)', async () => {
  const storage = await createPostgresStorage({ connectionString: url!, poolSize: 4 })
  if ((await storage.invoicing!.getInvoiceBatch(SITE, 'debts')) === undefined) {
    const t0 = Date.now()
    await smallSite(storage, SITE)
    const id = (p: number) => `d${String(p).padStart(5, '0')}`
    for (let from = 0; from < PAYERS; from += 2000) {
      await storage.transaction(SITE, async (tx) => {
        for (let p = from; p < from + 2000; p++) {
          await tx.directory!.putDirectoryRecord(SITE, 'guardian', GuardianSchema.parse({ id: id(p), siteId: SITE, householdId: 'h1', firstName: 'Parent', lastName: `N${p}`, attributes: {} }))
        }
      })
    }
    const charges: InvoiceChargeLine[] = []
    for (let p = 0; p < PAYERS; p++) {
      const minor = BigInt(1000 + (p % 5000))
      charges.push({ chargeId: `debt-${p}`, debtorId: id(p), beneficiaryId: `k${p}`, serviceId: 'cantine', date: '2026-12-01', quantity: 1, unitPriceMinor: minor, amountMinor: minor })
    }
    const deps = { storage, clock: { now: () => NOW } }
    await createInvoiceBatch(deps, { batch: { id: 'debts', siteId: SITE, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['cantine'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges })
    await validateDrafts(deps, { siteId: SITE, batchId: 'debts', issueDate: '2027-01-04' })
    const payments: Payment[] = []
    for (let p = 0; p < PAID; p++) {
      const invoiceId = `debts:${id(p)}`
      payments.push({
        id: `pay-${p}`, siteId: SITE, billingOfficeId: 'regie', payerId: id(p), method: 'transfer', product: null, date: '2027-01-10', currency: 'EUR', amountMinor: 500n, invoiceId,
        status: 'recorded', depositId: null, allocations: [{ invoiceId, amountMinor: 500n }], walletCreditMinor: 0n, mandateId: null, endToEndId: null, bankEntryReference: null, refusal: null,
      })
    }
    for (let from = 0; from < payments.length; from += 2000) await storage.payments!.createPayments(SITE, payments.slice(from, from + 2000))
    console.log(`[bench] built the 20,000-debtor site in ${Date.now() - t0} ms`)
  }
  const { ctx, app } = await host(storage, SITE)
  const cashier = new Client(app, ctx)
  await cashier.login('regisseur@jaures.example')
  afterAll(async () => {
    await storage.close()
  })

  /** What the page computed before listDebtorBalances: every validated invoice, credit note and payment of the office, summed in the host. */
  async function hostFold(): Promise<number> {
    const invoices = await readAllPages((p) => storage.invoicing!.listInvoices(SITE, { billingOfficeId: 'regie', status: 'validated' }, p))
    const notes = await storage.invoicing!.listCreditNotes(SITE, invoices.map((i) => i.id))
    const payments = await readAllPages((p) => storage.payments!.listPayments(SITE, {}, p))
    const balances = invoiceBalances(invoices, notes, payments.filter((p) => p.status === 'recorded'))
    const owed = new Map<string, bigint>()
    for (const i of invoices) owed.set(i.debtorId, (owed.get(i.debtorId) ?? 0n) + balances.get(i.id)!.outstandingMinor)
    const names = await guardianNames(storage, SITE, owed.keys())
    return [...owed].filter(([, m]) => m > 0n).length + names.size * 0
  }

  bench('baseline: the staff home page (same session, gate and layout, no list)', async () => {
    const r = await cashier.get('/staff')
    if (r.status !== 200) throw new Error(String(r.status))
  }, { time: 3000 })
  bench('before: the debtors summed in the host (the fold the page did, without rendering)', async () => {
    if ((await hostFold()) < PAYERS) throw new Error('debtors missing')
  }, { iterations: 5, time: 0 })
  bench('after: /staff/accounts?office=regie, first page of 25 (listDebtorBalances, one statement)', async () => {
    const r = await cashier.get('/staff/accounts?office=regie')
    if (r.status !== 200 || !r.text.includes('id="debtors"')) throw new Error(`unexpected answer ${r.status}`)
  }, { time: 3000 })
  bench('after: the last page (dpage=800)', async () => {
    const r = await cashier.get('/staff/accounts?office=regie&dpage=800')
    if (r.status !== 200 || !r.text.includes('Page 800')) throw new Error(`unexpected answer ${r.status}`)
  }, { time: 3000 })
  bench('after: filtered by a name (q=N1234)', async () => {
    const r = await cashier.get('/staff/accounts?office=regie&q=N1234')
    if (r.status !== 200 || !r.text.includes('id="debtors"')) throw new Error(`unexpected answer ${r.status}`)
  }, { time: 3000 })
})

import { isEcoleError, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { createInvoiceBatch, outstandingByDebtor, recordPayment, validateDrafts, type BillingDeps } from './index'

const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const meal = (debtor: string): InvoiceChargeLine => ({
  chargeId: `${debtor}-1`, debtorId: debtor, beneficiaryId: `k-${debtor}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 1245n, amountMinor: 1245n,
})

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; field?: unknown }> {
  try { await p } catch (e) { return isEcoleError(e) ? { code: e.code, message: e.message, field: (e.details as { field?: unknown }).field } : { code: String(e), message: '' } }
  return { code: 'OK', message: '' }
}

let sites = 0
function suite(name: string, create: () => Promise<StoragePorts>) {
  describe(`a payment names an invoice its payer owes, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())
    const seeded = async () => {
      const siteId = `pay-named-${process.pid}-${Date.now()}-${++sites}`
      const d: BillingDeps = { storage, clock }
      await createInvoiceBatch(d, {
        batch: { id: 'dec', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' },
        charges: [meal('dad'), meal('grandpa')],
      })
      await validateDrafts(d, { siteId, batchId: 'dec', issueDate: '2027-01-04' })
      const stored = async () => (await storage.payments!.listPayments(siteId, {})).items.map((p) => p.id)
      return { d, siteId, stored }
    }
    const pay = { billingOfficeId: 'regie', method: 'cheque', date: '2027-01-12', amount: '12.45' } as const

    it("refuses a payment naming another debtor's invoice, saying whose it is; nothing is recorded and the invoice stays due", async () => {
      const { d, siteId, stored } = await seeded()
      const e = await failure(recordPayment(d, { ...pay, id: 'p1', siteId, payerId: 'grandpa', invoiceId: 'dec:dad' }))
      expect([e.code, e.field]).toEqual(['INVALID_INPUT', 'invoiceId'])
      expect(e.message).toContain("is owed by dad, not by grandpa: record the payment with payerId 'dad'")
      expect(await stored()).toEqual([])
      expect((await outstandingByDebtor(d, { siteId })).map((o) => [o.debtorId, o.outstandingMinor])).toEqual([['dad', 1245n], ['grandpa', 1245n]])
    })

    it('refuses a payment naming an invoice that does not exist, or that another billing office issued', async () => {
      const { d, siteId, stored } = await seeded()
      const typo = await failure(recordPayment(d, { ...pay, id: 'p1', siteId, payerId: 'dad', invoiceId: 'dec:dda' }))
      expect([typo.code, typo.field, typo.message]).toEqual(['INVALID_INPUT', 'invoiceId', expect.stringContaining('no invoice dec:dda')])
      const office = await failure(recordPayment(d, { ...pay, id: 'p2', siteId, payerId: 'dad', invoiceId: 'dec:dad', billingOfficeId: 'creche' }))
      expect(office.message).toContain('was issued by billing office regie, not creche')
      expect(await stored()).toEqual([])
    })

    it("settles the invoice when recorded with its debtor as payer", async () => {
      const { d, siteId } = await seeded()
      const { payment } = await recordPayment(d, { ...pay, id: 'p1', siteId, payerId: 'dad', invoiceId: 'dec:dad' })
      expect([payment.allocations, payment.walletCreditMinor]).toEqual([[{ invoiceId: 'dec:dad', amountMinor: 1245n }], 0n])
      expect((await outstandingByDebtor(d, { siteId })).map((o) => o.debtorId)).toEqual(['grandpa'])
    })
  })
}

suite('storage-memory', async () => createMemoryStorage())
suite('storage-postgres on PGlite', () => createPostgresStorage())

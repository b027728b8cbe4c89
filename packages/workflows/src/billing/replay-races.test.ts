import { defineSepaMandate, isEcoleError, walletAccountId, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate, type PaymentInput } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { collectDirectDebits, createDeposit, createInvoiceBatch, recordDirectDebitReturn, recordPayment, validateDrafts, type BillingDeps } from './index'
import { onDay } from '../test-support/deps-on-day'

// before the collections (2027-01-08 and later): a collection date before the site's today is refused
const clock = { now: () => new Date('2027-01-05T09:00:00Z') }
const batch = (siteId: string, id: string, month: '11' | '12', dueDate: LocalDate): InvoiceBatchInput => ({
  id, siteId, billingOfficeId: 'regie', period: { from: `2026-${month}-01`, to: `2026-${month}-30` }, serviceIds: ['meal'],
  dueDate, directDebitDate: '2027-01-10', portalDisplayDate: dueDate, minimumAmount: '1.00',
})
/** `days` meals of 25.00 in `month` for g1. */
const charges = (month: '11' | '12', days: number): InvoiceChargeLine[] =>
  Array.from({ length: days }, (_, i) => {
    const date = `2026-${month}-0${i + 1}` as LocalDate
    return { chargeId: `${month}|g1|k1|meal|${date}`, debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n }
  })

/** The same call made `n` times at once. */
const atOnce = <T>(n: number, call: (i: number) => Promise<T>) => Promise.allSettled(Array.from({ length: n }, (_, i) => call(i)))
const fulfilled = <T>(rs: PromiseSettledResult<T>[]) => rs.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
const codes = (rs: PromiseSettledResult<unknown>[]) => rs.flatMap((r) => (r.status === 'rejected' ? [isEcoleError(r.reason) ? r.reason.code : String(r.reason)] : []))

let sites = 0
/** A site where g1 owes 50.00 (November) and 100.00 (December), with a mandate to collect December by direct debit. */
async function seeded(storage: StoragePorts) {
  const siteId = `replay-race-${process.pid}-${Date.now()}-${++sites}`
  const d: BillingDeps = { storage, clock }
  await createInvoiceBatch(d, { batch: batch(siteId, 'b-11', '11', '2026-12-15'), charges: charges('11', 2) })
  await validateDrafts(d, { siteId, batchId: 'b-11', issueDate: '2026-12-01' })
  await createInvoiceBatch(d, { batch: batch(siteId, 'b-12', '12', '2027-01-15'), charges: charges('12', 4) })
  await validateDrafts(d, { siteId, batchId: 'b-12', issueDate: '2027-01-04' })
  await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: 'm-g1', siteId, debtorId: 'g1', rum: 'RUM-g1', signatureDate: '2026-09-01', debtorName: 'Parent g1', iban: 'FR7630006000011234567890189' }))
  const wallet = async () => (await storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')]))[0]?.posted ?? 0n
  return { d, siteId, wallet }
}

function races(name: string, create: () => Promise<StoragePorts>) {
  describe(`replays of money-moving commands sent at the same moment, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    it('records a payment sent six times at once once, and answers the five others as replays of the stored payment', async () => {
      for (let round = 0; round < 3; round++) {
        const { d, siteId, wallet } = await seeded(storage)
        // 150.00 settles both invoices: a replay that allocated again would find nothing due
        const request: PaymentInput = { id: 'pay-1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', amount: '150.00', invoiceId: 'b-12:g1' }
        const rs = await atOnce(6, () => recordPayment(onDay(d, request.date), request))
        expect(codes(rs)).toEqual([])
        const results = fulfilled(rs)
        expect(results.filter((r) => r.created)).toHaveLength(1)
        const stored = await storage.payments!.getPayment(siteId, 'pay-1')
        for (const r of results) expect(r.payment).toEqual(stored)
        expect(stored!.allocations.map((a) => [a.invoiceId, a.amountMinor])).toEqual([['b-12:g1', 10_000n], ['b-11:g1', 5_000n]])
        expect(await wallet()).toBe(0n)
      }
    })

    it('credits a wallet-only payment sent six times at once once, and answers the five others as not created', async () => {
      const { d, siteId, wallet } = await seeded(storage)
      const request: PaymentInput = { id: 'top-1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-01-20', amount: '30.00' }
      const rs = await atOnce(6, () => recordPayment(onDay(d, request.date), request, { walletOnly: true }))
      expect(codes(rs)).toEqual([])
      const results = fulfilled(rs)
      expect(results.map((r) => r.created).sort()).toEqual([false, false, false, false, false, true])
      expect(results.filter((r) => r.walletTransfer !== null)).toHaveLength(1)
      expect(await wallet()).toBe(3_000n)
    })

    it('refuses, of one payment id sent at once with two contents, only the requests of the content not stored (IDEMPOTENCY_CONFLICT)', async () => {
      const { d, siteId } = await seeded(storage)
      const request = (amount: string): PaymentInput => ({ id: 'pay-1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', amount, invoiceId: 'b-12:g1' })
      const amounts = ['40.00', '60.00', '40.00', '60.00', '40.00', '60.00']
      const rs = await atOnce(6, (i) => recordPayment(onDay(d, '2027-01-12'), request(amounts[i]!)))
      const stored = (await storage.payments!.getPayment(siteId, 'pay-1'))!
      const won = stored.amountMinor === 4_000n ? '40.00' : '60.00'
      rs.forEach((r, i) => {
        if (amounts[i] === won) expect(r.status === 'fulfilled' && r.value.payment).toEqual(stored)
        else expect(r.status === 'rejected' && isEcoleError(r.reason) && r.reason.code).toBe('IDEMPOTENCY_CONFLICT')
      })
      expect(fulfilled(rs).filter((r) => r.created)).toHaveLength(1)
    })

    it('creates a deposit sent six times at once once, and answers the five others with the stored deposit', async () => {
      for (let round = 0; round < 3; round++) {
        const { d, siteId } = await seeded(storage)
        for (const id of ['chq-1', 'chq-2']) await recordPayment(onDay(d, '2027-01-12'), { id, siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', amount: '10.00' })
        const request = { siteId, deposit: { id: 'dep-1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-13' as LocalDate }, paymentIds: ['chq-1', 'chq-2'] }
        const rs = await atOnce(6, () => createDeposit(d, request))
        expect(codes(rs)).toEqual([])
        const stored = await storage.payments!.getDeposit(siteId, 'dep-1')
        for (const deposit of fulfilled(rs)) expect(deposit).toEqual(stored)
        expect((await storage.payments!.listPayments(siteId, { depositId: 'dep-1' })).items.map((p) => p.id)).toEqual(['chq-1', 'chq-2'])
      }
    })

    it('answers one deposit id sent at once with other payments with IDEMPOTENCY_CONFLICT, and leaves those payments out of any deposit', async () => {
      for (let round = 0; round < 3; round++) {
        const { d, siteId } = await seeded(storage)
        for (const id of ['chq-1', 'chq-2']) await recordPayment(onDay(d, '2027-01-12'), { id, siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', amount: '10.00' })
        const deposit = { id: 'dep-1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-13' as LocalDate }
        const rs = await Promise.allSettled([createDeposit(d, { siteId, deposit, paymentIds: ['chq-1'] }), createDeposit(d, { siteId, deposit, paymentIds: ['chq-2'] })])
        expect(codes(rs)).toEqual(['IDEMPOTENCY_CONFLICT'])
        const stored = (await storage.payments!.getDeposit(siteId, 'dep-1'))!
        const inIt = (await storage.payments!.listPayments(siteId, { inDeposit: true })).items.map((p) => p.id)
        expect(inIt).toEqual([...stored.paymentIds])
        expect(inIt).toHaveLength(1)
      }
    })

    it('applies a direct-debit return recorded twice at once once, and answers the other as already applied', async () => {
      for (let round = 0; round < 4; round++) {
        const { d, siteId } = await seeded(storage)
        const { instructions: [ins] } = await collectDirectDebits(d, { siteId, batchId: 'b-12', collectionDate: '2027-01-10', endToEndPrefix: 'DD-' })
        const ret = { siteId, endToEndId: ins!.endToEndId, reasonCode: 'AM04', date: '2027-01-14' as LocalDate }
        const rs = await atOnce(2, () => recordDirectDebitReturn(onDay(d, ret.date), ret))
        expect(codes(rs)).toEqual([])
        expect(fulfilled(rs).map((o) => o.alreadyApplied).sort()).toEqual([false, true])
        const payment = (await storage.payments!.listPayments(siteId, { endToEndId: ins!.endToEndId })).items[0]!
        expect([payment.status, payment.refusal?.reasonCode]).toEqual(['refused', 'AM04'])
        for (const o of fulfilled(rs)) expect(o.action).toBe(payment.refusal!.action)
      }
    })
  })
}

races('storage-memory', async () => createMemoryStorage())
races('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) races('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }))
else console.log('[ecole] ECOLE_PG_URL is not set: the replay races on a PostgreSQL server are skipped')

import {
  BillingOfficeSchema, defineSepaMandate, isEcoleError, SiteSchema, standardLedgerAccounts, walletAccountId, type InvoiceChargeLine, type LocalDate, type PaymentInput,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import {
  collectDirectDebits, createDeposit, createInvoiceBatch, issueInvoiceCreditNote, issueTaxCertificates, recordDirectDebitReturn, recordPayment, validateDrafts, type BillingDeps,
} from './index'
import { onDay } from '../test-support/deps-on-day'

/** The code, the named paths and the message of a refusal ('OK' when it went through). */
async function failure(p: Promise<unknown>): Promise<{ code: string; paths: string[]; fields: unknown; message: string }> {
  try {
    await p
  } catch (e) {
    if (!isEcoleError(e)) return { code: String(e), paths: [], fields: undefined, message: '' }
    const details = (e.details ?? {}) as { issues?: Array<{ path: string }>; fields?: unknown }
    return { code: e.code, paths: (details.issues ?? []).map((i) => i.path), fields: details.fields, message: e.message }
  }
  return { code: 'OK', paths: [], fields: undefined, message: '' }
}

const charge = (debtor: string, serviceId: string, minor: bigint, day: string): InvoiceChargeLine => ({
  chargeId: `${debtor}|k-${debtor}|${serviceId}|${day}`, debtorId: debtor, beneficiaryId: `k-${debtor}`, serviceId, date: `2026-12-${day}` as LocalDate, quantity: 1, unitPriceMinor: minor, amountMinor: minor,
})

let sites = 0
/**
 * A site (with the zone `timeZone` on record, or no site record) where g1 owes 50.00 to the régie
 * (care), and g2 owes 50.00 to the crèche, both invoices issued on 2027-01-04; the clock at `now`.
 */
async function seeded(storage: StoragePorts, options: { now?: string; timeZone?: string | null } = {}) {
  const siteId = `money-guards-${process.pid}-${Date.now()}-${++sites}`
  const at = new Date(options.now ?? '2027-01-06T09:00:00Z')
  const d: BillingDeps = { storage, clock: { now: () => at } }
  const zone = options.timeZone === undefined ? 'Europe/Paris' : options.timeZone
  if (zone !== null) await storage.directory!.putSite(siteId, { ...SiteSchema.parse({ id: siteId, name: 'École', country: 'FR', timeZone: zone }), smtp: null })
  for (const [batchId, office, debtor] of [['b1', 'regie', 'g1'], ['b2', 'creche', 'g2']] as const) {
    await createInvoiceBatch(onDay(d, '2027-01-04'), {
      batch: { id: batchId, siteId, billingOfficeId: office, period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['care'], dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05' },
      charges: [charge(debtor, 'care', 5000n, '01')],
    })
    await validateDrafts(onDay(d, '2027-01-04'), { siteId, batchId, issueDate: '2027-01-04' })
  }
  const payments = async () => (await storage.payments!.listPayments(siteId, {})).items.map((p) => p.id)
  return { d, siteId, payments }
}

function suite(name: string, create: () => Promise<StoragePorts>) {
  describe(`money guards of payments, deposits and credit notes, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())
    const desk = (siteId: string, id: string, extra: Partial<PaymentInput> = {}): PaymentInput => ({
      id, siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-06', amount: '10.00', ...extra,
    })

    describe('recordPayment refuses a date after the site\'s today', () => {
      it('refuses a cheque dated 2072 on 2027-03-01, naming payment.date with both days, and records nothing', async () => {
        const { d, siteId, payments } = await seeded(storage, { now: '2027-03-01T09:00:00Z' })
        const e = await failure(recordPayment(d, desk(siteId, 'ch1', { date: '2072-03-01', amount: '50.00', invoiceId: 'b1:g1' })))
        expect([e.code, e.paths]).toEqual(['INVALID_INPUT', ['payment.date']])
        expect(e.message).toContain('is 2072-03-01, after today 2027-03-01 at the site (Europe/Paris)')
        expect(await payments()).toEqual([])
        // the same cheque dated on its day is counted in the year's tax certificate
        await recordPayment(d, desk(siteId, 'ch1', { date: '2027-03-01', amount: '50.00', invoiceId: 'b1:g1' }))
        const certificates = await issueTaxCertificates(d, { siteId, rules: { country: 'FR', year: 2027 }, children: [{ beneficiaryId: 'k-g1', birthDate: '2023-03-01' }], serviceKinds: { care: 'care' } })
        expect(certificates.map((c) => c.paidCareMinor)).toEqual([5000n])
      })

      it("takes today in the site's zone: at 23:30 UTC on the 28th, a payment of March 1st is today in Paris, and refused in Los Angeles", async () => {
        const paris = await seeded(storage, { now: '2027-02-28T23:30:00Z' })
        expect((await recordPayment(paris.d, desk(paris.siteId, 'p1', { date: '2027-03-01' }))).created).toBe(true)
        const la = await seeded(storage, { now: '2027-02-28T23:30:00Z', timeZone: 'America/Los_Angeles' })
        const e = await failure(recordPayment(la.d, desk(la.siteId, 'p1', { date: '2027-03-01' })))
        expect([e.code, e.paths, e.message]).toEqual(['INVALID_INPUT', ['payment.date'], expect.stringContaining('after today 2027-02-28 at the site (America/Los_Angeles)')])
        expect(await la.payments()).toEqual([])
      })

      it('judges a site without a zone on record in UTC+14: a date is refused only once it is after today everywhere', async () => {
        // 11:00 UTC on March 1st is already 01:00 on March 2nd in UTC+14
        const { d, siteId, payments } = await seeded(storage, { now: '2027-03-01T11:00:00Z', timeZone: null })
        expect((await recordPayment(d, desk(siteId, 'p1', { date: '2027-03-02' }))).created).toBe(true)
        const e = await failure(recordPayment(d, desk(siteId, 'p2', { date: '2027-03-03' })))
        expect([e.code, e.paths, e.message]).toEqual(['INVALID_INPUT', ['payment.date'], expect.stringContaining('after today 2027-03-02 at the site (in UTC+14')])
        expect(await payments()).toEqual(['p1'])
      })

      it('answers a replay of a stored payment as a replay, whatever the day it is replayed on', async () => {
        const { d, siteId } = await seeded(storage)
        const first = await recordPayment(d, desk(siteId, 'p1'))
        const again = await recordPayment(onDay(d, '2026-12-31'), desk(siteId, 'p1'))
        expect([again.created, again.payment]).toEqual([false, first.payment])
      })
    })

    describe("recordPayment never credits a wallet in another currency than its billing office's", () => {
      it('refuses a USD desk credit at an EUR office with CURRENCY_MISMATCH naming payment.currency, opens no wallet, and EUR credits still work after it', async () => {
        const { d, siteId, payments } = await seeded(storage)
        const e = await failure(recordPayment(d, desk(siteId, 'u1', { method: 'cash', currency: 'USD', amount: '5.00' }), { walletOnly: true }))
        expect([e.code, e.paths]).toEqual(['CURRENCY_MISMATCH', ['payment.currency']])
        expect(e.message).toContain('USD is not the currency of billing office regie (EUR)')
        expect(await payments()).toEqual([])
        expect(await storage.ledger!.getAccount(siteId, walletAccountId('g1', 'regie'))).toBeUndefined()
        // EUR: an overpayment, a top-up, a credit note's excess all reach the wallet
        expect((await recordPayment(d, desk(siteId, 'e1', { amount: '60.00', invoiceId: 'b1:g1' }))).walletTransfer?.status).toBe('created')
        expect((await recordPayment(d, desk(siteId, 'e2', { method: 'cash', amount: '1.00' }), { walletOnly: true })).walletTransfer?.status).toBe('created')
        await issueInvoiceCreditNote(d, { siteId, invoiceId: 'b1:g1', issueDate: '2027-01-06', creditNote: { id: 'cn1', reason: 'Grève', scope: { kind: 'amount', amount: '5.00' } } })
        const [wallet] = await storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')])
        expect([wallet?.currency, wallet?.posted]).toEqual(['EUR', 1000n + 100n + 500n])
      })

      it("refuses a USD payment at an office whose record says EUR, even with nothing invoiced or opened there yet", async () => {
        const { d, siteId } = await seeded(storage)
        await storage.directory!.putDirectoryRecord(siteId, 'billingOffice', BillingOfficeSchema.parse({ id: 'garderie', siteId, name: 'Régie garderie', paymentReference: 'rf' }))
        const e = await failure(recordPayment(d, desk(siteId, 'u1', { billingOfficeId: 'garderie', currency: 'USD' }), { walletOnly: true }))
        expect([e.code, e.paths, e.message]).toEqual(['CURRENCY_MISMATCH', ['payment.currency'], expect.stringContaining('billing office garderie (EUR)')])
      })

      it('refuses up front a credit to a wallet already open in another currency, naming it, rather than failing the ledger transfer after the payment', async () => {
        const { d, siteId, payments } = await seeded(storage)
        // a wallet opened in USD (by an earlier version) at an office nothing else says the currency of
        const accounts = standardLedgerAccounts({ currency: 'USD', billingOffices: [{ id: 'kiosk', serviceIds: [] }], guardians: [{ guardianId: 'g9', billingOfficeIds: ['kiosk'] }] })
        await storage.ledger!.createAccounts(siteId, accounts.filter((a) => a.id === walletAccountId('g9', 'kiosk')))
        const e = await failure(recordPayment(d, desk(siteId, 'e1', { billingOfficeId: 'kiosk', payerId: 'g9', method: 'cash' }), { walletOnly: true }))
        expect([e.code, e.paths, e.message]).toEqual(['CURRENCY_MISMATCH', ['payment.currency'], expect.stringContaining('the wallet of g9 at billing office kiosk (USD)')])
        expect(await payments()).toEqual([])
      })
    })

    describe('createDeposit', () => {
      it('refuses a deposit of transfers, naming deposit.method, and leaves the payments out of any deposit', async () => {
        const { d, siteId } = await seeded(storage)
        await recordPayment(d, desk(siteId, 't1', { method: 'transfer' }))
        const transfer = await failure(createDeposit(d, { siteId, deposit: { id: 'd2', method: 'transfer', bankAccountId: 'acc', date: '2027-01-06' }, paymentIds: ['t1'] }))
        expect([transfer.code, transfer.paths]).toEqual(['INVALID_INPUT', ['deposit.method']])
        expect((await storage.payments!.listPayments(siteId, { inDeposit: true })).items).toEqual([])
        expect(await storage.payments!.getDeposit(siteId, 'd1')).toBeUndefined()
      })

      it('answers an identical request as a replay of the stored deposit after one of its cheques bounced, and another request with IDEMPOTENCY_CONFLICT', async () => {
        const { d, siteId } = await seeded(storage)
        for (const id of ['c1', 'c2']) await recordPayment(d, desk(siteId, id))
        const request = { siteId, deposit: { id: 'd1', method: 'cheque', bankAccountId: 'acc', date: '2027-01-07' as LocalDate }, paymentIds: ['c1', 'c2'] }
        const first = await createDeposit(d, request)
        await storage.payments!.refusePayment(siteId, 'c2', { reasonCode: 'BOUNCED', date: '2027-01-12', action: 'contactPayer' })
        expect(await createDeposit(d, request)).toEqual(first)
        const other = await failure(createDeposit(d, { ...request, deposit: { ...request.deposit, bankAccountId: 'acc-2' } }))
        expect([other.code, other.fields]).toEqual(['IDEMPOTENCY_CONFLICT', ['bankAccountId']])
        const fewer = await failure(createDeposit(d, { ...request, paymentIds: ['c1'] }))
        expect([fewer.code, fewer.fields]).toEqual(['IDEMPOTENCY_CONFLICT', ['paymentIds']])
      })

      it('answers a replay of a direct-debit deposit, after the debit was returned (seed 001 refuses it from its deposit), with the stored deposit', async () => {
        const { d, siteId } = await seeded(storage)
        await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: 'm-g1', siteId, debtorId: 'g1', rum: 'RUM-g1', billingOfficeId: 'regie', signatureDate: '2026-09-01', debtorName: 'Parent g1', iban: 'FR7630006000011234567890189' }))
        await collectDirectDebits(d, { siteId, collectionDate: '2027-01-10', endToEndPrefix: 'C1-' })
        const debit = (await storage.payments!.getPayment(siteId, 'dd:C1-b1:g1'))!
        const stored = { id: 'd1', siteId, method: 'directDebit', bankAccountId: 'acc', date: '2027-01-10' as LocalDate, paymentIds: [debit.id], totalMinor: debit.amountMinor, totalsByProduct: { '': debit.amountMinor }, currency: 'EUR' as const, locked: false }
        expect(await storage.payments!.createDeposit(siteId, stored)).toBe('created')
        await recordDirectDebitReturn(onDay(d, '2027-01-14'), { siteId, endToEndId: 'C1-b1:g1', reasonCode: 'AM04', date: '2027-01-14' })
        expect(await createDeposit(d, { siteId, deposit: { id: 'd1', method: 'directDebit', bankAccountId: 'acc', date: '2027-01-10' }, paymentIds: [debit.id] })).toEqual(stored)
      })

      it("refuses one deposit of two billing offices' cheques, naming the payment of the other office, and stores nothing", async () => {
        const { d, siteId } = await seeded(storage)
        await recordPayment(d, desk(siteId, 'c1'))
        await recordPayment(d, desk(siteId, 'c2', { billingOfficeId: 'creche', payerId: 'g2' }))
        const e = await failure(createDeposit(d, { siteId, deposit: { id: 'd1', method: 'cheque', bankAccountId: 'acc', date: '2027-01-07' }, paymentIds: ['c1', 'c2'] }))
        expect([e.code, e.paths]).toEqual(['INVALID_INPUT', ['payments.1']])
        expect(e.message).toContain('payment c2 was received by billing office creche, not by regie')
        expect(await storage.payments!.getDeposit(siteId, 'd1')).toBeUndefined()
        expect((await storage.payments!.listPayments(siteId, { inDeposit: true })).items).toEqual([])
      })

      it('refuses a deposit dated before one of its cheques was received, naming deposit.date, and takes one dated on that day', async () => {
        const { d, siteId } = await seeded(storage)
        await recordPayment(d, desk(siteId, 'c1', { date: '2027-01-06' }))
        const e = await failure(createDeposit(d, { siteId, deposit: { id: 'd1', method: 'cheque', bankAccountId: 'acc', date: '2026-01-01' }, paymentIds: ['c1'] }))
        expect([e.code, e.paths]).toEqual(['INVALID_INPUT', ['deposit.date']])
        expect(e.message).toContain('is 2026-01-01, before payment c1 was received (2027-01-06)')
        expect(await storage.payments!.getDeposit(siteId, 'd1')).toBeUndefined()
        expect((await createDeposit(d, { siteId, deposit: { id: 'd1', method: 'cheque', bankAccountId: 'acc', date: '2027-01-06' }, paymentIds: ['c1'] })).totalMinor).toBe(1000n)
      })
    })

    describe('issueInvoiceCreditNote replayed with another scope', () => {
      const note = (siteId: string, scope: Parameters<typeof issueInvoiceCreditNote>[1]['creditNote']['scope'], id = 'cn1') => ({ siteId, invoiceId: 'b1:g1', issueDate: '2027-01-06' as LocalDate, creditNote: { id, reason: 'Grève', scope } })

      it('refuses an amount note replayed as a whole one with IDEMPOTENCY_CONFLICT naming scopeKind, and returns the stored note on an exact replay', async () => {
        const { d, siteId } = await seeded(storage)
        const first = await issueInvoiceCreditNote(d, note(siteId, { kind: 'amount', amount: '5.00' }))
        const e = await failure(issueInvoiceCreditNote(d, note(siteId, { kind: 'whole' })))
        expect([e.code, e.fields]).toEqual(['IDEMPOTENCY_CONFLICT', ['scopeKind']])
        expect(await issueInvoiceCreditNote(d, note(siteId, { kind: 'amount', amount: '5.00' }))).toEqual(first)
        expect((await storage.invoicing!.listCreditNotes(siteId, ['b1:g1'])).map((c) => c.amountMinor)).toEqual([500n])
      })

      it('refuses a whole note replayed as an amount one of the same sum, and a lines note replayed with other lines', async () => {
        const { d, siteId } = await seeded(storage)
        const whole = await issueInvoiceCreditNote(d, note(siteId, { kind: 'whole' }))
        expect(whole.amountMinor).toBe(5000n)
        expect(await issueInvoiceCreditNote(d, note(siteId, { kind: 'whole' }))).toEqual(whole)
        const asAmount = await failure(issueInvoiceCreditNote(d, note(siteId, { kind: 'amount', amount: '50.00' })))
        expect([asAmount.code, asAmount.fields]).toEqual(['IDEMPOTENCY_CONFLICT', ['scopeKind']])

        const other = await seeded(storage)
        const [line] = (await storage.invoicing!.getInvoice(other.siteId, 'b1:g1'))!.lines
        const byLine = await issueInvoiceCreditNote(other.d, note(other.siteId, { kind: 'lines', lines: [{ lineId: line!.id, amount: '10.00' }] }))
        expect(await issueInvoiceCreditNote(other.d, note(other.siteId, { kind: 'lines', lines: [{ lineId: line!.id, amount: '10.00' }] }))).toEqual(byLine)
        const otherLines = await failure(issueInvoiceCreditNote(other.d, note(other.siteId, { kind: 'lines', lines: [{ lineId: line!.id, amount: '12.00' }] })))
        expect([otherLines.code, otherLines.fields]).toEqual(['IDEMPOTENCY_CONFLICT', ['lines']])
        const asWhole = await failure(issueInvoiceCreditNote(other.d, note(other.siteId, { kind: 'whole' })))
        expect([asWhole.code, asWhole.fields]).toEqual(['IDEMPOTENCY_CONFLICT', ['lines', 'scopeKind']])
      })
    })
  })
}

suite('storage-memory', async () => createMemoryStorage())
suite('storage-postgres on PGlite', async () => createPostgresStorage())

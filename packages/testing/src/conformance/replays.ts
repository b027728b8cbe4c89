import { isEcoleError, type CreditNote, type Deposit, type Payment } from '@ecole/core'
import type { ImportedBankEntry, StoragePorts } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { draftInvoice, validatedInvoice } from './invoicing'
import { freshSiteId, need, type ConformanceContext } from './support'

/** The error a promise rejects with (undefined when it resolves). */
async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (error: unknown) => error,
  )
}

/** Expects an `IDEMPOTENCY_CONFLICT` naming exactly `fields`. */
async function expectConflict(p: Promise<unknown>, fields: string[]): Promise<void> {
  const e = await errorOf(p)
  expect(isEcoleError(e) ? { code: e.code, fields: e.details['fields'] } : e).toEqual({ code: 'IDEMPOTENCY_CONFLICT', fields })
}

async function seedInvoice(storage: StoragePorts, site: string): Promise<void> {
  const invoicing = need(storage.invoicing, 'invoicing')
  const draft = draftInvoice(site, 'i1', ['c1', 'c2', 'c3'])
  await invoicing.createDrafts(site, [draft])
  await invoicing.markValidated(site, [validatedInvoice(draft, 1)])
}

function payment(site: string, id: string, over: Partial<Payment> = {}): Payment {
  return {
    id, siteId: site, billingOfficeId: 'office-1', payerId: 'g-1', method: 'cheque', product: null, date: '2026-04-02', currency: 'EUR',
    amountMinor: 415n, invoiceId: 'i1', status: 'recorded', depositId: null, allocations: [{ invoiceId: 'i1', amountMinor: 415n }],
    walletCreditMinor: 0n, mandateId: null, endToEndId: null, bankEntryReference: null, refusal: null, ...over,
  }
}

/**
 * Replays of every money-moving create: the same content is `exists` and changes nothing;
 * other content is refused with `IDEMPOTENCY_CONFLICT` naming the differing fields. @internal
 */
export function describeReplays(ctx: ConformanceContext): void {
  describe('idempotent replays', () => {
    it.runIf(ctx.has('invoicing'))('answers a credit note replayed with other content with IDEMPOTENCY_CONFLICT naming the fields', async () => {
      const storage = ctx.storage()
      const store = need(storage.invoicing, 'invoicing')
      const site = freshSiteId()
      await seedInvoice(storage, site)
      const note: CreditNote = {
        id: 'cn-1', siteId: site, billingOfficeId: 'office-1', invoiceId: 'i1', debtorId: 'g-1', number: 'A2026-000001', sequence: 1,
        issueDate: '2026-04-10', reason: 'Absence justifiée', currency: 'EUR', amountMinor: 415n, lines: [{ lineId: 'i1:l0', amountMinor: 415n }],
      }
      expect(await store.createCreditNote(site, note)).toBe('created')
      expect(await store.createCreditNote(site, { ...note })).toBe('exists')
      await expectConflict(store.createCreditNote(site, { ...note, amountMinor: 200n, reason: 'Autre' }), ['amountMinor', 'reason'])
      expect(await store.listCreditNotes(site, ['i1'])).toEqual([note])
    })

    it.runIf(ctx.has('payments'))('answers a payment replayed with other content with IDEMPOTENCY_CONFLICT, and a replay after its deposit with exists', async () => {
      const storage = ctx.storage()
      const store = need(storage.payments, 'payments')
      const site = freshSiteId()
      if (ctx.has('invoicing')) await seedInvoice(storage, site)
      const p = payment(site, 'p1')
      expect(await store.createPayment(site, p)).toBe('created')
      expect(await store.createPayment(site, { ...p })).toBe('exists')
      await expectConflict(store.createPayment(site, { ...p, amountMinor: 400n, allocations: [{ invoiceId: 'i1', amountMinor: 400n }] }), ['allocations', 'amountMinor'])
      await expectConflict(store.createPayment(site, { ...p, method: 'cash', date: '2026-04-03' }), ['date', 'method'])
      const deposit: Deposit = { id: 'd1', siteId: site, method: 'cheque', bankAccountId: 'bank-1', date: '2026-04-03', paymentIds: ['p1'], totalMinor: 415n, totalsByProduct: {}, currency: 'EUR', locked: false }
      expect(await store.createDeposit(site, deposit)).toBe('created')
      // a replay of the payment as first sent: the deposit it joined since is not content the caller chose
      expect(await store.createPayment(site, p)).toBe('exists')
      expect(await store.createDeposit(site, { ...deposit })).toBe('exists')
      await store.lockDeposit(site, 'd1')
      expect(await store.createDeposit(site, { ...deposit })).toBe('exists')
      await expectConflict(store.createDeposit(site, { ...deposit, date: '2026-04-04', bankAccountId: 'bank-2' }), ['bankAccountId', 'date'])
      expect(await store.getPayment(site, 'p1')).toEqual({ ...p, depositId: 'd1' })
    })

    it.runIf(ctx.has('bankImports'))('answers a bank entry imported again with other bank data with IDEMPOTENCY_CONFLICT; another outcome alone is a replay', async () => {
      const store = need(ctx.storage().bankImports, 'bankImports')
      const site = freshSiteId()
      const e: ImportedBankEntry = {
        entryReference: 'REF-1', accountIban: 'FR7630006000011234567890189', bookingDate: '2026-04-02', amountMinor: 7055n, currency: 'EUR',
        direction: 'credit', counterpartyName: 'Martin', remittance: 'RF18539007547034', outcome: { kind: 'ignored', reason: 'fee' },
      }
      expect(await store.createBankEntry(site, e)).toBe('created')
      expect(await store.createBankEntry(site, { ...e, outcome: { kind: 'review', reason: 'UNMATCHED', candidates: [] } })).toBe('exists')
      await expectConflict(store.createBankEntry(site, { ...e, amountMinor: 7056n }), ['amountMinor'])
      expect((await store.listBankEntries(site, {})).items).toEqual([e])
    })
  })
}

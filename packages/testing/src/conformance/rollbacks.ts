import type { CreditNote, PortalDocument } from '@ecole/core'
import type { ImportedBankEntry, StoragePorts, StorageTransaction } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { draftInvoice, validatedInvoice } from './invoicing'
import { payment } from './payments'
import { freshSiteId, need, type ConformanceContext } from './support'

const boom = new Error('rolled back on purpose')

/** Runs `write` in a transaction of `site` that then throws, and checks the error comes back unchanged. */
async function rolledBack(storage: StoragePorts, site: string, write: (tx: StorageTransaction) => Promise<unknown>): Promise<void> {
  await expect(storage.transaction(site, async (tx) => {
    await write(tx)
    throw boom
  })).rejects.toBe(boom)
}

/** Each money or booking write persists nothing when its transaction throws (atomicity, port by port). @internal */
export function describePaymentRollbacks(ctx: ConformanceContext): void {
  describe('payments roll back with their transaction', () => {
    it('keeps no payment written in a transaction that throws (one, or a batch), and frees its bank entry reference', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      await rolledBack(s, site, async (tx) => {
        const store = need(tx.payments, 'payments')
        await store.createPayment(site, payment(site, 'p1', { bankEntryReference: 'BANKREF-RB', method: 'transfer' }))
        await store.createPayments(site, [payment(site, 'p2'), payment(site, 'p3')])
      })
      const store = need(s.payments, 'payments')
      expect([await store.getPayment(site, 'p1'), await store.getPayment(site, 'p2'), await store.getPayment(site, 'p3')]).toEqual([undefined, undefined, undefined])
      expect((await store.listPayments(site, {})).items).toEqual([])
      // the reference the rolled-back payment used is free: the same bank entry imports later
      expect(await store.createPayment(site, payment(site, 'p1b', { bankEntryReference: 'BANKREF-RB', method: 'transfer' }))).toBe('created')
    })
  })
}

/** Invoice drafts, validations and credit notes persist nothing when their transaction throws. @internal */
export function describeInvoiceRollbacks(ctx: ConformanceContext): void {
  describe('invoices roll back with their transaction', () => {
    it('keeps no draft written in a transaction that throws, and its charges stay unbilled', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      await rolledBack(s, site, (tx) => need(tx.invoicing, 'invoicing').createDrafts(site, [draftInvoice(site, 'i1', ['c1', 'c2'])]))
      const store = need(s.invoicing, 'invoicing')
      expect(await store.getInvoice(site, 'i1')).toBeUndefined()
      expect(await store.createDrafts(site, [draftInvoice(site, 'i2', ['c1', 'c2'])])).toBeUndefined()
      expect((await store.getInvoice(site, 'i2'))?.status).toBe('draft')
    })

    it('keeps a draft a draft when its validation is rolled back, so validating it again with the same number goes through', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const store = need(s.invoicing, 'invoicing')
      const d = draftInvoice(site, 'i1', ['c1'])
      await store.createDrafts(site, [d])
      await rolledBack(s, site, async (tx) => {
        if (tx.invoiceNumbers) await tx.invoiceNumbers.nextNumbers(site, 'F2026', 1)
        await need(tx.invoicing, 'invoicing').markValidated(site, [validatedInvoice(d, 1)])
      })
      expect(await store.getInvoice(site, 'i1')).toEqual(d)
      await store.markValidated(site, [validatedInvoice(d, 1)])
      expect((await store.getInvoice(site, 'i1'))?.number).toBe('F2026-000001')
    })

    it('keeps no credit note written in a transaction that throws: the invoice can still be credited in full', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const store = need(s.invoicing, 'invoicing')
      const d = draftInvoice(site, 'i1', ['c1'])
      await store.createDrafts(site, [d])
      await store.markValidated(site, [validatedInvoice(d, 1)])
      const note: CreditNote = {
        id: 'cn-1', siteId: site, billingOfficeId: 'office-1', invoiceId: 'i1', debtorId: 'g-1', number: 'A2026-000001', sequence: 1,
        issueDate: '2026-04-10', reason: 'Absence justifiée', currency: 'EUR', amountMinor: 415n, lines: [{ lineId: 'i1:l0', amountMinor: 415n }],
      }
      await rolledBack(s, site, (tx) => need(tx.invoicing, 'invoicing').createCreditNote(site, note))
      expect((await store.listCreditNotes(site, ['i1'])).length).toBe(0)
      expect(await store.createCreditNote(site, { ...note, id: 'cn-2' })).toBe('created')
    })
  })
}

/** Bookings persist nothing when their transaction throws: the slot stays free. @internal */
export function describeBookingRollbacks(ctx: ConformanceContext): void {
  describe('bookings roll back with their transaction', () => {
    it('keeps no booking written in a transaction that throws (one, or a batch): the slot stays free for another booking', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const at = new Date('2026-03-01T08:00:00.000Z')
      const booking = { id: 'b1', beneficiaryId: 'c1', serviceId: 'lunch', date: '2026-03-02' as const, status: 'booked' as const, bookedAt: at }
      await rolledBack(s, site, async (tx) => {
        const store = need(tx.bookings, 'bookings')
        await store.putBooking(site, booking)
        await store.putBookings(site, [{ ...booking, id: 'b2', date: '2026-03-03' }])
      })
      const store = need(s.bookings, 'bookings')
      expect((await store.listBookings(site, { from: '2026-03-01', to: '2026-03-31' })).items).toEqual([])
      expect((await store.putBooking(site, { ...booking, id: 'b3' })).status).toBe('created')
    })
  })
}

/** Imported bank entries persist nothing when their transaction throws: the statement imports again. @internal */
export function describeBankEntryRollbacks(ctx: ConformanceContext): void {
  describe('bank entries roll back with their transaction', () => {
    it('keeps no entry recorded in a transaction that throws: importing the statement again records it', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const entry: ImportedBankEntry = {
        entryReference: 'REF-RB', accountIban: 'FR7630006000011234567890189', bookingDate: '2026-04-02', amountMinor: 7055n, currency: 'EUR',
        direction: 'credit', counterpartyName: 'Martin', remittance: 'RF18539007547034', outcome: { kind: 'ignored', reason: 'test' },
      }
      await rolledBack(s, site, (tx) => need(tx.bankImports, 'bankImports').createBankEntry(site, entry))
      const store = need(s.bankImports, 'bankImports')
      expect([...(await store.importedEntryReferences(site, ['REF-RB']))]).toEqual([])
      expect(await store.createBankEntry(site, entry)).toBe('created')
    })
  })
}

/** Documents persist nothing when their transaction throws (record and bytes, and the quota they use). @internal */
export function describeDocumentRollbacks(ctx: ConformanceContext): void {
  describe('documents roll back with their transaction', () => {
    it('keeps no document stored in a transaction that throws', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const doc = { id: 'd1', siteId: site, name: 'Menus', key: `${site}/d1.pdf`, mediaType: 'application/pdf', sizeBytes: 3, audience: { kind: 'site' }, available: { from: '2026-09-01', to: '2026-09-30' } } as unknown as PortalDocument
      await rolledBack(s, site, (tx) => need(tx.documents, 'documents').putDocument(site, doc, new Uint8Array([1, 2, 3])))
      const store = need(s.documents, 'documents')
      expect(await store.getDocument(site, 'd1')).toBeUndefined()
      expect(await store.putDocument(site, doc, new Uint8Array([1, 2, 3]))).toBe('created')
    })
  })
}

import { invoiceBalances, isEcoleError, type CreditNote, type Payment } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { batch, draftInvoice, validatedInvoice } from './invoicing'
import { freshSiteId, need, type ConformanceContext } from './support'

/** A recorded transfer of `payerId` allocated to invoices, for the invoicing groups' balances. @internal */
export function payment(siteId: string, id: string, allocations: Array<[string, bigint]>, payerId = 'g-1'): Payment {
  const amountMinor = allocations.reduce((sum, [, minor]) => sum + minor, 0n)
  return {
    id, siteId, billingOfficeId: 'office-1', payerId, method: 'transfer', product: null, date: '2026-04-20', currency: 'EUR',
    amountMinor, invoiceId: allocations[0]?.[0] ?? null, status: 'recorded', depositId: null,
    allocations: allocations.map(([invoiceId, minor]) => ({ invoiceId, amountMinor: minor })),
    walletCreditMinor: 0n, mandateId: null, endToEndId: null, bankEntryReference: null, refusal: null,
  }
}

/**
 * Invoicing: `listInvoicesWithBalances` answers a debtor's invoices with what each still owes in
 * one read (a parents' invoices page; issue 17): each balance equals `invoiceBalance` of
 * `@ecole/core` over the invoice's credit notes and payments, refused payments counting for
 * nothing. @internal
 */
export function describeInvoiceBalances(ctx: ConformanceContext): void {
  describe('invoicing: invoices with their balances', () => {
    it("answers the filter's invoices with the balances invoiceBalances computes from their credit notes and payments, a page at a time", async () => {
      const storage = ctx.storage()
      const invoicing = need(storage.invoicing, 'invoicing')
      const payments = need(storage.payments, 'payments')
      const s = freshSiteId()
      await invoicing.createInvoiceBatch(s, batch(s))
      const drafts = [
        draftInvoice(s, 'i1', ['c1', 'c2']), // 8.30
        draftInvoice(s, 'i2', ['c3']), // 4.15
        draftInvoice(s, 'i3', ['c4'], { jointDebtorIds: ['g-2'] }), // 4.15
        draftInvoice(s, 'i4', ['c5'], { debtorId: 'someone-else' }),
        draftInvoice(s, 'i5', ['c6']), // stays a draft
      ]
      await invoicing.createDrafts(s, drafts)
      await invoicing.markValidated(s, drafts.slice(0, 4).map((d, i) => validatedInvoice(d, i + 1)))
      const note: CreditNote = {
        id: 'cn-1', siteId: s, billingOfficeId: 'office-1', invoiceId: 'i1', debtorId: 'g-1', number: 'A2026-000001', sequence: 1,
        issueDate: '2026-04-10', reason: 'Absence justifiée', currency: 'EUR', amountMinor: 415n, lines: [{ lineId: 'i1:l0', amountMinor: 415n }],
      }
      await invoicing.createCreditNote(s, note)
      // one transfer paying two invoices; a second payment of i1; a refused direct debit of i2; i4 paid in full
      await payments.createPayment(s, payment(s, 'p1', [['i1', 200n], ['i2', 100n]]))
      await payments.createPayment(s, payment(s, 'p2', [['i1', 215n]]))
      await payments.createPayment(s, payment(s, 'p3', [['i2', 315n]]))
      await payments.refusePayment(s, 'p3', { reasonCode: 'AM04', date: '2026-04-25', action: 'retry' })
      await payments.createPayment(s, payment(s, 'p4', [['i4', 415n]], 'someone-else'))

      const rows = (await invoicing.listInvoicesWithBalances(s, { debtorOrJointDebtorId: 'g-1', status: 'validated' })).items
      expect(rows.map((r) => r.invoice.id)).toEqual(['i1', 'i2', 'i3'])
      expect(rows.map((r) => [r.balance.creditedMinor, r.balance.paidMinor, r.balance.outstandingMinor, r.balance.state])).toEqual([
        [415n, 415n, 0n, 'paid'],
        [0n, 100n, 315n, 'partlyPaid'],
        [0n, 0n, 415n, 'unpaid'],
      ])
      // the same as the library computes from the invoices, their credit notes and their payments
      const invoices = (await invoicing.listInvoices(s, {})).items
      const reference = invoiceBalances(invoices, await invoicing.listCreditNotes(s), (await payments.listPayments(s, {})).items)
      const all = (await invoicing.listInvoicesWithBalances(s, {})).items
      expect(all.map((r) => r.invoice)).toEqual(invoices)
      for (const r of all) expect(r.balance, r.invoice.id).toEqual(reference.get(r.invoice.id))
      // paged like listInvoices; another site sees none of them
      const first = await invoicing.listInvoicesWithBalances(s, { debtorOrJointDebtorId: 'g-1' }, { limit: 2 })
      expect([first.items.map((r) => r.invoice.id), first.next]).toEqual([['i1', 'i2'], 'i2'])
      const second = await invoicing.listInvoicesWithBalances(s, { debtorOrJointDebtorId: 'g-1' }, { limit: 2, after: first.next! })
      expect([second.items.map((r) => r.invoice.id), second.next]).toEqual([['i3', 'i5'], undefined])
      expect((await invoicing.listInvoicesWithBalances(freshSiteId(), { debtorOrJointDebtorId: 'g-1' })).items).toEqual([])
      // the joint debtor sees the invoice they are liable for
      expect((await invoicing.listInvoicesWithBalances(s, { debtorOrJointDebtorId: 'g-2' })).items.map((r) => r.invoice.id)).toEqual(['i3'])
    })

    it('refuses an unknown filter key as listInvoices does', async () => {
      const invoicing = need(ctx.storage().invoicing, 'invoicing')
      const e = await invoicing.listInvoicesWithBalances(freshSiteId(), { payerId: 'g-1' } as never).then(() => undefined, (x: unknown) => x)
      expect(isEcoleError(e) && e.code).toBe('INVALID_INPUT')
      expect((e as Error).message).toContain('payerId')
    })
  })
}

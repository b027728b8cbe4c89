import { invoiceBalances, isEcoleError, type CreditNote, type Invoice, type Payment } from '@ecole/core'
import type { DebtorBalance, InvoiceStore } from '@ecole/core/ports'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { batch, draftInvoice, validatedInvoice } from './invoicing'
import { freshSiteId, need, type ConformanceContext } from './support'

function payment(siteId: string, id: string, invoice: Invoice, amountMinor: bigint): Payment {
  return {
    id, siteId, billingOfficeId: invoice.billingOfficeId, payerId: invoice.debtorId, method: 'transfer', product: null, date: '2026-04-20', currency: invoice.currency,
    amountMinor, invoiceId: invoice.id, status: 'recorded', depositId: null, allocations: [{ invoiceId: invoice.id, amountMinor }],
    walletCreditMinor: 0n, mandateId: null, endToEndId: null, bankEntryReference: null, refusal: null,
  }
}

function creditNote(siteId: string, invoice: Invoice, n: number, amountMinor: bigint): CreditNote {
  return {
    id: `cn-${invoice.id}`, siteId, billingOfficeId: invoice.billingOfficeId, invoiceId: invoice.id, debtorId: invoice.debtorId, number: `A2026-${String(n).padStart(6, '0')}`, sequence: n,
    issueDate: '2026-04-10', reason: 'Absence', currency: invoice.currency, amountMinor, lines: [{ lineId: invoice.lines[0]!.id, amountMinor }],
  }
}

/** The reference: invoiceBalances of core over the office's validated invoices, summed per debtor, largest first. */
function reference(invoices: readonly Invoice[], notes: readonly CreditNote[], payments: readonly Payment[], officeId: string, debtorIds?: readonly string[]): DebtorBalance[] {
  const balances = invoiceBalances(invoices, notes, payments)
  const sums = new Map<string, DebtorBalance>()
  for (const i of invoices) {
    if (i.status !== 'validated' || i.billingOfficeId !== officeId || (debtorIds && !debtorIds.includes(i.debtorId))) continue
    const owed = balances.get(i.id)!.outstandingMinor
    if (owed === 0n) continue
    const row = sums.get(i.debtorId) ?? { debtorId: i.debtorId, currency: i.currency, outstandingMinor: 0n, openInvoices: 0 }
    sums.set(i.debtorId, { ...row, outstandingMinor: row.outstandingMinor + owed, openInvoices: row.openInvoices + 1 })
  }
  return [...sums.values()].sort((a, b) => (a.outstandingMinor !== b.outstandingMinor ? (b.outstandingMinor > a.outstandingMinor ? 1 : -1) : a.debtorId < b.debtorId ? -1 : a.debtorId > b.debtorId ? 1 : 0))
}

/** Every page of a debtor list, read `limit` rows at a time by offset. */
async function allPages(store: InvoiceStore, siteId: string, officeId: string, limit: number, debtorIds?: readonly string[]): Promise<{ rows: DebtorBalance[]; totals: unknown[] }> {
  const rows: DebtorBalance[] = []
  let totals: unknown[] = []
  for (let offset = 0; ; offset += limit) {
    const page = await store.listDebtorBalances(siteId, { billingOfficeId: officeId, ...(debtorIds ? { debtorIds } : {}) }, { limit, offset })
    if (offset === 0) totals = page.totals
    else expect(page.totals, 'the totals are the same on every page').toEqual(totals)
    rows.push(...page.items)
    if (page.items.length < limit) return { rows, totals }
  }
}

/**
 * Invoicing: `listDebtorBalances` answers a billing office's debtors with what they owe, largest
 * first, with the totals over every page (a back office's debtor list; issue 18): each amount
 * equals the sum of `invoiceBalance` of `@ecole/core` over the debtor's invoices. @internal
 */
export function describeDebtorBalances(ctx: ConformanceContext): void {
  describe('invoicing: debtor balances of a billing office', () => {
    it('sums what each debtor still owes, largest first, with the totals over every page, leaving out those who owe nothing', async () => {
      const storage = ctx.storage()
      const invoicing = need(storage.invoicing, 'invoicing')
      const payments = need(storage.payments, 'payments')
      const s = freshSiteId()
      await invoicing.createInvoiceBatch(s, batch(s))
      const drafts = [
        draftInvoice(s, 'i1', ['c1', 'c2'], { debtorId: 'g-1' }), // 8.30, 2.00 paid: owes 6.30
        draftInvoice(s, 'i2', ['c3'], { debtorId: 'g-2' }), // 4.15, refused payment: owes 4.15
        draftInvoice(s, 'i3', ['c4'], { debtorId: 'g-2' }), // 4.15, credit note 1.00: owes 3.15 -> g-2 owes 7.30
        draftInvoice(s, 'i4', ['c5'], { debtorId: 'g-3' }), // paid in full and more: owes nothing
        draftInvoice(s, 'i5', ['c6'], { debtorId: 'g-4', jointDebtorIds: ['g-1'] }), // 4.15, the joint debtor is not summed
        draftInvoice(s, 'i6', ['c7'], { debtorId: 'g-5', billingOfficeId: 'office-2' }), // another office
        draftInvoice(s, 'i7', ['c8'], { debtorId: 'g-6' }), // stays a draft
      ]
      await invoicing.createDrafts(s, drafts)
      await invoicing.markValidated(s, drafts.slice(0, 6).map((d, i) => validatedInvoice(d, i + 1)))
      await invoicing.createCreditNote(s, creditNote(s, { ...drafts[2]!, status: 'validated' }, 1, 100n))
      await payments.createPayment(s, payment(s, 'p1', drafts[0]!, 200n))
      await payments.createPayment(s, payment(s, 'p2', drafts[1]!, 415n))
      await payments.refusePayment(s, 'p2', { reasonCode: 'AM04', date: '2026-04-25', action: 'retry' })
      await payments.createPayment(s, payment(s, 'p3', drafts[3]!, 415n))
      const page = await invoicing.listDebtorBalances(s, { billingOfficeId: 'office-1' }, { limit: 2 })
      expect(page.items).toEqual([
        { debtorId: 'g-2', currency: 'EUR', outstandingMinor: 730n, openInvoices: 2 },
        { debtorId: 'g-1', currency: 'EUR', outstandingMinor: 630n, openInvoices: 1 },
      ])
      expect(page.totals).toEqual([{ currency: 'EUR', debtors: 3, outstandingMinor: 730n + 630n + 415n }])
      const second = await invoicing.listDebtorBalances(s, { billingOfficeId: 'office-1' }, { limit: 2, offset: 2 })
      expect([second.items, second.totals]).toEqual([[{ debtorId: 'g-4', currency: 'EUR', outstandingMinor: 415n, openInvoices: 1 }], page.totals])
      // past the last page: no rows, the same totals
      expect(await invoicing.listDebtorBalances(s, { billingOfficeId: 'office-1' }, { offset: 50 })).toEqual({ items: [], totals: page.totals })
      // some debtors only (the ids a name search found); another office; another site sees nothing
      expect((await invoicing.listDebtorBalances(s, { billingOfficeId: 'office-1', debtorIds: ['g-1', 'g-3', 'nobody'] })).items.map((r) => r.debtorId)).toEqual(['g-1'])
      expect((await invoicing.listDebtorBalances(s, { billingOfficeId: 'office-2' })).items.map((r) => [r.debtorId, r.outstandingMinor])).toEqual([['g-5', 415n]])
      expect(await invoicing.listDebtorBalances(freshSiteId(), { billingOfficeId: 'office-1' })).toEqual({ items: [], totals: [] })
    })

    it('refuses a query or a page that is not one, naming the field', async () => {
      const invoicing = need(ctx.storage().invoicing, 'invoicing')
      const s = freshSiteId()
      const cases: Array<[unknown, unknown, string]> = [
        [{}, undefined, 'query.billingOfficeId'],
        [{ billingOfficeId: 'office-1', payerIds: ['g'] }, undefined, 'query.payerIds'],
        [{ billingOfficeId: 'office-1', debtorIds: 'g-1' }, undefined, 'query.debtorIds'],
        [{ billingOfficeId: 'office-1' }, { limit: 0 }, 'page.limit'],
        [{ billingOfficeId: 'office-1' }, { offset: -1 }, 'page.offset'],
      ]
      for (const [query, page, field] of cases) {
        const e = await invoicing.listDebtorBalances(s, query as never, page as never).then(() => undefined, (x: unknown) => x)
        expect(isEcoleError(e) && e.code, field).toBe('INVALID_INPUT')
        expect((e as Error).message).toContain(field)
      }
    })

    it('gives each debtor the sum of invoiceBalance over their invoices, whatever the invoices, credit notes and payments (property)', async () => {
      const storage = ctx.storage()
      const invoicing = need(storage.invoicing, 'invoicing')
      const paymentStore = need(storage.payments, 'payments')
      const invoiceArb = fc.record({
        debtorId: fc.constantFrom('g-a', 'g-b', 'g-c', 'G-d'),
        office: fc.constantFrom('office-1', 'office-2'),
        lines: fc.integer({ min: 1, max: 3 }),
        validated: fc.boolean(),
        credit: fc.option(fc.bigInt({ min: 1n, max: 415n }), { nil: undefined }),
        pay: fc.constantFrom('none', 'part', 'rest', 'split', 'refused'),
      })
      await fc.assert(
        fc.asyncProperty(fc.array(invoiceArb, { maxLength: 8 }), fc.integer({ min: 1, max: 3 }), fc.subarray(['g-a', 'g-b', 'G-d']), async (specs, limit, someIds) => {
          const s = freshSiteId()
          await invoicing.createInvoiceBatch(s, batch(s))
          const drafts = specs.map((x, i) => draftInvoice(s, `i${i}`, Array.from({ length: x.lines }, (_, k) => `c${i}-${k}`), { debtorId: x.debtorId, billingOfficeId: x.office }))
          if (drafts.length > 0) await invoicing.createDrafts(s, drafts)
          const validated = drafts.flatMap((d, i) => (specs[i]!.validated ? [validatedInvoice(d, i + 1)] : []))
          if (validated.length > 0) await invoicing.markValidated(s, validated)
          for (const [i, inv] of validated.entries()) {
            const spec = specs[Number(inv.id.slice(1))]!
            const credited = spec.credit ?? 0n
            if (spec.credit !== undefined) await invoicing.createCreditNote(s, creditNote(s, inv, i + 1, spec.credit))
            const rest = inv.totalMinor - credited
            const amount = spec.pay === 'part' || spec.pay === 'split' ? rest / 2n : spec.pay === 'rest' || spec.pay === 'refused' ? rest : 0n
            if (amount > 0n) await paymentStore.createPayment(s, payment(s, `p-${inv.id}`, inv, amount))
            // the rest in a second payment: the invoice paid by two
            if (spec.pay === 'split' && rest - amount > 0n) await paymentStore.createPayment(s, payment(s, `q-${inv.id}`, inv, rest - amount))
            if (spec.pay === 'refused' && amount > 0n) await paymentStore.refusePayment(s, `p-${inv.id}`, { reasonCode: 'AM04', date: '2026-04-25', action: 'retry' })
          }
          const invoices = (await invoicing.listInvoices(s, {}, { limit: 1000 })).items
          const notes = await invoicing.listCreditNotes(s)
          const pays = (await paymentStore.listPayments(s, {}, { limit: 1000 })).items
          for (const office of ['office-1', 'office-2']) {
            const expected = reference(invoices, notes, pays, office)
            const { rows, totals } = await allPages(invoicing, s, office, limit)
            expect(rows).toEqual(expected)
            const sum = expected.reduce((n, r) => n + r.outstandingMinor, 0n)
            expect(totals).toEqual(expected.length === 0 ? [] : [{ currency: 'EUR', debtors: expected.length, outstandingMinor: sum }])
            expect((await allPages(invoicing, s, office, limit, someIds)).rows).toEqual(reference(invoices, notes, pays, office, someIds))
          }
        }),
        { numRuns: ctx.numRuns },
      )
    })
  })
}

import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { isEcoleError } from '../errors'
import type { CreditNote } from './credit-notes'
import type { Invoice } from './invoice'
import { openInvoicesOf } from './invoice-balance'
import { assertAllocationsFit, assertCreditNoteFits } from './invoice-write-guards'
import { recordInvoicePayment, type Payment } from './payment'

function invoiceOf(id: string, totalMinor: bigint, dueDate: '2027-01-15' | '2027-02-15'): Invoice {
  return {
    id, siteId: 's', billingOfficeId: 'regie', batchId: 'b', debtorId: 'g1', jointDebtorIds: [], status: 'validated', number: `F-${id}`, sequence: 1,
    issueDate: '2027-01-04', periodFrom: '2026-12-01', periodTo: '2026-12-31', dueDate, directDebitDate: null, portalDisplayDate: '2027-01-05', comment: null,
    currency: 'EUR', lines: [], adjustments: [], linesTotalMinor: totalMinor, adjustmentsTotalMinor: 0n, totalMinor, previousBalanceMinor: 0n, instalments: [],
    paymentReference: null,
  }
}

const writers = fc.array(fc.record({ amountMinor: fc.bigInt({ min: 1n, max: 20_000n }), staleBy: fc.nat({ max: 5 }) }), { minLength: 1, maxLength: 12 })

test.prop([fc.bigInt({ min: 1n, max: 20_000n }), fc.bigInt({ min: 1n, max: 20_000n }), writers])(
  'payments committed one after the other never allocate more than an invoice owes, whatever balances each was decided on; one decided on fresh balances is always accepted',
  (totalA, totalB, ws) => {
    const invoices = [invoiceOf('a', totalA, '2027-01-15'), invoiceOf('b', totalB, '2027-02-15')]
    const committed: Payment[] = []
    const history: Payment[][] = [[]] // the committed list after each commit
    ws.forEach((w, i) => {
      // decided on the state of `staleBy` commits ago
      const seen = history[Math.max(0, history.length - 1 - w.staleBy)]!
      const payment = recordInvoicePayment(
        { id: `p${i}`, siteId: 's', billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', amount: (Number(w.amountMinor) / 100).toFixed(2), invoiceId: 'a' },
        openInvoicesOf(invoices, [], seen),
      )
      let accepted = true
      try {
        assertAllocationsFit(payment, invoices, [], committed)
      } catch (e) {
        expect(isEcoleError(e) && e.code).toBe('PAYMENT_EXCEEDS_INVOICE')
        accepted = false
      }
      if (seen.length === committed.length) expect(accepted).toBe(true)
      if (accepted) committed.push(payment)
      history.push([...committed])
    })
    for (const inv of invoices) {
      const allocated = committed.flatMap((p) => p.allocations).filter((a) => a.invoiceId === inv.id).reduce((s, a) => s + a.amountMinor, 0n)
      expect(allocated).toBeLessThanOrEqual(inv.totalMinor)
    }
    for (const p of committed) expect(p.allocations.reduce((s, a) => s + a.amountMinor, 0n) + p.walletCreditMinor).toBe(p.amountMinor)
  },
)

test.prop([fc.bigInt({ min: 1n, max: 50_000n }), fc.array(fc.bigInt({ min: 1n, max: 20_000n }), { minLength: 1, maxLength: 15 })])(
  'credit notes accepted one after the other never add up to more than the invoice total',
  (total, amounts) => {
    const invoice = invoiceOf('a', total, '2027-01-15')
    const stored: CreditNote[] = []
    amounts.forEach((amountMinor, i) => {
      const note: CreditNote = { id: `cn${i}`, siteId: 's', billingOfficeId: 'regie', invoiceId: 'a', debtorId: 'g1', number: `AV${i}`, sequence: i + 1, issueDate: '2027-01-20', reason: 'x', currency: 'EUR', amountMinor, lines: [] }
      const before = stored.reduce((s, c) => s + c.amountMinor, 0n)
      try {
        assertCreditNoteFits(invoice, stored, note)
        stored.push(note)
      } catch (e) {
        expect(isEcoleError(e) && e.code).toBe('CREDIT_EXCEEDS_INVOICE')
        expect(before + amountMinor).toBeGreaterThan(total)
      }
    })
    expect(stored.reduce((s, c) => s + c.amountMinor, 0n)).toBeLessThanOrEqual(total)
  },
)

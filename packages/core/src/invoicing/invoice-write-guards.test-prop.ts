import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { isEcoleError } from '../errors'
import { issueCreditNote, type CreditNote, type CreditNoteInput } from './credit-notes'
import type { Invoice } from './invoice'
import { openInvoicesOf } from './invoice-balance'
import { assertAllocationsFit, assertCreditNoteFits, creditNoteRequestDifferences } from './invoice-write-guards'
import { defineInvoiceNumbering } from './numbering'
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

/** A credit note scope on a 100.00 invoice of one line ('inv:1'): whole, a lump sum, or an amount on the line. */
const scopes = fc.oneof(
  fc.constant({ kind: 'whole' as const }),
  fc.integer({ min: 1, max: 10_000 }).map((c) => ({ kind: 'amount' as const, amount: (c / 100).toFixed(2) })),
  fc.integer({ min: 1, max: 10_000 }).map((c) => ({ kind: 'lines' as const, lines: [{ lineId: 'inv:1', amount: (c / 100).toFixed(2) }] })),
)

test.prop([scopes, scopes])('a credit note replayed with its own request differs in nothing, and with a scope of another kind always names scopeKind', (first, second) => {
  const invoice: Invoice = {
    ...invoiceOf('inv', 10_000n, '2027-01-15'),
    lines: [{ id: 'inv:1', beneficiaryId: 'k1', serviceId: 'meal', unitPriceMinor: 10_000n, quantity: 1, amountMinor: 10_000n, chargeIds: ['c1'], dates: ['2026-12-01'], from: '2026-12-01', to: '2026-12-01' }],
  }
  const request = (scope: CreditNoteInput['scope']) => ({ invoiceId: 'inv', issueDate: '2027-01-20', creditNote: { id: 'cn', reason: 'Grève', scope } })
  const stored = issueCreditNote(invoice, [], request(first).creditNote, { issueDate: '2027-01-20', sequence: 1, numbering: defineInvoiceNumbering() })
  expect(creditNoteRequestDifferences(stored, request(first))).toEqual([])
  const fields = creditNoteRequestDifferences(stored, request(second))
  if (second.kind !== first.kind) expect(fields).toContain('scopeKind')
  else expect(fields.length === 0).toBe(JSON.stringify(second) === JSON.stringify(first))
})

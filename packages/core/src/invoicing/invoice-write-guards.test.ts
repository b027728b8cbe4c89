import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { addInvoiceAdjustment } from './adjustments'
import { issueCreditNote, type CreditNote, type CreditNoteInput } from './credit-notes'
import { defineInvoiceNumbering } from './numbering'
import type { Invoice } from './invoice'
import {
  assertAllocationsFit, assertCreditNoteFits, creditNoteRequestDifferences, depositReplay, paymentReplay, paymentRequestDifferences,
} from './invoice-write-guards'
import { recordInvoicePayment, type Payment } from './payment'

const invoice: Invoice = {
  id: 'inv', siteId: 's', billingOfficeId: 'regie', batchId: 'b', debtorId: 'g1', jointDebtorIds: [], status: 'validated', number: 'F2027-000001', sequence: 1,
  issueDate: '2027-01-04', periodFrom: '2026-12-01', periodTo: '2026-12-31', dueDate: '2027-01-15', directDebitDate: null, portalDisplayDate: '2027-01-05', comment: null,
  currency: 'EUR',
  lines: [{ id: 'inv:1', beneficiaryId: 'k1', serviceId: 'meal', unitPriceMinor: 2500n, quantity: 4, amountMinor: 10_000n, chargeIds: ['c1'], dates: ['2026-12-01'], from: '2026-12-01', to: '2026-12-01' }],
  adjustments: [], linesTotalMinor: 10_000n, adjustmentsTotalMinor: 0n, totalMinor: 10_000n, previousBalanceMinor: 0n, instalments: [], paymentReference: null,
}

function note(id: string, amountMinor: bigint): CreditNote {
  return { id, siteId: 's', billingOfficeId: 'regie', invoiceId: 'inv', debtorId: 'g1', number: `AV-${id}`, sequence: 1, issueDate: '2027-01-20', reason: 'Grève', currency: 'EUR', amountMinor, lines: [] }
}

function pay(id: string, amount: string, open = [{ invoiceId: 'inv', dueDate: '2027-01-15' as const, outstandingMinor: 10_000n }]): Payment {
  return recordInvoicePayment({ id, siteId: 's', billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', amount, invoiceId: 'inv' }, open)
}

function code(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    return isEcoleError(e) ? e.code : 'not an EcoleError'
  }
  return undefined
}

describe('assertCreditNoteFits (the storage-level rule of credit notes)', () => {
  it('accepts notes up to the invoice total, counting the earlier ones', () => {
    expect(code(() => assertCreditNoteFits(invoice, [note('a', 6_000n)], note('b', 4_000n)))).toBeUndefined()
  })
  it('refuses a note that takes the credited sum beyond the total', () => {
    expect(code(() => assertCreditNoteFits(invoice, [note('a', 6_000n)], note('b', 6_000n)))).toBe('CREDIT_EXCEEDS_INVOICE')
  })
  it('refuses a note on an absent invoice or on a draft', () => {
    expect(code(() => assertCreditNoteFits(null, [], note('a', 1n)))).toBe('NOT_FOUND')
    expect(code(() => assertCreditNoteFits({ ...invoice, status: 'draft' }, [], note('a', 1n)))).toBe('INVOICE_NOT_VALIDATED')
  })
})

describe('assertAllocationsFit (the storage-level rule of payments)', () => {
  it('accepts a payment allocated within what the invoice owes', () => {
    expect(code(() => assertAllocationsFit(pay('p1', '60.00'), [invoice], [], []))).toBeUndefined()
  })
  it('refuses an allocation beyond what the invoice still owes after credit notes and other recorded payments', () => {
    expect(code(() => assertAllocationsFit(pay('p2', '60.00'), [invoice], [], [pay('p1', '60.00')]))).toBe('PAYMENT_EXCEEDS_INVOICE')
    expect(code(() => assertAllocationsFit(pay('p2', '60.00'), [invoice], [note('a', 5_000n)], []))).toBe('PAYMENT_EXCEEDS_INVOICE')
  })
  it('does not count refused payments', () => {
    expect(code(() => assertAllocationsFit(pay('p2', '60.00'), [invoice], [], [{ ...pay('p1', '60.00'), status: 'refused' }]))).toBeUndefined()
  })
  it('refuses allocations that do not add up with the wallet credit to the amount, and allocations to another payer\'s invoice', () => {
    expect(code(() => assertAllocationsFit({ ...pay('p1', '60.00'), walletCreditMinor: 1n }, [invoice], [], []))).toBe('INVALID_INPUT')
    expect(code(() => assertAllocationsFit(pay('p1', '60.00'), [{ ...invoice, debtorId: 'g2' }], [], []))).toBe('INVALID_INPUT')
  })
})

describe('replays of payments, deposits, credit notes and adjustments', () => {
  it('answers a payment replayed after it joined a deposit or was refused with exists, and one with another amount with IDEMPOTENCY_CONFLICT', () => {
    const p = pay('p1', '60.00')
    expect(paymentReplay({ ...p, depositId: 'd1', status: 'refused' }, p)).toBe('exists')
    expect(code(() => paymentReplay(p, pay('p1', '70.00')))).toBe('IDEMPOTENCY_CONFLICT')
  })
  it('answers a deposit replayed after it was locked with exists', () => {
    const d = { id: 'd1', siteId: 's', method: 'cheque', bankAccountId: 'acc', date: '2027-01-13' as const, paymentIds: ['p1'], totalMinor: 1n, totalsByProduct: {}, currency: 'EUR' as const, locked: false }
    expect(depositReplay({ ...d, locked: true }, d)).toBe('exists')
    expect(code(() => depositReplay(d, { ...d, paymentIds: ['p1', 'p2'] }))).toBe('IDEMPOTENCY_CONFLICT')
  })
  it('compares a payment request with the stored payment on what the request chose (an absent amount took what was due)', () => {
    const p = pay('p1', '60.00')
    const request = { id: 'p1', siteId: 's', billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12' as const, invoiceId: 'inv' }
    expect(paymentRequestDifferences(p, { ...request, amount: '60.00' })).toEqual([])
    expect(paymentRequestDifferences(p, request)).toEqual([])
    expect(paymentRequestDifferences(p, { ...request, amount: '60.01', payerId: 'g2' })).toEqual(['amount', 'payerId'])
  })
  it('compares a credit note request with a note stored without its scope kind: amount, lines, reason, invoice and date', () => {
    const stored = note('cn', 6_000n)
    const request = { invoiceId: 'inv', issueDate: '2027-01-20', creditNote: { id: 'cn', reason: 'Grève', scope: { kind: 'amount' as const, amount: '60.00' } } }
    expect(creditNoteRequestDifferences(stored, request)).toEqual([])
    expect(creditNoteRequestDifferences(stored, { ...request, creditNote: { ...request.creditNote, scope: { kind: 'whole' } } })).toEqual([])
    expect(creditNoteRequestDifferences(stored, { ...request, issueDate: '2027-01-21', creditNote: { ...request.creditNote, scope: { kind: 'amount', amount: '50' } } })).toEqual(['amountMinor', 'issueDate'])
    expect(creditNoteRequestDifferences(stored, { ...request, creditNote: { ...request.creditNote, scope: { kind: 'lines', lines: [{ lineId: 'inv:1', amount: '60' }] } } })).toEqual(['lines'])
  })
  it('refuses a credit note replayed with another scope kind, naming scopeKind, even when the amounts agree; an exact replay differs in nothing', () => {
    const issue = (scope: CreditNoteInput['scope']) =>
      issueCreditNote(invoice, [], { id: 'cn', reason: 'Grève', scope }, { issueDate: '2027-01-20', sequence: 1, numbering: defineInvoiceNumbering() })
    const request = (scope: CreditNoteInput['scope']) => ({ invoiceId: 'inv', issueDate: '2027-01-20', creditNote: { id: 'cn', reason: 'Grève', scope } })
    const amount = issue({ kind: 'amount', amount: '5.00' })
    expect(creditNoteRequestDifferences(amount, request({ kind: 'amount', amount: '5.00' }))).toEqual([])
    expect(creditNoteRequestDifferences(amount, request({ kind: 'whole' }))).toEqual(['scopeKind'])
    const whole = issue({ kind: 'whole' })
    expect(creditNoteRequestDifferences(whole, request({ kind: 'whole' }))).toEqual([])
    expect(creditNoteRequestDifferences(whole, request({ kind: 'amount', amount: '100.00' }))).toEqual(['scopeKind'])
    const lines = issue({ kind: 'lines', lines: [{ lineId: 'inv:1', amount: '10.00' }] })
    expect(creditNoteRequestDifferences(lines, request({ kind: 'lines', lines: [{ lineId: 'inv:1', amount: '10.00' }] }))).toEqual([])
    expect(creditNoteRequestDifferences(lines, request({ kind: 'lines', lines: [{ lineId: 'inv:1', amount: '12.00' }] }))).toEqual(['lines'])
    expect(creditNoteRequestDifferences(lines, request({ kind: 'amount', amount: '10.00' }))).toEqual(['lines', 'scopeKind'])
  })
  it('reads a note stored without its scope kind (an earlier version) by its lines: a note by line replayed as a whole one is refused', () => {
    const { scopeKind: _, ...stored } = issueCreditNote(invoice, [], { id: 'cn', reason: 'Grève', scope: { kind: 'lines', lines: [{ lineId: 'inv:1', amount: '10.00' }] } },
      { issueDate: '2027-01-20', sequence: 1, numbering: defineInvoiceNumbering() })
    expect(creditNoteRequestDifferences(stored, { invoiceId: 'inv', issueDate: '2027-01-20', creditNote: { id: 'cn', reason: 'Grève', scope: { kind: 'whole' } } })).toEqual(['lines', 'scopeKind'])
  })
  it('returns a draft unchanged when the same adjustment is added again, and refuses another one under its id', () => {
    const draft: Invoice = { ...invoice, status: 'draft', number: null, sequence: null, issueDate: null }
    const once = addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: 'Sortie', amount: '5.00' })
    expect(addInvoiceAdjustment(once, { id: 'a1', kind: 'reduction', reason: 'Sortie', amount: '5.00' })).toBe(once)
    expect(code(() => addInvoiceAdjustment(once, { id: 'a1', kind: 'surcharge', reason: 'Sortie', amount: '5.00' }))).toBe('IDEMPOTENCY_CONFLICT')
  })
})

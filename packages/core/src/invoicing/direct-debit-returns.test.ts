import { describe, expect, it } from 'vitest'
import type { LocalDate } from '../time'
import { applyDirectDebitReturn } from './direct-debit-returns'
import { recordInvoicePayment } from './payment'
import { refusal } from '../test-support/refusal'

const dd = recordInvoicePayment({ id: 'p1', siteId: 's', billingOfficeId: 'r', payerId: 'g1', method: 'directDebit', date: '2027-01-20', invoiceId: 'i1', mandateId: 'm1' },
  [{ invoiceId: 'i1', dueDate: '2027-01-15', outstandingMinor: 5000n }])

describe('applyDirectDebitReturn: the date of a return is a calendar day', () => {
  it('stores the day of the return with the refusal', () => {
    expect(applyDirectDebitReturn(dd, 'AM04', '2027-01-25').payment.refusal?.date).toBe('2027-01-25')
  })
  it('refuses a date written day first (14/01/2027), naming date, rather than storing it', () => {
    expect(refusal(() => applyDirectDebitReturn(dd, 'AM04', '14/01/2027' as LocalDate))).toMatchObject({ code: 'INVALID_INPUT', paths: ['date'] })
  })
  it('refuses a day that is not on the calendar, naming date', () => {
    expect(refusal(() => applyDirectDebitReturn(dd, 'AM04', '2027-02-31'))).toMatchObject({ code: 'INVALID_INPUT', paths: ['date'] })
  })
})

describe('applyDirectDebitReturn: a return cannot come before the collection was made', () => {
  // collected on 2027-01-20, the collection made (the file requested) on 2027-01-12
  const made = recordInvoicePayment({ id: 'p2', siteId: 's', billingOfficeId: 'r', payerId: 'g1', method: 'directDebit', date: '2027-01-20', invoiceId: 'i1', mandateId: 'm1', recordedOn: '2027-01-12' },
    [{ invoiceId: 'i1', dueDate: '2027-01-15', outstandingMinor: 5000n }])
  it('keeps the day the collection was made on the payment (recordedOn)', () => {
    expect([made.date, made.recordedOn]).toEqual(['2027-01-20', '2027-01-12'])
  })
  it('accepts a pain.002 reject dated before the collection date but on or after the day it was made', () => {
    expect(applyDirectDebitReturn(made, 'AC04', '2027-01-14').payment.refusal?.date).toBe('2027-01-14')
    expect(applyDirectDebitReturn(made, 'AC04', '2027-01-12').payment.status).toBe('refused')
  })
  it('refuses a return dated before the day the collection was made, naming date and both days', () => {
    const r = refusal(() => applyDirectDebitReturn(made, 'AM04', '2026-12-01'))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['date'] })
    expect(r.message).toContain('2026-12-01')
    expect(r.message).toContain('2027-01-12')
  })
  it('checks no earlier bound for a payment recorded without the day (before 0.2.0): it cannot be known', () => {
    expect(dd.recordedOn).toBeUndefined()
    expect(applyDirectDebitReturn(dd, 'AM04', '2027-01-05').payment.refusal?.date).toBe('2027-01-05')
  })
})

describe('applyDirectDebitReturn: a return names its reason', () => {
  it('refuses a blank reason code, naming reasonCode, rather than storing an empty one', () => {
    for (const code of ['', '   ', '\t']) {
      expect(refusal(() => applyDirectDebitReturn(dd, code, '2027-01-25'))).toMatchObject({ code: 'INVALID_INPUT', paths: ['reasonCode'] })
    }
  })
  it('keeps a code it does not know, upper-cased, and asks to contact the payer', () => {
    const out = applyDirectDebitReturn(dd, ' xy99 ', '2027-01-25')
    expect([out.payment.refusal?.reasonCode, out.action]).toEqual(['XY99', 'contactPayer'])
  })
})

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

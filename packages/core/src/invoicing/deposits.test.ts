import { describe, expect, it } from 'vitest'
import { refusal } from '../test-support/refusal'
import { buildDeposit } from './deposits'
import { recordInvoicePayment, type Payment } from './payment'

const request = { id: 'd1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-12' }
const cheque = recordInvoicePayment({ id: 'p1', siteId: 's', billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-10', amount: '10' }, [])

describe('buildDeposit: arguments that are not payments are named', () => {
  it('refuses payments that are not an array with an EcoleError INVALID_INPUT naming payments, not a TypeError', () => {
    expect(refusal(() => buildDeposit(request, null as unknown as Payment[]))).toMatchObject({ code: 'INVALID_INPUT', paths: ['payments'] })
  })
  it('refuses [null] as INVALID_INPUT naming payments.0, not as an empty deposit: one item was given', () => {
    const r = refusal(() => buildDeposit(request, [null as unknown as Payment]))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['payments.0'] })
    expect(r.message).toContain('null')
  })
  it('names the position of the item that is not a payment', () => {
    expect(refusal(() => buildDeposit(request, [cheque, 'p2' as unknown as Payment]))).toMatchObject({ code: 'INVALID_INPUT', paths: ['payments.1'] })
  })
  it('still calls an empty selection an empty deposit', () => {
    expect(refusal(() => buildDeposit(request, []))).toMatchObject({ code: 'EMPTY_DEPOSIT' })
  })
  it('still deposits real payments', () => {
    expect(buildDeposit(request, [cheque]).deposit.totalMinor).toBe(1000n)
  })
})

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

describe('buildDeposit: what one deposit may hold', () => {
  const pay = (id: string, extra: Record<string, string> = {}) =>
    recordInvoicePayment({ id, siteId: 's', billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-10', amount: '10', ...extra }, [])

  it('refuses a deposit of transfers, naming deposit.method: a transfer is already on the account', () => {
    const r = refusal(() => buildDeposit({ ...request, method: 'transfer' }, [pay('p1', { method: 'transfer' })]))
    expect([r.code, r.paths]).toEqual(['INVALID_INPUT', ['deposit.method']])
    expect(r.message).toContain('got transfer')
  })
  it('deposits cash, card slips and a collection of direct debits (seed 001 finds a returned debit in its deposit) as it deposits cheques', () => {
    for (const method of ['cash', 'card', 'directDebit']) expect(buildDeposit({ ...request, method }, [pay('p1', { method })]).deposit.totalMinor).toBe(1000n)
  })
  it("refuses the cheques of two billing offices in one deposit, naming the payment of the other office", () => {
    const r = refusal(() => buildDeposit(request, [pay('p1'), pay('p2'), pay('p3', { billingOfficeId: 'creche' })]))
    expect([r.code, r.paths]).toEqual(['INVALID_INPUT', ['payments.2']])
    expect(r.message).toContain('payment p3 was received by billing office creche, not by regie')
  })
  it('refuses a deposit dated before one of its payments was received, naming deposit.date with both days', () => {
    const r = refusal(() => buildDeposit({ ...request, date: '2027-01-11' }, [pay('p1'), pay('p2', { date: '2027-01-12' })]))
    expect([r.code, r.paths]).toEqual(['INVALID_INPUT', ['deposit.date']])
    expect(r.message).toContain('is 2027-01-11, before payment p2 was received (2027-01-12)')
  })
  it('takes a deposit dated on the day of its latest payment', () => {
    expect(buildDeposit({ ...request, date: '2027-01-12' }, [pay('p1'), pay('p2', { date: '2027-01-12' })]).deposit.totalMinor).toBe(2000n)
  })
})

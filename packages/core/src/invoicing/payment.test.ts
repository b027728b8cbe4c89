import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { allocatePayment } from './allocation'
import { assertDepositDeletable, assertPaymentDeletable, buildDeposit } from './deposits'
import { recordInvoicePayment, type PaymentInput } from './payment'

const open = [
  { invoiceId: 'dec', dueDate: '2027-01-15' as const, outstandingMinor: 7055n, sequence: 2 },
  { invoiceId: 'nov', dueDate: '2026-12-15' as const, outstandingMinor: 2000n, sequence: 1 },
]
const base: PaymentInput = { id: 'p1', siteId: 's', billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', product: 'cantine', date: '2027-01-10' }

function code(f: () => unknown): string | undefined {
  try { f() } catch (e) { return isEcoleError(e) ? e.code : 'not an EcoleError' }
  return undefined
}

describe('recordInvoicePayment (seed: "ajouter un paiement")', () => {
  it('defaults the amount to what remains due on the invoice (step 4)', () => {
    const p = recordInvoicePayment({ ...base, invoiceId: 'dec' }, open)
    expect(p.amountMinor).toBe(7055n)
    expect(p.allocations).toEqual([{ invoiceId: 'dec', amountMinor: 7055n }])
  })
  it('refuses to settle an invoice in another currency, naming the field', () => {
    const chf = [{ invoiceId: 'geneve', dueDate: '2027-01-15' as const, outstandingMinor: 500n, currency: 'CHF' }]
    expect(code(() => recordInvoicePayment({ ...base, invoiceId: 'geneve', amount: '5' }, chf))).toBe('CURRENCY_MISMATCH')
    expect(() => recordInvoicePayment({ ...base, invoiceId: 'geneve', amount: '5' }, chf)).toThrow(/payment.currency: EUR cannot settle invoice geneve in CHF/)
    expect(recordInvoicePayment({ ...base, invoiceId: 'geneve', amount: '5', currency: 'CHF' }, chf).allocations).toEqual([{ invoiceId: 'geneve', amountMinor: 500n }])
  })
  it('keeps the method and product chosen (step 4)', () => {
    const p = recordInvoicePayment({ ...base, invoiceId: 'dec', amount: '10' }, open)
    expect([p.method, p.product, p.status]).toEqual(['cheque', 'cantine', 'recorded'])
  })
  it('settles its own invoice first, then the oldest due, and credits the wallet with the rest', () => {
    const p = recordInvoicePayment({ ...base, invoiceId: 'dec', amount: '100.00' }, open)
    expect(p.allocations).toEqual([{ invoiceId: 'dec', amountMinor: 7055n }, { invoiceId: 'nov', amountMinor: 2000n }])
    expect(p.walletCreditMinor).toBe(10000n - 7055n - 2000n)
  })
  it('sends money not tied to an invoice to the oldest due date first', () => {
    const p = recordInvoicePayment({ ...base, amount: '30.00' }, open)
    expect(p.allocations).toEqual([{ invoiceId: 'nov', amountMinor: 2000n }, { invoiceId: 'dec', amountMinor: 1000n }])
  })
  it('accepts a site-defined method such as CESU only when the site allows it', () => {
    expect(code(() => recordInvoicePayment({ ...base, method: 'cesu', amount: '5' }, open))).toBe('UNKNOWN_PAYMENT_METHOD')
    expect(recordInvoicePayment({ ...base, method: 'cesu', amount: '5', allowedMethods: ['cash', 'cesu'] }, open).method).toBe('cesu')
  })
  it('asks for an amount when there is no invoice to default from', () => {
    expect(code(() => recordInvoicePayment(base, open))).toBe('AMOUNT_REQUIRED')
  })
  it('refuses an amount written as a float-looking negative', () => {
    expect(code(() => recordInvoicePayment({ ...base, amount: '-5' }, open))).toBe('INVALID_INPUT')
  })
})

describe('allocatePayment', () => {
  const one = [{ invoiceId: 'a', dueDate: '2027-01-15' as const, outstandingMinor: 100n }]
  const pathOf = (run: () => unknown): string | undefined => {
    try {
      run()
    } catch (e) {
      expect((e as { code?: string }).code).toBe('INVALID_INPUT')
      return (e as { details: { issues: Array<{ path: string }> } }).details.issues[0]?.path
    }
    return undefined
  }
  it('refuses a negative or zero payment, naming amountMinor, rather than booking negative wallet credit', () => {
    expect(pathOf(() => allocatePayment(-500n, null, one))).toBe('amountMinor')
    expect(pathOf(() => allocatePayment(0n, null, one))).toBe('amountMinor')
  })
  it('refuses an amount that is not a bigint, naming amountMinor, instead of a TypeError about mixing BigInt', () => {
    expect(pathOf(() => allocatePayment(500 as never, null, one))).toBe('amountMinor')
  })
  it('refuses a due date not written YYYY-MM-DD, naming it, since due dates are ordered as strings', () => {
    expect(pathOf(() => allocatePayment(100n, null, [...one, { invoiceId: 'b', dueDate: '2026-1-15' as never, outstandingMinor: 100n }]))).toBe('openInvoices.1.dueDate')
    expect(pathOf(() => allocatePayment(100n, null, [{ invoiceId: 'b', dueDate: '2027-01-15', outstandingMinor: 100 as never }]))).toBe('openInvoices.0.outstandingMinor')
  })
  it('orders invoices due the same day by their number', () => {
    const r = allocatePayment(150n, null, [
      { invoiceId: 'b', dueDate: '2027-01-15', outstandingMinor: 100n, sequence: 5 },
      { invoiceId: 'a', dueDate: '2027-01-15', outstandingMinor: 100n, sequence: 9 },
    ])
    expect(r.allocations).toEqual([{ invoiceId: 'b', amountMinor: 100n }, { invoiceId: 'a', amountMinor: 50n }])
    expect(r.walletCreditMinor).toBe(0n)
  })
})

describe('deposits (seed: "créer / supprimer un dépôt")', () => {
  const p1 = recordInvoicePayment({ ...base, id: 'p1', amount: '10', product: 'cantine' }, [])
  const p2 = recordInvoicePayment({ ...base, id: 'p2', amount: '5.50', product: 'garderie' }, [])
  it('groups the selected payments with their total and split by product (create, step 3)', () => {
    const { deposit, payments } = buildDeposit({ id: 'd1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-12' }, [p1, p2])
    expect(deposit.totalMinor).toBe(1550n)
    expect(deposit.totalsByProduct).toEqual({ cantine: 1000n, garderie: 550n })
    expect(payments.every((p) => p.depositId === 'd1')).toBe(true)
  })
  it('refuses a payment of another method', () => {
    const cash = recordInvoicePayment({ ...base, id: 'p3', method: 'cash', amount: '1' }, [])
    expect(code(() => buildDeposit({ id: 'd1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-12' }, [p1, cash]))).toBe('DEPOSIT_METHOD_MISMATCH')
  })
  it('refuses a deposit of a credit note\'s excess payments: they move money already paid, nothing reaches a bank', () => {
    const moved = recordInvoicePayment({ ...base, id: 'credit-note:cn-1', method: 'creditNote', allowedMethods: ['creditNote'], amount: '30' }, [])
    expect(code(() => buildDeposit({ id: 'd1', method: 'creditNote', bankAccountId: 'acc-1', date: '2027-01-12' }, [moved]))).toBe('INVALID_INPUT')
  })
  it('refuses a payment already in a deposit', () => {
    const { payments } = buildDeposit({ id: 'd1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-12' }, [p1])
    expect(code(() => buildDeposit({ id: 'd2', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-12' }, payments))).toBe('PAYMENT_IN_DEPOSIT')
  })
  it('forbids deleting a payment inside a deposit', () => {
    const { payments } = buildDeposit({ id: 'd1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-12' }, [p1])
    expect(code(() => assertPaymentDeletable(payments[0]!))).toBe('PAYMENT_IN_DEPOSIT')
    expect(code(() => assertPaymentDeletable(p1))).toBeUndefined()
  })
  it('lets an open deposit be deleted but never a locked one (delete, step 3)', () => {
    const { deposit } = buildDeposit({ id: 'd1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-12' }, [p1])
    expect(code(() => assertDepositDeletable(deposit))).toBeUndefined()
    expect(code(() => assertDepositDeletable({ ...deposit, locked: true }))).toBe('DEPOSIT_LOCKED')
  })
  it('refuses a payment selected twice, so the deposit total is never counted twice', () => {
    expect(code(() => buildDeposit({ id: 'd1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-12' }, [p1, p2, p1]))).toBe('DUPLICATE_PAYMENT')
  })
  it('refuses an empty deposit', () => {
    expect(code(() => buildDeposit({ id: 'd1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-12' }, []))).toBe('EMPTY_DEPOSIT')
  })
})

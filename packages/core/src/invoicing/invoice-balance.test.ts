import { describe, expect, it } from 'vitest'
import { invoiceBalanceFromSums } from './invoice-balance'

const invoice = { id: 'b-a:g1', totalMinor: 10_000n }

describe('invoiceBalanceFromSums', () => {
  it('reports what was paid beyond the net total as overpaid: 100.00 paid, then 30.00 credited, is 30.00 overpaid and owes nothing', () => {
    const b = invoiceBalanceFromSums(invoice, 3_000n, 10_000n)
    expect([b.outstandingMinor, b.overpaidMinor, b.state]).toEqual([0n, 3_000n, 'paid'])
  })

  it('reports 10.00 overpaid for 80.00 paid on 100.00 when 30.00 is credited', () => {
    expect(invoiceBalanceFromSums(invoice, 3_000n, 8_000n).overpaidMinor).toBe(1_000n)
  })

  it('reports nothing overpaid while the invoice still owes something or is paid exactly', () => {
    expect(invoiceBalanceFromSums(invoice, 3_000n, 5_000n)).toMatchObject({ outstandingMinor: 2_000n, overpaidMinor: 0n })
    expect(invoiceBalanceFromSums(invoice, 3_000n, 7_000n)).toMatchObject({ outstandingMinor: 0n, overpaidMinor: 0n })
  })

  it('loses no cent: total - credited - paid + overpaid is always what remains due', () => {
    for (const credited of [0n, 2_500n, 10_000n]) {
      for (const paid of [0n, 1n, 7_500n, 10_000n]) {
        const b = invoiceBalanceFromSums(invoice, credited, paid)
        expect(b.totalMinor - b.creditedMinor - b.paidMinor + b.overpaidMinor).toBe(b.outstandingMinor)
      }
    }
  })
})

import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { openInvoicesArb } from '@ecole/testing'
import { buildDeposit } from './deposits'
import type { Invoice } from './invoice'
import { nextInstalmentDue, withInstalmentSchedule } from './instalments'
import { recordInvoicePayment } from './payment'

const cents = (n: bigint) => `${n / 100n}.${String(n % 100n).padStart(2, '0')}`

test.prop([fc.bigInt({ min: 0n, max: 10_000_000n }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 3 })])(
  'instalments add up to the total exactly, a fixed number of months apart',
  (total, count, every) => {
    const draft = { status: 'draft', totalMinor: total, dueDate: '2027-01-15', instalments: [] } as unknown as Invoice
    const d = withInstalmentSchedule(draft, { count, firstDueDate: '2027-01-31', everyMonths: every })
    expect(d.instalments.reduce((s, i) => s + i.amountMinor, 0n)).toBe(total)
    expect(d.instalments).toHaveLength(count)
    const amounts = d.instalments.map((i) => i.amountMinor)
    expect(amounts.every((a) => a === amounts[0] || a === amounts[0]! - 1n)).toBe(true)
    expect(nextInstalmentDue(d, { paidMinor: total, creditedMinor: 0n })).toBeNull()
  },
)

test.prop([fc.bigInt({ min: 1n, max: 10_000_000n }), fc.integer({ min: 1, max: 24 }), fc.bigInt({ min: 0n, max: 10_000_000n }), fc.bigInt({ min: 0n, max: 10_000_000n })])(
  'what is left of the instalments is what the invoice still owes: total - credited - paid, none once that is zero',
  (total, count, creditedRaw, paidRaw) => {
    const creditedMinor = creditedRaw % (total + 1n)
    const paidMinor = paidRaw % (total - creditedMinor + 1n)
    const draft = { status: 'draft', totalMinor: total, dueDate: '2027-01-15', instalments: [] } as unknown as Invoice
    const d = withInstalmentSchedule(draft, { count, firstDueDate: '2027-01-31' })
    // the instalments left after the next one: pay it, ask again, until nothing is due
    let owed = 0n
    let settled = paidMinor
    for (let next = nextInstalmentDue(d, { paidMinor: settled, creditedMinor }); next !== null; next = nextInstalmentDue(d, { paidMinor: settled, creditedMinor })) {
      expect(next.amountMinor > 0n).toBe(true)
      owed += next.amountMinor
      settled += next.amountMinor
    }
    expect(owed).toBe(total - creditedMinor - paidMinor)
  },
)

test.prop([openInvoicesArb(), fc.array(fc.bigInt({ min: 1n, max: 100_000n }), { minLength: 1, maxLength: 6 })])(
  'a deposit holds exactly its payments, and its total and product split equal their sum',
  (open, amounts) => {
    const payments = amounts.map((a, i) => recordInvoicePayment({ id: `p${i}`, siteId: 's', billingOfficeId: 'r', payerId: 'g', method: 'cheque', product: i % 2 ? 'cantine' : null, date: '2027-01-10', amount: cents(a) }, open))
    for (const p of payments) expect(p.allocations.reduce((s, a) => s + a.amountMinor, 0n) + p.walletCreditMinor).toBe(p.amountMinor)
    const { deposit, payments: inDeposit } = buildDeposit({ id: 'd', method: 'cheque', bankAccountId: 'acc', date: '2027-01-12' }, payments)
    const sum = amounts.reduce((s, a) => s + a, 0n)
    expect(deposit.totalMinor).toBe(sum)
    expect(Object.values(deposit.totalsByProduct).reduce((s, a) => s + a, 0n)).toBe(sum)
    expect(inDeposit.every((p) => p.depositId === 'd')).toBe(true)
  },
)

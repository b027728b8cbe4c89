import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { CreditNote } from './credit-notes'
import type { Invoice } from './invoice'
import { invoiceBalance, invoiceBalances, openInvoicesOf } from './invoice-balance'
import type { Payment } from './payment'

// only the fields a balance reads: id, status, total (invoices); invoice and amount (credit notes); status and allocations (payments)
const ids = ['i1', 'i2', 'i3', 'i4', 'i5']
const invoicesArb = fc.uniqueArray(fc.record({ id: fc.constantFrom(...ids), totalMinor: fc.bigInt({ min: 0n, max: 50_000n }), status: fc.constantFrom('draft', 'validated') }), { selector: (i) => i.id })
const notesArb = fc.array(fc.record({ invoiceId: fc.constantFrom(...ids, 'other'), amountMinor: fc.bigInt({ min: 1n, max: 20_000n }) }), { maxLength: 6 })
const paymentsArb = fc.array(
  fc.record({
    status: fc.constantFrom('recorded', 'recorded', 'refused'),
    allocations: fc.array(fc.record({ invoiceId: fc.constantFrom(...ids, 'other'), amountMinor: fc.bigInt({ min: 1n, max: 20_000n }) }), { maxLength: 3 }),
  }),
  { maxLength: 8 },
)

test.prop([invoicesArb, notesArb, paymentsArb])('invoiceBalances gives every invoice the balance invoiceBalance gives it from all the notes and payments, and openInvoicesOf keeps the validated ones with money due', (rawInvoices, rawNotes, rawPayments) => {
  const invoices = rawInvoices.map((i) => ({ ...i, dueDate: '2027-01-15', sequence: 1, currency: 'EUR' }) as unknown as Invoice)
  const notes = rawNotes as unknown as CreditNote[]
  const payments = rawPayments as unknown as Payment[]
  const all = invoiceBalances(invoices, notes, payments)
  expect([...all.keys()]).toEqual(invoices.map((i) => i.id))
  for (const inv of invoices) expect(all.get(inv.id)).toEqual(invoiceBalance(inv, notes, payments))
  expect(openInvoicesOf(invoices, notes, payments).map((o) => o.invoiceId)).toEqual(
    invoices.filter((i) => i.status === 'validated' && invoiceBalance(i, notes, payments).outstandingMinor > 0n).map((i) => i.id),
  )
})

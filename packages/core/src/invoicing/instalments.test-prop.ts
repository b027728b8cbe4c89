import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { addDays, type LocalDate } from '../time'
import type { Invoice } from './invoice'
import { amountDueBy, nextInstalmentDue, withInstalmentSchedule } from './instalments'

const START = '2026-09-01' as LocalDate
/** A validated invoice (only what a schedule reads) of a random total in 1 to 24 instalments, 1 to 3 months apart. */
const scheduledArb = fc.record({
  totalMinor: fc.bigInt({ min: 1n, max: 1_000_000n }),
  count: fc.integer({ min: 1, max: 24 }),
  firstDay: fc.integer({ min: 0, max: 400 }),
  everyMonths: fc.integer({ min: 1, max: 3 }),
}).map(({ totalMinor, count, firstDay, everyMonths }) => {
  const draft = { status: 'draft', totalMinor, dueDate: addDays(START, firstDay), instalments: [] } as unknown as Invoice
  return { ...withInstalmentSchedule(draft, { count, firstDueDate: addDays(START, firstDay), everyMonths }), status: 'validated' } as Invoice
})
const dayArb = fc.integer({ min: 0, max: 2_700 }).map((n) => addDays(START, n))

test.prop([scheduledArb, dayArb, fc.bigInt({ min: 0n, max: 1_000_000n })])(
  'a collection debits the instalments due on or before its date less what was paid, never more than the invoice still owes',
  (invoice, date, paidRaw) => {
    const paidMinor = paidRaw % (invoice.totalMinor + 1n)
    const dueByDate = invoice.instalments.filter((i) => i.dueDate <= date).reduce((s, i) => s + i.amountMinor, 0n)
    const expected = dueByDate > paidMinor ? dueByDate - paidMinor : 0n
    const debited = amountDueBy(invoice, { paidMinor, creditedMinor: 0n }, date)
    expect(debited).toBe(expected)
    expect(debited <= invoice.totalMinor - paidMinor).toBe(true)
  },
)

test.prop([scheduledArb, fc.array(dayArb, { maxLength: 12 })])(
  'collections run over the whole schedule debit the invoice’s total exactly, and none takes an instalment before its date',
  (invoice, someDays) => {
    const last = invoice.instalments.at(-1)!.dueDate
    const days = [...new Set([...someDays, last])].sort()
    let paidMinor = 0n
    for (const day of days) {
      const debited = amountDueBy(invoice, { paidMinor, creditedMinor: 0n }, day)
      paidMinor += debited
      // what is paid never runs ahead of the instalments due by that day
      expect(paidMinor <= invoice.instalments.filter((i) => i.dueDate <= day).reduce((s, i) => s + i.amountMinor, 0n)).toBe(true)
      // and after the run nothing is due by that day any more
      const next = nextInstalmentDue(invoice, { paidMinor, creditedMinor: 0n })
      expect(next === null || next.dueDate > day).toBe(true)
    }
    if (last <= days.at(-1)!) expect(paidMinor).toBe(invoice.totalMinor)
  },
)

test.prop([scheduledArb, dayArb, fc.bigInt({ min: 0n, max: 1_000_000n }), fc.bigInt({ min: 0n, max: 1_000_000n })])(
  'what a collection debits agrees with the next instalment parents are shown, credit notes included',
  (invoice, date, paidRaw, creditedRaw) => {
    const creditedMinor = creditedRaw % (invoice.totalMinor + 1n)
    const paidMinor = paidRaw % (invoice.totalMinor - creditedMinor + 1n)
    const balance = { paidMinor, creditedMinor }
    const debited = amountDueBy(invoice, balance, date)
    const next = nextInstalmentDue(invoice, balance)
    expect(debited <= invoice.totalMinor - creditedMinor - paidMinor).toBe(true)
    if (next === null || next.dueDate > date) expect(debited).toBe(0n)
    else expect(debited >= next.amountMinor).toBe(true)
    // on the last due date everything still owed is due
    expect(amountDueBy(invoice, balance, invoice.instalments.at(-1)!.dueDate)).toBe(invoice.totalMinor - creditedMinor - paidMinor)
  },
)

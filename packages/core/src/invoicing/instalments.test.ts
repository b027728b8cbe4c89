import { describe, expect, it } from 'vitest'
import type { Invoice } from './invoice'
import { amountDueBy, nextInstalmentDue, withInstalmentSchedule } from './instalments'
import { refusal } from '../test-support/refusal'

const draft = { status: 'draft', totalMinor: 10000n, dueDate: '2027-01-15', instalments: [] } as unknown as Invoice

describe('withInstalmentSchedule: a misspelt option is refused, never read as absent', () => {
  it('spaces the instalments everyMonths apart', () => {
    expect(withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15', everyMonths: 2 }).instalments.map((i) => i.dueDate)).toEqual(['2027-01-15', '2027-03-15', '2027-05-15'])
  })
  it('refuses a misspelt everyMonths, naming it and the right key, rather than scheduling monthly', () => {
    const r = refusal(() => withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15', everyMonth: 2 } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.everyMonth'] })
    expect(r.message).toContain('did you mean `everyMonths`?')
  })
  it('refuses everyMonths given as a string or below 1, naming it', () => {
    expect(refusal(() => withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15', everyMonths: '2' } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.everyMonths'] })
    expect(refusal(() => withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15', everyMonths: 0 })).paths).toEqual(['options.everyMonths'])
  })
  it('names a missing count, and a count outside 1 to 60', () => {
    expect(refusal(() => withInstalmentSchedule(draft, { firstDueDate: '2027-01-15' } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.count'] })
    expect(refusal(() => withInstalmentSchedule(draft, { count: 61, firstDueDate: '2027-01-15' })).paths).toEqual(['options.count'])
  })
  it('refuses a first due date that is not on the calendar, naming it', () => {
    expect(refusal(() => withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-02-31' }))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.firstDueDate'] })
  })
})

describe('amountDueBy: what a collection on a date asks of an invoice paid in instalments', () => {
  const invoice = { ...withInstalmentSchedule({ ...draft, totalMinor: 30000n }, { count: 3, firstDueDate: '2027-01-15' }), status: 'validated' } as Invoice
  const nothing = { paidMinor: 0n, creditedMinor: 0n }
  it('asks 100.00 of a 300.00 invoice in three instalments on the first date, not the whole total', () => {
    expect(amountDueBy(invoice, nothing, '2027-01-15')).toBe(10000n)
  })
  it('asks nothing before the first instalment, and never an instalment before its date', () => {
    expect(amountDueBy(invoice, nothing, '2027-01-14')).toBe(0n)
    expect(amountDueBy(invoice, { paidMinor: 10000n, creditedMinor: 0n }, '2027-02-14')).toBe(0n)
  })
  it('asks what a partial payment left of the instalment due', () => {
    expect(amountDueBy(invoice, { paidMinor: 4000n, creditedMinor: 0n }, '2027-01-15')).toBe(6000n)
  })
  it('asks an unpaid instalment again with the next one (a returned debit is presented again)', () => {
    expect(amountDueBy(invoice, nothing, '2027-02-15')).toBe(20000n)
  })
  it('lowers every instalment alike after a credit note, as nextInstalmentDue does', () => {
    // 300.00 - 60.00 credited = 240.00 over three: 80.00 each
    expect(amountDueBy(invoice, { paidMinor: 0n, creditedMinor: 6000n }, '2027-01-15')).toBe(8000n)
    expect(nextInstalmentDue(invoice, { paidMinor: 0n, creditedMinor: 6000n })).toEqual({ dueDate: '2027-01-15', amountMinor: 8000n })
  })
  it('refuses a date that is not a calendar day, naming it', () => {
    expect(refusal(() => amountDueBy(invoice, nothing, '2027-02-31'))).toMatchObject({ code: 'INVALID_INPUT', paths: ['date'] })
  })
})

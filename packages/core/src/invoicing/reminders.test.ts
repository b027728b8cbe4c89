import { describe, expect, it } from 'vitest'
import { checkGuardianArchivable } from './archive-check'
import { assertInvoiceFolderTree, invoiceFolderPath } from './invoice-folders'
import { nextInstalmentDue, withInstalmentSchedule } from './instalments'
import { refusal } from '../test-support/refusal'
import type { Invoice } from './invoice'
import { isReminderCandidate, selectDueReminders, type ReminderCandidate } from './reminders'

const policy = { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }, { level: 2, daysAfterDue: 30, templateId: 'relance-2' }] }
const c = (over: Partial<ReminderCandidate>): ReminderCandidate => ({ invoiceId: 'i1', debtorId: 'g1', number: 'F1', dueDate: '2027-01-15', outstandingMinor: 500n, lastLevelSent: 0, ...over })

describe('selectDueReminders', () => {
  it('counts lateness from the due date, not from the last service date', () => {
    expect(selectDueReminders([c({})], policy, '2027-01-24')).toEqual([])
    expect(selectDueReminders([c({})], policy, '2027-01-25')[0]).toMatchObject({ level: 1, templateId: 'relance-1', daysLate: 10 })
  })
  it("carries each invoice's own due date, so a letter printed on another day than the selection prints the true due date", () => {
    const [r] = selectDueReminders([c({ dueDate: '2027-01-15' })], policy, '2027-01-25')
    expect(r).toMatchObject({ dueDate: '2027-01-15', daysLate: 10 })
    // a week later the letter still says 15 January (printedOn - daysLate would say 22 January)
    expect(r!.dueDate).not.toBe('2027-01-22')
  })
  it('moves to the next level with its own letter and never repeats a level already sent', () => {
    expect(selectDueReminders([c({ lastLevelSent: 1 })], policy, '2027-02-01')).toEqual([])
    expect(selectDueReminders([c({ lastLevelSent: 1 })], policy, '2027-02-14')[0]!.templateId).toBe('relance-2')
  })
  it('never reminds a paid invoice', () => {
    expect(selectDueReminders([c({ outstandingMinor: 0n })], policy, '2027-03-01')).toEqual([])
  })
  it('refuses levels that do not rise', () => {
    expect(() => selectDueReminders([], { levels: [{ level: 1, daysAfterDue: 30, templateId: 'a' }, { level: 2, daysAfterDue: 10, templateId: 'b' }] }, '2027-01-01')).toThrow(/reminderPolicy.levels/)
  })

  it('refuses a today that is not a day, naming it, instead of finding no reminder', () => {
    for (const today of ['tomorrow', '2027-1-25', undefined]) {
      expect(() => selectDueReminders([c({})], policy, today as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: expect.objectContaining({ issues: [expect.objectContaining({ path: 'today' })] }) }))
    }
    expect(() => selectDueReminders([], policy, 'tomorrow' as never)).toThrow(/today: must be a day/)
  })
  it('refuses a candidate whose due date is not a day, naming it', () => {
    expect(() => selectDueReminders([c({}), c({ dueDate: '2027-1-15' as never })], policy, '2027-03-01')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: expect.objectContaining({ issues: [expect.objectContaining({ path: 'candidates.1.dueDate' })] }) }),
    )
  })

  it('refuses a level on the due date itself: a reminder is for an invoice past its due date', () => {
    expect(() => selectDueReminders([], { levels: [{ level: 1, daysAfterDue: 0, templateId: 'a' }] }, '2027-01-01')).toThrow(/at least 1 day after it/)
  })
})

describe('isReminderCandidate (seed 001, « à relancer »)', () => {
  it('counts a validated invoice still owing from the day after its due date, not on it', () => {
    expect(isReminderCandidate({ status: 'validated', dueDate: '2027-01-15' }, 1n, '2027-01-15')).toBe(false)
    expect(isReminderCandidate({ status: 'validated', dueDate: '2027-01-15' }, 1n, '2027-01-16')).toBe(true)
  })
  it('never counts a settled invoice nor a draft', () => {
    expect(isReminderCandidate({ status: 'validated', dueDate: '2027-01-15' }, 0n, '2027-03-01')).toBe(false)
    expect(isReminderCandidate({ status: 'draft', dueDate: '2027-01-15' }, 500n, '2027-03-01')).toBe(false)
  })
  it('agrees with selectDueReminders: an invoice it does not count gets no reminder at any level', () => {
    const c: ReminderCandidate = { invoiceId: 'i1', debtorId: 'g1', number: 'F1', dueDate: '2027-01-15', outstandingMinor: 0n, lastLevelSent: 0 }
    expect(selectDueReminders([c], { levels: [{ level: 1, daysAfterDue: 1, templateId: 'r1' }] }, '2027-03-01')).toEqual([])
  })
})

describe('instalments', () => {
  const draft = { status: 'draft', totalMinor: 10000n, dueDate: '2027-01-15', instalments: [] } as unknown as Invoice
  it('splits the total into instalments that add up exactly, a month apart', () => {
    const d = withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15' })
    expect(d.instalments).toEqual([{ dueDate: '2027-01-15', amountMinor: 3334n }, { dueDate: '2027-02-15', amountMinor: 3333n }, { dueDate: '2027-03-15', amountMinor: 3333n }])
  })
  const paid = (paidMinor: bigint, creditedMinor = 0n) => ({ paidMinor, creditedMinor })
  it('shows the next instalment due after what was paid', () => {
    const d = withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15' })
    expect(nextInstalmentDue(d, paid(0n))).toEqual({ dueDate: '2027-01-15', amountMinor: 3334n })
    expect(nextInstalmentDue(d, paid(4000n))).toEqual({ dueDate: '2027-02-15', amountMinor: 2667n })
    expect(nextInstalmentDue(d, paid(10000n))).toBeNull()
  })
  it('treats an invoice without a schedule as one instalment on its due date', () => {
    expect(nextInstalmentDue(draft, paid(100n))).toEqual({ dueDate: '2027-01-15', amountMinor: 9900n })
    expect(nextInstalmentDue(draft, paid(100n, 900n))).toEqual({ dueDate: '2027-01-15', amountMinor: 9000n })
  })
  it('shows nothing due once credit notes cover what was not paid', () => {
    const d = withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15' })
    expect(nextInstalmentDue(d, paid(0n, 10000n))).toBeNull()
    expect(nextInstalmentDue(d, paid(3334n, 6666n))).toBeNull()
    expect(nextInstalmentDue(draft, paid(0n, 10000n))).toBeNull()
  })
  it('lowers every instalment alike by a credit note (the net total split again over the same due dates)', () => {
    const d = withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15' })
    // 100.00 - 60.00 credited = 40.00 over three: 13.34, 13.33, 13.33
    expect(nextInstalmentDue(d, paid(0n, 6000n))).toEqual({ dueDate: '2027-01-15', amountMinor: 1334n })
    expect(nextInstalmentDue(d, paid(1334n, 6000n))).toEqual({ dueDate: '2027-02-15', amountMinor: 1333n })
    // the first instalment paid in full before a credit note: the rest of the net total is due in March
    expect(nextInstalmentDue(d, paid(3334n, 6000n))).toEqual({ dueDate: '2027-03-15', amountMinor: 666n })
  })
  it('refuses a bare paid amount, which cannot see credit notes, naming the argument', () => {
    const d = withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-15' })
    const r = refusal(() => nextInstalmentDue(d, 0n as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['balance'] })
    expect(r.message).toMatch(/invoiceBalance\(invoice, creditNotes, payments\)/)
    expect(refusal(() => nextInstalmentDue(d, { paidMinor: 0n } as never)).paths).toEqual(['balance.creditedMinor'])
  })
})

describe('invoice folders', () => {
  const folders = [{ id: 'y', name: '2027', parentId: null }, { id: 'm', name: 'Janvier', parentId: 'y' }]
  it('forms a tree and gives a folder\'s path', () => {
    expect(invoiceFolderPath(folders, 'm')).toEqual(['2027', 'Janvier'])
  })
  it('refuses a folder inside itself or inside a missing folder', () => {
    expect(() => assertInvoiceFolderTree(folders, { id: 'y', name: '2027', parentId: 'm' })).toThrow(/inside itself/)
    expect(() => assertInvoiceFolderTree(folders, { id: 'x', name: 'x', parentId: 'nope' })).toThrow(/does not exist/)
  })
})

describe('checkGuardianArchivable', () => {
  it('refuses to archive a guardian with unpaid invoices and names them', () => {
    expect(checkGuardianArchivable([
      { invoice: { id: 'i1', number: 'F1' }, balance: { outstandingMinor: 0n } },
      { invoice: { id: 'i2', number: 'F2' }, balance: { outstandingMinor: 250n } },
    ])).toEqual({ ok: false, reason: 'UNPAID_INVOICES', invoices: [{ invoiceId: 'i2', number: 'F2', outstandingMinor: 250n }] })
    expect(checkGuardianArchivable([{ invoice: { id: 'i1', number: 'F1' }, balance: { outstandingMinor: 0n } }])).toEqual({ ok: true })
  })
})

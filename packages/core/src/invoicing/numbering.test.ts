import { describe, expect, it } from 'vitest'
import { defineInvoiceNumbering, formatInvoiceNumber, invoiceCounterKey, InvoiceNumberingSchema } from './numbering'
import { refusal } from '../test-support/refusal'

const numbering = defineInvoiceNumbering()

describe('formatInvoiceNumber: numbering settings are checked key by key', () => {
  it('pads the sequence to the digits of the settings', () => {
    expect(formatInvoiceNumber({ ...numbering, digits: 3 }, 'invoice', '2027-01-05', 7)).toBe('F2027-007')
  })
  it('refuses a misspelt key, naming it and the right key, rather than padding to the default', () => {
    const r = refusal(() => formatInvoiceNumber({ ...numbering, digts: 3 } as never, 'invoice', '2027-01-05', 7))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['numbering.digts'] })
    expect(r.message).toContain('did you mean `digits`?')
  })
  it('refuses digits given as a string or outside 1 to 12, naming numbering.digits', () => {
    expect(refusal(() => formatInvoiceNumber({ ...numbering, digits: '3' } as never, 'invoice', '2027-01-05', 7))).toMatchObject({ code: 'INVALID_INPUT', paths: ['numbering.digits'] })
    expect(refusal(() => formatInvoiceNumber({ ...numbering, digits: 13 }, 'invoice', '2027-01-05', 7)).paths).toEqual(['numbering.digits'])
  })
  it('refuses an issue date that is not on the calendar, naming it', () => {
    expect(refusal(() => formatInvoiceNumber(numbering, 'invoice', '2027-02-31', 7))).toMatchObject({ code: 'INVALID_INPUT', paths: ['issueDate'] })
  })
})

describe('invoiceCounterKey: numbering settings are checked key by key', () => {
  it('keeps one continuous series (year 0) only when yearlyReset is false', () => {
    expect(invoiceCounterKey({ ...numbering, yearlyReset: false }, 'regie', 'invoice', '2027-01-05').year).toBe(0)
    expect(invoiceCounterKey(numbering, 'regie', 'invoice', '2027-01-05').year).toBe(2027)
  })
  it('refuses yearlyReset given as the string "false", naming it, rather than reading it as true', () => {
    expect(refusal(() => invoiceCounterKey({ ...numbering, yearlyReset: 'false' } as never, 'regie', 'invoice', '2027-01-05'))).toMatchObject({ code: 'INVALID_INPUT', paths: ['numbering.yearlyReset'] })
  })
  it('refuses a string where the settings go, rather than taking the counter of year 0', () => {
    expect(refusal(() => invoiceCounterKey('F{YYYY}-' as never, 'regie', 'invoice', '2027-01-05'))).toMatchObject({ code: 'INVALID_INPUT', paths: ['numbering'] })
  })
})

describe('numbering settings never issue the same number twice', () => {
  it('refuses a yearly series whose prefix has no {YYYY}, naming the field and suggesting the year, instead of repeating last year\'s numbers', () => {
    const r = refusal(() => defineInvoiceNumbering({ prefix: 'FAC-' }))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['numbering.prefix'] })
    expect(r.message).toContain("each year would issue FAC-000001 again; write the year in it (e.g. 'FAC-{YYYY}-') or set yearlyReset: false")
    expect(refusal(() => defineInvoiceNumbering({ creditNotePrefix: 'AV-' })).paths).toEqual(['numbering.creditNotePrefix'])
  })
  it('takes a prefix without {YYYY} for a continuous series, and {YYYY} anywhere in a yearly one', () => {
    expect(defineInvoiceNumbering({ prefix: 'FAC-', creditNotePrefix: 'AV-', yearlyReset: false }).prefix).toBe('FAC-')
    expect(defineInvoiceNumbering({ prefix: '{YYYY}/F', creditNotePrefix: 'AV{YYYY}' }).prefix).toBe('{YYYY}/F')
  })
  it('refuses a credit-note prefix that prints the same numbers as the invoice prefix (separate counters would share numbers)', () => {
    expect(refusal(() => defineInvoiceNumbering({ prefix: 'F{YYYY}-', creditNotePrefix: 'F{YYYY}-' }))).toMatchObject({ code: 'INVALID_INPUT', paths: ['numbering.creditNotePrefix'] })
    expect(refusal(() => defineInvoiceNumbering({ prefix: 'AV{YYYY}-' })).paths).toEqual(['numbering.creditNotePrefix'])
    // 2027 + '-' vs a literal year: F{YYYY}- and F2027- print F2027-000001 alike
    expect(refusal(() => defineInvoiceNumbering({ prefix: 'F{YYYY}-', creditNotePrefix: 'F2027-', yearlyReset: false })).paths).toEqual(['numbering.creditNotePrefix'])
    // invoice 1,000,001 under F- is F-1000001, credit note 1 under F-1
    expect(refusal(() => defineInvoiceNumbering({ prefix: 'F-', creditNotePrefix: 'F-1', yearlyReset: false })).paths).toEqual(['numbering.creditNotePrefix'])
  })
  it('takes prefixes that never print the same number', () => {
    expect(() => defineInvoiceNumbering({ prefix: 'F{YYYY}-', creditNotePrefix: 'AV{YYYY}-' })).not.toThrow()
    expect(() => defineInvoiceNumbering({ prefix: 'F{YYYY}-', creditNotePrefix: 'F{YYYY}A' })).not.toThrow()
    // a longer sequence never starts with 0: F- never prints F-0xxxxxx
    expect(() => defineInvoiceNumbering({ prefix: 'F-', creditNotePrefix: 'F-0', yearlyReset: false })).not.toThrow()
  })
  it('applies the same rules to settings given whole to a function, and to the schema', () => {
    const r = refusal(() => formatInvoiceNumber({ ...numbering, prefix: 'FAC-' }, 'invoice', '2027-01-05', 1))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['numbering.prefix'] })
    expect(InvoiceNumberingSchema.safeParse({ prefix: 'FAC-' }).error?.issues.map((i) => i.path)).toEqual([['prefix']])
  })
})

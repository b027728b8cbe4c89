import { describe, expect, it } from 'vitest'
import { defineInvoiceNumbering, formatInvoiceNumber, invoiceCounterKey } from './numbering'
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

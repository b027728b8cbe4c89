import { describe, expect, it } from 'vitest'
import { issueCreditNote, type CreditNoteInput } from './credit-notes'
import { buildInvoiceDrafts } from './drafts'
import { defineInvoiceBatch } from './invoice-batch'
import { defineInvoiceNumbering } from './numbering'
import { validateInvoiceDrafts } from './validation'
import { refusal } from '../test-support/refusal'

const batch = defineInvoiceBatch({
  id: 'b1', siteId: 's', billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
  dueDate: '2027-01-15', portalDisplayDate: '2027-01-05',
})
const [draft] = buildInvoiceDrafts(batch, [
  { chargeId: 'c1', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: '2026-12-01', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n },
  { chargeId: 'c2', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: '2026-12-02', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n },
]).drafts
const numbering = defineInvoiceNumbering()
// issued on 4 January 2027, 8.30 EUR
const [invoice] = validateInvoiceDrafts([draft!], { issueDate: '2027-01-04', firstSequence: 1, numbering })
const strike: CreditNoteInput = { id: 'cn1', reason: 'Grève', scope: { kind: 'amount', amount: '4.15' } }
const options = { issueDate: '2027-01-20' as const, sequence: 42, numbering }

describe('issueCreditNote: a misspelt option is refused, never read as absent', () => {
  it('numbers the credit note with the sequence it is given', () => {
    expect(issueCreditNote(invoice!, [], strike, options)).toMatchObject({ number: 'AV2027-000042', sequence: 42, issueDate: '2027-01-20' })
  })
  it('refuses a misspelt sequence, naming it and the right key, rather than numbering AV2027-undefined', () => {
    const r = refusal(() => issueCreditNote(invoice!, [], strike, { issueDate: '2027-01-20', seq: 42, numbering } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.seq', 'options.sequence'] })
    expect(r.message).toContain('did you mean `sequence`?')
  })
  it('refuses a sequence given as a string, naming it, rather than storing a string', () => {
    expect(refusal(() => issueCreditNote(invoice!, [], strike, { ...options, sequence: '42' } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.sequence'] })
  })
  it('refuses a sequence below 1 as the numbering functions do (INVALID_SEQUENCE)', () => {
    expect(refusal(() => issueCreditNote(invoice!, [], strike, { ...options, sequence: 0 })).code).toBe('INVALID_SEQUENCE')
  })
  it('refuses an issue date that is a number or not on the calendar, naming it', () => {
    expect(refusal(() => issueCreditNote(invoice!, [], strike, { ...options, issueDate: 20270201 } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.issueDate'] })
    expect(refusal(() => issueCreditNote(invoice!, [], strike, { ...options, issueDate: '2027-02-31' }))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.issueDate'] })
  })
  it('refuses missing numbering settings, or a misspelt key in them, naming it', () => {
    expect(refusal(() => issueCreditNote(invoice!, [], strike, { issueDate: '2027-01-20', sequence: 1 } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.numbering'] })
    expect(refusal(() => issueCreditNote(invoice!, [], strike, { ...options, numbering: { ...numbering, digts: 3 } } as never)).paths).toEqual(['options.numbering.digts'])
  })
})

describe('issueCreditNote: when and how much', () => {
  it('refuses a credit note dated before its invoice, naming the issue date, rather than numbering it in the previous year\'s series', () => {
    const r = refusal(() => issueCreditNote(invoice!, [], strike, { ...options, issueDate: '2026-12-31' }))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.issueDate'] })
    expect(r.message).toContain('2027-01-04')
  })
  it('credits on the invoice\'s own issue date', () => {
    expect(issueCreditNote(invoice!, [], strike, { ...options, issueDate: '2027-01-04' }).amountMinor).toBe(415n)
  })
  it('refuses an amount of zero as input naming the amount (it must be more than zero), not as "nothing left to credit"', () => {
    const r = refusal(() => issueCreditNote(invoice!, [], { ...strike, scope: { kind: 'amount', amount: '0' } }, options))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['creditNote.scope.amount'] })
    expect(r.message).toContain('more than zero')
    const line = invoice!.lines[0]!.id
    expect(refusal(() => issueCreditNote(invoice!, [], { ...strike, scope: { kind: 'lines', lines: [{ lineId: line, amount: '4.15' }, { lineId: line, amount: '0.00' }] } }, options)))
      .toMatchObject({ code: 'INVALID_INPUT', paths: ['creditNote.scope.lines.1.amount'] })
  })
  it('still refuses crediting the whole of an invoice that has nothing left (CREDIT_EXCEEDS_INVOICE)', () => {
    const all = issueCreditNote(invoice!, [], { id: 'cn1', reason: 'Double', scope: { kind: 'whole' } }, options)
    expect(refusal(() => issueCreditNote(invoice!, [all], { id: 'cn2', reason: 'Again', scope: { kind: 'whole' } }, { ...options, sequence: 43 })).code).toBe('CREDIT_EXCEEDS_INVOICE')
  })
})

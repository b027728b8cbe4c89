import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { creditableMinor, issueCreditNote } from './credit-notes'
import { buildInvoiceDrafts } from './drafts'
import { defineInvoiceBatch } from './invoice-batch'
import { defineInvoiceNumbering, formatInvoiceNumber, invoiceCounterKey, invoiceSeriesKey } from './numbering'
import { validateInvoiceDrafts } from './validation'
import { addInvoiceAdjustment } from './adjustments'
import { refusal } from '../test-support/refusal'

const batch = defineInvoiceBatch({
  id: 'b1', siteId: 's', billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
  dueDate: '2027-01-15', portalDisplayDate: '2027-01-05',
})
const drafts = buildInvoiceDrafts(batch, ['g1', 'g2', 'g3'].flatMap((g) => [
  { chargeId: `${g}-1`, debtorId: g, beneficiaryId: `${g}-k`, serviceId: 'meal', date: '2026-12-01' as const, quantity: 1, unitPriceMinor: 415n, amountMinor: 415n },
  { chargeId: `${g}-2`, debtorId: g, beneficiaryId: `${g}-k`, serviceId: 'meal', date: '2026-12-02' as const, quantity: 1, unitPriceMinor: 415n, amountMinor: 415n },
])).drafts
const numbering = defineInvoiceNumbering({ prefix: 'F{YYYY}-', digits: 4 })

function code(f: () => unknown): string | undefined {
  try { f() } catch (e) { return isEcoleError(e) ? e.code : 'not an EcoleError' }
  return undefined
}

describe('validateInvoiceDrafts (steps 7-8: drafts become invoices)', () => {
  it('numbers the invoices continuously in validation order, from the counter', () => {
    const out = validateInvoiceDrafts([drafts[2]!, drafts[0]!, drafts[1]!], { issueDate: '2027-01-04', firstSequence: 7, numbering })
    expect(out.map((i) => [i.debtorId, i.sequence, i.number])).toEqual([['g3', 7, 'F2027-0007'], ['g1', 8, 'F2027-0008'], ['g2', 9, 'F2027-0009']])
    expect(out.every((i) => i.status === 'validated' && i.issueDate === '2027-01-04')).toBe(true)
  })
  it('gives each invoice its payment reference', () => {
    const out = validateInvoiceDrafts(drafts, { issueDate: '2027-01-04', firstSequence: 1, numbering, paymentReference: (_inv, n) => `REF${n}` })
    expect(out.map((i) => i.paymentReference)).toEqual(['REF1', 'REF2', 'REF3'])
  })
  it('returns invoices that cannot change, down to their lines, adjustments and instalments', () => {
    const [inv] = validateInvoiceDrafts([drafts[0]!], { issueDate: '2027-01-04', firstSequence: 1, numbering })
    expect(Object.isFrozen(inv)).toBe(true)
    expect(Object.isFrozen(inv!.lines)).toBe(true)
    expect(Object.isFrozen(inv!.lines[0])).toBe(true)
    expect(Object.isFrozen(inv!.adjustments)).toBe(true)
    expect(Object.isFrozen(inv!.instalments)).toBe(true)
    expect(() => (inv!.lines as unknown[]).push({})).toThrow(TypeError)
  })

  it('refuses to validate an invoice twice', () => {
    const out = validateInvoiceDrafts(drafts, { issueDate: '2027-01-04', firstSequence: 1, numbering })
    expect(code(() => validateInvoiceDrafts([out[0]!], { issueDate: '2027-01-04', firstSequence: 4, numbering }))).toBe('INVOICE_NOT_DRAFT')
  })
  it('refuses a draft given twice, which would take two numbers and leave a gap', () => {
    expect(code(() => validateInvoiceDrafts([drafts[0]!, drafts[1]!, drafts[0]!], { issueDate: '2027-01-04', firstSequence: 1, numbering }))).toBe('DUPLICATE_INVOICE')
  })
  it('refuses drafts of two billing offices in one series', () => {
    expect(code(() => validateInvoiceDrafts([drafts[0]!, { ...drafts[1]!, billingOfficeId: 'other' }], { issueDate: '2027-01-04', firstSequence: 1, numbering }))).toBe('MIXED_BILLING_OFFICES')
  })
  it('freezes the validated invoice', () => {
    const [inv] = validateInvoiceDrafts([drafts[0]!], { issueDate: '2027-01-04', firstSequence: 1, numbering })
    expect(Object.isFrozen(inv)).toBe(true)
  })
})

describe('numbering settings', () => {
  it('restarts the series every year when yearly reset is on', () => {
    expect(invoiceCounterKey(numbering, 'regie', 'invoice', '2026-12-31')).toEqual({ billingOfficeId: 'regie', series: 'invoice', year: 2026 })
    expect(invoiceCounterKey(numbering, 'regie', 'invoice', '2027-01-01').year).toBe(2027)
  })
  it('keeps one continuous series when yearly reset is off', () => {
    const n = defineInvoiceNumbering({ yearlyReset: false })
    expect(invoiceSeriesKey(invoiceCounterKey(n, 'regie', 'invoice', '2027-01-01'))).toBe('regie/invoice/0')
  })
  it('prints the prefix with the year and the padded sequence', () => {
    expect(formatInvoiceNumber(defineInvoiceNumbering({ prefix: 'CANT-{YYYY}-', digits: 3 }), 'invoice', '2027-03-01', 12)).toBe('CANT-2027-012')
    expect(formatInvoiceNumber(defineInvoiceNumbering({ prefix: 'CANT-', digits: 3, yearlyReset: false }), 'invoice', '2027-03-01', 12)).toBe('CANT-012')
    expect(formatInvoiceNumber(defineInvoiceNumbering(), 'creditNote', '2027-03-01', 1)).toBe('AV2027-000001')
  })
})

describe('issueCreditNote', () => {
  const [inv] = validateInvoiceDrafts([addInvoiceAdjustment(drafts[0]!, { id: 'a', kind: 'reduction', reason: 'x', amount: '1.00', lineId: drafts[0]!.lines[0]!.id })], { issueDate: '2027-01-04', firstSequence: 1, numbering })
  const opts = { issueDate: '2027-01-20' as const, sequence: 1, numbering }
  it('credits the whole invoice with a reason and a number of its own series', () => {
    const cn = issueCreditNote(inv!, [], { id: 'cn1', reason: 'Facture en double', scope: { kind: 'whole' } }, opts)
    expect(cn.amountMinor).toBe(730n)
    expect(cn.number).toBe('AV2027-0001')
    expect(cn.invoiceId).toBe(inv!.id)
  })
  it('credits part of an invoice and never more than what is left', () => {
    const cn1 = issueCreditNote(inv!, [], { id: 'cn1', reason: 'Repas non servi', scope: { kind: 'amount', amount: '4.15' } }, opts)
    expect(creditableMinor(inv!, [cn1])).toBe(730n - 415n)
    expect(code(() => issueCreditNote(inv!, [cn1], { id: 'cn2', reason: 'x', scope: { kind: 'amount', amount: '3.16' } }, { ...opts, sequence: 2 }))).toBe('CREDIT_EXCEEDS_INVOICE')
    expect(issueCreditNote(inv!, [cn1], { id: 'cn2', reason: 'x', scope: { kind: 'whole' } }, { ...opts, sequence: 2 }).amountMinor).toBe(315n)
  })
  it('never credits a line beyond its net amount (line plus its adjustments)', () => {
    const line = inv!.lines[0]!
    expect(code(() => issueCreditNote(inv!, [], { id: 'cn1', reason: 'x', scope: { kind: 'lines', lines: [{ lineId: line.id, amount: '7.31' }] } }, opts))).toBe('CREDIT_EXCEEDS_LINE')
    expect(issueCreditNote(inv!, [], { id: 'cn1', reason: 'x', scope: { kind: 'lines', lines: [{ lineId: line.id, amount: '7.30' }] } }, opts).amountMinor).toBe(730n)
  })
  it('refuses to credit a draft', () => {
    expect(code(() => issueCreditNote(drafts[0]!, [], { id: 'cn1', reason: 'x', scope: { kind: 'whole' } }, opts))).toBe('INVOICE_NOT_VALIDATED')
  })
  it('refuses a credit note without a reason', () => {
    expect(() => issueCreditNote(inv!, [], { id: 'cn1', reason: '', scope: { kind: 'whole' } }, opts)).toThrow(/creditNote.reason/)
  })
})

describe('validateInvoiceDrafts: a misspelt option is refused, never read as absent', () => {
  const options = { issueDate: '2027-01-04' as const, firstSequence: 7, numbering }
  it('refuses a misspelt paymentReference, naming it and the right key, rather than issuing invoices without a reference', () => {
    const r = refusal(() => validateInvoiceDrafts([drafts[0]!], { ...options, paymentReferences: () => 'RF18539007547034' } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.paymentReferences'] })
    expect(r.message).toContain('did you mean `paymentReference`?')
  })
  it('refuses a firstSequence that is not a whole number as input, naming it (a sequence below 1 stays INVALID_SEQUENCE)', () => {
    expect(refusal(() => validateInvoiceDrafts([drafts[0]!], { ...options, firstSequence: '42' } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.firstSequence'] })
    expect(refusal(() => validateInvoiceDrafts([drafts[0]!], { ...options, firstSequence: 0 })).code).toBe('INVALID_SEQUENCE')
  })
  it('names every option that is missing', () => {
    expect(refusal(() => validateInvoiceDrafts([drafts[0]!], { firstSequence: 1 } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.issueDate', 'options.numbering'] })
    expect(refusal(() => validateInvoiceDrafts([drafts[0]!], undefined as never)).paths).toEqual(['options.issueDate', 'options.firstSequence', 'options.numbering'])
  })
  it('refuses an issue date that is not on the calendar, naming it', () => {
    expect(refusal(() => validateInvoiceDrafts([drafts[0]!], { ...options, issueDate: '2027-02-31' }))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.issueDate'] })
    expect(refusal(() => validateInvoiceDrafts([drafts[0]!], { ...options, issueDate: 20270201 } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.issueDate'] })
  })
  it('refuses numbering settings with a misspelt key or a digit count as a string, naming the key, rather than numbering F2027-7', () => {
    const r = refusal(() => validateInvoiceDrafts([drafts[0]!], { ...options, numbering: { ...numbering, digit: 3 } } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.numbering.digit'] })
    expect(r.message).toContain('did you mean `digits`?')
    expect(refusal(() => validateInvoiceDrafts([drafts[0]!], { ...options, numbering: { ...numbering, digits: '3' } } as never)).paths).toEqual(['options.numbering.digits'])
    expect(refusal(() => validateInvoiceDrafts([drafts[0]!], { ...options, numbering: 'F-' } as never)).paths).toEqual(['options.numbering'])
  })
})

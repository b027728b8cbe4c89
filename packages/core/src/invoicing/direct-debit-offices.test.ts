import { describe, expect, it } from 'vitest'
import { selectDirectDebits, type DirectDebitCandidate } from './direct-debits'
import { defineSepaMandate, SepaMandateInputSchema } from './sepa-mandates'

const base = { siteId: 's', debtorId: 'g1', signatureDate: '2026-09-01', debtorName: 'Claire Martin', iban: 'FR7630006000011234567890189' } as const
const ofCantine = defineSepaMandate({ id: 'm-cantine', rum: 'RUM-CANTINE-1', billingOfficeId: 'cantine', ...base })
const ofCreche = defineSepaMandate({ id: 'm-creche', rum: 'RUM-CRECHE-1', billingOfficeId: 'creche', ...base })
/** A mandate stored before the office it was signed with was recorded. */
const older = defineSepaMandate({ id: 'm-old', rum: 'RUM-OLD-1', ...base })
const cand = (invoiceId: string, billingOfficeId?: string): DirectDebitCandidate =>
  ({ invoiceId, debtorId: 'g1', dueDate: '2027-01-15', outstandingMinor: 5000n, currency: 'EUR', paymentReference: null, ...(billingOfficeId !== undefined ? { billingOfficeId } : {}) })
const opts = { collectionDate: '2027-01-20', endToEndPrefix: 'DD2701-' } as const

describe('selectDirectDebits: a mandate collects only for the billing office it was signed with', () => {
  it("collects each office's invoice with that office's mandate, never the other's", () => {
    const { instructions, excluded } = selectDirectDebits([cand('i-cantine', 'cantine'), cand('i-creche', 'creche')], [ofCantine, ofCreche], opts)
    expect(instructions.map((i) => [i.invoiceId, i.rum])).toEqual([['i-cantine', 'RUM-CANTINE-1'], ['i-creche', 'RUM-CRECHE-1']])
    expect(excluded).toEqual([])
  })
  it("leaves a crèche invoice out when the debtor's only mandate was signed with the cantine: MANDATE_OF_ANOTHER_OFFICE, naming it", () => {
    const { instructions, excluded } = selectDirectDebits([cand('i-creche', 'creche')], [ofCantine], opts)
    expect(instructions).toEqual([])
    expect(excluded).toEqual([{ invoiceId: 'i-creche', debtorId: 'g1', reason: 'MANDATE_OF_ANOTHER_OFFICE', mandateId: 'm-cantine' }])
  })
  it('uses a mandate stored without its office by default (a site with a single billing office)', () => {
    expect(selectDirectDebits([cand('i-cantine', 'cantine')], [older], opts).instructions.map((i) => i.rum)).toEqual(['RUM-OLD-1'])
  })
  it("refuses a mandate stored without its office when told the site has several: MANDATE_OFFICE_UNKNOWN, naming it", () => {
    const { instructions, excluded } = selectDirectDebits([cand('i-cantine', 'cantine')], [older], { ...opts, mandatesWithoutOffice: 'refuse' })
    expect(instructions).toEqual([])
    expect(excluded).toEqual([{ invoiceId: 'i-cantine', debtorId: 'g1', reason: 'MANDATE_OFFICE_UNKNOWN', mandateId: 'm-old' }])
  })
  it("prefers the office's own mandate to one stored without its office", () => {
    const { instructions } = selectDirectDebits([cand('i-creche', 'creche')], [older, ofCreche], { ...opts, mandatesWithoutOffice: 'refuse' })
    expect(instructions.map((i) => i.rum)).toEqual(['RUM-CRECHE-1'])
  })
  it('refuses a blank billing office on a new mandate, naming mandate.billingOfficeId', () => {
    const r = SepaMandateInputSchema.safeParse({ id: 'm', rum: 'RUM-1', billingOfficeId: '', ...base })
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toEqual(['billingOfficeId'])
    expect(() => defineSepaMandate({ id: 'm', rum: 'RUM-1', billingOfficeId: '', ...base })).toThrow(/mandate\.billingOfficeId/)
  })
  it('keeps the billing office a mandate was signed with', () => {
    expect(ofCantine.billingOfficeId).toBe('cantine')
    expect('billingOfficeId' in older).toBe(false)
  })
})

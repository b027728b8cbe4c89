import { describe, expect, it } from 'vitest'
import { selectDirectDebits, type DirectDebitCandidate } from './direct-debits'
import type { DirectDebitReturnAction } from './payment'
import { amendSepaMandate, defineSepaMandate, type SepaMandate } from './sepa-mandates'

const m1 = defineSepaMandate({ id: 'm1', siteId: 's', debtorId: 'g1', rum: 'RUM-1', signatureDate: '2026-09-01', debtorName: 'Claire Martin', iban: 'FR7630006000011234567890189' })
const cand: DirectDebitCandidate = { invoiceId: 'i-dec', debtorId: 'g1', dueDate: '2027-01-15', outstandingMinor: 4250n, currency: 'EUR', paymentReference: null }
const opts = { collectionDate: '2027-02-10', endToEndPrefix: 'FEB-' } as const
/** A debit of i-dec collected on `date` (made on `recordedOn`), refused with `action`, or still recorded. */
const debit = (date: string, action: DirectDebitReturnAction | null, mandateId = 'm1') => ({
  method: 'directDebit', status: action ? 'refused' as const : 'recorded' as const, mandateId, date: date as '2027-01-12', recordedOn: '2027-01-05' as const,
  allocations: [{ invoiceId: 'i-dec', amountMinor: 4250n }], refusal: action ? { reasonCode: 'XX', date: '2027-01-20' as const, action } : null,
})
const pick = (mandates: SepaMandate[], o: Partial<Parameters<typeof selectDirectDebits>[2]> = {}) => {
  const r = selectDirectDebits([cand], mandates, { ...opts, ...o })
  return [...r.instructions.map((i) => `debit ${i.iban}`), ...r.excluded.map((e) => `${e.reason}${e.mandateId ? ` ${e.mandateId}` : ''}`)]
}

describe('selectDirectDebits: a return needing the office holds the invoice', () => {
  it('leaves out an invoice whose last debit was returned with contactPayer or fixAccount, and presents again one returned with retry', () => {
    expect(pick([m1], { debits: [debit('2027-01-12', 'contactPayer')] })).toEqual(['RETURNED_CONTACT_PAYER'])
    expect(pick([m1], { debits: [debit('2027-01-12', 'fixAccount')] })).toEqual(['RETURNED_FIX_ACCOUNT m1'])
    expect(pick([m1], { debits: [debit('2027-01-12', 'retry')] })).toEqual(['debit FR7630006000011234567890189'])
  })

  it('judges by the last debit of the invoice only: a later retry return after a contactPayer one presents again', () => {
    expect(pick([m1], { debits: [debit('2027-01-25', 'retry'), debit('2027-01-12', 'contactPayer')] })).toEqual(['debit FR7630006000011234567890189'])
    expect(pick([m1], { debits: [debit('2027-01-12', 'retry'), debit('2027-01-25', 'contactPayer')] })).toEqual(['RETURNED_CONTACT_PAYER'])
  })

  it('presents again an invoice the office names in represent', () => {
    expect(pick([m1], { debits: [debit('2027-01-12', 'contactPayer')], represent: ['i-dec'] })).toEqual(['debit FR7630006000011234567890189'])
    expect(pick([m1], { debits: [debit('2027-01-12', 'fixAccount')], represent: ['i-dec'] })).toEqual(['debit FR7630006000011234567890189'])
  })

  it('clears a fixAccount hold when the IBAN was amended after the day the returned collection was made, or another mandate is in force, not otherwise', () => {
    const fixed = amendSepaMandate(m1, { date: '2027-01-21', iban: 'BE68539007547034' })
    expect(pick([fixed], { debits: [debit('2027-01-12', 'fixAccount')] })).toEqual(['debit BE68539007547034'])
    // amended on the day the collection was made: the returned debit may already have used that IBAN
    const sameDay = amendSepaMandate(m1, { date: '2027-01-05', iban: 'BE68539007547034' })
    expect(pick([sameDay], { debits: [debit('2027-01-12', 'fixAccount')] })).toEqual(['RETURNED_FIX_ACCOUNT m1'])
    // a new reference only: the account is the same
    const rumOnly = amendSepaMandate(m1, { date: '2027-01-21', rum: 'RUM-1B' })
    expect(pick([rumOnly], { debits: [debit('2027-01-12', 'fixAccount')] })).toEqual(['RETURNED_FIX_ACCOUNT m1'])
    const other = defineSepaMandate({ id: 'm2', siteId: 's', debtorId: 'g1', rum: 'RUM-2', signatureDate: '2027-01-22', debtorName: 'Claire Martin', iban: 'BE68539007547034' })
    expect(pick([m1, other], { debits: [debit('2027-01-12', 'fixAccount')] })).toEqual(['debit BE68539007547034'])
  })
})

import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { applyDirectDebitReturn, SEPA_RETURN_REASONS } from './direct-debit-returns'
import { selectDirectDebits, type DirectDebitCandidate } from './direct-debits'
import { invoiceBalance } from './invoice-balance'
import type { Invoice } from './invoice'
import { recordInvoicePayment } from './payment'
import {
  amendSepaMandate, defineSepaMandate, markSepaCollectionSettled, markSepaMandateFinal, sepaMandateStateOn, setSepaMandateSuspended,
} from './sepa-mandates'

const mandate = defineSepaMandate({ id: 'm1', siteId: 's', debtorId: 'g1', rum: 'RUM-2026-0001', signatureDate: '2026-09-01', debtorName: 'Claire Martin', iban: 'FR7630006000011234567890189' })

function code(f: () => unknown): string | undefined {
  try { f() } catch (e) { return isEcoleError(e) ? e.code : 'not an EcoleError' }
  return undefined
}

describe('SEPA mandates', () => {
  it('starts with a first collection (FRST), one-off mandates with OOFF', () => {
    expect(mandate.nextSequence).toBe('FRST')
    expect(defineSepaMandate({ id: 'm2', siteId: 's', debtorId: 'g1', rum: 'R2', signatureDate: '2026-09-01', debtorName: 'C', iban: 'FR7630006000011234567890189', recurrence: 'oneOff' }).nextSequence).toBe('OOFF')
  })
  it('advances FRST to RCUR only when a collection is settled', () => {
    const m = markSepaCollectionSettled(mandate, '2027-01-10')
    expect(m.nextSequence).toBe('RCUR')
    expect(m.lastCollectionDate).toBe('2027-01-10')
  })
  it('closes the mandate after a final collection settles', () => {
    const m = markSepaCollectionSettled(markSepaMandateFinal(markSepaCollectionSettled(mandate, '2027-01-10')), '2027-02-10')
    expect(m.status).toBe('closed')
  })
  it('lapses after 36 months without a collection', () => {
    const m = markSepaCollectionSettled(mandate, '2027-01-10')
    expect(sepaMandateStateOn(m, '2030-01-09')).toBe('active')
    expect(sepaMandateStateOn(m, '2030-01-10')).toBe('lapsed')
    expect(sepaMandateStateOn(mandate, '2029-09-01')).toBe('lapsed')
  })
  it('records an amendment of the account and reports it once the collection that carried it settles', () => {
    const m = amendSepaMandate(markSepaCollectionSettled(mandate, '2027-01-10'), { date: '2027-02-01', iban: 'FR7610107001011234567890129' })
    expect(m.amendments).toEqual([{ date: '2027-02-01', originalRum: null, originalIban: 'FR7630006000011234567890189', reported: false }])
    const carried = { ...m, amendments: m.amendments.map((a) => ({ ...a, carriedBy: ['DD-2702-i1'] })) }
    expect(markSepaCollectionSettled(carried, '2027-02-10', { endToEndId: 'DD-2702-i1' }).amendments[0]!.reported).toBe(true)
  })
  it('refuses a RUM with a double slash', () => {
    expect(() => defineSepaMandate({ id: 'm', siteId: 's', debtorId: 'g', rum: 'A//B', signatureDate: '2026-09-01', debtorName: 'C', iban: 'FR7630006000011234567890189' })).toThrow(/mandate.rum/)
  })
})

describe('selectDirectDebits', () => {
  const cand = (invoiceId: string, debtorId: string, outstandingMinor: bigint): DirectDebitCandidate => ({ invoiceId, debtorId, dueDate: '2027-01-15', outstandingMinor, currency: 'EUR', paymentReference: `RF-${invoiceId}` })
  it('collects what remains due with the mandate\'s next sequence and leaves out payers without a usable mandate', () => {
    const suspended = setSepaMandateSuspended(defineSepaMandate({ id: 'm3', siteId: 's', debtorId: 'g3', rum: 'R3', signatureDate: '2026-09-01', debtorName: 'X', iban: 'FR7630006000011234567890189' }), true)
    const { instructions, excluded } = selectDirectDebits([cand('i1', 'g1', 5000n), cand('i2', 'g2', 300n), cand('i3', 'g3', 300n), cand('i4', 'g1', 0n)], [mandate, suspended], { collectionDate: '2027-01-20', endToEndPrefix: 'DD-' })
    expect(instructions.map((i) => [i.invoiceId, i.sequence, i.amountMinor, i.rum, i.endToEndId])).toEqual([['i1', 'FRST', 5000n, 'RUM-2026-0001', 'DD-i1']])
    expect(excluded.map((e) => [e.invoiceId, e.reason])).toEqual([['i2', 'NO_MANDATE'], ['i3', 'MANDATE_SUSPENDED'], ['i4', 'NOTHING_DUE']])
  })
  it('gives two invoices with long ids two different end-to-end ids of at most 35 characters', () => {
    const m2 = defineSepaMandate({ id: 'm2', siteId: 's', debtorId: 'g2', rum: 'RUM-2026-0002', signatureDate: '2026-09-01', debtorName: 'Paul Martin', iban: 'FR7630006000011234567890189' })
    // 'DD-20270120-' + 'b-2026-12:household-0001' is 36 characters: cut at 35, the two would be equal
    const { instructions } = selectDirectDebits([cand('b-2026-12:household-0001', 'g1', 500n), cand('b-2026-12:household-0002', 'g2', 500n)], [mandate, m2], { collectionDate: '2027-01-20', endToEndPrefix: 'DD-20270120-' })
    const ids = instructions.map((i) => i.endToEndId)
    expect(ids).toHaveLength(2)
    expect(ids[0]).not.toBe(ids[1])
    expect(ids.every((id) => id.length <= 35 && id.startsWith('DD-20270120-'))).toBe(true)
  })
  it('leaves out a lapsed mandate', () => {
    const { excluded } = selectDirectDebits([cand('i1', 'g1', 5000n)], [mandate], { collectionDate: '2029-09-02', endToEndPrefix: 'DD-' })
    expect(excluded[0]!.reason).toBe('MANDATE_LAPSED')
  })
})

describe('applyDirectDebitReturn (seed: "rejet de prélèvement")', () => {
  const invoice = { id: 'i1', status: 'validated', totalMinor: 5000n } as Invoice
  const dd = recordInvoicePayment({ id: 'p1', siteId: 's', billingOfficeId: 'r', payerId: 'g1', method: 'directDebit', date: '2027-01-20', invoiceId: 'i1', mandateId: 'm1' },
    [{ invoiceId: 'i1', dueDate: '2027-01-15', outstandingMinor: 5000n }])
  it('marks the payment REFUSED and the invoice is awaiting payment again (step 5)', () => {
    expect(invoiceBalance(invoice, [], [dd]).state).toBe('paid')
    const out = applyDirectDebitReturn(dd, 'AM04', '2027-01-25')
    expect(out.payment.status).toBe('refused')
    expect(out.payment.refusal).toEqual({ reasonCode: 'AM04', date: '2027-01-25', action: 'retry' })
    expect(invoiceBalance(invoice, [], [out.payment]).outstandingMinor).toBe(5000n)
    expect(out.invoicesDueAgain).toEqual([{ invoiceId: 'i1', amountMinor: 5000n }])
  })
  it('suspends the mandate for a closed account or no mandate', () => {
    expect(applyDirectDebitReturn(dd, 'AC04', '2027-01-25').suspendMandate).toBe(true)
    expect(applyDirectDebitReturn(dd, 'MD01', '2027-01-25').suspendMandate).toBe(true)
    expect(applyDirectDebitReturn(dd, 'AM04', '2027-01-25').suspendMandate).toBe(false)
  })
  it('knows the usual SEPA reason codes', () => {
    for (const c of ['AC01', 'AC04', 'AC06', 'AG01', 'AM04', 'AM05', 'MD01', 'MD06', 'MS02', 'MS03']) expect(SEPA_RETURN_REASONS[c]).toBeDefined()
  })
  it('refuses to refuse a payment twice', () => {
    expect(code(() => applyDirectDebitReturn(applyDirectDebitReturn(dd, 'AM04', '2027-01-25').payment, 'AM04', '2027-01-26'))).toBe('PAYMENT_ALREADY_REFUSED')
  })
  it('treats an unknown code as a matter for the payer', () => {
    expect(applyDirectDebitReturn(dd, 'zz99', '2027-01-25').action).toBe('contactPayer')
  })
})

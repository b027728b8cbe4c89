import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { selectDirectDebits, type DirectDebitCandidate } from './direct-debits'
import { amendSepaMandate, defineSepaMandate, markSepaCollectionSettled, markSepaMandateFinal, type SepaMandate } from './sepa-mandates'

const base = { siteId: 's', debtorId: 'g1', signatureDate: '2026-09-01', debtorName: 'Claire Martin', iban: 'FR7630006000011234567890189' } as const
const recurrent = defineSepaMandate({ id: 'm1', rum: 'RUM-1', ...base })
const oneOff = defineSepaMandate({ id: 'm1', rum: 'RUM-1', ...base, recurrence: 'oneOff' })
/** A recurrent mandate used once (settled 2026-12-10), then marked final. */
const final = markSepaMandateFinal(markSepaCollectionSettled(recurrent, '2026-12-10'))
const cand = (invoiceId: string, dueDate: string, outstandingMinor = 5000n): DirectDebitCandidate =>
  ({ invoiceId, debtorId: 'g1', dueDate: dueDate as DirectDebitCandidate['dueDate'], outstandingMinor, currency: 'EUR', paymentReference: null })
const opts = { collectionDate: '2027-01-20', endToEndPrefix: 'DD2701-' } as const
const dd = (mandateId: string, date: string, status: 'recorded' | 'refused' = 'recorded') => ({ method: 'directDebit', status, mandateId, date: date as '2027-01-10' })

function refusal(f: () => unknown): { code: string; message: string } | undefined {
  try { f() } catch (e) { return isEcoleError(e) ? { code: e.code, message: e.message } : { code: 'not an EcoleError', message: String(e) } }
  return undefined
}

describe('selectDirectDebits: a one-off or final mandate collects once', () => {
  for (const [name, m, seq] of [['one-off', oneOff, 'OOFF'], ['final', final, 'FNAL']] as Array<[string, SepaMandate, string]>) {
    it(`gives a ${name} mandate one instruction per run, the earliest due invoice, and leaves the others out as MANDATE_ONE_OFF_USED`, () => {
      const { instructions, excluded } = selectDirectDebits([cand('i-dec', '2027-01-20'), cand('i-nov', '2026-12-15')], [m], opts)
      expect(instructions.map((i) => [i.invoiceId, i.sequence, i.rum])).toEqual([['i-nov', seq, 'RUM-1']])
      expect(excluded).toEqual([{ invoiceId: 'i-dec', debtorId: 'g1', reason: 'MANDATE_ONE_OFF_USED' }])
    })
    it(`leaves a ${name} mandate out while a collection with it is neither settled nor returned`, () => {
      const { instructions, excluded } = selectDirectDebits([cand('i-dec', '2027-01-20')], [m], { ...opts, collected: [dd('m1', '2027-01-10')] })
      expect(instructions).toEqual([])
      expect(excluded.map((e) => e.reason)).toEqual(['MANDATE_ONE_OFF_USED'])
    })
    it(`collects with a ${name} mandate again once its collection was returned`, () => {
      const { instructions } = selectDirectDebits([cand('i-dec', '2027-01-20')], [m], { ...opts, collected: [dd('m1', '2027-01-10', 'refused')] })
      expect(instructions.map((i) => i.sequence)).toEqual([seq])
    })
  }
  it('counts a collection dated on or before the last settled one as settled (a final mandate\'s earlier RCUR)', () => {
    const { instructions } = selectDirectDebits([cand('i-dec', '2027-01-20')], [final], { ...opts, collected: [dd('m1', '2026-12-10')] })
    expect(instructions.map((i) => i.sequence)).toEqual(['FNAL'])
  })
  it('still collects every invoice of a recurrent mandate in one run', () => {
    const { instructions } = selectDirectDebits([cand('i-dec', '2027-01-20'), cand('i-nov', '2026-12-15')], [recurrent], { ...opts, collected: [dd('m1', '2027-01-10')] })
    expect(instructions.map((i) => i.invoiceId)).toEqual(['i-dec', 'i-nov'])
  })
})

describe('selectDirectDebits: amendments', () => {
  it('carries every unreported amendment as one: the RUM and the IBAN the debtor\'s bank last saw', () => {
    let m = markSepaCollectionSettled(recurrent, '2026-11-10')
    m = amendSepaMandate(m, { date: '2026-12-01', rum: 'RUM-2' })
    m = amendSepaMandate(m, { date: '2026-12-05', iban: 'DE89370400440532013000' })
    m = amendSepaMandate(m, { date: '2026-12-07', rum: 'RUM-3' })
    const [ins] = selectDirectDebits([cand('i1', '2027-01-15')], [m], opts).instructions
    expect([ins!.rum, ins!.iban, ins!.amendment]).toEqual(['RUM-3', 'DE89370400440532013000', { date: '2026-12-07', originalRum: 'RUM-1', originalIban: 'FR7630006000011234567890189', reported: false }])
  })
})

describe('markSepaCollectionSettled: reports only the amendments the collection carried', () => {
  const amended = amendSepaMandate(markSepaCollectionSettled(recurrent, '2026-11-10'), { date: '2027-01-12', iban: 'DE89370400440532013000' })
  it('leaves an amendment made after the collection was sent unreported', () => {
    expect(markSepaCollectionSettled(amended, '2027-01-20').amendments.map((a) => a.reported)).toEqual([false])
  })
  it('reports an amendment the settled collection carried', () => {
    const carried: SepaMandate = { ...amended, amendments: amended.amendments.map((a) => ({ ...a, carriedBy: ['DD-a'] })) }
    expect(markSepaCollectionSettled(carried, '2027-01-20', { endToEndId: 'DD-a' }).amendments).toEqual([{ date: '2027-01-12', originalRum: null, originalIban: 'FR7630006000011234567890189', reported: true }])
    expect(markSepaCollectionSettled(carried, '2027-01-20', { endToEndId: 'DD-b' }).amendments[0]!.reported).toBe(false)
  })
})

describe('selectDirectDebits: options are checked before anything is selected', () => {
  it('refuses a misspelt key, naming the nearest known one', () => {
    const r = refusal(() => selectDirectDebits([cand('i1', '2027-01-15')], [recurrent], { collectionDate: '2027-01-20', endToEndPrefx: 'DD-' } as never))
    expect(r?.code).toBe('INVALID_INPUT')
    expect(r?.message).toMatch(/endToEndPrefx.*did you mean `endToEndPrefix`/)
  })
  it('refuses collection_date instead of leaving everything out as lapsed', () => {
    const r = refusal(() => selectDirectDebits([cand('i1', '2027-01-15')], [recurrent], { collection_date: '2027-01-20', endToEndPrefix: 'DD-' } as never))
    expect(r?.message).toMatch(/collection_date.*did you mean `collectionDate`/)
  })
  it('refuses a string as options', () => {
    expect(refusal(() => selectDirectDebits([cand('i1', '2027-01-15')], [recurrent], '2027-01-20' as never))?.code).toBe('INVALID_INPUT')
  })
  it('refuses a collection date that is not a calendar day, naming collectionDate', () => {
    expect(refusal(() => selectDirectDebits([], [], { collectionDate: '2027-13-45' as never, endToEndPrefix: 'DD-' }))?.message).toMatch(/collectionDate/)
  })
  it('refuses an end-to-end prefix that is not SEPA text, or that makes an id with //, naming endToEndPrefix', () => {
    expect(refusal(() => selectDirectDebits([cand('i1', '2027-01-15')], [recurrent], { ...opts, endToEndPrefix: 'Prélèvement-' }))?.message).toMatch(/endToEndPrefix/)
    expect(refusal(() => selectDirectDebits([cand('i1', '2027-01-15')], [recurrent], { ...opts, endToEndPrefix: 'DD//' }))?.message).toMatch(/endToEndPrefix/)
    expect(refusal(() => selectDirectDebits([cand('/i1', '2027-01-15')], [recurrent], { ...opts, endToEndPrefix: 'DD/' }))?.message).toMatch(/endToEndPrefix.*\/i1/)
    expect(refusal(() => selectDirectDebits([cand('i_1', '2027-01-15')], [recurrent], { ...opts, endToEndPrefix: 'DD-' }))?.code).toBe('INVALID_INPUT')
  })
})

describe('selectDirectDebits: a mandate signed after the collection date does not collect', () => {
  const late = defineSepaMandate({ id: 'm-late', rum: 'RUM-L', ...base, signatureDate: '2027-03-01' })
  it('leaves the invoice out as MANDATE_NOT_YET_SIGNED, naming the mandate, instead of debiting it unauthorised', () => {
    const { instructions, excluded } = selectDirectDebits([cand('i1', '2027-01-15')], [late], opts)
    expect(instructions).toEqual([])
    expect(excluded).toEqual([{ invoiceId: 'i1', debtorId: 'g1', reason: 'MANDATE_NOT_YET_SIGNED', mandateId: 'm-late' }])
  })
  it('collects with a mandate signed on the collection date itself', () => {
    const same = defineSepaMandate({ id: 'm-same', rum: 'RUM-S', ...base, signatureDate: opts.collectionDate })
    expect(selectDirectDebits([cand('i1', '2027-01-15')], [same], opts).instructions.map((i) => i.mandateId)).toEqual(['m-same'])
  })
  it('collects with the older mandate signed before the date when a newer one is signed after it', () => {
    const { instructions } = selectDirectDebits([cand('i1', '2027-01-15')], [late, recurrent], opts)
    expect(instructions.map((i) => [i.mandateId, i.signatureDate])).toEqual([['m1', '2026-09-01']])
  })
  it('says MANDATE_NOT_YET_SIGNED rather than MANDATE_CLOSED when the old mandate is closed and the new one not yet signed', () => {
    const closed = markSepaCollectionSettled(oneOff, '2026-12-10')
    expect(selectDirectDebits([cand('i1', '2027-01-15')], [closed, late], opts).excluded.map((e) => [e.reason, e.mandateId])).toEqual([['MANDATE_NOT_YET_SIGNED', 'm-late']])
  })
})

describe('selectDirectDebits: a stored mandate with a wrong IBAN leaves out its invoice only', () => {
  // stored before IBANs were checked: the last digit of a valid French IBAN changed
  const typo = { ...defineSepaMandate({ id: 'm-typo', rum: 'RUM-T', ...base, debtorId: 'g2' }), iban: 'FR7630006000011234567890188' }
  it('excludes the invoice as MANDATE_IBAN_INVALID naming the mandate, and collects the other debtors\' invoices', () => {
    const { instructions, excluded } = selectDirectDebits([cand('i1', '2027-01-15'), { ...cand('i2', '2027-01-15'), debtorId: 'g2' }], [recurrent, typo], opts)
    expect(instructions.map((i) => i.invoiceId)).toEqual(['i1'])
    expect(excluded).toEqual([{ invoiceId: 'i2', debtorId: 'g2', reason: 'MANDATE_IBAN_INVALID', mandateId: 'm-typo' }])
  })
  it('does not fall back on an older mandate of the debtor: the one in force has the wrong IBAN', () => {
    const older = defineSepaMandate({ id: 'm-old', rum: 'RUM-O', ...base, debtorId: 'g2', signatureDate: '2025-01-01' })
    expect(selectDirectDebits([{ ...cand('i2', '2027-01-15'), debtorId: 'g2' }], [older, typo], opts).excluded.map((e) => [e.reason, e.mandateId])).toEqual([['MANDATE_IBAN_INVALID', 'm-typo']])
  })
  it('reports no wrong former IBAN once corrected by an amendment: the bank never knew an account with wrong check digits', () => {
    const fixed = amendSepaMandate(markSepaCollectionSettled(typo, '2026-11-10'), { date: '2026-12-01', iban: 'DE89370400440532013000' })
    const [ins] = selectDirectDebits([{ ...cand('i2', '2027-01-15'), debtorId: 'g2' }], [fixed], opts).instructions
    expect([ins!.iban, ins!.amendment]).toEqual(['DE89370400440532013000', null])
  })
})

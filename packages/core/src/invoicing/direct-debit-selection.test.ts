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

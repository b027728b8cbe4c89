import { shown } from '../test-support/entries'
import { describe, expect, it } from 'vitest'
import { statementDisagreements } from '../statement/check-statement'
import { thrown } from '../test-support/thrown'
import { parseMt940 } from './parse-mt940'

// A Dutch-style message in SWIFT blocks: /KEY/value/ :86: fields
const ING = [
  '{1:F01INGBNL2ABXXX0000000000}{2:I940INGBNL2AXXXN}{4:',
  ':20:P140220000000001',
  ':25:NL20INGB0001234567EUR',
  ':28C:00000',
  ':60F:C140219EUR662,23',
  ':61:1402200220C1,56NTRFEREF//00000000001005',
  '/TRCD/00100/',
  ':86:/EREF/EV12341REP1231456T1234//CNTP/NL32INGB0000012345/INGBNL2A/ING BANK N',
  '.V. INZAKE WEB///REMI/USTD//EV10001REP1000000T1000/',
  ':61:1402200220D1,57NTRFPREF//00000000001006',
  ':86:/PREF/M000000003333333//REMI/USTD//TOTAAL 1 VZ/',
  ':61:1402200220C1,57NTRFNONREF//00000000001007',
  ':86:/EREF/INV-2027-0001//MARF/RUM-0042//REMI/STRD/CUR/RF18539007547034//NAME/J. DUPONT//IBAN/BE71096123456769/',
  ':62F:C140220EUR663,79',
  ':64:C140220EUR663,79',
  ':65:C140221EUR663,79',
  ':86:/SUM/4/4/134,46/36,58/',
  '-}',
].join('\r\n')

// A German-style message: ?xx subfields with SEPA keywords, no SWIFT blocks, two statements of one account
const DE = [
  ':20:STARTUMSE',
  ':25:10020030/1234567',
  ':28C:00001/001',
  ':60F:C230131EUR1000,00',
  ':61:2302010201CR42,50N166NONREF',
  ':86:166?00GUTSCHR. UEBERWEISUNG?109310?20EREF+ECOLE-G1-2301?21SVWZ+Cantine janvier RF18?225390 07547034?30COBADEFFXXX?31DE89370400440532013000?32Martin Pierre?33',
  ':61:2302010201DR10,00N105NONREF',
  ':86:105?00LASTSCHRIFT?20MREF+RUM-0042?21CRED+DE98ZZZ09999999999?22SVWZ+Abo',
  ':62F:C230201EUR1032,50',
  '-',
  ':20:STARTUMSE',
  ':25:10020030/1234567',
  ':28C:00002/001',
  ':60F:C230201EUR1030,00',
  ':61:2302020202RC5,00N166NONREF',
  ':86:Rueckbuchung',
  ':62F:C230202EUR1025,00',
  '-',
].join('\n')

describe('parseMt940', () => {
  it('reads a message in SWIFT blocks with /KEY/value/ :86: fields: references, counterparty, structured RF, mandate', () => {
    const [s] = parseMt940(ING)
    expect([s!.format, s!.account.iban, s!.account.currency, s!.sequenceNumber, s!.id]).toEqual(['mt940', 'NL20INGB0001234567', 'EUR', '00000', 'NL20INGB0001234567EUR/2014-02-19/00000'])
    expect(s!.entries.map((e) => [e.reference, shown(e.amount), e.creditDebit, e.valueDate, e.bookingDate])).toEqual([
      ['00000000001005', '1.56 EUR', 'credit', '2014-02-20', '2014-02-20'],
      ['00000000001006', '1.57 EUR', 'debit', '2014-02-20', '2014-02-20'],
      ['00000000001007', '1.57 EUR', 'credit', '2014-02-20', '2014-02-20'],
    ])
    expect(s!.entries.map((e) => e.referenceSource)).toEqual(['bank', 'bank', 'bank'])
    // NONREF: no reference of the account servicing institution, the parser builds one
    expect(parseMt940(DE)[0]!.entries.map((e) => [e.reference, e.referenceSource])).toEqual([
      ['10020030/1234567/2023-01-31/00001/001/1', 'parser'], ['10020030/1234567/2023-01-31/00001/001/2', 'parser'],
    ])
    const [a, b, c] = s!.entries.map((e) => e.transactions[0]!)
    expect([a!.endToEndId, a!.remittance.unstructured]).toEqual(['EV12341REP1231456T1234', ['EV10001REP1000000T1000']])
    expect(b!.remittance.unstructured).toEqual(['TOTAAL 1 VZ'])
    expect([c!.endToEndId, c!.mandateId, c!.debtor, c!.remittance.structured]).toEqual([
      'INV-2027-0001', 'RUM-0042', { name: 'J. DUPONT', iban: 'BE71096123456769' }, [{ reference: 'RF18539007547034', issuer: 'ISO' }],
    ])
    expect(s!.additionalInfo).toEqual(['/SUM/4/4/134,46/36,58/'])
    expect(s!.checks.map((k) => [k.figure, k.severity, k.convention])).toEqual([
      ['closing balance 62F', 'ok', undefined],
      ['available balance 64', 'ok', 'equals the closing booked balance 62F (no funds in float)'],
      ['available balance 65', 'ok', 'equals the closing booked balance 62F (no funds in float)'],
    ])
  })

  it('reads German ?xx subfields with their SEPA keywords (EREF+, MREF+, SVWZ+), and an RC reversal as a debit', () => {
    const [s1, s2] = parseMt940(DE)
    const [credit, debit] = s1!.entries.map((e) => e.transactions[0]!)
    expect([credit!.endToEndId, credit!.remittance, credit!.debtor, credit!.bankTransactionCode]).toEqual([
      'ECOLE-G1-2301', { unstructured: ['Cantine janvier RF185390 07547034'], structured: [{ reference: 'RF18539007547034', issuer: 'ISO' }] },
      { name: 'Martin Pierre', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' }, '166',
    ])
    expect([debit!.mandateId, debit!.remittance.unstructured, debit!.creditor]).toEqual(['RUM-0042', ['Abo'], undefined])
    expect(s2!.entries.map((e) => [e.creditDebit, e.reversal, shown(e.amount)])).toEqual([['debit', true, '5.00 EUR']])
    expect(statementDisagreements(s1!)).toEqual([])
    // the second statement opens at 1030.00 where the first closed at 1032.50: reported, not thrown
    expect(statementDisagreements(s2!)).toEqual([{
      rule: 'balance', figure: "opening balance 60F against the previous statement's closing balance 62F", stated: '1030.00 EUR', computed: '1032.50 EUR', severity: 'disagreement',
    }])
  })

  it('reports a closing balance that is not opening + entries, and reads free-text :86: with a Belgian OGM', () => {
    const text = ING.replace(':62F:C140220EUR663,79', ':62F:C140220EUR700,00').replace(':86:/PREF/M000000003333333//REMI/USTD//TOTAAL 1 VZ/', ':86:COMMUNICATION +++123/4567/89002+++ CANTINE')
    const [s] = parseMt940(text)
    expect(statementDisagreements(s!).map((c) => [c.figure, c.stated, c.computed])).toEqual([['closing balance 62F', '700.00 EUR', '663.79 EUR (opening 60F 662.23 + booked entries 1.56)']])
    expect(s!.entries[1]!.transactions[0]!.remittance).toEqual({ unstructured: ['COMMUNICATION +++123/4567/89002+++ CANTINE'], structured: [{ reference: '123456789002', issuer: 'BBA' }] })
  })

  it('refuses an amount with more decimals than its currency, naming the field (never rounds it)', () => {
    const e = thrown(() => parseMt940(ING.replace('1402200220C1,56', '1402200220C1,565')))
    expect(e.code).toBe('MALFORMED_BANK_FILE')
    expect(e.message).toContain('field :61:')
    expect(e.message).toContain('"1.565" has more decimals than EUR allows (2)')
  })

  it('refuses what is not MT940, naming the line and the field', () => {
    expect(thrown(() => parseMt940(ING.replace(':25:NL20INGB0001234567EUR\r\n', ''))).message).toContain('field :25:: is missing')
    expect(thrown(() => parseMt940(ING.replace(':61:1402200220D1,57', ':61:1402200220X1,57'))).message).toContain('line 10, field :61:: must be value date')
    expect(thrown(() => parseMt940(ING.replace(':60F:C140219EUR662,23', ':60F:C140219EUR662.23'))).message).toContain('field :60F:')
    expect(thrown(() => parseMt940(ING.replace('1402200220C1,56', '1413200220C1,56'))).message).toContain('is not a real date')
    expect(thrown(() => parseMt940('hello')).code).toBe('MALFORMED_BANK_FILE')
    expect(thrown(() => parseMt940(42 as unknown as string)).code).toBe('INVALID_INPUT')
  })

  it('decodes bytes as Windows-1252 by default', () => {
    const [s] = parseMt940(Buffer.from(ING.replace('TOTAAL 1 VZ', 'Crèche Zoë'), 'latin1'))
    expect(s!.entries[1]!.transactions[0]!.remittance.unstructured).toEqual(['Crèche Zoë'])
  })
})

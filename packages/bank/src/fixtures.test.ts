import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCamt052 } from './camt/parse-camt-052'
import { parseCamt053 } from './camt/parse-camt-053'
import { parseCamt054 } from './camt/parse-camt-054'
import { parseCoda } from './coda/parse-coda'
import { parseMt940 } from './mt940/parse-mt940'
import { parsePain002 } from './pain/parse-pain-002'
import type { BankStatement } from './statement/bank-statement'
import { FIXTURES, fixtureBytes } from './test-support/fixtures'

/** Each check as [figure, severity, stated, computed, convention]: one line each, to assert them one by one. */
const checksOf = (s: BankStatement) => s.checks.map((c) => [c.figure, c.severity, c.stated, c.computed, c.convention])

describe('every real bank file in fixtures/ parses, with its checks', () => {
  it('keeps a licence beside the files of each project they come from', () => {
    const files = readdirSync(FIXTURES)
    const projects = new Set(files.filter((f) => !f.startsWith('LICENSE') && !f.endsWith('.md')).map((f) => f.split('-')[0]))
    for (const p of projects) expect(files.some((f) => f.startsWith(`LICENSE.${p}`)), `licence of ${p}`).toBe(true)
  })

  it('genkgo camt.053.001.02: its CLBD (SEK), OPAV (CHF) and CLAV (JPY) are not in the account currency EUR, so its closing balance cannot agree', () => {
    const [s] = parseCamt053(fixtureBytes('genkgo-camt-camt053.v2.minimal.xml'))
    expect(checksOf(s!)).toEqual([
      ['CLBD balance currency', 'disagreement', 'SEK', 'EUR', "the statement's currency"],
      ['OPAV balance currency', 'disagreement', 'CHF', 'EUR', "the statement's currency"],
      ['CLAV balance currency', 'disagreement', 'JPY', 'EUR', "the statement's currency"],
      ['closing balance CLBD', 'disagreement', '-27.00 SEK', '27.00 EUR (opening OPBD 18.15 + booked entries 8.85), not comparable with a balance in SEK', undefined],
    ])
    expect(s!.entries).toHaveLength(1)
  })

  it('genkgo camt.053.001.08: the same figures as the .02 file, read from the .08 layout', () => {
    const [s] = parseCamt053(fixtureBytes('genkgo-camt-camt053.v8.xml'))
    expect(checksOf(s!).map(([figure, severity]) => [figure, severity])).toEqual([
      ['CLBD balance currency', 'disagreement'],
      ['OPAV balance currency', 'disagreement'],
      ['CLAV balance currency', 'disagreement'],
      ['closing balance CLBD', 'disagreement'],
    ])
  })

  it('genkgo camt.054.001.02: a notification without balances or summary, so no figure to check', () => {
    const [s] = parseCamt054(fixtureBytes('genkgo-camt-camt054.v2.xml'))
    expect(s!.checks).toEqual([])
    expect(s!.entries[0]!.transactions).toHaveLength(3)
  })

  it('pycoda CODA 2.3 single statement: balance, trailer, record 8 and both globalisations agree', () => {
    const [s] = parseCoda(fixtureBytes('pycoda-Coda_v2_3_single_statement.txt'))
    expect(checksOf(s!)).toEqual([
      ['closing balance CODA8', 'ok', '0.00 EUR', '0.00 EUR', undefined],
      ['trailer record 9 number of records', 'ok', '91', '91', undefined],
      ['trailer record 9 debit total', 'ok', '64703.01', '64703.01', undefined],
      ['trailer record 9 credit total', 'ok', '64703.01', '64703.01', undefined],
      ['new balance record 8 account (record 1 gives the account)', 'ok', 'BE86407051416150', 'BE86407051416150', undefined],
      ['new balance record 8 currency (record 1 gives the currency)', 'ok', 'EUR', 'EUR', undefined],
      ['movement 0016 (line 41) amount against its details', 'ok', '62095.01', '62095.01', undefined],
      ['movement 0017 (line 47) amount against its details', 'ok', '2608.00', '2608.00', undefined],
    ])
  })

  it('pycoda CODA 2.3 globalisation: everything agrees but record 8, which names account BE123016... where record 1 says BE123416...', () => {
    const [s] = parseCoda(fixtureBytes('pycoda-Coda_v2_3_globalisation.txt'))
    expect(checksOf(s!)).toEqual([
      ['closing balance CODA8', 'ok', '275270.53 EUR', '275270.53 EUR', undefined],
      ['trailer record 9 number of records', 'ok', '23', '23', undefined],
      ['trailer record 9 debit total', 'ok', '544.30', '544.30', undefined],
      ['trailer record 9 credit total', 'ok', '276270.00', '276270.00', undefined],
      ['new balance record 8 account (record 1 gives the account)', 'disagreement', 'BE12301676096039', 'BE12341676096039', undefined],
      ['new balance record 8 currency (record 1 gives the currency)', 'ok', 'EUR', 'EUR', undefined],
      ['movement 0003 (line 13) amount against its details', 'ok', '50000.00', '50000.00', undefined],
    ])
  })

  it('the two pain.002 reports (OCA, PostFinance) parse as status reports', () => {
    expect(parsePain002(fixtureBytes('oca-account-payment-test-sepa-pain-unpaid.pain.002.001.03.xml')).transactions).toHaveLength(4)
    expect(parsePain002(fixtureBytes('moov-iso20022-postfinance-pain002-rjct-1.xml')).transactions.length).toBeGreaterThan(0)
  })


  it('genkgo camt.052.001.02, .04 and .08: one intraday report each, one entry, no figure that disagrees', () => {
    for (const v of ['v2', 'v4', 'v8']) {
      const reports = parseCamt052(fixtureBytes(`genkgo-camt-camt052.${v}.xml`))
      expect(reports.map((r) => [r.format, r.entries.length, r.checks.filter((c) => c.severity === 'disagreement')])).toEqual([['camt.052', 1, []]])
    }
  })

  it('genkgo camt.053 with two statements: both read, nothing disagrees', () => {
    expect(parseCamt053(fixtureBytes('genkgo-camt-camt053.v2.multi.statement.xml')).map((s) => [s.entries.length, s.checks.filter((c) => c.severity === 'disagreement')])).toEqual([[1, []], [1, []]])
  })

  it('genkgo camt.053 with every balance type: PRCD and CLBD disagree with OPBD + entries, the four available balances are notices', () => {
    const [s] = parseCamt053(fixtureBytes('genkgo-camt-camt053.v2.all-balance-types.xml'))
    expect(checksOf(s!).map(([figure, severity, stated, computed]) => [figure, severity, stated, computed])).toEqual([
      ['previously closed booked balance PRCD against the opening booked balance OPBD', 'disagreement', '2.02 EUR', '1.01 EUR'],
      ['closing balance CLBD', 'disagreement', '4.04 EUR', '9.86 EUR (opening OPBD 1.01 + booked entries 8.85)'],
      ['available balance OPAV', 'notice', '3.03 EUR', '1.01 EUR'],
      ['available balance CLAV', 'notice', '5.05 EUR', '4.04 EUR'],
      ['available balance FWAV', 'notice', '6.06 EUR', '4.04 EUR'],
      ['available balance ITAV', 'notice', '8.08 EUR', '4.04 EUR'],
    ])
  })

  // jejik's MT940 fixtures (via WoLpH/mt940) are anonymised: several no longer add up, and say so
  const mt940 = (file: string) => parseMt940(fixtureBytes(file)).map((s) => [s.entries.length, s.checks.filter((c) => c.severity === 'disagreement').map((c) => `${c.figure}: ${c.stated} / ${c.computed}`)])

  it('jejik MT940 of Rabobank (IBAN) and SNS: every statement adds up', () => {
    expect(mt940('jejik-mt940-rabobank-iban.sta')).toEqual([[2, []], [2, []]])
    expect(mt940('jejik-mt940-sns.sta')).toEqual([[2, []], [0, []]])
  })

  it('jejik MT940 of ABN AMRO, ING, Knab, PostFinance and Triodos: read whole, their anonymised balances reported as disagreements', () => {
    expect(mt940('jejik-mt940-abnamro.sta')).toEqual([
      [8, ['closing balance 62F: 876.84 EUR / 2914.84 EUR (opening 60F 3236.28 + booked entries -321.44)']],
      [2, ['closing balance 62M: 1849.75 EUR / 2852.35 EUR (opening 60M 2876.84 + booked entries -24.49)', "opening balance 60M against the previous statement's closing balance 62F: 2876.84 EUR / 876.84 EUR"]],
    ])
    expect(mt940('jejik-mt940-ing.sta')).toEqual([[7, ['closing balance 62F: 3.47 EUR / -45.59 EUR (opening 60F 0.00 + booked entries -45.59)']]])
    expect(mt940('jejik-mt940-knab.sta')).toEqual([
      [1, []],
      [2, ['closing balance 62F: 798.98 EUR / -3701.02 EUR (opening 60F 3058.98 + booked entries -6760.00)', "opening balance 60F against the previous statement's closing balance 62F: 3058.98 EUR / 500.00 EUR"]],
    ])
    expect(mt940('jejik-mt940-postfinance.sta')).toEqual([[2, []], [2, ['closing balance 62F: 159.60 CHF / 159.40 CHF (opening 60M 229.20 + booked entries -69.80)']]])
    expect(mt940('jejik-mt940-triodos.sta')).toEqual([[2, ['closing balance 62F: 4370.79 EUR / 4259.39 EUR (opening 60F 4975.09 + booked entries -715.70)']]])
    // Triodos writes the German subfields with '>' instead of '?'
    const [t] = parseMt940(fixtureBytes('jejik-mt940-triodos.sta'))
    expect(t!.entries[1]!.transactions[0]!.remittance.unstructured).toEqual(['HUUR KANTOOR - FEB 2010'])
  })
})

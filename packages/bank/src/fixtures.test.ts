import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCamt053 } from './camt/parse-camt-053'
import { parseCamt054 } from './camt/parse-camt-054'
import { parseCoda } from './coda/parse-coda'
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

})

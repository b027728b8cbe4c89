import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { parseCamt053 } from './camt/parse-camt-053'
import { testCamt053 } from './camt/test-statement'
import { parseCoda } from './coda/parse-coda'
import { statementDisagreements } from './statement/check-statement'
import { codaFile } from './test-support/coda-records'

const entries = fc.array(fc.record({ cents: fc.bigInt({ min: 1n, max: 10_000_000n }), credit: fc.boolean(), day: fc.integer({ min: 1, max: 28 }) }), { minLength: 1, maxLength: 30 })

describe('statements generated, written and parsed back', () => {
  test.prop([entries])('a camt.053 written from generated entries reads back with the same entries, and every check agrees', (es) => {
    const xml = testCamt053('BE68539007547034', es.map((e, i) => ({ ref: `R${i}`, cents: e.cents, credit: e.credit, date: `2027-01-${String(e.day).padStart(2, '0')}` })))
    const [s] = parseCamt053(xml)
    expect(s!.entries.map((e) => [e.amount.minor, e.creditDebit === 'credit'])).toEqual(es.map((e) => [e.cents, e.credit]))
    expect(s!.checks.map((c) => c.severity)).toEqual(['ok'])
  })

  test.prop([entries, fc.bigInt({ min: 1n, max: 1_000_000n })])('a camt.053 whose closing balance is made to disagree is reported, never thrown', (es, delta) => {
    const xml = testCamt053('BE68539007547034', es.map((e, i) => ({ ref: `R${i}`, cents: e.cents, credit: e.credit, date: '2027-01-10' })))
      .replace('<Amt Ccy="EUR">0.00</Amt>', `<Amt Ccy="EUR">${(delta / 100n).toString()}.${String(delta % 100n).padStart(2, '0')}</Amt>`)
    const [s] = parseCamt053(xml)
    expect(statementDisagreements(s!).map((c) => c.figure)).toEqual(['closing balance CLBD'])
    expect(s!.entries).toHaveLength(es.length)
  })

  test.prop([entries, fc.bigInt({ min: -1_000_000n, max: 1_000_000n }).filter((d) => d !== 0n)])('a CODA file whose new balance is made to disagree is reported with both figures, never thrown', (es, delta) => {
    const movements = es.map((e, i) => ({ seq: i + 1, bankRef: `B${i}`, credit: e.credit, cents: e.cents }))
    const total = es.reduce((acc, e) => acc + (e.credit ? e.cents : -e.cents), 0n)
    const [good] = parseCoda(codaFile({ openingCents: 0n, movements }))
    expect(statementDisagreements(good!)).toEqual([])
    const [bad] = parseCoda(codaFile({ openingCents: 0n, movements, closingCents: total + delta }))
    expect(statementDisagreements(bad!).map((c) => c.figure)).toEqual(['closing balance CODA8'])
  })
})

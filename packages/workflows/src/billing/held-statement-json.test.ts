import { parseCamt053, testCamt053 } from '@ecole/bank'
import { describe, expect, it } from 'vitest'
import { statementFromJson, statementToJson } from './index'

describe('a held statement as JSON', () => {
  it('keeps every amount as minor units and its currency: the statement read back equals the one written', () => {
    const [statement] = parseCamt053(testCamt053('BE68539007547034', [
      { ref: 'R1', cents: 4250n, credit: true, date: '2027-01-05' },
      { ref: 'R2', cents: 12_345_678_901_234_567n, credit: false, date: '2027-01-06' },
    ]))
    const json = statementToJson(statement!)
    expect(json).toContain('{"$minor":["4250","EUR"]}')
    const back = statementFromJson(json)
    expect(back).toEqual(statement)
    expect(back.entries.map((e) => e.amount)).toEqual([{ minor: 4250n, currency: 'EUR' }, { minor: 12_345_678_901_234_567n, currency: 'EUR' }])
  })

  it('reads a statement held before 0.1.0, its amounts written as { "$money": [decimal, currency] }, into minor units', () => {
    const old = '{"entries":[{"reference":"R1","amount":{"$money":["42.50","EUR"]}}],"balances":[{"code":"CLBD","amount":{"$money":["-7","JPY"]}}]}'
    const back = statementFromJson(old)
    expect(back.entries[0]!.amount).toEqual({ minor: 4250n, currency: 'EUR' })
    expect(back.balances[0]!.amount).toEqual({ minor: -7n, currency: 'JPY' })
  })
})

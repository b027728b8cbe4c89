import { fc, test } from '@fast-check/vitest'
import { rejectedDebits } from '@ecole/bank'
import { isEcoleError } from '@ecole/core'
import { describe, expect } from 'vitest'
import { writeCbiStatusReport, type ModelStatusMessage, type ModelStatusReport } from '../test-support/write-cbi-status'
import { parseCbiSddStatusReport, parseCbiSddStatusReports } from './parse-cbi-sdd-status'

const transaction = fc.record({
  status: fc.constantFrom('RJCT' as const, 'ACCP' as const, 'PDNG' as const),
  reason: fc.option(fc.constantFrom('AC01', 'AC04', 'AM04', 'MD01', 'MD06', 'MS02', 'SL01'), { nil: undefined }),
  cents: fc.integer({ min: 1, max: 9_999_999 }),
})

/**
 * An envelope of 1 to 6 logical messages, each with 0 to 5 transactions, every end-to-end id
 * distinct; `sameRequest` makes every message answer one request with one group status.
 */
const report = (sameRequest: boolean): fc.Arbitrary<ModelStatusReport> => fc.record({
  messages: fc.array(fc.record({ request: fc.integer({ min: 1, max: 3 }), transactions: fc.array(transaction, { maxLength: 5 }) }), { minLength: 1, maxLength: 6 }),
  prefixed: fc.boolean(),
}).map(({ messages, prefixed }) => ({
  prefixed,
  messages: messages.map((m, i): ModelStatusMessage => ({
    messageId: `STS-${i + 1}`, originalMessageId: `ECOLE-2027-01-00${sameRequest ? 1 : m.request}`, groupStatus: 'PART', blockId: `BLOCK-${i + 1}`,
    transactions: m.transactions.map((t, j) => ({
      endToEndId: `INV-${i + 1}-${j + 1}`, status: t.status, reason: t.status === 'RJCT' ? t.reason : undefined, amount: `${Math.floor(t.cents / 100)}.${String(t.cents % 100).padStart(2, '0')}`,
    })),
  })),
}))

/** What the bank rejected, message by message, in file order: end-to-end id and reason. */
const rejectionsOf = (model: ModelStatusReport): Array<[string, string | undefined]> =>
  model.messages.flatMap((m) => m.transactions.filter((t) => t.status === 'RJCT').map((t): [string, string | undefined] => [t.endToEndId, t.reason]))

describe('parseCbiSddStatusReport properties', () => {
  test.prop([report(false)], { numRuns: 100 })('every rejection in any number of logical messages is returned exactly once, in file order, with its reason', (model) => {
    const reports = parseCbiSddStatusReports(writeCbiStatusReport(model))
    expect(reports.map((r) => [r.messageId, r.originalMessageId])).toEqual(model.messages.map((m) => [m.messageId, m.originalMessageId]))
    const rejected = reports.flatMap((r) => r.transactions.filter((t) => t.rejected).map((t) => [t.originalEndToEndId, t.reasons[0]?.reasonCode]))
    expect(rejected).toEqual(rejectionsOf(model))
  })

  test.prop([report(true)], { numRuns: 100 })('messages answering one request read as one report whose rejected debits are every message\'s, each once', (model) => {
    const merged = parseCbiSddStatusReport(writeCbiStatusReport(model))
    expect(merged.transactions.map((t) => [t.originalEndToEndId, t.status])).toEqual(model.messages.flatMap((m) => m.transactions.map((t) => [t.endToEndId, t.status])))
    // what a finance team records: each rejected debit once, with the bank's reason (MS03 when it gave none)
    expect(rejectedDebits(merged).map((d) => [d.endToEndId, d.reasonCode])).toEqual(rejectionsOf(model).map(([e2e, reason]) => [e2e, reason ?? 'MS03']))
  })

  test.prop([report(false), fc.integer({ min: 0, max: 9 })], { numRuns: 60 })('a file whose NbOfLogMsg is not the number of messages it holds is refused, naming NbOfLogMsg', (model, stated) => {
    fc.pre(stated !== model.messages.length)
    let caught: unknown
    try {
      parseCbiSddStatusReports(writeCbiStatusReport({ ...model, stated }))
    } catch (e) {
      caught = e
    }
    expect(isEcoleError(caught, 'MALFORMED_BANK_FILE')).toBe(true)
    expect((caught as { details: { field: string } }).details.field).toBe('CBIBdySDDStsRpt/PhyMsgInf/NbOfLogMsg')
  })
})

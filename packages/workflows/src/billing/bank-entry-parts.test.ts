import type { ReconciliationResult, StatementEntry } from '@ecole/bank'
import { describe, expect, it } from 'vitest'
import { unbalancedEntries } from './bank-entry-parts'

const eur = (minor: bigint) => ({ minor, currency: 'EUR' })
const credit = (ref: string, minor: bigint): StatementEntry => ({
  reference: ref, amount: eur(minor), creditDebit: 'credit', reversal: false, status: 'booked', additionalInfo: [],
  transactions: [{ remittance: { structured: [], unstructured: [] } }],
})
const empty = (): ReconciliationResult => ({
  walletTopUps: [], invoicePayments: [], directDebitReturns: [], ambiguous: [], unmatched: [], duplicates: [], skipped: [], importedReferences: [],
})
const topUp = (ref: string, index: number, minor: bigint) => ({ entryReference: ref, transactionIndex: index, amount: eur(minor), walletId: 'g1', matchedBy: 'structuredReference' as const, reference: 'x' })

// The import's guard against a reconciliation that reports parts of an entry that do not add up to
// it (reconciliation of 0.x split every batch whose transactions gave amounts, whatever their sum).
describe('unbalancedEntries: the entries whose reported parts do not add up to them', () => {
  it('finds an entry of 150.00 reported as two top-ups of 50.00, and one of 100.00 reported as two of 80.00', () => {
    const entries = new Map([['B1', { entry: credit('B1', 15000n) }], ['B2', { entry: credit('B2', 10000n) }]])
    const result = { ...empty(), walletTopUps: [topUp('B1', 0, 5000n), topUp('B1', 1, 5000n), topUp('B2', 0, 8000n)], unmatched: [{ entryReference: 'B2', transactionIndex: 1, amount: eur(8000n), creditDebit: 'credit' as const }] }
    expect(unbalancedEntries(entries, result)).toEqual(['B1', 'B2'])
  })

  it('finds an entry one of whose transfers is missing from what reconciliation reports', () => {
    const entries = new Map([['B1', { entry: credit('B1', 10000n) }]])
    expect(unbalancedEntries(entries, { ...empty(), walletTopUps: [topUp('B1', 0, 6000n)] })).toEqual(['B1'])
  })

  it('finds none when the parts add up, a part of the other direction counting against the entry (80.00 in, 30.00 returned: 50.00)', () => {
    const entries = new Map([['B1', { entry: credit('B1', 5000n) }], ['W', { entry: credit('W', 4200n) }]])
    const result = {
      ...empty(),
      walletTopUps: [topUp('B1', 0, 8000n)],
      directDebitReturns: [{ entryReference: 'B1', transactionIndex: 1, amount: eur(3000n), endToEndId: 'E2E', invoiceIds: [] }],
      ambiguous: [{ entryReference: 'W', transactionIndex: 0, amount: eur(4200n), creditDebit: 'credit' as const, reason: 'BATCH_AMOUNTS_DIFFER' as const, candidates: [] }],
    }
    expect(unbalancedEntries(entries, result)).toEqual([])
  })

  it('does not look at entries reconciliation reports nothing of (imported before, pending)', () => {
    expect(unbalancedEntries(new Map([['B1', { entry: credit('B1', 5000n) }]]), { ...empty(), duplicates: [{ entryReference: 'B1', amount: eur(5000n) }] })).toEqual([])
  })
})

import { ogmDigitsArb } from '@ecole/testing'
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import type { StatementEntry } from '../statement/bank-statement'
import { entry, eur, type TestPayment } from '../test-support/entries'
import { reconcile } from './reconcile'

/**
 * Entries of one to four transactions, each with its own amount (or, sometimes, none) and
 * direction, whose entry amount is their sum or any other amount; open items their references name.
 */
const scenario = fc
  .uniqueArray(ogmDigitsArb(), { minLength: 3, maxLength: 3 })
  .chain((refs) => {
    const tx = fc.record({
      cents: fc.option(fc.bigInt({ min: 0n, max: 20_000n }), { freq: 8, nil: undefined }),
      credit: fc.option(fc.boolean(), { freq: 3, nil: undefined }),
      structured: fc.array(fc.constantFrom(...refs, 'junk'), { maxLength: 1 }),
    })
    const anEntry = fc.record({
      credit: fc.boolean(),
      txs: fc.array(tx, { minLength: 1, maxLength: 4 }),
      // the entry's amount: what its transactions add up to, or another amount
      other: fc.option(fc.bigInt({ min: 0n, max: 40_000n }), { freq: 2, nil: undefined }),
      ref: fc.constantFrom(...'ABCDEFGHIJ'),
    })
    return fc.record({ refs: fc.constant(refs), entries: fc.array(anEntry, { minLength: 1, maxLength: 8 }) })
  })
  .map(({ refs, entries }) => ({
    items: {
      invoices: refs.slice(0, 2).map((reference, i) => ({ id: `i${i}`, reference, amountDue: eur(5_000n) })),
      wallets: [{ id: 'w0', reference: refs[2]! }],
    },
    entries: entries.map((e) => {
      const payments: TestPayment[] = e.txs.map((t) => ({ ...(t.cents !== undefined ? { cents: t.cents } : {}), ...(t.credit !== undefined ? { credit: t.credit } : {}), structured: t.structured }))
      // an oracle written here: each transaction in its direction, the entry's when it has none
      const sum = e.txs.reduce((a, t) => a + ((t.credit ?? e.credit) === e.credit ? 1n : -1n) * (t.cents ?? 0n), 0n)
      const cents = e.other ?? (sum >= 0n ? sum : -sum)
      const built = entry(e.ref, cents, sum >= 0n ? e.credit : !e.credit, payments)
      // a transaction without a direction of its own (camt.053.001.02) goes the entry's way
      e.txs.forEach((t, i) => { if (t.credit === undefined) delete built.transactions[i]!.creditDebit })
      return built
    }),
  }))

/** What reconciliation reports for each entry: the amount of each part, in the entry's direction, and the indexes of its parts. */
function parts(r: ReturnType<typeof reconcile>, entries: readonly StatementEntry[]) {
  // an entry whose reference an earlier one has is a duplicate: the first one's direction counts
  const direction = new Map<string, 'credit' | 'debit'>()
  for (const e of entries) if (!direction.has(e.reference)) direction.set(e.reference, e.creditDebit)
  const out = new Map<string, { total: bigint; indexes: number[] }>()
  const add = (ref: string, index: number, minor: bigint, cd: 'credit' | 'debit') => {
    const p = out.get(ref) ?? { total: 0n, indexes: [] }
    out.set(ref, p)
    p.total += cd === direction.get(ref) ? minor : -minor
    p.indexes.push(index)
  }
  for (const x of [...r.invoicePayments, ...r.walletTopUps]) add(x.entryReference, x.transactionIndex, x.amount.minor, 'credit')
  for (const x of r.directDebitReturns) add(x.entryReference, x.transactionIndex, x.amount.minor, 'debit')
  for (const x of [...r.ambiguous, ...r.unmatched]) add(x.entryReference, x.transactionIndex, x.amount.minor, x.creditDebit)
  return out
}

describe('reconcile properties: batch entries whose transactions add up to them or not', () => {
  test.prop([scenario])('what reconciliation reports of an entry, matched or for review, is the entry\'s amount: never more, never less', ({ items, entries }) => {
    const r = reconcile(entries, items)
    const reported = parts(r, entries)
    const first = new Map<string, StatementEntry>()
    for (const e of entries) if (!first.has(e.reference)) first.set(e.reference, e)
    expect([...reported.keys()].sort()).toEqual([...first.keys()].sort())
    for (const [ref, e] of first) expect([ref, reported.get(ref)!.total]).toEqual([ref, e.amount.minor])
  }, 60_000)

  test.prop([scenario])('an entry is reported by parts only when each of its transactions gives an amount and these add up to it; otherwise whole, and for review when they give amounts that do not', ({ items, entries }) => {
    const r = reconcile(entries, items)
    const reported = parts(r, entries)
    const seen = new Set<string>()
    for (const e of entries) {
      if (seen.has(e.reference)) continue
      seen.add(e.reference)
      const priced = e.transactions.every((t) => t.amount !== undefined)
      const sum = e.transactions.reduce((a, t) => a + ((t.creditDebit ?? e.creditDebit) === e.creditDebit ? 1n : -1n) * (t.amount?.minor ?? 0n), 0n)
      const p = reported.get(e.reference)!
      if (priced && e.transactions.length > 1 && sum === e.amount.minor) expect(p.indexes.slice().sort()).toEqual(e.transactions.map((_, i) => i))
      else expect(p.indexes).toEqual([0])
      if (priced && sum !== e.amount.minor) {
        expect(r.ambiguous.filter((a) => a.entryReference === e.reference).map((a) => [a.reason, a.amount.minor])).toEqual([['BATCH_AMOUNTS_DIFFER', e.amount.minor]])
      }
    }
  }, 60_000)

  test.prop([scenario])('reconciling the same entries again reports them all as duplicates and nothing else', ({ items, entries }) => {
    const first = reconcile(entries, items)
    const again = reconcile(entries, items, { alreadyImported: first.importedReferences })
    expect(again.duplicates.length).toBe(entries.length)
    expect([again.walletTopUps, again.invoicePayments, again.directDebitReturns, again.ambiguous, again.unmatched]).toEqual([[], [], [], [], []])
  }, 60_000)
})

import { ogmDigitsArb, rfArb } from '@ecole/testing'
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { entry, eur, type TestPayment } from '../test-support/entries'
import { reconcile } from './reconcile'

/** Open items with distinct references, and statement entries that mention some of them (or junk). */
const scenario = fc
  .record({
    walletRefs: fc.uniqueArray(ogmDigitsArb(), { maxLength: 5 }),
    invoiceRefs: fc.uniqueArray(fc.oneof(ogmDigitsArb(), rfArb()), { maxLength: 8 }),
    dues: fc.array(fc.bigInt({ min: 1n, max: 100_000n }), { minLength: 8, maxLength: 8 }),
  })
  .filter((s) => new Set([...s.walletRefs, ...s.invoiceRefs]).size === s.walletRefs.length + s.invoiceRefs.length)
  .chain((s) => {
    const refs = [...s.walletRefs, ...s.invoiceRefs, 'junk', 'RF00 nothing', '000000000000']
    const payment: fc.Arbitrary<TestPayment> = fc.record({
      cents: fc.bigInt({ min: 1n, max: 100_000n }),
      structured: fc.array(fc.constantFrom(...refs), { maxLength: 2 }),
      text: fc.array(fc.constantFrom(...refs).map((r) => `ref ${r} merci`), { maxLength: 1 }),
      e2e: fc.constantFrom('DD-1', 'DD-2', 'other'),
      iban: fc.constantFrom('BE71096123456769', 'BE68539007547034'),
    })
    const anEntry = fc.record({ credit: fc.boolean(), payments: fc.array(payment, { minLength: 1, maxLength: 3 }), ref: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRST') })
    return fc.record({ s: fc.constant(s), entries: fc.array(anEntry, { maxLength: 15 }) })
  })
  .map(({ s, entries }) => ({
    items: {
      wallets: s.walletRefs.map((reference, i) => ({ id: `w${i}`, reference })),
      invoices: s.invoiceRefs.map((reference, i) => ({ id: `i${i}`, reference, amountDue: eur(s.dues[i]!), payerIbans: i % 2 === 0 ? ['BE71096123456769'] : [] })),
      directDebits: [{ endToEndId: 'DD-1', amount: eur(4250n), invoiceIds: s.invoiceRefs.length > 0 ? ['i0'] : [] }, { endToEndId: 'DD-2', amount: eur(100n), invoiceIds: [] }],
    },
    entries: entries.map((e) => {
      const total = e.payments.reduce((a, p) => a + p.cents!, 0n)
      return entry(e.ref, total, e.credit, e.payments.length === 1 ? [{ ...e.payments[0]!, cents: undefined }] : e.payments)
    }),
  }))

describe('reconcile properties', () => {
  test.prop([scenario])('every booked payment lands in exactly one result list', ({ items, entries }) => {
    const r = reconcile(entries, items)
    const seen = new Set<string>()
    let units = 0
    for (const e of entries) {
      if (seen.has(e.reference)) continue
      seen.add(e.reference)
      units += e.transactions.length
    }
    const placed = r.walletTopUps.length + r.invoicePayments.length + r.directDebitReturns.length + r.ambiguous.length + r.unmatched.length
    expect(placed).toBe(units)
    expect(r.duplicates.length).toBe(entries.length - seen.size)
  }, 60_000)

  test.prop([scenario])('a payment is split into invoice allocations and a remainder that add up to it, and no invoice gets more than was due', ({ items, entries }) => {
    const r = reconcile(entries, items)
    const paid = new Map<string, bigint>()
    for (const p of r.invoicePayments) {
      const sum = p.allocations.reduce((a, x) => a + x.amount.minor, 0n)
      expect(sum + p.unallocated.minor).toBe(p.amount.minor)
      expect(p.unallocated.minor < 0n).toBe(false)
      for (const a of p.allocations) paid.set(a.invoiceId, (paid.get(a.invoiceId) ?? 0n) + a.amount.minor)
    }
    for (const inv of items.invoices) {
      const due = BigInt(inv.amountDue.amount.replace('.', ''))
      expect(paid.get(inv.id) ?? 0n).toBeLessThanOrEqual(due)
    }
  }, 60_000)

  test.prop([scenario])('importing the same entries again changes nothing: they are all duplicates', ({ items, entries }) => {
    const first = reconcile(entries, items)
    const second = reconcile(entries, items, { alreadyImported: first.importedReferences })
    expect(second.duplicates.length).toBe(entries.length)
    expect([second.walletTopUps, second.invoicePayments, second.directDebitReturns, second.ambiguous, second.unmatched, second.importedReferences]).toEqual([[], [], [], [], [], []])
  }, 60_000)

  test.prop([scenario])('money going out never pays an invoice nor tops up a wallet', ({ items, entries }) => {
    const r = reconcile(entries, items)
    const outgoing = new Set(entries.filter((e) => e.creditDebit === 'debit').map((e) => e.reference))
    const credits = new Set(entries.filter((e) => e.creditDebit === 'credit').map((e) => e.reference))
    for (const x of [...r.walletTopUps, ...r.invoicePayments]) expect(outgoing.has(x.entryReference) && !credits.has(x.entryReference)).toBe(false)
  }, 60_000)
})

describe('reconcile properties: one direct debit, settled and returned once', () => {
  const DEBIT = 3000n
  const open = { invoices: [{ id: 'inv-1', reference: 'RF18539007547034', amountDue: eur(DEBIT) }], directDebits: [{ endToEndId: 'DD-1', amount: eur(DEBIT), invoiceIds: ['inv-1'] }] }
  // amounts around the debit's, so that exact ones, short ones and excess ones all come up
  const cents = fc.oneof(fc.constant(DEBIT), fc.bigInt({ min: 1n, max: 2n * DEBIT }))
  const moves = fc.array(fc.record({ credit: fc.boolean(), cents }), { maxLength: 8 })

  test.prop([moves, fc.boolean()])('for any credits and returns naming one debit, at most one credit of its exact amount settles it, at most one return of its amount applies, and every other is for review', (list, settledBefore) => {
    const entries = list.map((m, i) => entry(`E${i}`, m.cents, m.credit, [{ e2e: 'DD-1', ...(m.credit ? {} : { reason: 'AM04' }) }]))
    const r = reconcile(entries, open, settledBefore ? { settledDirectDebits: ['DD-1'] } : {})
    const credits = list.flatMap((m, i) => (m.credit ? [{ ...m, ref: `E${i}` }] : []))
    const debits = list.flatMap((m, i) => (m.credit ? [] : [{ ...m, ref: `E${i}` }]))
    // the oracle: the first exact credit settles (unless settled before), the first exact return applies
    const settler = settledBefore ? undefined : credits.find((m) => m.cents === DEBIT)
    const returner = debits.find((m) => m.cents === DEBIT)
    expect(r.invoicePayments.map((p) => [p.entryReference, p.amount.minor])).toEqual(settler ? [[settler.ref, DEBIT]] : [])
    expect(r.directDebitReturns.map((p) => [p.entryReference, p.amount.minor])).toEqual(returner ? [[returner.ref, DEBIT]] : [])
    const paid = r.invoicePayments.flatMap((p) => p.allocations).reduce((a, x) => a + x.amount.minor, 0n)
    expect(paid).toBe(settler ? DEBIT : 0n)
    const applied = new Set([settler?.ref, returner?.ref])
    expect(r.ambiguous.map((a) => a.entryReference).sort()).toEqual(list.map((_, i) => `E${i}`).filter((ref) => !applied.has(ref)).sort())
    expect(r.unmatched).toEqual([])
  })
})

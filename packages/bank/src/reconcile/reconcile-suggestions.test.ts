import { describe, expect, it } from 'vitest'
import type { StatementEntry } from '../statement/bank-statement'
import { entry, eur, shown } from '../test-support/entries'
import { reconcile } from './reconcile'

// Oracles written here: OGM = base + (base mod 97, 0 -> 97); RF check = 98 - (body + 'RF00' as digits) mod 97.
const ogmOf = (base: string) => {
  const r = Number(BigInt(base) % 97n)
  return base + String(r === 0 ? 97 : r).padStart(2, '0')
}
const rfOf = (body: string) => {
  const digits = [...`${body}RF00`].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('')
  return `RF${String(98n - (BigInt(digits) % 97n)).padStart(2, '0')}${body}`
}
const INV1 = ogmOf('0422000001')
const INV2 = ogmOf('0422000002')
const INV3 = rfOf('0422000003')
const printed = (d: string) => `+++${d.slice(0, 3)}/${d.slice(3, 7)}/${d.slice(7)}+++`
const named = (e: StatementEntry, name: string): StatementEntry => ({ ...e, transactions: e.transactions.map((t) => ({ ...t, debtor: { ...t.debtor, name } })) })

const items = () => ({
  invoices: [
    { id: 'inv-1', reference: INV1, amountDue: eur(4250n), dueDate: '2026-11-30' as const, payerNames: ['Hélène Dupré', 'Marc Dupré'] },
    { id: 'inv-2', reference: INV2, amountDue: eur(1705n), dueDate: '2026-10-31' as const, payerNames: ['Paul Martin'] },
    { id: 'inv-3', reference: INV3, amountDue: eur(3000n), dueDate: '2026-12-31' as const, payerNames: ['Sophie Lambert'] },
  ],
})

describe('reconcile: how families really pay', () => {
  it('splits one transfer paying several invoices by the references it carries, oldest due date first', () => {
    const r = reconcile([entry('E1', 5955n, true, [{ structured: [INV1], text: [`et ${printed(INV2)}`] }]), entry('E2', 5000n, true, [{ text: [`${INV1} ${INV2}`] }])], items())
    expect(r.invoicePayments.map((p) => [p.entryReference, p.allocations.map((a) => [a.invoiceId, shown(a.amount)]), shown(p.unallocated)])).toEqual([
      ['E1', [['inv-1', '42.50 EUR']], '17.05 EUR'],
      ['E2', [['inv-2', '17.05 EUR']], '32.95 EUR'],
    ])
  })

  it('lets several transfers pay one invoice, each taking what is still left on it', () => {
    const r = reconcile([entry('A', 2000n, true, [{ structured: [INV3] }]), entry('B', 1000n, true, [{ structured: [INV3] }]), entry('C', 500n, true, [{ structured: [INV3] }])], items())
    expect(r.invoicePayments.map((p) => [p.entryReference, p.allocations.map((a) => shown(a.amount)), shown(p.unallocated)])).toEqual([
      ['A', ['20.00 EUR'], '0.00 EUR'],
      ['B', ['10.00 EUR'], '0.00 EUR'],
    ])
    expect(r.ambiguous.map((a) => [a.entryReference, a.reason])).toEqual([['C', 'INVOICE_ALREADY_PAID']])
  })

  it('proposes, never applies, the invoice whose OGM is one digit away from the one typed, with the corrected reference', () => {
    const typed = `${INV1.slice(0, 5)}${(Number(INV1[5]) + 1) % 10}${INV1.slice(6)}`
    const r = reconcile([entry('T1', 4250n, true, [{ text: [`cantine ${printed(typed)}`] }])], items())
    expect(r.invoicePayments).toEqual([])
    expect(r.ambiguous).toEqual([{
      entryReference: 'T1', transactionIndex: 0, amount: { minor: 4250n, currency: 'EUR' }, creditDebit: 'credit', reason: 'REFERENCE_TYPO',
      candidates: [{ kind: 'invoice', id: 'inv-1', amount: { minor: 4250n, currency: 'EUR' }, score: 0.9, correctedReference: printed(INV1) }],
    }])
  })

  it('proposes the invoice whose RF has two neighbouring characters swapped', () => {
    const typed = `${INV3.slice(0, 5)}${INV3[6]}${INV3[5]}${INV3.slice(7)}`
    const r = reconcile([entry('T2', 3000n, true, [{ structured: [typed] }])], items())
    expect(r.ambiguous.map((a) => [a.reason, a.candidates.map((c) => [c.id, c.correctedReference])])).toEqual([['REFERENCE_TYPO', [['inv-3', INV3]]]])
  })

  it("offers name and amount matches as scored suggestions, best first, never posted; a stranger's payment stays unmatched", () => {
    const r = reconcile([
      named(entry('N1', 4250n, true, [{ text: ['cantine novembre'] }]), 'DUPRE HELENE'),
      named(entry('N2', 1000n, true, [{ text: ['acompte'] }]), 'M. Paul Martin'),
      named(entry('N3', 4250n, true, [{ text: ['cotisation'] }]), 'Jean Inconnu'),
    ], items())
    expect(r.invoicePayments).toEqual([])
    expect(r.ambiguous.map((a) => [a.entryReference, a.reason, a.candidates.map((c) => [c.id, c.score])])).toEqual([
      ['N1', 'NAME_AND_AMOUNT', [['inv-1', 1]]],
      ['N2', 'NAME_AND_AMOUNT', [['inv-2', 0.8]]], // same name (1.0), part of what is due (0.5): 0.6 + 0.2
    ])
    expect(r.unmatched.map((u) => u.entryReference)).toEqual(['N3'])
  })
})

import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { LocalDate } from '@ecole/core'
import { invoice, payment } from '../test-support/records'
import { cents, decodeLatin9, readFec } from '../test-support/fec-reader'
import { buildFec, type FecSettingsInput } from '.'

const settings: FecSettingsInput = {
  siren: '123456789',
  period: { from: '2026-01-01', to: '2026-12-31' },
  validatedOn: '2027-01-15',
  billingOffices: [
    { id: 'regie', name: 'Régie cantine', journalPrefix: 'C' },
    { id: 'peri', name: 'Régie périscolaire', journalPrefix: 'P' },
  ],
  accounts: { revenueByService: { canteen: { number: '706100', label: 'Restauration' } } },
}
const debtors = { 'g-1': { name: 'DUPONT Marie' }, 'g-2': { name: 'MARTIN Paul' }, 'g-3': { name: 'Ñuñez Zoë' } }

const day = fc.integer({ min: 0, max: 364 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10) as LocalDate)
const invoiceSpec = fc.record({
  day,
  office: fc.constantFrom('regie', 'peri'),
  payerId: fc.constantFrom('g-1', 'g-2', 'g-3'),
  lines: fc.array(fc.record({ serviceId: fc.constantFrom('canteen', 'garderie', 'etude'), amountMinor: fc.bigInt({ min: 0n, max: 500_000n }) }), { minLength: 1, maxLength: 5 }),
  reductionPercent: fc.integer({ min: 0, max: 100 }),
  surcharge: fc.bigInt({ min: 0n, max: 5_000n }),
  paidPercent: fc.integer({ min: 0, max: 150 }),
  method: fc.constantFrom('cash', 'cheque', 'card', 'transfer', 'directDebit'),
})

const dataArb = fc.array(invoiceSpec, { maxLength: 25 }).map((specs) => {
  const invoices = specs.map((s, i) => {
    const linesTotal = s.lines.reduce((a, l) => a + l.amountMinor, 0n)
    const reduction = (linesTotal * BigInt(s.reductionPercent)) / 100n
    return invoice({ id: `i${i}`, number: `F-${i}`, issueDate: s.day, debtorId: s.payerId, billingOfficeId: s.office, lines: s.lines, adjustments: [-reduction, s.surcharge] })
  })
  const payments = specs.flatMap((s, i) => {
    const inv = invoices[i]!
    const amount = (inv.totalMinor * BigInt(s.paidPercent)) / 100n
    if (amount === 0n) return []
    const settled = amount < inv.totalMinor ? amount : inv.totalMinor
    return [payment({ id: `p${i}`, date: s.day, method: s.method, amountMinor: amount, payerId: s.payerId, billingOfficeId: s.office, allocations: [{ invoiceId: inv.id, amountMinor: settled }] })]
  })
  return { invoices, payments }
})

test.prop([dataArb, fc.constantFrom('tab' as const, 'pipe' as const)])('any set of invoices and payments makes a file that follows the published rules: every entry and every journal balanced', ({ invoices, payments }, separator) => {
  const fec = buildFec({ ...settings, separator }, { invoices, payments, debtors })
  const rows = readFec(decodeLatin9(fec.bytes), separator === 'tab' ? '\t' : '|')
  expect(rows).toHaveLength(fec.lineCount)
  for (const [code, t] of Object.entries(fec.journals)) {
    expect(t.debitMinor).toBe(t.creditMinor)
    const inJournal = rows.filter((r) => r['JournalCode'] === code)
    expect(inJournal.reduce((s, r) => s + cents(r['Debit']!), 0n)).toBe(t.debitMinor)
  }
})

test.prop([dataArb])('the receivables debited in the sales journals are the sum of the invoices\' totals, and revenue the sum of their lines', ({ invoices }) => {
  const rows = readFec(decodeLatin9(buildFec(settings, { invoices, debtors }).bytes))
  const sum = (pred: (r: Record<string, string>) => boolean, col: 'Debit' | 'Credit') => rows.filter(pred).reduce((s, r) => s + cents(r[col]!), 0n)
  expect(sum((r) => r['CompteNum'] === '411000', 'Debit')).toBe(invoices.reduce((s, i) => s + i.totalMinor, 0n))
  expect(sum((r) => r['CompteNum']!.startsWith('706'), 'Credit')).toBe(invoices.reduce((s, i) => s + i.linesTotalMinor, 0n))
  // one entry per invoice with a non-zero total, numbered without a gap in each journal
  for (const code of ['CVT', 'PVT']) {
    const nums = [...new Set(rows.filter((r) => r['JournalCode'] === code).map((r) => r['EcritureNum']))]
    expect(nums).toEqual(nums.map((_, k) => `${code}${String(k + 1).padStart(6, '0')}`))
  }
})

test.prop([dataArb])('what a payment settles plus what goes to the wallet is what was received', ({ invoices, payments }) => {
  const rows = readFec(decodeLatin9(buildFec(settings, { invoices, payments, debtors }).bytes))
  const receipts = rows.filter((r) => r['JournalCode']!.endsWith('EN'))
  const debit = receipts.reduce((s, r) => s + cents(r['Debit']!), 0n)
  expect(debit).toBe(payments.reduce((s, p) => s + p.amountMinor, 0n))
  const wallet = receipts.filter((r) => r['CompteNum'] === '419100').reduce((s, r) => s + cents(r['Credit']!), 0n)
  expect(wallet).toBe(payments.reduce((s, p) => s + p.walletCreditMinor, 0n))
})

import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { runDemo, type DemoResult } from './run-demo'

let result: DemoResult
const lines: string[] = []

describe('the billing run demo', () => {
  it('runs end to end on storage-memory', async () => {
    const storage = createMemoryStorage()
    result = await runDemo({ storage, log: (t) => lines.push(t) })
    await storage.close()
    expect(result.children).toBe(40)
    expect(lines.join('\n')).toContain('Bank statement (camt.053) imported and reconciled')
  })
  it('announces each December invoice by mail through the outbox, once per recipient (payer and joint debtors), with its Message-ID and its display date in words', () => {
    const recipients = result.decemberInvoices.flatMap((i) => [i.debtorId, ...i.jointDebtorIds].map((g) => `${g}@familles.example ${i.number}`))
    expect(result.invoiceMails.map((m) => `${m.to} ${/FAC-\d{4}-\d{5}/.exec(m.subject)?.[0]}`).sort()).toEqual(recipients.sort())
    expect(new Set(result.invoiceMails.map((m) => m.messageId)).size).toBe(result.invoiceMails.length)
    const first = result.decemberInvoices[0]!
    const mail = result.invoiceMails.find((m) => m.subject.includes(first.number!))!
    expect(mail.to).toBe(`${first.debtorId}@familles.example`)
    expect(mail.subject).toBe(`Votre facture ${first.number} est disponible`)
    expect(mail.date).toMatch(/^[a-z]+ \d{1,2} [a-zéû]+ 202[67]$/)
  })
  it('bills the odd-week parent on 2026-W53 and again on 2027-W01', () => {
    const byWeek = new Map(result.week53Payers.map((w) => [w.week, w.payer]))
    expect(byWeek.get('2026-W53')).toBe('Paul Moreau')
    expect(byWeek.get('2027-W01')).toBe('Paul Moreau')
    expect(byWeek.get('2026-W52')).toBe('Claire Moreau')
    expect(byWeek.get('2027-W02')).toBe('Claire Moreau')
  })
  it('numbers the invoices of both months as one continuous series, 1..n in validation order', () => {
    const all = [...result.decemberInvoices, ...result.januaryInvoices]
    expect(all.map((i) => i.sequence)).toEqual(all.map((_, i) => i + 1))
    expect(all[0]!.number).toBe('FAC-2027-00001')
  })
  it('never bills a charge twice when the December batch runs again', () => {
    expect(result.rebilledDrafts).toBe(0)
    const ids = [...result.decemberInvoices, ...result.januaryInvoices].flatMap((i) => i.lines.flatMap((l) => l.chargeIds))
    expect(new Set(ids).size).toBe(ids.length)
  })
  it('applies the 10% reduction to the canteen line of the adjusted draft', () => {
    const inv = result.decemberInvoices.find((i) => i.adjustments.length > 0)!
    const line = inv.lines.find((l) => l.id === inv.adjustments[0]!.lineId)!
    // 10 % of the line, half-up to the cent, computed here from the line itself
    const tenth = (line.amountMinor * 10n + 50n) / 100n
    expect(result.adjustedInvoiceTotal.before - result.adjustedInvoiceTotal.after).toBe(tenth)
    expect(inv.totalMinor).toBe(inv.lines.reduce((s, l) => s + l.amountMinor, 0n) - tenth)
  })
  it('collects the direct-debit payers, settles them from the statement and marks the returned one REFUSED', () => {
    expect(result.directDebits.count).toBeGreaterThan(10)
    expect(result.directDebits.pain008Bytes).toBeGreaterThan(1000)
    const kinds = result.statement.imported.map((l) => l.outcome.kind)
    expect(kinds.filter((k) => k === 'directDebitSettled')).toHaveLength(result.directDebits.count)
    expect(kinds).toContain('directDebitReturn')
    expect(kinds).toContain('invoicePayment')
    expect(kinds).toContain('walletTopUp')
    expect(kinds).toContain('review')
    expect(result.returnedPaymentStatus).toBe('refused')
  })
  it('changes nothing when the same statement is imported twice', () => {
    expect(result.reimport.imported).toEqual([])
    expect(result.reimport.duplicates).toHaveLength(result.statement.imported.length)
  })
  it('deposits the cheques for what they paid', () => {
    const cheques = result.decemberInvoices.filter((i) => ['resp-01', 'resp-09', 'resp-13'].includes(i.debtorId))
    expect(result.depositTotalMinor).toBe(cheques.reduce((s, i) => s + i.totalMinor, 0n))
  })
  it('reminds only invoices still unpaid 10 days after their due date', () => {
    expect(result.reminders.length).toBeGreaterThan(0)
    expect(result.reminders.every((r) => r.daysLate >= 10 && r.level === 1)).toBe(true)
    const paid = new Set(['resp-01', 'resp-09', 'resp-13', 'resp-11'])
    expect(result.reminders.some((r) => paid.has(r.debtorId))).toBe(false)
  })
  it('leaves each prepaid wallet at its top-ups minus 0,80 EUR per snack booked', () => {
    // family 21 also topped up 25,00 EUR by transfer; each wallet family books the same 11 snack days
    const snacks = result.bookings['gouter']! / 8
    for (const w of result.walletBalances) {
      const index = Number(w.guardianId.slice(-2))
      const topUps = (index % 2 === 0 ? 4000n : 2000n) + (index === 21 ? 2500n : 0n)
      expect(w.availableMinor).toBe(topUps - 80n * BigInt(snacks))
    }
  })
})

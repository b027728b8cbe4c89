import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { invoiceBatchArb, invoiceChargeLinesArb, openInvoicesArb } from '@ecole/testing'
import { addInvoiceAdjustment, removeInvoiceAdjustment } from './adjustments'
import { allocatePayment } from './allocation'
import { creditableMinor, issueCreditNote, type CreditNote } from './credit-notes'
import { editInvoiceDrafts } from './draft-edits'
import { buildInvoiceDrafts } from './drafts'
import { defineInvoiceNumbering } from './numbering'
import { validateInvoiceDrafts } from './validation'

const numbering = defineInvoiceNumbering({ prefix: 'F{YYYY}-', digits: 6 })

test.prop([invoiceBatchArb(), invoiceChargeLinesArb(), fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 6 })])(
  'validated numbers of a series are exactly 1..n in validation order',
  (batch, charges, chunkSizes) => {
    const drafts = buildInvoiceDrafts(batch, charges).drafts
    let counter = 0
    const validated = []
    let rest = drafts
    for (const size of [...chunkSizes, drafts.length]) {
      const chunk = rest.slice(0, size)
      rest = rest.slice(size)
      if (chunk.length === 0) continue
      validated.push(...validateInvoiceDrafts(chunk, { issueDate: '2027-01-04', firstSequence: counter + 1, numbering }))
      counter += chunk.length
    }
    expect(validated.map((i) => i.sequence)).toEqual(drafts.map((_, i) => i + 1))
    expect(validated.map((i) => i.id)).toEqual(drafts.map((d) => d.id))
    expect(new Set(validated.map((i) => i.number)).size).toBe(validated.length)
  },
)

test.prop([invoiceBatchArb(), invoiceChargeLinesArb({ maxLength: 20 }), fc.integer({ min: 1, max: 5000 })])('a validated invoice never changes', (batch, charges, cents) => {
  const drafts = buildInvoiceDrafts(batch, charges).drafts
  fc.pre(drafts.length > 0)
  const [inv] = validateInvoiceDrafts([drafts[0]!], { issueDate: '2027-01-04', firstSequence: 1, numbering })
  const snapshot = structuredClone(inv)
  const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
  expect(() => addInvoiceAdjustment(inv!, { id: 'x', kind: 'reduction', reason: 'r', amount })).toThrow(/validated/)
  expect(() => removeInvoiceAdjustment(inv!, 'x')).toThrow(/validated/)
  expect(() => editInvoiceDrafts([inv!], { comment: 'c' })).toThrow(/validated/)
  expect(() => validateInvoiceDrafts([inv!], { issueDate: '2027-01-05', firstSequence: 2, numbering })).toThrow(/validated/)
  expect(inv).toEqual(snapshot)
})

const adjustmentArb = fc.record({
  kind: fc.constantFrom('reduction' as const, 'surcharge' as const),
  useLine: fc.boolean(),
  percent: fc.option(fc.integer({ min: 1, max: 10000 }).map((n) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`), { nil: undefined }),
  cents: fc.integer({ min: 1, max: 10000 }),
})

test.prop([invoiceBatchArb(), invoiceChargeLinesArb(), fc.array(adjustmentArb, { maxLength: 5 })])(
  'invoice total = sum of rounded lines + adjustments',
  (batch, charges, adjustments) => {
    for (let d of buildInvoiceDrafts(batch, charges).drafts) {
      adjustments.forEach((a, i) => {
        const input = { id: `a${i}`, kind: a.kind, reason: 'r', lineId: a.useLine ? d.lines[0]!.id : null, ...(a.percent ? { percent: a.percent } : { amount: `${Math.floor(a.cents / 100)}.${String(a.cents % 100).padStart(2, '0')}` }) }
        try { d = addInvoiceAdjustment(d, input) } catch (e) { expect((e as { code?: string }).code).toBe('ADJUSTMENT_EXCEEDS_BASE') }
      })
      // oracle: every line's amount is the sum of its charges, which are whole cents
      let lines = 0n
      for (const l of d.lines) {
        const own = charges.filter((c) => l.chargeIds.includes(c.chargeId)).reduce((s, c) => s + c.amountMinor, 0n)
        expect(l.amountMinor).toBe(own)
        lines += own
      }
      const adj = d.adjustments.reduce((s, a) => s + a.amountMinor, 0n)
      expect(d.totalMinor).toBe(lines + adj)
      expect(d.totalMinor >= 0n).toBe(true)
    }
  },
)

test.prop([openInvoicesArb(), fc.bigInt({ min: 1n, max: 200_000n }), fc.boolean()])('allocations sum to the payment, none above what is due', (open, amount, targeted) => {
  const target = targeted ? open[open.length - 1]!.invoiceId : null
  const r = allocatePayment(amount, target, open)
  const allocated = r.allocations.reduce((s, a) => s + a.amountMinor, 0n)
  expect(allocated + r.walletCreditMinor).toBe(amount)
  for (const a of r.allocations) expect(a.amountMinor <= open.find((o) => o.invoiceId === a.invoiceId)!.outstandingMinor).toBe(true)
  const due = open.reduce((s, o) => s + o.outstandingMinor, 0n)
  expect(r.walletCreditMinor).toBe(amount > due ? amount - due : 0n)
  if (target !== null) expect(r.allocations[0]!.invoiceId).toBe(target)
})

test.prop([invoiceBatchArb(), invoiceChargeLinesArb({ maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 6 })])(
  'credit notes never exceed their invoice',
  (batch, charges, requests) => {
    const drafts = buildInvoiceDrafts(batch, charges).drafts
    fc.pre(drafts.length > 0)
    const [inv] = validateInvoiceDrafts([drafts[0]!], { issueDate: '2027-01-04', firstSequence: 1, numbering })
    const notes: CreditNote[] = []
    requests.forEach((cents, i) => {
      const scope = cents === 0 ? { kind: 'whole' as const } : { kind: 'amount' as const, amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}` }
      try {
        notes.push(issueCreditNote(inv!, notes, { id: `cn${i}`, reason: 'r', scope }, { issueDate: '2027-01-20', sequence: i + 1, numbering }))
      } catch (e) {
        expect((e as { code?: string }).code).toBe('CREDIT_EXCEEDS_INVOICE')
      }
    })
    const credited = notes.reduce((s, n) => s + n.amountMinor, 0n)
    expect(credited <= inv!.totalMinor).toBe(true)
    expect(creditableMinor(inv!, notes)).toBe(inv!.totalMinor - credited)
  },
)

test.prop([invoiceBatchArb({ minimumMax: 0 }), invoiceChargeLinesArb(), fc.integer({ min: 0, max: 60 })])(
  're-billing a period is idempotent: no charge is ever billed twice',
  (batch, charges, cut) => {
    const first = buildInvoiceDrafts(batch, charges.slice(0, cut))
    const billed = new Set(first.drafts.flatMap((d) => d.lines.flatMap((l) => l.chargeIds)))
    const second = buildInvoiceDrafts(batch, charges, { alreadyBilledChargeIds: billed })
    const again = second.drafts.flatMap((d) => d.lines.flatMap((l) => l.chargeIds))
    for (const id of again) expect(billed.has(id)).toBe(false)
    // oracle: the charges a December batch may bill (its services, its period and the earlier days it carries, not prepaid)
    const billable = charges.filter((c) => !c.prepaid && batch.serviceIds.includes(c.serviceId) && c.date <= '2026-12-31').map((c) => c.chargeId)
    expect([...billed, ...again].sort()).toEqual([...billable].sort())
    const third = buildInvoiceDrafts(batch, charges, { alreadyBilledChargeIds: new Set([...billed, ...again]) })
    expect(third.drafts).toEqual([])
  },
)

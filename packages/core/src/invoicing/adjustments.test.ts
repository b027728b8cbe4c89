import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import type { LocalDate } from '../time'
import { addInvoiceAdjustment, removeInvoiceAdjustment, updateInvoiceAdjustment } from './adjustments'
import { editInvoiceDrafts } from './draft-edits'
import { withInstalmentSchedule } from './instalments'
import { buildInvoiceDrafts } from './drafts'
import { defineInvoiceBatch } from './invoice-batch'
import { defineInvoiceNumbering } from './numbering'
import { validateInvoiceDrafts } from './validation'
import { refusal } from '../test-support/refusal'

const batch = defineInvoiceBatch({
  id: 'b1', siteId: 's', billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal', 'care'],
  dueDate: '2027-01-15', portalDisplayDate: '2027-01-05',
})
// two children: k1 10 meals at 4.15 (41.50), k2 4 care sessions at 2.50 (10.00): 51.50
const charges = [
  ...Array.from({ length: 10 }, (_, i) => ({ chargeId: `m${i}`, debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: `2026-12-0${(i % 9) + 1}` as LocalDate, quantity: 1, unitPriceMinor: 415n, amountMinor: 415n })),
  ...Array.from({ length: 4 }, (_, i) => ({ chargeId: `c${i}`, debtorId: 'g1', beneficiaryId: 'k2', serviceId: 'care', date: `2026-12-1${i}` as LocalDate, quantity: 1, unitPriceMinor: 250n, amountMinor: 250n })),
]
const draft = buildInvoiceDrafts(batch, charges).drafts[0]!
const mealLine = draft.lines.find((l) => l.serviceId === 'meal')!

function code(f: () => unknown): string | undefined {
  try { f() } catch (e) { return isEcoleError(e) ? e.code : 'not an EcoleError' }
  return undefined
}

describe('reductions and surcharges on a draft (seed: "réduction / majoration")', () => {
  it('adds a reduction with its reason and updates the total (add, step 4-5)', () => {
    const d = addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: 'Sortie scolaire', amount: '5.00' })
    expect(d.adjustments[0]!.reason).toBe('Sortie scolaire')
    expect(d.totalMinor).toBe(5150n - 500n)
  })
  it('adds a surcharge as a percentage of the whole invoice, rounded half-up to the cent', () => {
    // 3% of 51.50 = 1.545 -> 1.55
    const d = addInvoiceAdjustment(draft, { id: 'a1', kind: 'surcharge', reason: 'Retard', percent: '3' })
    expect(d.adjustments[0]!.amountMinor).toBe(155n)
    expect(d.totalMinor).toBe(5305n)
  })
  it('ties a reduction to one child\'s service line, as a percentage of that line only', () => {
    // 10% of k1's meals 41.50 = 4.15
    const d = addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: 'PAI', percent: '10', lineId: mealLine.id })
    expect(d.adjustments[0]!.lineId).toBe(mealLine.id)
    expect(d.totalMinor).toBe(5150n - 415n)
  })
  it('modifies an adjustment\'s reason, kind and amount (modify, step 3-4)', () => {
    const d1 = addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: 'Erreur', amount: '5' })
    const d2 = updateInvoiceAdjustment(d1, 'a1', { id: 'a1', kind: 'surcharge', reason: 'Retard', amount: '2.00' })
    expect(d2.adjustments).toHaveLength(1)
    expect(d2.adjustments[0]!.reason).toBe('Retard')
    expect(d2.totalMinor).toBe(5150n + 200n)
  })
  it('removes an adjustment and the total comes back (delete, step 3-4)', () => {
    const d = removeInvoiceAdjustment(addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: 'x', amount: '5' }), 'a1')
    expect(d.adjustments).toEqual([])
    expect(d.totalMinor).toBe(5150n)
  })
  it('keeps an instalment schedule adding up to the total when a reduction is added, so the draft can still be validated', () => {
    // 51.50 in 3 instalments, then a 1.50 reduction: 50.00 = 16.67 + 16.67 + 16.66, same due dates
    const scheduled = withInstalmentSchedule(draft, { count: 3, firstDueDate: '2027-01-31' })
    const reduced = addInvoiceAdjustment(scheduled, { id: 'a1', kind: 'reduction', reason: 'Sortie annulée', amount: '1.50' })
    expect(reduced.totalMinor).toBe(5000n)
    expect(reduced.instalments).toEqual([
      { dueDate: '2027-01-31', amountMinor: 1667n }, { dueDate: '2027-02-28', amountMinor: 1667n }, { dueDate: '2027-03-31', amountMinor: 1666n },
    ])
    const [inv] = validateInvoiceDrafts([reduced], { issueDate: '2027-01-04', firstSequence: 1, numbering: defineInvoiceNumbering() })
    expect(inv!.totalMinor).toBe(5000n)
  })
  it('refuses any adjustment once the draft is validated (Important)', () => {
    const [inv] = validateInvoiceDrafts([addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: 'x', amount: '1' })], { issueDate: '2027-01-04', firstSequence: 1, numbering: defineInvoiceNumbering() })
    expect(code(() => addInvoiceAdjustment(inv!, { id: 'a2', kind: 'reduction', reason: 'x', amount: '1' }))).toBe('INVOICE_NOT_DRAFT')
    expect(code(() => updateInvoiceAdjustment(inv!, 'a1', { id: 'a1', kind: 'reduction', reason: 'x', amount: '2' }))).toBe('INVOICE_NOT_DRAFT')
    expect(code(() => removeInvoiceAdjustment(inv!, 'a1'))).toBe('INVOICE_NOT_DRAFT')
  })
  it('refuses a reduction larger than its line', () => {
    expect(code(() => addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: 'x', amount: '41.51', lineId: mealLine.id }))).toBe('ADJUSTMENT_EXCEEDS_BASE')
  })
  it('refuses an adjustment without a reason, naming the field', () => {
    expect(() => addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: ' ', amount: '1' })).toThrow(/adjustment.reason/)
  })
  it('refuses an adjustment giving both an amount and a percentage', () => {
    expect(code(() => addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: 'x', amount: '1', percent: '2' }))).toBe('INVALID_INPUT')
  })
})

describe('editInvoiceDrafts (step 6: comment, portal display date, one draft or a group)', () => {
  it('changes the comment and portal display date of a group of drafts', () => {
    const other = { ...draft, id: 'b1:g2', debtorId: 'g2' }
    const out = editInvoiceDrafts([draft, other], { comment: 'Bonnes fêtes', portalDisplayDate: '2027-01-08' })
    expect(out.map((d) => [d.comment, d.portalDisplayDate])).toEqual([['Bonnes fêtes', '2027-01-08'], ['Bonnes fêtes', '2027-01-08']])
    expect(draft.comment).toBeNull()
  })
  it('refuses the whole change when one invoice of the group is validated', () => {
    const [inv] = validateInvoiceDrafts([draft], { issueDate: '2027-01-04', firstSequence: 1, numbering: defineInvoiceNumbering() })
    expect(code(() => editInvoiceDrafts([draft, inv!], { comment: 'x' }))).toBe('INVOICE_NOT_DRAFT')
  })
})

describe('adjustment options: a misspelt option is refused, never read as absent', () => {
  // 33% of 51.50 is 16.995: 17.00 rounded half-up, 16.99 rounded down
  const third = { id: 'a1', kind: 'reduction', reason: 'Fratrie', percent: '33' } as const
  it('rounds a percentage down when asked', () => {
    expect(addInvoiceAdjustment(draft, third, { rounding: 'down' }).adjustments[0]!.amountMinor).toBe(-1699n)
    expect(addInvoiceAdjustment(draft, third).adjustments[0]!.amountMinor).toBe(-1700n)
  })
  it('refuses a misspelt rounding, naming it and the right key, rather than rounding half-up', () => {
    const r = refusal(() => addInvoiceAdjustment(draft, third, { rouding: 'down' } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.rouding'] })
    expect(r.message).toContain('did you mean `rounding`?')
    const withA1 = addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: 'x', amount: '1' })
    expect(refusal(() => updateInvoiceAdjustment(withA1, 'a1', third, { rouding: 'down' } as never)).paths).toEqual(['options.rouding'])
  })
  it('refuses a rounding that is not a rounding mode, naming options.rounding', () => {
    expect(refusal(() => addInvoiceAdjustment(draft, third, { rounding: 5 } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.rounding'] })
    expect(refusal(() => addInvoiceAdjustment(draft, third, { rounding: 'floor' } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.rounding'] })
  })
  it('refuses options that are not an object rather than using the defaults', () => {
    expect(refusal(() => addInvoiceAdjustment(draft, third, 'down' as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options'] })
  })
})

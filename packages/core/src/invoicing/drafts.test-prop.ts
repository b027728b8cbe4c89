import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { LocalDate } from '../time'
import type { InvoiceChargeLine } from './charge-line'
import { buildInvoiceDrafts } from './drafts'
import { defineInvoiceBatch } from './invoice-batch'

/** The months of a school year and their last day. */
const MONTHS: ReadonlyArray<readonly [string, string]> = [
  ['2026-09', '30'], ['2026-10', '31'], ['2026-11', '30'], ['2026-12', '31'], ['2027-01', '31'], ['2027-02', '28'], ['2027-03', '31'], ['2027-04', '30'], ['2027-05', '31'], ['2027-06', '30'],
]

/** Charges of three families over the school year, small amounts so that some months stay under the minimum. */
const yearArb = fc.array(
  fc.record({ family: fc.integer({ min: 1, max: 3 }), month: fc.integer({ min: 0, max: MONTHS.length - 1 }), day: fc.integer({ min: 1, max: 28 }), cents: fc.integer({ min: 1, max: 900 }), service: fc.constantFrom('meal', 'care') }),
  { maxLength: 80 },
).map((xs) => xs.map((x, i): InvoiceChargeLine => ({
  chargeId: `c${i}`, debtorId: `g${x.family}`, beneficiaryId: `k${x.family}`, serviceId: x.service, date: `${MONTHS[x.month]![0]}-${String(x.day).padStart(2, '0')}` as LocalDate,
  quantity: 1, unitPriceMinor: BigInt(x.cents), amountMinor: BigInt(x.cents),
})))

const minimumArb = fc.integer({ min: 0, max: 1500 })

/**
 * Runs one batch a month with the minimum, as a host does: the charges passed are those dated up to
 * the month's end, either all of them (`history`) or from the earliest day the previous batch held
 * back (`sinceHeldBack`, what `belowMinimum[].from` is for); what was billed is what storage says.
 */
function runYear(charges: readonly InvoiceChargeLine[], minimum: number, reading: 'history' | 'sinceHeldBack') {
  const billedBy = new Map<string, string>()
  const months: Array<{ end: LocalDate; billedTwice: string[]; held: Map<string, bigint> }> = []
  let heldBackFrom: LocalDate | undefined
  for (const [month, last] of MONTHS) {
    const from = `${month}-01` as LocalDate
    const end = `${month}-${last}` as LocalDate
    const batch = defineInvoiceBatch({
      id: `b-${month}`, siteId: 's', billingOfficeId: 'regie', period: { from, to: end }, serviceIds: ['meal', 'care'], dueDate: end, portalDisplayDate: end,
      minimumAmount: (minimum / 100).toFixed(2),
    })
    const readFrom = reading === 'history' ? '' : heldBackFrom !== undefined && heldBackFrom < from ? heldBackFrom : from
    const given = charges.filter((c) => c.date >= readFrom && c.date <= end)
    const r = buildInvoiceDrafts(batch, given, { alreadyBilledChargeIds: new Set(billedBy.keys()) })
    const billedTwice: string[] = []
    for (const d of r.drafts) for (const l of d.lines) for (const id of l.chargeIds) {
      if (billedBy.has(id)) billedTwice.push(id)
      billedBy.set(id, batch.id)
    }
    heldBackFrom = r.belowMinimum.reduce<LocalDate | undefined>((a, b) => (a === undefined || b.from < a ? b.from : a), undefined)
    months.push({ end, billedTwice, held: new Map(r.belowMinimum.map((b) => [b.debtorId, b.totalMinor])) })
  }
  return { billedBy, months }
}

for (const reading of ['history', 'sinceHeldBack'] as const) {
  test.prop([yearArb, minimumArb])(`over monthly batches with a minimum, every charge is billed at most once (charges read: ${reading})`, (charges, minimum) => {
    const { months } = runYear(charges, minimum, reading)
    for (const m of months) expect(m.billedTwice).toEqual([])
  })

  test.prop([yearArb, minimumArb])(
    `after each monthly batch, a family's charges still unbilled add up to less than the minimum, and are the ones it held back (charges read: ${reading})`,
    (charges, minimum) => {
      const { billedBy, months } = runYear(charges, minimum, reading)
      for (const m of months) {
        // what each family still owes, as of the batch: its charges up to the month's end not billed by this batch or an earlier one
        const batchOfMonth = `b-${m.end.slice(0, 7)}`
        const pending = new Map<string, bigint>()
        for (const c of charges) {
          if (c.date > m.end) continue
          const by = billedBy.get(c.chargeId)
          if (by !== undefined && by <= batchOfMonth) continue
          pending.set(c.debtorId, (pending.get(c.debtorId) ?? 0n) + c.amountMinor)
        }
        for (const [debtor, total] of pending) expect(total < BigInt(minimum)).toBe(true)
        expect(m.held).toEqual(pending)
      }
    },
  )
}

test.prop([yearArb, minimumArb])('by the end of the year, every charge is billed or held back under the minimum, and the amounts add up', (charges, minimum) => {
  const { billedBy, months } = runYear(charges, minimum, 'sinceHeldBack')
  const held = [...months.at(-1)!.held.values()].reduce((a, b) => a + b, 0n)
  const billed = charges.filter((c) => billedBy.has(c.chargeId)).reduce((a, c) => a + c.amountMinor, 0n)
  expect(billed + held).toBe(charges.reduce((a, c) => a + c.amountMinor, 0n))
})

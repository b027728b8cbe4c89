import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { buildChargeLines, prepareChargeConfig, type BillableDay, type ChargeConfigInput } from '../billing'
import { buildInvoiceDrafts } from './drafts'
import { invoiceChargeLinesFromBilling } from './from-billing'
import { defineInvoiceBatch } from './invoice-batch'

const batch = defineInvoiceBatch({ id: 'b', siteId: 's', billingOfficeId: 'regie', period: { from: '2026-09-01', to: '2026-09-30' }, serviceIds: ['care'], dueDate: '2026-10-15', portalDisplayDate: '2026-10-05' })
const guardians = ['mum', 'dad', 'gran'] as const
const dates = ['2026-09-07', '2026-09-08', '2026-09-09', '2026-09-10'] as const

/** One run: the rule's payers and the unit price in force, and the days recorded so far (some late). */
const run = fc.record({
  payers: fc.uniqueArray(fc.record({ guardianId: fc.constantFrom(...guardians), weight: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3, selector: (p) => p.guardianId }),
  priceCents: fc.integer({ min: 1, max: 999 }),
  recorded: fc.uniqueArray(fc.record({ date: fc.constantFrom(...dates), quantity: fc.integer({ min: 1, max: 8 }) }), { maxLength: 4, selector: (d) => d.date }),
})

const configOf = ({ payers, priceCents }: { payers: Array<{ guardianId: string; weight: number }>; priceCents: number }): ChargeConfigInput => {
  return {
    rules: [{ id: 'r', payers, from: '2026-09-01', criterion: { kind: 'always' }, covers: [{ beneficiaryId: 'lea', serviceId: 'care' }] }],
    services: [{ id: 'care', billing: 'invoiced', billingOfficeId: 'regie' }],
    billingOffices: [{ id: 'regie', currency: 'EUR', roundingMode: 'halfUp' }],
    pricing: [{ serviceId: 'care', mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: (priceCents / 100).toFixed(2), currency: 'EUR' } } }] }],
    beneficiaries: [{ id: 'lea', birthDate: '2018-03-01' }],
  }
}

test.prop([fc.array(run, { minLength: 1, maxLength: 5 })], { numRuns: 150 })(
  'over runs with rule changes and days recorded late, a day is billed once (in one run, its payers\' shares adding up to it) and never beyond its price at its first billing',
  (runs) => {
    const recorded = new Map<string, number>() // date -> hours, as recorded so far (a day keeps its first record)
    const billed = new Set<string>()
    const billedByDay = new Map<string, { run: number; total: bigint; price: bigint }>()
    runs.forEach((r, k) => {
      for (const d of r.recorded) if (!recorded.has(d.date)) recorded.set(d.date, d.quantity)
      const days: BillableDay[] = [...recorded].map(([date, quantity]) => ({ beneficiaryId: 'lea', serviceId: 'care', date: date as BillableDay['date'], booked: true, quantity }))
      const charges = invoiceChargeLinesFromBilling(buildChargeLines(prepareChargeConfig(configOf(r)), days).groups, { days })
      const byId = new Map(charges.map((c) => [c.chargeId, c]))
      const result = buildInvoiceDrafts(batch, charges, { alreadyBilledChargeIds: billed })
      for (const id of result.drafts.flatMap((d) => d.lines.flatMap((l) => l.chargeIds))) {
        expect(billed.has(id)).toBe(false)
        billed.add(id)
        const c = byId.get(id)!
        // the day's price under the rule in force now: unit price x the day's hours (whole cents, exact)
        const price = BigInt(r.priceCents) * BigInt(recorded.get(c.date)!)
        const seen = billedByDay.get(c.date) ?? { run: k, total: 0n, price }
        expect(seen.run).toBe(k) // every payer of a day is billed in the run that first billed it
        seen.total += c.amountMinor
        billedByDay.set(c.date, seen)
      }
    })
    for (const [, { total, price }] of billedByDay) expect(total).toBe(price)
  },
)

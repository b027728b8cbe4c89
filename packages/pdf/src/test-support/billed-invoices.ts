import { buildChargeLines, buildInvoiceDrafts, defineInvoiceBatch, invoiceChargeLinesFromBilling, prepareChargeConfig, type BillableDay, type ChargeConfigInput, type Invoice, type LocalDate, type RoundingMode } from '@ecole/core'
import { validate } from './fixtures'

const batch = defineInvoiceBatch({ id: 'b-2026-09', siteId: 's', billingOfficeId: 'regie', period: { from: '2026-09-01', to: '2026-09-30' }, serviceIds: ['meal'], dueDate: '2026-10-15', portalDisplayDate: '2026-10-05' })

/**
 * Léa's (`k1`) September meals billed through the core, validated: `n` days at `price` (a decimal
 * string, any number of decimals), the rule's payers with their weights, the office's rounding
 * mode. One invoice per payer, by payer id.
 *
 * @example
 * billedInvoices('4.15', [['mum', 1], ['dad', 1]], 17).get('mum')!.totalMinor //=> 3528n
 */
export function billedInvoices(price: string, payers: ReadonlyArray<readonly [string, number]>, n: number, roundingMode: RoundingMode = 'halfUp'): Map<string, Invoice> {
  const config: ChargeConfigInput = {
    rules: [{ id: 'r1', payers: payers.map(([guardianId, weight]) => ({ guardianId, weight })), from: '2026-09-01', criterion: { kind: 'always' }, covers: [{ beneficiaryId: 'k1', serviceId: 'meal' }] }],
    services: [{ id: 'meal', billing: 'invoiced', billingOfficeId: 'regie' }],
    billingOffices: [{ id: 'regie', currency: 'EUR', roundingMode }],
    pricing: [{ serviceId: 'meal', mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: price, currency: 'EUR' } } }] }],
    beneficiaries: [{ id: 'k1', birthDate: '2018-03-01' }],
  }
  const days: BillableDay[] = Array.from({ length: n }, (_, i) => ({ beneficiaryId: 'k1', serviceId: 'meal', date: `2026-09-${String(i + 1).padStart(2, '0')}` as LocalDate, booked: true }))
  const charges = invoiceChargeLinesFromBilling(buildChargeLines(prepareChargeConfig(config), days).groups)
  const drafts = buildInvoiceDrafts(batch, charges).drafts
  return new Map(validate(drafts).map((inv) => [inv.debtorId, inv]))
}

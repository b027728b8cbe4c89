import { buildChargeLines, invoiceChargeLinesFromBilling, prepareChargeConfig, type BillableDay, type InvoiceBatchInput, type InvoiceChargeLine } from '@ecole/core'

/** The payers of a billing rule and their weights. */
export type Payers = Array<{ guardianId: string; weight: number }>

/**
 * Léa's invoice charges for `days` under one rule naming `payers`: garderie at 2.00 EUR a unit and
 * cantine at 4.00 EUR, billed by the `regie` office from September 2026 (for the re-run tests of
 * `createInvoiceBatch`).
 *
 * @example
 * const charges = chargesOf([{ guardianId: 'mum', weight: 1 }], [{ beneficiaryId: 'lea', serviceId: 'cantine', date: '2026-09-07', booked: true }])
 */
export function chargesOf(payers: Payers, days: BillableDay[]): InvoiceChargeLine[] {
  const prepared = prepareChargeConfig({
    rules: [{ id: 'r1', payers, from: '2026-09-01', criterion: { kind: 'always' }, covers: [{ beneficiaryId: 'lea', serviceId: 'garderie' }, { beneficiaryId: 'lea', serviceId: 'cantine' }] }],
    services: [{ id: 'garderie', billing: 'invoiced', billingOfficeId: 'regie' }, { id: 'cantine', billing: 'invoiced', billingOfficeId: 'regie' }],
    billingOffices: [{ id: 'regie', currency: 'EUR', roundingMode: 'halfUp' }],
    pricing: [
      { serviceId: 'garderie', mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: '2.00', currency: 'EUR' } } }] },
      { serviceId: 'cantine', mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: '4.00', currency: 'EUR' } } }] },
    ],
    beneficiaries: [{ id: 'lea', birthDate: '2018-03-01' }],
  })
  return invoiceChargeLinesFromBilling(buildChargeLines(prepared, days).groups, { days })
}

/** A September 2026 batch of site `s1` for garderie and cantine. */
export const septemberBatch = (id: string, billingOfficeId = 'regie'): InvoiceBatchInput => ({
  id, siteId: 's1', billingOfficeId, period: { from: '2026-09-01', to: '2026-09-30' }, serviceIds: ['garderie', 'cantine'], dueDate: '2026-10-15', portalDisplayDate: '2026-10-05',
})

import { describe, expect, it } from 'vitest'
import { buildChargeLines, prepareChargeConfig, type BillableDay, type ChargeConfigInput } from '../billing'
import { buildInvoiceDrafts } from './drafts'
import { invoiceChargeLinesFromBilling } from './from-billing'
import { defineInvoiceBatch } from './invoice-batch'

const batch = defineInvoiceBatch({ id: 'b', siteId: 's', billingOfficeId: 'regie', period: { from: '2026-09-01', to: '2026-09-30' }, serviceIds: ['care', 'canteen'], dueDate: '2026-10-15', portalDisplayDate: '2026-10-05' })
type Payers = Array<{ guardianId: string; weight: number }>
const configOf = (payers: Payers): ChargeConfigInput => ({
  rules: [{ id: 'r1', payers, from: '2026-09-01', criterion: { kind: 'always' }, covers: [{ beneficiaryId: 'lea', serviceId: 'care' }, { beneficiaryId: 'lea', serviceId: 'canteen' }] }],
  services: [{ id: 'care', billing: 'invoiced', billingOfficeId: 'regie' }, { id: 'canteen', billing: 'invoiced', billingOfficeId: 'regie' }],
  billingOffices: [{ id: 'regie', currency: 'EUR', roundingMode: 'halfUp' }],
  pricing: [
    { serviceId: 'care', mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: '2.00', currency: 'EUR' } } }] },
    { serviceId: 'canteen', mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: '4.15', currency: 'EUR' } } }] },
  ],
  beneficiaries: [{ id: 'lea', birthDate: '2018-03-01' }],
})
const mum: Payers = [{ guardianId: 'mum', weight: 1 }]
const chargesOf = (payers: Payers, days: BillableDay[]) => invoiceChargeLinesFromBilling(buildChargeLines(prepareChargeConfig(configOf(payers)), days).groups, { days })
const billedBy = (r: ReturnType<typeof buildInvoiceDrafts>) => r.drafts.flatMap((d) => d.lines.flatMap((l) => l.chargeIds))

const sept7: BillableDay = { beneficiaryId: 'lea', serviceId: 'care', date: '2026-09-07', booked: true, quantity: 4 }
const sept8: BillableDay = { beneficiaryId: 'lea', serviceId: 'care', date: '2026-09-08', booked: true, quantity: 1 }
const meal: BillableDay = { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-07', booked: true }

describe('billing a period again', () => {
  it('gives each day its own quantity and its own price: 4 h then 1 h at 2.00 EUR/hour are 8.00 and 2.00', () => {
    const charges = chargesOf(mum, [sept7, sept8])
    expect(charges.map((c) => [c.date, c.quantity, c.amountMinor])).toEqual([['2026-09-07', 4, 800n], ['2026-09-08', 1, 200n]])
  })

  it('bills a day recorded late at its own price: 5 hours at 2.00 EUR cost 10.00 over two runs, not 13.00', () => {
    const first = buildInvoiceDrafts(batch, chargesOf(mum, [sept7]))
    const second = buildInvoiceDrafts(batch, chargesOf(mum, [sept7, sept8]), { alreadyBilledChargeIds: new Set(billedBy(first)) })
    expect(first.drafts[0]!.totalMinor).toBe(800n)
    expect(second.drafts[0]!.totalMinor).toBe(200n)
    expect(second.drafts[0]!.lines[0]!.quantity).toBe(1)
  })

  it("needs no billable days for the lines of buildChargeLines: they carry each day's units (4 h and 1 h)", () => {
    const { groups } = buildChargeLines(prepareChargeConfig(configOf(mum)), [sept8, sept7])
    expect(groups[0]!.lines[0]!.dayQuantities).toEqual([4, 1])
    expect(invoiceChargeLinesFromBilling(groups).map((c) => [c.date, c.quantity, c.amountMinor])).toEqual([['2026-09-07', 4, 800n], ['2026-09-08', 1, 200n]])
  })

  it("refuses a line built by hand of several days and more units than days, without its days' units, naming options.days", () => {
    const { groups } = buildChargeLines(prepareChargeConfig(configOf(mum)), [sept7, sept8])
    const { dayQuantities: _, ...bare } = groups[0]!.lines[0]!
    expect(() => invoiceChargeLinesFromBilling([bare])).toThrow(/options\.days/)
  })

  it('splits each day between the payers so the parts of a day add up to the day and each payer gets its share of the line', () => {
    const days: BillableDay[] = (['2026-09-07', '2026-09-08', '2026-09-09'] as const).map((date) => ({ ...meal, date }))
    const charges = chargesOf([{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 1 }], days)
    for (const d of days) expect(charges.filter((c) => c.date === d.date).reduce((s, c) => s + c.amountMinor, 0n)).toBe(415n)
    const sum = (id: string) => charges.filter((c) => c.debtorId === id).reduce((s, c) => s + c.amountMinor, 0n)
    expect(sum('mum') + sum('dad')).toBe(3n * 415n)
    expect(sum('mum') - sum('dad')).toBeLessThanOrEqual(1n)
  })

  it('does not bill a day billed to mum alone again to dad when the rule becomes mum and dad 1:1: the day is reported', () => {
    const first = buildInvoiceDrafts(batch, chargesOf(mum, [meal]))
    const again = buildInvoiceDrafts(batch, chargesOf([{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 1 }], [meal]), { alreadyBilledChargeIds: new Set(billedBy(first)) })
    expect(again.drafts).toEqual([])
    expect(again.skipped).toMatchObject({ alreadyBilled: 1, billedToAnotherDebtor: 1 })
    expect(again.billedToAnotherDebtor).toEqual([{
      chargeId: 'dad|lea|canteen|service|2026-09-07', debtorId: 'dad', beneficiaryId: 'lea', serviceId: 'canteen', kind: 'service', date: '2026-09-07',
      amountMinor: 207n, billedDebtorIds: ['mum'], billedChargeIds: ['mum|lea|canteen|service|2026-09-07'],
    }])
  })

  it('does not bill a day billed to mum again to dad when the payer is corrected to dad: the day is reported', () => {
    const first = buildInvoiceDrafts(batch, chargesOf(mum, [meal]))
    const again = buildInvoiceDrafts(batch, chargesOf([{ guardianId: 'dad', weight: 1 }], [meal]), { alreadyBilledChargeIds: new Set(billedBy(first)) })
    expect(again.drafts).toEqual([])
    expect(again.billedToAnotherDebtor.map((d) => [d.debtorId, d.billedDebtorIds, d.amountMinor])).toEqual([['dad', ['mum'], 415n]])
  })

  it('finds the day of an escaped id: payer martin|anna billed it, dad is not billed', () => {
    const first = buildInvoiceDrafts(batch, chargesOf([{ guardianId: 'martin|anna', weight: 1 }], [meal]))
    expect(billedBy(first)).toEqual(['martin\\|anna|lea|canteen|service|2026-09-07'])
    const again = buildInvoiceDrafts(batch, chargesOf([{ guardianId: 'dad', weight: 1 }], [meal]), { alreadyBilledChargeIds: new Set(billedBy(first)) })
    expect(again.billedToAnotherDebtor.map((d) => d.billedDebtorIds)).toEqual([['martin|anna']])
  })
})

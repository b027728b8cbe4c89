import { describe, expect, it } from 'vitest'
import { buildChargeLines, prepareChargeConfig, type ChargeConfigInput } from '../billing'
import { addDays, type LocalDate } from '../time'
import { buildInvoiceDrafts } from './drafts'
import { invoiceChargeLinesFromBilling } from './from-billing'
import { Money } from '../money'
import type { ChargeLine } from '../billing'
import { defineInvoiceBatch } from './invoice-batch'

const eur = (amount: string) => ({ amount, currency: 'EUR' })
const config: ChargeConfigInput = {
  rules: [
    { id: 'mum', payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }], from: '2026-09-01', criterion: { kind: 'isoParity', parity: 'even', week53: 'odd' } },
    { id: 'dad', payers: [{ guardianId: 'dad', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }], from: '2026-09-01', criterion: { kind: 'isoParity', parity: 'odd', week53: 'odd' }, jointDebtorIds: ['grandpa'] },
    { id: 'shared', payers: [{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 2 }], covers: [{ beneficiaryId: 'lea', serviceId: 'care' }], from: '2026-09-01', criterion: { kind: 'always' } },
  ],
  services: [{ id: 'canteen', billing: 'invoiced', billingOfficeId: 'office' }, { id: 'care', billing: 'invoiced', billingOfficeId: 'office' }],
  billingOffices: [{ id: 'office', currency: 'EUR', roundingMode: 'halfUp' }],
  pricing: [
    { serviceId: 'canteen', mode: { kind: 'booked' }, tariffs: [{ from: '2026-01-01', tariff: { kind: 'fixed', price: eur('4.15') } }] },
    { serviceId: 'care', mode: { kind: 'booked' }, tariffs: [{ from: '2026-01-01', tariff: { kind: 'fixed', price: eur('2.35') } }] },
  ],
  beneficiaries: [{ id: 'lea', birthDate: '2019-03-01' }],
}
// Monday 2026-12-21 (W52, even) to Friday 2027-01-08 (W01, odd), every day
const days = Array.from({ length: 19 }, (_, i) => addDays('2026-12-21' as LocalDate, i)).flatMap((date) => [
  { beneficiaryId: 'lea', serviceId: 'canteen', date, booked: true },
  { beneficiaryId: 'lea', serviceId: 'care', date, booked: true },
])

describe('invoiceChargeLinesFromBilling', () => {
  const { groups } = buildChargeLines(prepareChargeConfig(config), days)
  const charges = invoiceChargeLinesFromBilling(groups)
  it('gives one charge per day and payer whose amounts add up to each billing line exactly', () => {
    for (const g of groups) {
      for (const l of g.lines) {
        const mine = charges.filter((c) => c.debtorId === l.debtorId && c.serviceId === l.serviceId && l.dates.includes(c.date))
        expect(mine).toHaveLength(l.dates.length)
        expect(mine.reduce((s, c) => s + c.amountMinor, 0n)).toBe(l.amountMinor)
        expect(mine.reduce((s, c) => s + c.quantity, 0)).toBe(l.quantity)
      }
    }
  })
  it('gives stable, unique charge ids (billing the period again finds the same ones)', () => {
    const ids = charges.map((c) => c.chargeId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(invoiceChargeLinesFromBilling(buildChargeLines(prepareChargeConfig(config), days).groups).map((c) => c.chargeId)).toEqual(ids)
    expect(ids).toContain('dad|lea|canteen|service|2026-12-28')
  })
  it('bills the odd-week parent on 2026-W53 and 2027-W01, with the joint debtor printed', () => {
    const batch = defineInvoiceBatch({ id: 'b', siteId: 's', billingOfficeId: 'office', period: { from: '2026-12-01', to: '2027-01-31' }, serviceIds: ['canteen'], dueDate: '2027-02-15', portalDisplayDate: '2027-02-01' })
    const { drafts } = buildInvoiceDrafts(batch, charges)
    const dad = drafts.find((d) => d.debtorId === 'dad')!
    // W53: 2026-12-28..2027-01-03 (7 days), W01: 2027-01-04..2027-01-08 (5 days) = 12 meals at 4.15
    expect(dad.lines[0]!.quantity).toBe(12)
    expect(dad.totalMinor).toBe(12n * 415n)
    expect(dad.jointDebtorIds).toEqual(['grandpa'])
    expect(drafts.find((d) => d.debtorId === 'mum')!.lines[0]!.quantity).toBe(7)
  })
})

describe('charge ids', () => {
  /** The charge id of a one-day billing line. */
  const chargeIdOf = (debtorId: string, beneficiaryId: string, serviceId: string, kind: ChargeLine['kind'], date: string): string =>
    invoiceChargeLinesFromBilling([{ debtorId, beneficiaryId, serviceId, kind, dates: [date], jointDebtorIds: [], quantity: 1, amountMinor: 415n, unitPrice: Money.of('4.15', 'EUR') } as unknown as ChargeLine])[0]!.chargeId
  it('gives two families different charge ids when an id contains | (martin|anna paying for leo, martin paying for anna|leo)', () => {
    const shared: ChargeConfigInput = {
      rules: [
        { id: 'r1', payers: [{ guardianId: 'martin|anna', weight: 1 }], from: '2026-09-01', criterion: { kind: 'always' }, covers: [{ beneficiaryId: 'leo', serviceId: 'canteen' }] },
        { id: 'r2', payers: [{ guardianId: 'martin', weight: 1 }], from: '2026-09-01', criterion: { kind: 'always' }, covers: [{ beneficiaryId: 'anna|leo', serviceId: 'canteen' }] },
      ],
      services: [{ id: 'canteen', billing: 'invoiced', billingOfficeId: 'office' }],
      billingOffices: [{ id: 'office', currency: 'EUR', roundingMode: 'halfUp' }],
      pricing: [{ serviceId: 'canteen', mode: { kind: 'booked' }, tariffs: [{ from: '2026-01-01', tariff: { kind: 'fixed', price: eur('4.15') } }] }],
      beneficiaries: [{ id: 'leo' }, { id: 'anna|leo' }],
    }
    const sameDay = ['leo', 'anna|leo'].map((b) => ({ beneficiaryId: b, serviceId: 'canteen', date: '2026-09-07' as LocalDate, booked: true }))
    const ids = invoiceChargeLinesFromBilling(buildChargeLines(prepareChargeConfig(shared), sameDay).groups).map((c) => c.chargeId)
    expect(ids).toHaveLength(2)
    expect(new Set(ids).size).toBe(2)
    const batch = defineInvoiceBatch({ id: 'b', siteId: 's', billingOfficeId: 'office', period: { from: '2026-09-01', to: '2026-09-30' }, serviceIds: ['canteen'], dueDate: '2026-10-15', portalDisplayDate: '2026-10-05' })
    expect(buildInvoiceDrafts(batch, invoiceChargeLinesFromBilling(buildChargeLines(prepareChargeConfig(shared), sameDay).groups)).skipped.duplicate).toBe(0)
  })
  it('keeps the ids of charges whose ids hold no |, as stored by earlier versions (re-billing finds them)', () => {
    expect(chargeIdOf('mum', 'lea', 'canteen', 'service', '2026-09-07')).toBe('mum|lea|canteen|service|2026-09-07')
    expect(chargeIdOf('m\\um', 'lea', 'canteen', 'service', '2026-09-07')).toBe('m\\um|lea|canteen|service|2026-09-07')
  })
  it('escapes every field when one holds a |', () => {
    expect(chargeIdOf('martin|anna', 'leo', 'canteen', 'service', '2026-09-07')).toBe('martin\\|anna|leo|canteen|service|2026-09-07')
    expect(chargeIdOf('martin', 'anna|leo', 'canteen', 'service', '2026-09-07')).toBe('martin|anna\\|leo|canteen|service|2026-09-07')
  })
})

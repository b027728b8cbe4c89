import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { buildChargeLines } from './charge-lines'
import { prepareChargeConfig } from './charge-config'
import { defineFamilyQuotients, defineServicePricing, quotientRecordsOf, servicePricingOf, type ServicePricingRecord } from './pricing-records'

const eur = (amount: string) => ({ amount, currency: 'EUR' })
const qfCanteen = {
  serviceId: 'cantine', mode: { kind: 'booked' as const },
  tariffs: [
    { from: '2027-01-01', tariff: { kind: 'fixed' as const, price: eur('4.2') } },
    { from: '2026-09-01', to: '2026-12-31', tariff: { kind: 'quotientBrackets' as const, noQuotientPrice: eur('4.60'), brackets: [{ min: 0, max: 700, price: eur('1') }, { min: 700, price: eur('3.20') }] } },
  ],
}

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run()
  } catch (e) {
    if (isEcoleError(e)) return { code: e.code, message: e.message }
    throw e
  }
  throw new Error('expected a refusal')
}

describe('a service pricing stored as a directory record', () => {
  it('is plain JSON: amounts as canonical decimal text, periods in date order, the service id as the record id', () => {
    const r = defineServicePricing('site-1', qfCanteen)
    expect(r).toEqual({
      id: 'cantine', siteId: 'site-1', mode: { kind: 'booked' },
      tariffs: [
        { from: '2026-09-01', to: '2026-12-31', tariff: { kind: 'quotientBrackets', noQuotientPrice: eur('4.60'), brackets: [{ min: '0', max: '700', price: eur('1.00') }, { min: '700', price: eur('3.20') }] } },
        { from: '2027-01-01', tariff: { kind: 'fixed', price: eur('4.20') } },
      ],
    })
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it('reads back into the pricing prepareChargeConfig takes, and prices a day by the payer’s quotient', () => {
    const record = defineServicePricing('site-1', qfCanteen)
    const quotients = quotientRecordsOf([defineFamilyQuotients({ id: 'g1', siteId: 'site-1', quotients: [{ quotient: 650, from: '2026-01-01' }] })])
    const config = prepareChargeConfig({
      rules: [{ id: 'r1', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'g1', weight: 1 }], covers: [{ beneficiaryId: 'k1', serviceId: 'cantine' }] }],
      services: [{ id: 'cantine', billing: 'invoiced', billingOfficeId: 'regie' }],
      billingOffices: [{ id: 'regie', currency: 'EUR', roundingMode: 'halfUp' }],
      pricing: [servicePricingOf(record)],
      beneficiaries: [{ id: 'k1' }],
      quotients,
    })
    const { groups } = buildChargeLines(config, [
      { beneficiaryId: 'k1', serviceId: 'cantine', date: '2026-12-03', booked: true },
      { beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-01-07', booked: true },
    ])
    expect(groups.flatMap((g) => g.lines.map((l) => [l.debtorId, l.unitPrice.amount]))).toEqual([['g1', '1.00'], ['g1', '4.20']])
  })

  it('refuses overlapping tariff periods, naming the field, and stores nothing to read back', () => {
    const r = refusal(() => defineServicePricing('site-1', { ...qfCanteen, tariffs: [qfCanteen.tariffs[1]!, { from: '2026-12-01', tariff: { kind: 'fixed', price: eur('4') } }] }))
    expect(r.code).toBe('INVALID_INPUT')
    expect(r.message).toContain('tariffs')
    expect(r.message).toContain('overlap')
  })

  it('refuses brackets with a gap, naming the bracket', () => {
    const r = refusal(() => defineServicePricing('site-1', { serviceId: 'cantine', mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'quotientBrackets', noQuotientPrice: eur('4'), brackets: [{ min: 0, max: 700, price: eur('1') }, { min: 800, price: eur('3') }] } }] }))
    expect(r.message).toContain('brackets.1.min')
  })

  it('refuses a stored record edited by hand into a negative price when it is read back', () => {
    const record = defineServicePricing('site-1', qfCanteen)
    const broken: ServicePricingRecord = { ...record, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: eur('-1.00') } }] }
    expect(refusal(() => servicePricingOf(broken)).message).toContain('must not be negative')
  })

  test.prop([fc.integer({ min: 0, max: 99_999 }), fc.constantFrom('booked', 'attended'), fc.integer({ min: 0, max: 3 })])(
    'defining then reading back gives the pricing the schema reads from the input (fixed tariffs of any price)',
    (cents, kind, later) => {
      const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
      const input = { serviceId: 's', mode: { kind: kind as 'booked' | 'attended' }, tariffs: [{ from: `202${6 + later}-09-01`, tariff: { kind: 'fixed' as const, price: eur(amount) } }] }
      const back = servicePricingOf(defineServicePricing('site', input))
      expect(back.tariffs[0]!.tariff).toMatchObject({ kind: 'fixed' })
      expect(back.tariffs[0]!.tariff.kind === 'fixed' && back.tariffs[0]!.tariff.price.amount).toBe(amount)
      expect(back.mode.kind).toBe(kind)
    },
  )
})

describe('the family quotients of a guardian stored as one directory record', () => {
  it('keeps the QFs as canonical text in date order, the record named after the guardian', () => {
    expect(defineFamilyQuotients({ id: 'g1', siteId: 'site-1', quotients: [{ quotient: 700, from: '2027-01-01' }, { quotient: '652.5', from: '2026-01-01', to: '2026-12-31' }] }))
      .toEqual({ id: 'g1', siteId: 'site-1', quotients: [{ quotient: '652.50', from: '2026-01-01', to: '2026-12-31' }, { quotient: '700', from: '2027-01-01' }] })
  })

  it('refuses a negative QF, an end before the start and two QFs valid on the same day, naming the field', () => {
    expect(refusal(() => defineFamilyQuotients({ id: 'g1', siteId: 's', quotients: [{ quotient: -3, from: '2026-01-01' }] })).message).toContain('quotient.quotients.0.quotient')
    expect(refusal(() => defineFamilyQuotients({ id: 'g1', siteId: 's', quotients: [{ quotient: 3, from: '2026-01-01', to: '2025-12-31' }] })).message).toContain('quotient.quotients.0.to')
    expect(refusal(() => defineFamilyQuotients({ id: 'g1', siteId: 's', quotients: [{ quotient: 3, from: '2026-01-01' }, { quotient: 4, from: '2026-06-01' }] })).message).toContain('quotient.quotients.1.from')
  })

  test.prop([fc.array(fc.record({ qf: fc.integer({ min: 0, max: 5000 }), days: fc.integer({ min: 1, max: 400 }) }), { minLength: 1, maxLength: 6 })])(
    'QFs that follow each other read back as the same QFs, one per period, whatever the order they are given in',
    (periods) => {
      let from = '2026-01-01'
      const quotients = periods.map((p) => {
        const start = from
        const end = new Date(Date.parse(`${start}T00:00:00Z`) + (p.days - 1) * 86_400_000).toISOString().slice(0, 10)
        from = new Date(Date.parse(`${end}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
        return { quotient: p.qf, from: start, to: end }
      })
      const back = quotientRecordsOf([defineFamilyQuotients({ id: 'g', siteId: 's', quotients: [...quotients].reverse() })])
      expect(back.map((q) => [q.quotient, q.from, q.to])).toEqual(quotients.map((q) => [String(q.quotient), q.from, q.to]))
    },
  )
})

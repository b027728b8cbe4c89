import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { buildChargeLines, prepareChargeConfig, type BillableDay, type ChargeConfigInput } from '../billing'
import type { RoundingMode } from '../money'
import { addDays, type LocalDate } from '../time'
import { buildInvoiceDrafts } from './drafts'
import { invoiceChargeLinesFromBilling } from './from-billing'
import { defineInvoiceBatch } from './invoice-batch'
import type { InvoiceLine } from './invoice'
import { invoiceLineFacts } from './invoice-line-facts'
import { isEcoleError } from '../errors'

const batch = defineInvoiceBatch({ id: 'b', siteId: 's', billingOfficeId: 'regie', period: { from: '2026-09-01', to: '2026-09-30' }, serviceIds: ['canteen'], dueDate: '2026-10-15', portalDisplayDate: '2026-10-05' })

function configOf(price: string, payers: ReadonlyArray<readonly [string, number]>, roundingMode: RoundingMode = 'halfUp'): ChargeConfigInput {
  return {
    rules: [{ id: 'r1', payers: payers.map(([guardianId, weight]) => ({ guardianId, weight })), from: '2026-09-01', criterion: { kind: 'always' }, covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }] }],
    services: [{ id: 'canteen', billing: 'invoiced', billingOfficeId: 'regie' }],
    billingOffices: [{ id: 'regie', currency: 'EUR', roundingMode }],
    pricing: [{ serviceId: 'canteen', mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: price, currency: 'EUR' } } }] }],
    beneficiaries: [{ id: 'lea', birthDate: '2018-03-01' }],
  }
}

const daysOf = (n: number): BillableDay[] => Array.from({ length: n }, (_, i) => ({ beneficiaryId: 'lea', serviceId: 'canteen', date: addDays('2026-09-01' as LocalDate, i), booked: true }))

function linesOf(config: ChargeConfigInput, n: number): Map<string, InvoiceLine[]> {
  const charges = invoiceChargeLinesFromBilling(buildChargeLines(prepareChargeConfig(config), daysOf(n)).groups)
  return new Map(buildInvoiceDrafts(batch, charges).drafts.map((d) => [d.debtorId, d.lines]))
}

/** `q x price` in cents, rounded to the cent with `mode`: the oracle, on scaled bigints (no Money, no float). */
function roundedCents(q: number, price: string, mode: RoundingMode): bigint {
  const [whole, fraction = ''] = price.split('.')
  const scale = 10n ** BigInt(fraction.length)
  const exact = BigInt(q) * BigInt(`${whole}${fraction}`) * 100n // cents x scale
  const cents = exact / scale
  const rest = exact % scale
  if (rest === 0n) return cents
  if (mode === 'down') return cents
  if (mode === 'up') return cents + 1n
  if (2n * rest > scale) return cents + 1n
  if (2n * rest < scale) return cents
  return mode === 'halfUp' || cents % 2n === 1n ? cents + 1n : cents
}

describe('invoice lines say what quantity x price is', () => {
  it('a payer who pays half of 17 meals at 4.15 gets a line that says so: 17 x 4.15 = 70.55, her share 1/2 = 35.28, his 35.27', () => {
    const lines = linesOf(configOf('4.15', [['mum', 1], ['dad', 1]]), 17)
    const mum = lines.get('mum')!
    const dad = lines.get('dad')!
    expect(mum).toHaveLength(1)
    expect(mum[0]).toMatchObject({ quantity: 17, unitPriceMinor: 415n, amountMinor: 3528n, grossMinor: 7055n, share: { weight: 1, totalWeight: 2 } })
    expect(dad[0]).toMatchObject({ quantity: 17, unitPriceMinor: 415n, amountMinor: 3527n, grossMinor: 7055n, share: { weight: 1, totalWeight: 2 } })
    expect(mum[0]!.unitPrice).toBeUndefined()
  })

  it('a price with more decimals than the currency is carried exact: 3 days at 3.333 is 3 x 3.333 = 10.00, not 3 x 3.33', () => {
    const [line] = linesOf(configOf('3.333', [['mum', 1]]), 3).get('mum')!
    expect(line).toMatchObject({ quantity: 3, unitPriceMinor: 333n, unitPrice: '3.333', amountMinor: 1000n })
    expect(line!.share).toBeUndefined()
    expect(line!.grossMinor).toBeUndefined()
  })

  it('a whole line at a price in cents carries none of these facts (its keys are those of earlier versions)', () => {
    const [line] = linesOf(configOf('4.15', [['mum', 1]]), 17).get('mum')!
    expect(Object.keys(line!).sort()).toEqual(['amountMinor', 'beneficiaryId', 'chargeIds', 'dates', 'from', 'id', 'quantity', 'serviceId', 'to', 'unitPriceMinor'])
  })

  it('a debtor who pays half of some days and all of others gets two lines, one per share', () => {
    const charges = invoiceChargeLinesFromBilling(buildChargeLines(prepareChargeConfig(configOf('4.15', [['mum', 1], ['dad', 1]])), daysOf(4)).groups)
    const whole = invoiceChargeLinesFromBilling(buildChargeLines(prepareChargeConfig(configOf('4.15', [['mum', 1]])), daysOf(6).slice(4)).groups)
    const [draft] = buildInvoiceDrafts(batch, [...charges.filter((c) => c.debtorId === 'mum'), ...whole]).drafts
    expect(draft!.lines.map((l) => [l.quantity, l.amountMinor, l.share, l.grossMinor])).toEqual([
      [2, 830n, undefined, undefined],
      [4, 830n, { weight: 1, totalWeight: 2 }, 1660n],
    ])
    expect(draft!.totalMinor).toBe(1660n)
  })
})

const payersArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).map((ws) => ws.map((w, i) => [`g${i}`, w] as const))
const priceArb = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 1, max: 5 })).map(([whole, frac, decimals]) => `${whole}.${String(frac).padStart(5, '0').slice(0, decimals)}`)

test.prop([priceArb, payersArb, fc.integer({ min: 1, max: 23 }), fc.constantFrom<RoundingMode>('halfUp', 'halfEven', 'up', 'down')], { numRuns: 60 })(
  'every line adds up as a reader computes it: quantity x exact price, rounded as the office rounds, is the line (or the whole of a shared line, whose shares add up to it)',
  (price, payers, n, mode) => {
    const lines = linesOf(configOf(price, payers, mode), n)
    const whole = roundedCents(n, price, mode)
    const total = payers.reduce((s, [, w]) => s + w, 0)
    let paid = 0n
    for (const [debtor, weight] of payers) {
      const mine = lines.get(debtor) ?? []
      for (const l of mine) {
        paid += l.amountMinor
        const exact = l.unitPrice ?? `${l.unitPriceMinor / 100n}.${String(l.unitPriceMinor % 100n).padStart(2, '0')}`
        // the exact price is given exactly when the price has more decimals than the cent
        expect(l.unitPrice !== undefined).toBe(price.replace(/0+$/, '').split('.')[1]!.length > 2)
        if (payers.length > 1) {
          expect(l.share).toEqual({ weight, totalWeight: total })
          expect(l.grossMinor).toBe(roundedCents(l.quantity, exact, mode))
          expect(l.amountMinor <= l.grossMinor!).toBe(true)
        } else {
          expect(l.share).toBeUndefined()
          expect(l.amountMinor).toBe(roundedCents(l.quantity, exact, mode))
        }
      }
    }
    expect(paid).toBe(whole)
  },
)

describe('invoiceLineFacts: what every reader of a line is shown', () => {
  const whole: InvoiceLine = { id: 'i:1', beneficiaryId: 'lea', serviceId: 'canteen', unitPriceMinor: 415n, quantity: 17, amountMinor: 7055n, chargeIds: ['c1'], dates: ['2026-09-01'], from: '2026-09-01', to: '2026-09-17' }

  it('a line stored before shares and exact prices existed is a whole line at its price in cents: 17 x 4.15, nothing more', () => {
    const facts = invoiceLineFacts(whole, 'EUR')
    expect([facts.quantity, facts.unitPrice.toString(), facts.exactPrice, facts.amountMinor, facts.share]).toEqual([17, '4.15 EUR', false, 7055n, undefined])
  })

  it('a half share of 17 meals at 4.15 is shown as 17 x 4.15 = 70.55, share 1/2, 35.28 paid', () => {
    const [mum] = linesOf(configOf('4.15', [['mum', 1], ['dad', 1]]), 17).get('mum')!
    const facts = invoiceLineFacts(mum!, 'EUR')
    expect(facts.unitPrice.toString()).toBe('4.15 EUR')
    expect(facts.share).toEqual({ numerator: 1, denominator: 2, grossMinor: 7055n })
    expect(facts.amountMinor).toBe(3528n)
  })

  it('gives the share in lowest terms: weights 2 out of 6 are 1/3, 2 out of 5 stay 2/5', () => {
    expect(invoiceLineFacts({ ...whole, share: { weight: 2, totalWeight: 6 }, grossMinor: 7055n, amountMinor: 2352n }, 'EUR').share).toMatchObject({ numerator: 1, denominator: 3 })
    expect(invoiceLineFacts({ ...whole, share: { weight: 2, totalWeight: 5 }, grossMinor: 7055n, amountMinor: 2822n }, 'EUR').share).toMatchObject({ numerator: 2, denominator: 5 })
  })

  it('shows the exact price of a price with more decimals than the currency: 3 x 3.333 = 10.00, not 3 x 3.33', () => {
    const [line] = linesOf(configOf('3.333', [['mum', 1]]), 3).get('mum')!
    const facts = invoiceLineFacts(line!, 'EUR')
    expect([facts.unitPrice.amount, facts.exactPrice, facts.amountMinor, facts.share]).toEqual(['3.333', true, 1000n, undefined])
  })

  it('refuses a share without what the whole line costs (and the other way round), a share that is not part of the line, or an exact price that is not a decimal, naming the field', () => {
    const refused = (line: InvoiceLine, field: string) => {
      try {
        invoiceLineFacts(line, 'EUR')
      } catch (e) {
        expect(isEcoleError(e, 'INVALID_INPUT'), field).toBe(true)
        expect((e as Error).message).toContain(`${field}:`)
        return
      }
      expect.fail(`expected ${field} to be refused`)
    }
    refused({ ...whole, share: { weight: 1, totalWeight: 2 } }, 'line.grossMinor')
    refused({ ...whole, grossMinor: 7055n }, 'line.share')
    refused({ ...whole, share: { weight: 2, totalWeight: 2 }, grossMinor: 7055n }, 'line.share')
    refused({ ...whole, share: { weight: 0.5, totalWeight: 2 }, grossMinor: 7055n }, 'line.share')
    refused({ ...whole, unitPrice: '3,333' }, 'line.unitPrice')
  })
})

import { describe, expect, it } from 'vitest'
import { applyAdjustment, chargeKindOf } from './billing-mode'
import { isEcoleError } from '../errors'
import { refusal } from '../test-support/refusal'
import { Money } from '../money'
import { FamilyQuotientSchema, TariffPeriodSchema, TariffSchema, priceUnit, type TariffPeriod } from './tariff'

const eur = (amount: string) => ({ amount, currency: 'EUR' })

// "Cantine à 1 €": the lowest bracket at 1 EUR is reserved for QF <= 1000 (here [0, 700))
const brackets: TariffPeriod = TariffPeriodSchema.parse({
  from: '2026-09-01',
  tariff: {
    kind: 'quotientBrackets',
    noQuotientPrice: eur('4.50'),
    brackets: [
      { min: 0, max: 700, price: eur('1.00') },
      { min: 700, max: '1000.50', price: eur('2.50') },
      { min: '1000.50', price: eur('4.00') },
    ],
  },
  adultPrice: eur('6.80'),
})

function priceAt(quotient: string | undefined): string {
  return priceUnit(brackets, { adult: false, quotient }).price.amount
}

describe('family-quotient brackets', () => {
  it('prices QF 0 in the first bracket, not as an unknown QF', () => {
    expect(priceAt('0')).toBe('1.00')
    expect(priceUnit(brackets, { adult: false, quotient: '0' }).basis).toEqual({ kind: 'quotientBracket', quotient: '0', bracketIndex: 0, min: '0', max: '700' })
  })

  it('uses the explicit no-QF price when no QF is known', () => {
    expect(priceAt(undefined)).toBe('4.50')
    expect(priceUnit(brackets, { adult: false, quotient: undefined }).basis).toEqual({ kind: 'noQuotient', tariffKind: 'quotientBrackets' })
  })

  it('treats brackets as half-open: a QF equal to a max belongs to the next bracket', () => {
    expect(priceAt('699.99')).toBe('1.00')
    expect(priceAt('700')).toBe('2.50')
    expect(priceAt('1000.49')).toBe('2.50')
    expect(priceAt('1000.50')).toBe('4.00')
    expect(priceAt('99999')).toBe('4.00')
  })

  it('explains the bracket used', () => {
    expect(priceUnit(brackets, { adult: false, quotient: '700' }).explanation).toBe('QF 700 in [700, 1000.50): 2.50 EUR')
  })

  it('charges an adult the adult price', () => {
    expect(priceUnit(brackets, { adult: true, quotient: '0' })).toMatchObject({ basis: { kind: 'adult' } })
    expect(priceUnit(brackets, { adult: true, quotient: '0' }).price.amount).toBe('6.80')
  })

  it('refuses brackets with a gap, an overlap, or a closed last bracket', () => {
    const gap = { kind: 'quotientBrackets', noQuotientPrice: eur('4'), brackets: [{ min: 0, max: 500, price: eur('1') }, { min: 600, price: eur('2') }] }
    expect(TariffSchema.safeParse(gap).success).toBe(false)
    const closed = { kind: 'quotientBrackets', noQuotientPrice: eur('4'), brackets: [{ min: 0, max: 500, price: eur('1') }] }
    expect(TariffSchema.safeParse(closed).success).toBe(false)
    const notFromZero = { kind: 'quotientBrackets', noQuotientPrice: eur('4'), brackets: [{ min: 100, price: eur('1') }] }
    expect(TariffSchema.safeParse(notFromZero).success).toBe(false)
  })

  it('refuses a negative QF and one with three decimals', () => {
    expect(FamilyQuotientSchema.safeParse(-1).success).toBe(false)
    expect(FamilyQuotientSchema.safeParse('12.345').success).toBe(false)
    expect(FamilyQuotientSchema.parse('652.5')).toBe('652.50')
    expect(FamilyQuotientSchema.parse('700.00')).toBe('700')
  })
})

describe('effort rate', () => {
  const effort = TariffPeriodSchema.parse({
    from: '2026-09-01',
    tariff: { kind: 'effortRate', rate: '0.005', floor: eur('0.80'), ceiling: eur('5.00'), noQuotientPrice: eur('5.00') },
  })

  it('prices QF x rate exactly, without rounding the unit price', () => {
    // 652.50 x 0.005 = 3.2625
    const p = priceUnit(effort, { adult: false, quotient: '652.50' })
    expect(p.price.amount).toBe('3.2625')
    expect(p.basis).toEqual({ kind: 'effortRate', quotient: '652.50', rate: '0.005', clamped: undefined })
  })

  it('clamps to the floor and the ceiling', () => {
    // 100 x 0.005 = 0.50 < 0.80; 1200 x 0.005 = 6.00 > 5.00; QF 0 is a real QF and gets the floor
    expect(priceUnit(effort, { adult: false, quotient: '100' })).toMatchObject({ basis: { clamped: 'floor' } })
    expect(priceUnit(effort, { adult: false, quotient: '100' }).price.amount).toBe('0.80')
    expect(priceUnit(effort, { adult: false, quotient: '1200' }).price.amount).toBe('5.00')
    expect(priceUnit(effort, { adult: false, quotient: '0' }).price.amount).toBe('0.80')
  })

  it('uses the no-QF price without a QF', () => {
    expect(priceUnit(effort, { adult: false, quotient: undefined }).basis).toEqual({ kind: 'noQuotient', tariffKind: 'effortRate' })
  })

  it('refuses a negative, malformed or non-text quotient with INVALID_INPUT naming context.quotient, under both QF tariffs', () => {
    for (const period of [effort, brackets]) {
      for (const quotient of ['-5', 'abc', '652.505', '', 652.5, null]) {
        try {
          priceUnit(period, { adult: false, quotient: quotient as never })
          expect.unreachable()
        } catch (e) {
          expect(isEcoleError(e, 'INVALID_INPUT') && e.details.issues[0]?.path).toBe('context.quotient')
        }
      }
    }
  })

  it('refuses a floor above the ceiling', () => {
    expect(TariffSchema.safeParse({ kind: 'effortRate', rate: '0.005', floor: eur('6'), ceiling: eur('5'), noQuotientPrice: eur('5') }).success).toBe(false)
  })
})

describe('degressive by sibling rank', () => {
  const degressive = TariffPeriodSchema.parse({
    from: '2026-09-01',
    tariff: { kind: 'siblingRank', ranking: 'chargedThatDay', prices: [eur('4.00'), eur('3.50'), eur('3.00')] },
  })

  it('charges the k-th child the k-th price, and the last price beyond the list', () => {
    expect(priceUnit(degressive, { adult: false, quotient: undefined, sibling: { rank: 1, of: 4 } }).price.amount).toBe('4.00')
    expect(priceUnit(degressive, { adult: false, quotient: undefined, sibling: { rank: 2, of: 4 } }).price.amount).toBe('3.50')
    expect(priceUnit(degressive, { adult: false, quotient: undefined, sibling: { rank: 4, of: 4 } }).price.amount).toBe('3.00')
  })

  it('needs the rank of a child', () => {
    expect(() => priceUnit(degressive, { adult: false, quotient: undefined })).toThrow(/rank/)
  })

  it('gives an adult no sibling rank: without an adult price an adult pays the first price, whatever rank is passed', () => {
    expect(priceUnit(degressive, { adult: true, quotient: undefined })).toEqual({ price: Money.of('4.00', 'EUR'), basis: { kind: 'adult' }, explanation: 'adult, no sibling rank (no adult price): 4.00 EUR' })
    expect(priceUnit(degressive, { adult: true, quotient: undefined, sibling: { rank: 3, of: 3 } }).price.amount).toBe('4.00')
    expect(priceUnit({ ...degressive, adultPrice: Money.of('6.80', 'EUR') }, { adult: true, quotient: undefined }).price.amount).toBe('6.80')
  })
})

describe('tariff schema', () => {
  it('refuses a tariff mixing currencies', () => {
    expect(TariffSchema.safeParse({ kind: 'siblingRank', ranking: 'subscribed', prices: [eur('1'), { amount: '1', currency: 'USD' }] }).success).toBe(false)
  })

  it('refuses a negative price, naming the field', () => {
    const r = TariffSchema.safeParse({ kind: 'fixed', price: eur('-1') })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.path).toEqual(['price'])
  })
})

describe('billing modes and adjustments', () => {
  it('bills booked days, absent or not, in booked mode; never a justified absence', () => {
    expect(chargeKindOf({ kind: 'booked' }, { booked: true, attended: false })).toBe('service')
    expect(chargeKindOf({ kind: 'booked' }, { booked: true, attended: false, justifiedAbsence: true })).toBe('JUSTIFIED_ABSENCE')
    expect(chargeKindOf({ kind: 'booked' }, { booked: false, attended: true })).toBe('NOT_BOOKED')
    expect(chargeKindOf({ kind: 'booked' }, { booked: false, lateCancellation: true })).toBe('service')
  })

  it('bills attended days only in attended mode', () => {
    expect(chargeKindOf({ kind: 'attended' }, { booked: false, attended: true })).toBe('service')
    expect(chargeKindOf({ kind: 'attended' }, { booked: true })).toBe('NOT_ATTENDED')
  })

  it('surcharges unbooked attendance and late cancellations in booked-with-surcharge mode', () => {
    const mode = { kind: 'bookedWithSurcharge', unbookedAttendance: { effect: 'surcharge', kind: 'percentage', percent: '50' } } as const
    expect(chargeKindOf(mode, { booked: true, attended: true })).toBe('service')
    expect(chargeKindOf(mode, { booked: false, attended: true })).toBe('unbookedAttendance')
    expect(chargeKindOf(mode, { booked: false, lateCancellation: true })).toBe('lateCancellation')
    expect(chargeKindOf(mode, { booked: false, lateCancellation: true, justifiedAbsence: true })).toBe('JUSTIFIED_ABSENCE')
    expect(chargeKindOf(mode, { booked: false })).toBe('NOTHING_TO_BILL')
  })

  it('refuses a fact that is not a boolean, naming it, instead of reading it as absent', () => {
    const r = refusal(() => chargeKindOf({ kind: 'booked' }, { booked: true, attended: false, justifiedAbsence: 'true' } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['day.justifiedAbsence'] })
    expect(refusal(() => chargeKindOf({ kind: 'attended' }, { booked: true, attended: 'true' } as never)).paths).toEqual(['day.attended'])
    expect(refusal(() => chargeKindOf({ kind: 'booked' }, { booked: false, lateCancellation: 1 } as never)).paths).toEqual(['day.lateCancellation'])
    expect(refusal(() => chargeKindOf({ kind: 'booked' }, { booked: 'yes' } as never)).paths).toEqual(['day.booked'])
  })

  it('applies surcharges and reductions as a percentage or an amount, never below zero', () => {
    const price = Money.of('4.15', 'EUR')
    expect(applyAdjustment(price, { effect: 'surcharge', kind: 'percentage', percent: '50' }).amount).toBe('6.225')
    expect(applyAdjustment(price, { effect: 'reduction', kind: 'percentage', percent: '10' }).amount).toBe('3.735')
    expect(applyAdjustment(price, { effect: 'surcharge', kind: 'amount', amount: Money.of('1', 'EUR') }).amount).toBe('5.15')
    expect(applyAdjustment(price, { effect: 'reduction', kind: 'amount', amount: Money.of('5', 'EUR') }).amount).toBe('0.00')
  })
})

import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { refusal } from '../test-support/refusal'
import { addDays, type LocalDate } from '../time'
import { Money } from '../money'
import { buildChargeLines, chargeLineMoney, type BillableDay, type ChargeGroup } from './charge-lines'
import { prepareChargeConfig, type ChargeConfigInput } from './charge-config'

const eur = (amount: string) => ({ amount, currency: 'EUR' })
const fixed = (amount: string) => [{ from: '2026-01-01', tariff: { kind: 'fixed', price: eur(amount) } }]

function config(overrides: Record<string, unknown> = {}): ChargeConfigInput {
  return <ChargeConfigInput>{
    rules: [
      { id: 'r-lea', payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }, { beneficiaryId: 'lea', serviceId: 'care' }], from: '2026-09-01', criterion: { kind: 'always' } },
    ],
    services: [
      { id: 'canteen', billing: 'invoiced', billingOfficeId: 'office' },
      { id: 'care', billing: 'invoiced', billingOfficeId: 'office' },
      { id: 'snack', billing: 'prepaid', billingOfficeId: 'office' },
    ],
    billingOffices: [{ id: 'office', currency: 'EUR', roundingMode: 'halfUp' }],
    pricing: [
      { serviceId: 'canteen', mode: { kind: 'booked' }, tariffs: fixed('4.15') },
      { serviceId: 'care', mode: { kind: 'attended' }, tariffs: fixed('2.00') },
    ],
    beneficiaries: [{ id: 'lea', birthDate: '2018-03-01' }, { id: 'tom', birthDate: '2016-05-02' }, { id: 'zoe', birthDate: '2020-01-09' }],
    ...overrides,
  }
}

/** `n` consecutive days from `from` (weekends included: billing does not care). */
function days(beneficiaryId: string, serviceId: string, from: LocalDate, n: number, facts: Partial<BillableDay> = { booked: true }): BillableDay[] {
  return Array.from({ length: n }, (_, i) => ({ beneficiaryId, serviceId, date: addDays(from, i), booked: false, ...facts }))
}

function only(groups: ChargeGroup[]): ChargeGroup {
  expect(groups).toHaveLength(1)
  return groups[0] as ChargeGroup
}

describe('buildChargeLines', () => {
  it('makes 17 meals at 4.15 EUR one line of 70.55 EUR (never 70.49)', () => {
    const { groups, unbilled } = buildChargeLines(prepareChargeConfig(config()), days('lea', 'canteen', '2026-09-01', 17))
    expect(unbilled).toEqual([])
    const g = only(groups)
    expect(g).toMatchObject({ debtorId: 'mum', billingOfficeId: 'office', period: { from: '2026-09-01', to: '2026-09-30' }, totalMinor: 7055n })
    expect(Money.fromMinor(g.totalMinor, g.currency).amount).toBe('70.55')
    expect(g.lines).toHaveLength(1)
    expect(g.lines[0]).toMatchObject({ quantity: 17, roundedAmountMinor: 7055n, amountMinor: 7055n, kind: 'service', basis: { kind: 'fixed' } })
    expect([g.lines[0]?.unitPrice.toString(), g.lines[0]?.exact.toString()]).toEqual(['4.15 EUR', '70.55 EUR'])
    expect(g.lines[0]?.dates[0]).toBe('2026-09-01')
    expect(g.lines[0]?.dates[16]).toBe('2026-09-17')
  })

  it('returns prepaid services as unbilled: they settle through the wallet', () => {
    const { groups, unbilled } = buildChargeLines(prepareChargeConfig(config()), days('lea', 'snack', '2026-09-01', 2))
    expect(groups).toEqual([])
    expect(unbilled.map((u) => u.reason)).toEqual(['PREPAID_SERVICE', 'PREPAID_SERVICE'])
  })

  it('returns every day without a debtor with its reason and rules, never dropping it', () => {
    const input = config({
      rules: [
        { id: 'a', payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'tom', serviceId: 'canteen' }], from: '2026-09-01', criterion: { kind: 'always' } },
        { id: 'b', payers: [{ guardianId: 'dad', weight: 1 }], covers: [{ beneficiaryId: 'tom', serviceId: 'canteen' }], from: '2026-09-10', criterion: { kind: 'always' } },
      ],
    })
    const { groups, unbilled } = buildChargeLines(prepareChargeConfig(input), [
      { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-07', booked: true },
      { beneficiaryId: 'tom', serviceId: 'canteen', date: '2026-09-07', booked: true },
      { beneficiaryId: 'tom', serviceId: 'canteen', date: '2026-09-10', booked: true },
    ])
    expect(unbilled).toEqual([
      { day: { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-07', booked: true }, reason: 'NO_RULE', ruleIds: [] },
      { day: { beneficiaryId: 'tom', serviceId: 'canteen', date: '2026-09-10', booked: true }, reason: 'RULES_OVERLAP', ruleIds: ['a', 'b'] },
    ])
    expect(only(groups).lines[0]?.dates).toEqual(['2026-09-07'])
  })

  it('bills attended days only for an attended-mode service, and says why the others are not', () => {
    const { groups, unbilled } = buildChargeLines(prepareChargeConfig(config()), [
      { beneficiaryId: 'lea', serviceId: 'care', date: '2026-09-07', booked: true, attended: true },
      { beneficiaryId: 'lea', serviceId: 'care', date: '2026-09-08', booked: true, attended: false },
      { beneficiaryId: 'lea', serviceId: 'care', date: '2026-09-09', booked: true, attended: false, justifiedAbsence: true },
    ])
    expect(only(groups).totalMinor).toBe(200n)
    expect(unbilled.map((u) => u.reason)).toEqual(['NOT_ATTENDED', 'JUSTIFIED_ABSENCE'])
  })

  it('surcharges unbooked attendance by 50 %, rounding the line once', () => {
    const input = config({
      pricing: [
        {
          serviceId: 'canteen',
          mode: { kind: 'bookedWithSurcharge', unbookedAttendance: { effect: 'surcharge', kind: 'percentage', percent: '50' }, lateCancellation: { effect: 'surcharge', kind: 'amount', amount: eur('1.00') } },
          tariffs: fixed('4.15'),
        },
        { serviceId: 'care', mode: { kind: 'attended' }, tariffs: fixed('2.00') },
      ],
    })
    const { groups } = buildChargeLines(prepareChargeConfig(input), [
      { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-07', booked: true },
      { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-08', booked: false, attended: true },
      { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-09', booked: false, attended: true },
      { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-10', booked: false, lateCancellation: true },
    ])
    const lines = only(groups).lines
    expect(lines.map((l) => [l.kind, l.quantity, l.exact.amount, l.amountMinor])).toEqual([
      ['service', 1, '4.15', 415n],
      ['unbookedAttendance', 2, '12.45', 1245n], // 4.15 x 1.5 = 6.225, x 2 = 12.45 exactly
      ['lateCancellation', 1, '5.15', 515n],
    ])
    expect(lines[1]?.unitPrice.amount).toBe('6.225')
    expect(lines[1]?.unitPrice.isRounded()).toBe(false)
    expect(only(groups).totalMinor).toBe(415n + 1245n + 515n)
  })

  it('rounds a line with the billing office rounding mode', () => {
    const effort = [{ from: '2026-01-01', tariff: { kind: 'effortRate', rate: '0.005', floor: eur('0.50'), ceiling: eur('5'), noQuotientPrice: eur('5') } }]
    const base = {
      pricing: [{ serviceId: 'canteen', mode: { kind: 'booked' }, tariffs: effort }, { serviceId: 'care', mode: { kind: 'attended' }, tariffs: fixed('2') }],
      quotients: [{ guardianId: 'mum', quotient: '652.50', from: '2026-01-01' }],
    }
    // 652.50 x 0.005 = 3.2625; two days = 6.525
    const twoDays = days('lea', 'canteen', '2026-09-07', 2)
    const up = buildChargeLines(prepareChargeConfig(config({ ...base, billingOffices: [{ id: 'office', roundingMode: 'halfUp' }] })), twoDays)
    const even = buildChargeLines(prepareChargeConfig(config({ ...base, billingOffices: [{ id: 'office', roundingMode: 'halfEven' }] })), twoDays)
    expect(only(up.groups).lines.map((l) => [l.exact.amount, l.roundedAmountMinor])).toEqual([['6.525', 653n]])
    expect(only(even.groups).lines.map((l) => [l.exact.amount, l.roundedAmountMinor])).toEqual([['6.525', 652n]])
  })

  it('splits a line between two payers by their weights, the parts adding up to the rounded line', () => {
    const input = config({
      rules: [{ id: 'shared', payers: [{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }], from: '2026-09-01', criterion: { kind: 'always' } }],
    })
    const { groups } = buildChargeLines(prepareChargeConfig(input), days('lea', 'canteen', '2026-09-01', 17))
    // 70.55 / 2 = 35.275: largest remainder gives the extra cent to the first payer
    expect(groups.map((g) => [g.debtorId, g.totalMinor])).toEqual([
      ['dad', 3527n],
      ['mum', 3528n],
    ])
    expect(groups[0]?.lines[0]).toMatchObject({ weight: 1, totalWeight: 2, roundedAmountMinor: 7055n })
  })

  it('bills separated parents on alternate weeks, each in their own group', () => {
    const input = config({
      rules: [
        { id: 'mum', payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }], from: '2026-09-01', criterion: { kind: 'isoParity', parity: 'even', week53: 'odd' } },
        { id: 'dad', payers: [{ guardianId: 'dad', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }], from: '2026-09-01', criterion: { kind: 'isoParity', parity: 'odd', week53: 'odd' }, jointDebtorIds: ['grandpa'] },
      ],
    })
    // Monday 2026-09-07 to Sunday 2026-09-20: week 37 (odd, dad) then week 38 (even, mum)
    const { groups, unbilled } = buildChargeLines(prepareChargeConfig(input), days('lea', 'canteen', '2026-09-07', 14))
    expect(unbilled).toEqual([])
    expect(groups.map((g) => [g.debtorId, g.totalMinor, g.jointDebtorIds])).toEqual([
      ['dad', 7n * 415n, ['grandpa']],
      ['mum', 7n * 415n, []],
    ])
    expect(groups[0]?.lines[0]?.dates).toEqual(['2026-09-07', '2026-09-08', '2026-09-09', '2026-09-10', '2026-09-11', '2026-09-12', '2026-09-13'])
  })

  it('groups by billing period: calendar months by default, or the periods given', () => {
    const monthly = buildChargeLines(prepareChargeConfig(config()), days('lea', 'canteen', '2026-09-29', 4))
    expect(monthly.groups.map((g) => [g.period.from, g.totalMinor])).toEqual([
      ['2026-09-01', 830n],
      ['2026-10-01', 830n],
    ])
    const fortnight = buildChargeLines(prepareChargeConfig(config({ periods: [{ from: '2026-09-21', to: '2026-10-01' }] })), days('lea', 'canteen', '2026-09-29', 4))
    expect(fortnight.groups.map((g) => [g.period.from, g.totalMinor])).toEqual([['2026-09-21', 1245n]])
    expect(fortnight.unbilled.map((u) => [u.day.date, u.reason])).toEqual([['2026-10-02', 'OUTSIDE_PERIODS']])
  })

  it('prices by the QF valid at the reference date (the first day of the period by default)', () => {
    const input = config({
      pricing: [
        {
          serviceId: 'canteen',
          mode: { kind: 'booked' },
          tariffs: [{ from: '2026-01-01', tariff: { kind: 'quotientBrackets', noQuotientPrice: eur('4.50'), brackets: [{ min: 0, max: 700, price: eur('1.00') }, { min: 700, price: eur('3.00') }] } }],
        },
        { serviceId: 'care', mode: { kind: 'attended' }, tariffs: fixed('2') },
      ],
      quotients: [
        { guardianId: 'mum', quotient: 0, from: '2026-01-01', to: '2026-09-14' },
        { guardianId: 'mum', quotient: 900, from: '2026-09-15' },
      ],
    })
    // September: QF 0 on 2026-09-01 (a real QF: 1.00); October: QF 900 (3.00)
    const { groups } = buildChargeLines(prepareChargeConfig(input), [...days('lea', 'canteen', '2026-09-20', 2), ...days('lea', 'canteen', '2026-10-05', 1)])
    expect(groups.map((g) => [g.period.from, g.totalMinor, g.lines[0]?.basis])).toEqual([
      ['2026-09-01', 200n, { kind: 'quotientBracket', quotient: '0', bracketIndex: 0, min: '0', max: '700' }],
      ['2026-10-01', 300n, { kind: 'quotientBracket', quotient: '900', bracketIndex: 1, min: '700', max: undefined }],
    ])
    const fixedDate = buildChargeLines(prepareChargeConfig({ ...input, quotientDate: '2026-09-20' }), days('lea', 'canteen', '2026-09-20', 1))
    expect(only(fixedDate.groups).totalMinor).toBe(300n)
    const noQf = buildChargeLines(prepareChargeConfig({ ...input, quotients: [] }), days('lea', 'canteen', '2026-09-20', 1))
    expect(only(noQf.groups).lines[0]?.basis).toEqual({ kind: 'noQuotient', tariffKind: 'quotientBrackets' })
  })

  describe('degressive tariff by sibling rank', () => {
    const siblings = (ranking: string) =>
      config({
        rules: [
          {
            id: 'family',
            payers: [{ guardianId: 'mum', weight: 1 }],
            covers: ['lea', 'tom', 'zoe'].map((b) => ({ beneficiaryId: b, serviceId: 'canteen' })),
            from: '2026-09-01',
            criterion: { kind: 'always' },
          },
        ],
        pricing: [
          { serviceId: 'canteen', mode: { kind: 'booked' }, tariffs: [{ from: '2026-01-01', tariff: { kind: 'siblingRank', ranking, prices: [eur('4.00'), eur('3.50'), eur('3.00')] } }] },
          { serviceId: 'care', mode: { kind: 'attended' }, tariffs: fixed('2') },
        ],
        subscriptions: ['lea', 'tom', 'zoe'].map((b) => ({ beneficiaryId: b, serviceId: 'canteen', from: '2026-09-01' })),
      })
    // tom (2016) is the eldest, then lea (2018), then zoe (2020); on 2026-09-08 tom does not eat
    const week = [
      ...['tom', 'lea', 'zoe'].map((b) => ({ beneficiaryId: b, serviceId: 'canteen', date: '2026-09-07' as LocalDate, booked: true })),
      ...['lea', 'zoe'].map((b) => ({ beneficiaryId: b, serviceId: 'canteen', date: '2026-09-08' as LocalDate, booked: true })),
    ]

    it('ranks among the children charged that day, eldest first', () => {
      const lines = only(buildChargeLines(prepareChargeConfig(siblings('chargedThatDay')), week).groups).lines
      const priceOf = (b: string, date: string) => lines.find((l) => l.beneficiaryId === b && l.dates.includes(date as LocalDate))?.unitPrice.toMinor()
      expect(priceOf('tom', '2026-09-07')).toBe(400n)
      expect(priceOf('lea', '2026-09-07')).toBe(350n)
      expect(priceOf('zoe', '2026-09-07')).toBe(300n)
      expect(priceOf('lea', '2026-09-08')).toBe(400n)
      expect(priceOf('zoe', '2026-09-08')).toBe(350n)
      expect(lines.find((l) => l.beneficiaryId === 'zoe' && l.dates.includes('2026-09-08'))?.basis).toEqual({ kind: 'siblingRank', rank: 2, of: 2, ranking: 'chargedThatDay' })
    })

    it('breaks a tie between twins by beneficiary id, the same way every time', () => {
      const twins = { ...siblings('chargedThatDay'), beneficiaries: [{ id: 'zoe', birthDate: '2018-03-01' }, { id: 'lea', birthDate: '2018-03-01' }, { id: 'tom', birthDate: '2016-05-02' }] }
      const day = ['zoe', 'lea'].map((b) => ({ beneficiaryId: b, serviceId: 'canteen', date: '2026-09-08' as LocalDate, booked: true }))
      const lines = only(buildChargeLines(prepareChargeConfig(twins), day).groups).lines
      expect(lines.map((l) => [l.beneficiaryId, l.unitPrice.toMinor()])).toEqual([
        ['lea', 400n],
        ['zoe', 350n],
      ])
      expect(only(buildChargeLines(prepareChargeConfig(twins), [...day].reverse()).groups).lines).toEqual(lines)
    })

    it('applies a standing adjustment after the sibling rank price', () => {
      const input = { ...siblings('chargedThatDay'), adjustments: [{ id: 'a', beneficiaryId: 'zoe', serviceId: 'canteen', from: '2026-09-01', adjustment: { effect: 'surcharge' as const, kind: 'amount' as const, amount: eur('0.25') }, label: 'late pick-up' }] }
      const lines = only(buildChargeLines(prepareChargeConfig(input), week).groups).lines
      const zoe = lines.filter((l) => l.beneficiaryId === 'zoe').map((l) => [l.dates[0], l.unitPrice.toMinor()])
      expect(zoe.sort()).toEqual([
        ['2026-09-07', 325n], // rank 3: 3.00 + 0.25
        ['2026-09-08', 375n], // rank 2: 3.50 + 0.25
      ])
    })

    for (const ranking of ['chargedThatDay', 'subscribed']) {
      it(`never ranks an adult among the children (${ranking}): without an adult price the adult pays the first price and the children keep their ranks`, () => {
        const base = siblings(ranking)
        const withMum = {
          ...base,
          rules: [{ ...(base.rules as Array<Record<string, unknown>>)[0], covers: ['lea', 'tom', 'zoe', 'mum'].map((b) => ({ beneficiaryId: b, serviceId: 'canteen' })) }],
          beneficiaries: [...(base.beneficiaries as object[]), { id: 'mum', birthDate: '1985-01-01', adult: true }],
          subscriptions: ['lea', 'tom', 'zoe', 'mum'].map((b) => ({ beneficiaryId: b, serviceId: 'canteen', from: '2026-09-01' })),
        } as ChargeConfigInput
        const day = ['lea', 'zoe', 'mum'].map((b) => ({ beneficiaryId: b, serviceId: 'canteen', date: '2026-09-08' as LocalDate, booked: true }))
        const lines = only(buildChargeLines(prepareChargeConfig(withMum), day).groups).lines
        const price = (b: string) => lines.find((l) => l.beneficiaryId === b)
        // the mother, born in 1985, would be the eldest: she takes no rank, lea stays first
        expect(price('mum')?.unitPrice.toMinor()).toBe(400n)
        expect(price('mum')?.basis).toEqual({ kind: 'adult' })
        const children = ranking === 'subscribed' ? { lea: 350n, zoe: 300n } : { lea: 400n, zoe: 350n } // subscribed: tom (eldest) counts
        expect(price('lea')?.unitPrice.toMinor()).toBe(children.lea)
        expect(price('zoe')?.unitPrice.toMinor()).toBe(children.zoe)
        expect(price('lea')?.basis).toMatchObject({ kind: 'siblingRank', of: ranking === 'subscribed' ? 3 : 2 })
      })
    }

    it('ranks among all the subscribed children when the site chooses so', () => {
      const lines = only(buildChargeLines(prepareChargeConfig(siblings('subscribed')), week).groups).lines
      const priceOf = (b: string, date: string) => lines.find((l) => l.beneficiaryId === b && l.dates.includes(date as LocalDate))?.unitPrice.toMinor()
      expect(priceOf('lea', '2026-09-08')).toBe(350n)
      expect(priceOf('zoe', '2026-09-08')).toBe(300n)
    })
  })

  it('applies a beneficiary standing reduction from its first day, explaining it', () => {
    const input = config({
      adjustments: [{ id: 'pai', beneficiaryId: 'lea', serviceId: 'canteen', from: '2026-09-08', adjustment: { effect: 'reduction', kind: 'percentage', percent: '50' }, label: 'PAI panier repas' }],
    })
    const lines = only(buildChargeLines(prepareChargeConfig(input), days('lea', 'canteen', '2026-09-07', 3)).groups).lines
    // 2026-09-07 at 4.15; 09-08 and 09-09 at 4.15 / 2 = 2.075, two days = 4.15
    expect(lines.map((l) => [l.dates, l.unitPrice.amount, l.exact.amount, l.amountMinor, l.standingAdjustment?.id])).toEqual([
      [['2026-09-07'], '4.15', '4.15', 415n, undefined],
      [['2026-09-08', '2026-09-09'], '2.075', '4.15', 415n, 'pai'],
    ])
    expect(lines[1]?.explanation).toBe('fixed price: 4.15 EUR; reduction 50 % (PAI panier repas): 2.075 EUR')
  })

  it('refuses two standing adjustments on the same beneficiary service and days', () => {
    const a = { beneficiaryId: 'lea', serviceId: 'canteen', adjustment: { effect: 'reduction', kind: 'amount', amount: eur('1') }, label: 'x' }
    expect(() => prepareChargeConfig(config({ adjustments: [{ ...a, id: 'a', from: '2026-09-01' }, { ...a, id: 'b', from: '2026-10-01' }] }))).toThrow(/config\.adjustments\.1/)
  })

  describe('standing adjustments and surcharges are checked with the configuration', () => {
    const pai = { id: 'pai', beneficiaryId: 'lea', serviceId: 'canteen', from: '2026-09-01', adjustment: { effect: 'reduction', kind: 'percentage', percent: '50' }, label: 'PAI panier repas' }

    it('refuses a standing adjustment for a service the configuration does not have, naming the field and the nearest service, instead of never applying it', () => {
      const r = refusal(() => prepareChargeConfig(config({ adjustments: [{ ...pai, serviceId: 'canten' }] })))
      expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['config.adjustments.0.serviceId'] })
      expect(r.message).toMatch(/no service canten in services: did you mean canteen\?/)
    })

    it('refuses a standing adjustment for a beneficiary the configuration does not list, naming the field and the nearest beneficiary', () => {
      const r = refusal(() => prepareChargeConfig(config({ adjustments: [{ ...pai, beneficiaryId: 'leaa' }] })))
      expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['config.adjustments.0.beneficiaryId'] })
      expect(r.message).toMatch(/no beneficiary leaa in beneficiaries: did you mean lea\?/)
    })

    it('refuses a standing adjustment amount in another currency than the tariff, naming the field, instead of failing the whole run', () => {
      const usd = { ...pai, adjustment: { effect: 'reduction', kind: 'amount', amount: { amount: '1.00', currency: 'USD' } } }
      const r = refusal(() => prepareChargeConfig(config({ adjustments: [usd] })))
      expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['config.adjustments.0.adjustment.amount'] })
      expect(r.message).toMatch(/is in USD, the tariff of canteen prices in EUR/)
    })

    it('refuses a billing-mode surcharge amount in another currency than the tariff, naming the field', () => {
      const mode = { kind: 'bookedWithSurcharge', unbookedAttendance: { effect: 'surcharge', kind: 'amount', amount: { amount: '1.00', currency: 'USD' } }, lateCancellation: { effect: 'surcharge', kind: 'amount', amount: eur('1.00') } }
      const r = refusal(() => prepareChargeConfig(config({ pricing: [{ serviceId: 'canteen', mode, tariffs: fixed('4.15') }, { serviceId: 'care', mode: { kind: 'attended' }, tariffs: fixed('2.00') }] })))
      expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['config.pricing.0.mode.unbookedAttendance.amount'] })
    })

    it('takes adjustments and surcharges in the tariff currency for known services and beneficiaries', () => {
      const mode = { kind: 'bookedWithSurcharge', unbookedAttendance: { effect: 'surcharge', kind: 'amount', amount: eur('1.00') } }
      expect(() => prepareChargeConfig(config({ adjustments: [pai, { ...pai, id: 'x', beneficiaryId: 'tom', adjustment: { effect: 'reduction', kind: 'amount', amount: eur('0.50') } }], pricing: [{ serviceId: 'canteen', mode, tariffs: fixed('4.15') }, { serviceId: 'care', mode: { kind: 'attended' }, tariffs: fixed('2.00') }] }))).not.toThrow()
    })
  })

  it('charges an adult beneficiary the adult price', () => {
    const input = config({
      rules: [{ id: 'staff', payers: [{ guardianId: 'teacher', weight: 1 }], covers: [{ beneficiaryId: 'teacher', serviceId: 'canteen' }], from: '2026-09-01', criterion: { kind: 'always' } }],
      beneficiaries: [{ id: 'teacher', adult: true }],
      pricing: [
        { serviceId: 'canteen', mode: { kind: 'booked' }, tariffs: [{ from: '2026-01-01', tariff: { kind: 'fixed', price: eur('4.15') }, adultPrice: eur('6.80') }] },
        { serviceId: 'care', mode: { kind: 'attended' }, tariffs: fixed('2') },
      ],
    })
    const { groups } = buildChargeLines(prepareChargeConfig(input), days('teacher', 'canteen', '2026-09-07', 2))
    expect(only(groups).lines[0]).toMatchObject({ amountMinor: 1360n, basis: { kind: 'adult' } })
    expect(only(groups).lines[0]?.unitPrice.toMinor()).toBe(680n)
  })

  it('gives a line its amounts as Money', () => {
    const line = only(buildChargeLines(prepareChargeConfig(config()), days('lea', 'canteen', '2026-09-01', 3)).groups).lines[0]
    if (!line) throw new Error('no line')
    const m = chargeLineMoney(line)
    expect([m.unitPrice.toString(), m.exact.toString(), m.rounded.toString(), m.amount.toString()]).toEqual(['4.15 EUR', '12.45 EUR', '12.45 EUR', '12.45 EUR'])
  })

  it('bills what an invoice batch selects: one period, one billing office, some services', () => {
    const input = config({ billingOffices: [{ id: 'office' }, { id: 'other' }], services: [
      { id: 'canteen', billing: 'invoiced', billingOfficeId: 'office' },
      { id: 'care', billing: 'invoiced', billingOfficeId: 'other' },
    ] })
    const all = [...days('lea', 'canteen', '2026-09-29', 3), { beneficiaryId: 'lea', serviceId: 'care', date: '2026-09-29' as LocalDate, booked: true, attended: true }]
    const { groups, unbilled } = buildChargeLines(prepareChargeConfig(input), all, { period: { from: '2026-09-01', to: '2026-09-30' }, billingOfficeId: 'office' })
    expect(groups.map((g) => [g.billingOfficeId, g.period.from, g.totalMinor])).toEqual([['office', '2026-09-01', 830n]])
    expect(unbilled.map((u) => [u.day.serviceId, u.day.date, u.reason])).toEqual([
      ['canteen', '2026-10-01', 'OUTSIDE_PERIODS'],
      ['care', '2026-09-29', 'NOT_SELECTED'],
    ])
    const onlyCare = buildChargeLines(prepareChargeConfig(input), all, { serviceIds: ['care'] })
    expect(onlyCare.groups.map((g) => [g.billingOfficeId, g.totalMinor])).toEqual([['other', 200n]])
    expect(() => buildChargeLines(prepareChargeConfig(input), all, { period: { from: '2026-09-30', to: '2026-09-01' } })).toThrow(/options\.period\.to/)
  })

  it('reuses a prepared configuration across runs', () => {
    const prepared = prepareChargeConfig(config())
    const a = buildChargeLines(prepared, days('lea', 'canteen', '2026-09-01', 2))
    const b = buildChargeLines(prepared, days('lea', 'canteen', '2026-09-01', 2))
    expect(a.groups[0]?.totalMinor).toBe(830n)
    expect(b.groups[0]?.totalMinor).toBe(830n)
  })

  it('takes only a prepared configuration: a raw one is refused, naming prepareChargeConfig, and nothing is priced', () => {
    const raw = config() as unknown as Parameters<typeof buildChargeLines>[0]
    let error: unknown
    try {
      buildChargeLines(raw, days('lea', 'canteen', '2026-09-01', 2))
    } catch (e) {
      error = e
    }
    expect(isEcoleError(error) && error.code).toBe('INVALID_INPUT')
    expect(String(error)).toMatch(/^EcoleError: \[ecole\] invalid input for config: must be a prepared charge configuration \(prepareChargeConfig/)
  })

  it('refuses a malformed day, naming it', () => {
    let error: unknown
    try {
      buildChargeLines(prepareChargeConfig(config()), [
        { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-01', booked: true },
        { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-31' as LocalDate, booked: true },
      ])
    } catch (e) {
      error = e
    }
    expect(isEcoleError(error) && error.code).toBe('INVALID_INPUT')
    expect(String(error)).toMatch(/days\[1\]\.date/)
    const noBeneficiary = [{ serviceId: 'canteen', date: '2026-09-01', booked: true }] as unknown as BillableDay[]
    expect(() => buildChargeLines(prepareChargeConfig(config()), noBeneficiary)).toThrow(/days\[0\]\.beneficiaryId/)
  })

  describe('the facts of a day are checked: a wrong one is refused, never read as absent', () => {
    const day = { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-07' as LocalDate, booked: true }
    const attendedCare = config({ pricing: [{ serviceId: 'canteen', mode: { kind: 'booked' }, tariffs: fixed('4.15') }, { serviceId: 'care', mode: { kind: 'attended' }, tariffs: fixed('2.00') }] })

    it('refuses a misspelt fact (justifedAbsence), naming the field and the nearest known key, instead of billing a justified absence', () => {
      const r = refusal(() => buildChargeLines(prepareChargeConfig(config()), [day, { ...day, date: '2026-09-08', attended: false, justifedAbsence: true } as BillableDay]))
      expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['days.1.justifedAbsence'] })
      expect(r.message).toMatch(/unknown key `justifedAbsence`: did you mean `justifiedAbsence`\?/)
    })

    it('refuses a key no day has, listing the known ones', () => {
      const r = refusal(() => buildChargeLines(prepareChargeConfig(config()), [{ ...day, bookingRef: 'x' } as BillableDay]))
      expect(r.paths).toEqual(['days.0.bookingRef'])
      expect(r.message).toMatch(/known keys: beneficiaryId, serviceId, date, quantity, booked, attended, lateCancellation, justifiedAbsence/)
    })

    it('refuses justifiedAbsence: "true" (a string), naming the field, instead of billing the justified absence', () => {
      const r = refusal(() => buildChargeLines(prepareChargeConfig(config()), [{ ...day, attended: false, justifiedAbsence: 'true' } as unknown as BillableDay]))
      expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['days.0.justifiedAbsence'] })
      expect(r.message).toMatch(/must be true, false or absent, got "true"/)
    })

    it('refuses attended: "true" or 1, naming the field, instead of leaving an attended day unbilled', () => {
      for (const attended of ['true', 1]) {
        const r = refusal(() => buildChargeLines(prepareChargeConfig(attendedCare), [{ ...day, serviceId: 'care', attended } as unknown as BillableDay]))
        expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['days.0.attended'] })
      }
    })

    it('refuses lateCancellation: "yes", naming the field', () => {
      expect(refusal(() => buildChargeLines(prepareChargeConfig(config()), [{ ...day, booked: false, lateCancellation: 'yes' } as unknown as BillableDay])).paths).toEqual(['days.0.lateCancellation'])
    })

    it('takes every key of a day, each fact true, false or absent (undefined)', () => {
      const full: BillableDay = { ...day, quantity: 2, attended: undefined, lateCancellation: false, justifiedAbsence: false }
      const { groups, unbilled } = buildChargeLines(prepareChargeConfig(config()), [full, { ...day, date: '2026-09-08', attended: false, justifiedAbsence: true }])
      expect(only(groups).lines[0]?.quantity).toBe(2)
      expect(unbilled.map((u) => u.reason)).toEqual(['JUSTIFIED_ABSENCE'])
    })
  })

  it('refuses a second day for the same child, service and date, naming it, instead of billing the day twice', () => {
    const prepared = prepareChargeConfig(config())
    const day: BillableDay = { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-01', booked: true }
    let error: unknown
    try {
      buildChargeLines(prepared, [day, ...days('lea', 'canteen', '2026-09-02', 3), { ...day }])
    } catch (e) {
      error = e
    }
    expect(isEcoleError(error, 'INVALID_INPUT') && error.details.issues).toEqual([
      { path: 'days.4', code: 'custom', message: expect.stringMatching(/second day for beneficiary lea, service canteen on 2026-09-01 \(the first is days\[0\]\): at most one day per \(beneficiary, service, date\)/) },
    ])
    expect(String(error)).toMatch(/days\[4\]/)
    // also when the two differ in their facts (booked, then attended without a booking) or are not billed at all
    expect(() => buildChargeLines(prepared, [day, { ...day, booked: false, attended: true }])).toThrow(/days\[1\]/)
    expect(() => buildChargeLines(prepared, [{ ...day, serviceId: 'nope' }, { ...day, serviceId: 'nope' }])).toThrow(/days\[1\]/)
  })

  it('bills the same date once per service and once per child', () => {
    const prepared = prepareChargeConfig(config())
    const { groups } = buildChargeLines(prepared, [
      { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-01', booked: true },
      { beneficiaryId: 'lea', serviceId: 'care', date: '2026-09-01', booked: false, attended: true },
      { beneficiaryId: 'tom', serviceId: 'canteen', date: '2026-09-01', booked: true },
    ])
    expect(groups.flatMap((g) => g.lines).filter((l) => l.beneficiaryId === 'lea')).toHaveLength(2)
  })

  it('refuses a configuration whose tariff currency differs from its office, naming the field', () => {
    expect(() => prepareChargeConfig(config({ billingOffices: [{ id: 'office', currency: 'CHF' }] }))).toThrow(/config\.pricing\.0\.tariffs\.0/)
  })
})

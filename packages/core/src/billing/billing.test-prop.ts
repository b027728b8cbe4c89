import { fc, test } from '@fast-check/vitest'
import {
  alternatingRuleArb, billableDaysArb, billingRuleArb, billingRuleSetArb, familyQuotientArb, localDateArb, roundingModeArb, tariffArb,
} from '@ecole/testing'
import { expect } from 'vitest'
import { Money } from '../money'
import { eachDay, isoWeek, toEpochDay } from '../time'
import { isoWeekKeyOfEpochDay } from '../time'
import { buildChargeLines, type ChargeLinesResult } from './charge-lines'
import { prepareChargeConfig, type ChargeConfigInput } from './charge-config'
import { prepareRules, resolveDebtors, resolvePrepared } from './resolve-debtors'
import { mirrorRule } from './rule-operations'
import { priceUnit, type Tariff } from './tariff'
import { validateRuleSet } from './validate-rule-set'

const window = { from: '2018-01-01' as const, to: '2034-12-31' as const }

test.prop([localDateArb(window)])('the packed ISO week of a day is the ISO week of the time module', (date) => {
  const w = isoWeek(date)
  expect(isoWeekKeyOfEpochDay(toEpochDay(date))).toBe(w.year * 100 + w.week)
})

test.prop([alternatingRuleArb()])('with mirrored rules every date of the period has exactly one debtor', (rule) => {
  const { rules } = mirrorRule([rule], rule.id, { guardianId: 'dad', newRuleId: 'dad-rule' })
  const seen = new Set<string>()
  for (const date of eachDay({ from: rule.from, to: rule.to ?? rule.from })) {
    const r = resolveDebtors(rules, { beneficiaryId: 'lea', serviceId: 'canteen', date })
    expect(r.status).toBe('billed')
    if (r.status === 'billed') {
      expect(r.debtors).toHaveLength(1)
      seen.add(r.ruleId)
    }
  }
  expect(validateRuleSet(rules, rule.from, rule.to ?? rule.from).filter((d) => d.code !== 'PARITY_CROSSES_WEEK_53')).toEqual([])
}, 30_000) // 100 rule periods of up to a few years, each day resolved: 1.7 to 5 s on a loaded 2-core machine

test.prop([billingRuleSetArb(), localDateArb({ from: '2026-08-01', to: '2027-08-01' }), fc.constantFrom('lea', 'tom'), fc.constantFrom('canteen', 'care')])(
  'resolution does not depend on the order of rules',
  (rules, date, beneficiaryId, serviceId) => {
    const charge = { beneficiaryId, serviceId, date }
    const expected = resolveDebtors(rules, charge)
    expect(resolveDebtors([...rules].reverse(), charge)).toEqual(expected)
    expect(resolvePrepared(prepareRules([...rules].reverse()), beneficiaryId, serviceId, toEpochDay(date))).toEqual(expected)
  },
)

test.prop([billingRuleSetArb(), localDateArb({ from: '2026-08-01', to: '2027-08-01' })])(
  'a charge is billed exactly when one rule covers its pair, period and criterion (oracle)',
  (rules, date) => {
    // oracle: brute force with the time module's ISO weeks, independent of the compiled criteria
    const selects = (c: (typeof rules)[number]['criterion']): boolean => {
      const w = isoWeek(date)
      switch (c.kind) {
        case 'always':
          return true
        case 'isoParity':
          return w.week === 53 ? c.week53 === c.parity : (w.week % 2 === 1) === (c.parity === 'odd')
        case 'anchored': {
          const weeks = Math.floor((toEpochDay(date) - toEpochDay(c.referenceMonday)) / 7)
          return (Math.abs(weeks) % 2 === 0) === (c.week === 'reference')
        }
        case 'weekList':
          return c.weeks.some((x) => x.year === w.year && x.week === w.week)
      }
    }
    const matching = rules.filter((r) => r.covers.some((c) => c.beneficiaryId === 'lea' && c.serviceId === 'canteen') && r.from <= date && (r.to === undefined || date <= r.to) && selects(r.criterion))
    const result = resolveDebtors(rules, { beneficiaryId: 'lea', serviceId: 'canteen', date })
    if (matching.length === 1) expect(result).toMatchObject({ status: 'billed', ruleId: matching[0]?.id })
    else if (matching.length > 1) expect(result).toMatchObject({ status: 'unbilled', reason: 'RULES_OVERLAP', ruleIds: matching.map((r) => r.id).sort() })
    else expect(result.status).toBe('unbilled')
  },
)

function baseConfig(tariff: Tariff | { kind: string }, rounding: string, rules: unknown[]): ChargeConfigInput {
  const json = JSON.parse(JSON.stringify(tariff)) as Record<string, unknown>
  // built from arbitrary tariffs and rules: typed as JSON a caller sends, checked at run time
  return <ChargeConfigInput>(<unknown>{
    rules,
    services: [
      { id: 'canteen', billing: 'invoiced', billingOfficeId: 'office' },
      { id: 'care', billing: 'invoiced', billingOfficeId: 'office' },
    ],
    billingOffices: [{ id: 'office', currency: 'EUR', roundingMode: rounding }],
    pricing: [
      { serviceId: 'canteen', mode: { kind: 'booked' }, tariffs: [{ from: '2026-01-01', tariff: json }] },
      {
        serviceId: 'care',
        mode: { kind: 'bookedWithSurcharge', unbookedAttendance: { effect: 'surcharge', kind: 'percentage', percent: '12.5' }, lateCancellation: { effect: 'reduction', kind: 'percentage', percent: '33' } },
        tariffs: [{ from: '2026-01-01', tariff: json }],
      },
    ],
    beneficiaries: [{ id: 'lea', birthDate: '2018-01-01' }, { id: 'tom', birthDate: '2016-01-01' }],
    quotients: [{ guardianId: 'mum', quotient: '652.37', from: '2026-01-01' }, { guardianId: 'dad', quotient: '0', from: '2026-01-01' }],
    subscriptions: [{ beneficiaryId: 'lea', serviceId: 'canteen', from: '2026-01-01' }],
  })
}

const runArb = fc.record({
  tariff: tariffArb(),
  rounding: roundingModeArb(),
  rules: fc.array(billingRuleArb(), { minLength: 1, maxLength: 3 }).map((rs) => rs.map((r, i) => ({ ...r, id: `r${i}` }))),
  days: billableDaysArb(),
})

function sumLines(result: ChargeLinesResult): bigint {
  return result.groups.reduce((s, g) => s + g.totalMinor, 0n)
}

test.prop([runArb])('an invoice line amount is its rounded exact amount, and totals are sums of rounded lines', ({ tariff, rounding, rules, days }) => {
  const result = buildChargeLines(prepareChargeConfig(baseConfig(tariff, rounding, rules)), days)
  for (const g of result.groups) {
    let total = 0n
    for (const line of g.lines) {
      // oracle: exact = unit price x quantity with Money, rounded with the office mode
      const exact = line.unitPrice.times(line.quantity)
      expect(line.exact.equals(exact)).toBe(true)
      expect(line.roundedAmountMinor).toBe(exact.round(rounding).toMinor())
      expect(line.quantity).toBe(line.dates.length)
      total += line.amountMinor
    }
    expect(g.totalMinor).toBe(total)
  }
})

test.prop([runArb])('weights split every line exactly: the debtors parts add up to the rounded line', ({ tariff, rounding, rules, days }) => {
  const result = buildChargeLines(prepareChargeConfig(baseConfig(tariff, rounding, rules)), days)
  const byLine = new Map<string, { rounded: bigint; parts: bigint; weights: number; total: number }>()
  for (const g of result.groups) {
    for (const l of g.lines) {
      const key = `${l.ruleId}|${l.beneficiaryId}|${l.serviceId}|${l.kind}|${l.dates.join(',')}|${l.exact.amount}`
      const e = byLine.get(key) ?? { rounded: l.roundedAmountMinor, parts: 0n, weights: 0, total: l.totalWeight }
      e.parts += l.amountMinor
      e.weights += l.weight
      byLine.set(key, e)
    }
  }
  for (const e of byLine.values()) {
    expect(e.parts).toBe(e.rounded)
    expect(e.weights).toBe(e.total)
  }
})

test.prop([runArb])('every day is either in exactly one line or unbilled with a reason', ({ tariff, rounding, rules, days }) => {
  const result = buildChargeLines(prepareChargeConfig(baseConfig(tariff, rounding, rules)), days)
  const billed = new Map<string, Set<string>>()
  for (const g of result.groups) {
    for (const l of g.lines) {
      for (const d of l.dates) {
        const key = `${l.beneficiaryId}|${l.serviceId}|${d}`
        const set = billed.get(key) ?? new Set<string>()
        set.add(`${l.ruleId}|${l.kind}`) // the same line split between payers counts once
        billed.set(key, set)
      }
    }
  }
  const unbilled = new Map<string, number>()
  for (const u of result.unbilled) {
    const key = `${u.day.beneficiaryId}|${u.day.serviceId}|${u.day.date}`
    unbilled.set(key, (unbilled.get(key) ?? 0) + 1)
  }
  for (const d of days) {
    const key = `${d.beneficiaryId}|${d.serviceId}|${d.date}`
    expect((billed.get(key)?.size ?? 0) + (unbilled.get(key) ?? 0)).toBe(1)
  }
})

test.prop([runArb])('pricing is deterministic, whatever the order of days and rules', ({ tariff, rounding, rules, days }) => {
  const a = buildChargeLines(prepareChargeConfig(baseConfig(tariff, rounding, rules)), days)
  const b = buildChargeLines(prepareChargeConfig(baseConfig(tariff, rounding, [...rules].reverse())), [...days].reverse())
  expect(b.groups).toEqual(a.groups)
  expect(sumLines(b)).toBe(sumLines(a))
  expect(new Set(b.unbilled.map((u) => `${u.day.beneficiaryId}|${u.day.serviceId}|${u.day.date}|${u.reason}`))).toEqual(
    new Set(a.unbilled.map((u) => `${u.day.beneficiaryId}|${u.day.serviceId}|${u.day.date}|${u.reason}`)),
  )
})

test.prop([tariffArb(), familyQuotientArb()])('a QF bracket price comes from the one bracket with min <= QF < max', (tariff, quotient) => {
  fc.pre(tariff.kind === 'quotientBrackets')
  if (tariff.kind !== 'quotientBrackets') return
  const q = Number(quotient)
  const oracle = tariff.brackets.filter((b) => Number(b.min) <= q && (b.max === undefined || q < Number(b.max)))
  expect(oracle).toHaveLength(1)
  const priced = priceUnit({ from: '2026-01-01', tariff }, { adult: false, quotient })
  expect(priced.price.equals(oracle[0]?.price as Money)).toBe(true)
})

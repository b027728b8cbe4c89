import { fc, test } from '@fast-check/vitest'
import { buildChargeLines, prepareChargeConfig, type ChargeConfigInput } from '@ecole/core'
import { expect } from 'vitest'
import { chargeRunArb } from './billing'
import { comparableChargeLines, referenceChargeLines } from './reference-pricer'

// The differential property of issue 13: core's fast pricer (packed records, caches, one pass)
// and the slow, obvious reference give the same lines for random configurations.

test.prop([chargeRunArb()], { numRuns: 150 })('the fast pricer and the reference pricer give the same lines and the same unbilled days', ({ config, days, options }) => {
  const expected = referenceChargeLines(config, days, options)
  expect(comparableChargeLines(buildChargeLines(prepareChargeConfig(config), days, options))).toEqual(expected)
}, 60_000)

test('the generated runs bill lines, rank siblings, split between payers and leave days unbilled for several reasons', () => {
  // the arbitrary reaches the cases the property is about (else the property proves little)
  const runs = fc.sample(chargeRunArb(), { numRuns: 150, seed: 13 })
  const results = runs.map((r) => referenceChargeLines(r.config, r.days, r.options))
  const lines = results.flatMap((r) => r.groups.flatMap((g) => g.lines))
  expect(lines.reduce((n, l) => n + l.dates.length, 0)).toBeGreaterThan(200)
  expect(lines.some((l) => l.basis.kind === 'siblingRank' && l.basis.of > 1)).toBe(true)
  expect(lines.some((l) => l.basis.kind === 'quotientBracket' || l.basis.kind === 'effortRate')).toBe(true)
  expect(lines.some((l) => l.basis.kind === 'adult')).toBe(true)
  expect(lines.some((l) => l.weight !== l.totalWeight)).toBe(true)
  expect(lines.some((l) => l.standingAdjustmentId !== undefined)).toBe(true)
  expect(lines.some((l) => l.kind !== 'service')).toBe(true)
  const reasons = new Set(results.flatMap((r) => r.unbilled.map((u) => u.reason)))
  expect(reasons.size).toBeGreaterThanOrEqual(8)
})

test('the reference pricer prices a booked day at its fixed tariff', () => {
  const config: ChargeConfigInput = {
    rules: [{ id: 'r1', payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }], from: '2026-09-01', criterion: { kind: 'always' } }],
    services: [{ id: 'canteen', billing: 'invoiced', billingOfficeId: 'regie' }],
    billingOffices: [{ id: 'regie', currency: 'EUR', roundingMode: 'halfUp' }],
    pricing: [{ serviceId: 'canteen', mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: '4.15', currency: 'EUR' } } }] }],
    beneficiaries: [{ id: 'lea', adult: false }],
  }
  const result = referenceChargeLines(config, [
    { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-07', booked: true },
    { beneficiaryId: 'lea', serviceId: 'canteen', date: '2026-09-08', booked: true },
  ])
  expect(result.groups).toHaveLength(1)
  expect(result.groups[0]?.lines[0]).toMatchObject({ dates: ['2026-09-07', '2026-09-08'], quantity: 2, amountMinor: 830n, unitPrice: '4.15' })
})

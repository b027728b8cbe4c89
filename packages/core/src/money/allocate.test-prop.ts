import { fc, test } from '@fast-check/vitest'
import { minorUnitsArb, weightsArb } from '@ecole/testing'
import { expect } from 'vitest'
import { allocateMinor } from './allocate'

test.prop([minorUnitsArb(), weightsArb()])('the parts always add up to the whole', (total, weights) => {
  expect(allocateMinor(total, weights).reduce((a, b) => a + b, 0n)).toBe(total)
})

test.prop([minorUnitsArb(), weightsArb()])('each part differs from its exact share by less than one minor unit', (total, weights) => {
  const sum = BigInt(weights.reduce((a, b) => a + b, 0))
  allocateMinor(total, weights).forEach((part, i) => {
    // |part - total*w/sum| < 1  <=>  |part*sum - total*w| < sum
    const diff = part * sum - total * BigInt(weights[i] as number)
    expect(diff < 0n ? -diff : diff).toBeLessThan(sum)
  })
})

test.prop([minorUnitsArb(), weightsArb()])('allocation is deterministic', (total, weights) => {
  expect(allocateMinor(total, weights)).toEqual(allocateMinor(total, [...weights]))
})

test.prop([fc.bigInt({ min: 0n, max: 10n ** 9n }), weightsArb()])('a larger weight never gets less than a smaller one', (total, weights) => {
  const parts = allocateMinor(total, weights)
  for (let i = 0; i < weights.length; i++)
    for (let j = 0; j < weights.length; j++)
      if ((weights[i] as number) > (weights[j] as number)) expect(parts[i]! >= parts[j]!).toBe(true)
})

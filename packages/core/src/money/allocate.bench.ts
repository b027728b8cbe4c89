import { bench, describe } from 'vitest'
import { allocateMinor } from './allocate'
import { Money } from './money'

// Splitting joint-debtor amounts: the hot-path bigint form and the Money form.
const totals = Array.from({ length: 10_000 }, (_, i) => BigInt(1000 + ((i * 7919) % 100_000)))
const weights = [1, 2]

describe('allocation by weights (largest remainder)', () => {
  bench('allocateMinor, 10,000 amounts split 1:2', () => {
    for (const t of totals) allocateMinor(t, weights)
  })
  bench('Money.allocate, 10,000 amounts split 1:2', () => {
    for (const t of totals) Money.fromMinor(t, 'EUR').allocate(weights)
  })
})

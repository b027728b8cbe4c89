import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'

/**
 * Splits `total` integer minor units by integer `weights` with the largest-remainder method.
 *
 * Each part gets the floor of its exact share; the units left over go one each to the parts with
 * the largest remainders, ties to the earlier weight. The parts always add up to `total`, and each
 * differs from its exact share (`total * w / sum(w)`) by less than one unit. A negative total is
 * split as its opposite, then negated. This is the hot-path form of {@link Money.allocate}.
 *
 * @example
 * allocateMinor(1000n, [1, 2]) //=> [333n, 667n]
 * allocateMinor(10000n, [1, 1, 1]) //=> [3334n, 3333n, 3333n]
 * @throws EcoleError `INVALID_WEIGHTS` when a weight is negative or not an integer, or all are zero.
 */
export function allocateMinor(total: bigint, weights: readonly (number | bigint)[]): bigint[] {
  if (typeof total !== 'bigint') throw new EcoleError('INVALID_AMOUNT', `total must be a bigint of minor units, got ${describeValue(total)}`, { details: { field: 'total' } })
  if (!Array.isArray(weights)) throw new EcoleError('INVALID_WEIGHTS', `weights must be an array of integers, got ${describeValue(weights)}`, { details: { weights: [] } })
  if (weights.length === 0) throw new EcoleError('INVALID_WEIGHTS', 'allocation needs at least one weight', { details: { weights: [] } })
  const w: bigint[] = weights.map((x, i) => {
    if (typeof x !== 'bigint' && !(typeof x === 'number' && Number.isSafeInteger(x))) {
      throw new EcoleError('INVALID_WEIGHTS', `weights[${i}] must be an integer (number or bigint), got ${describeValue(x)}`, { details: { index: i, weight: typeof x === 'number' ? x : describeValue(x) } })
    }
    const b = BigInt(x)
    if (b < 0n) throw new EcoleError('INVALID_WEIGHTS', `weights[${i}] must not be negative, got ${b}`, { details: { index: i, weight: String(b) } })
    return b
  })
  const sum = w.reduce((a, b) => a + b, 0n)
  if (sum === 0n) throw new EcoleError('INVALID_WEIGHTS', 'at least one weight must be above zero', { details: { weights: w.map(String) } })
  const negative = total < 0n
  const t = negative ? -total : total
  const parts = w.map((wi) => (t * wi) / sum)
  let left = t - parts.reduce((a, b) => a + b, 0n)
  if (left > 0n) {
    const order = w.map((wi, i) => ({ i, rem: (t * wi) % sum })).sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1))
    for (const { i } of order) {
      if (left === 0n) break
      parts[i] = (parts[i] as bigint) + 1n
      left -= 1n
    }
  }
  return negative ? parts.map((p) => -p) : parts
}

import { describe, expect, it } from 'vitest'
import { allocateMinor } from './allocate'

describe('allocateMinor', () => {
  it('gives the leftover cent to the largest remainder', () => {
    // 1000 * 1/3 = 333.33, 1000 * 2/3 = 666.67: the second has the larger remainder
    expect(allocateMinor(1000n, [1, 2])).toEqual([333n, 667n])
  })
  it('breaks ties on the earlier weight', () => {
    expect(allocateMinor(2n, [1, 1, 1])).toEqual([1n, 1n, 0n])
  })
  it('gives nothing to a zero weight', () => {
    expect(allocateMinor(101n, [0, 1, 1])).toEqual([0n, 51n, 50n])
  })
  it('splits a negative amount (a refund) as the opposite of the positive split', () => {
    expect(allocateMinor(-1000n, [1, 2])).toEqual([-333n, -667n])
  })
  it('refuses negative, fractional and all-zero weights, naming the weight', () => {
    expect(() => allocateMinor(10n, [1, -1])).toThrowError(/weights\[1\] must not be negative/)
    expect(() => allocateMinor(10n, [1.5])).toThrowError(/weights\[0\] must be an integer/)
    expect(() => allocateMinor(10n, [0, 0])).toThrowError(/at least one weight/)
    expect(() => allocateMinor(10n, [])).toThrowError(/at least one weight/)
  })
})

import fc from 'fast-check'
import { Money, type RoundingMode } from '@ecole/core'

/**
 * Integer minor units between `-max` and `max` (bigint), 10 million euros by default.
 *
 * @example
 * fc.assert(fc.property(minorUnitsArb(), (cents) => Money.fromMinor(cents, 'EUR').toMinor() === cents))
 */
export function minorUnitsArb(max = 1_000_000_000n): fc.Arbitrary<bigint> {
  return fc.bigInt({ min: -max, max })
}

/**
 * Rounded euro amounts (exact to the cent).
 *
 * @example
 * fc.sample(eurosArb(), 1)[0]!.isRounded() //=> true
 */
export function eurosArb(options: { min?: bigint; max?: bigint } = {}): fc.Arbitrary<Money> {
  return fc.bigInt({ min: options.min ?? -1_000_000_000n, max: options.max ?? 1_000_000_000n }).map((c) => Money.fromMinor(c, 'EUR'))
}

/**
 * Exact euro amounts with up to `decimals` decimals (not rounded to the cent), e.g. a price times a rate.
 *
 * @example
 * fc.sample(exactEurosArb(4), 1)[0]!.currency //=> 'EUR'
 */
export function exactEurosArb(decimals = 6): fc.Arbitrary<Money> {
  return fc
    .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: decimals }))
    .map(([units, scale]) => {
      const s = (units < 0n ? -units : units).toString().padStart(scale + 1, '0')
      const txt = scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`
      return Money.of(`${units < 0n ? '-' : ''}${txt}`, 'EUR')
    })
}

/**
 * Non-empty lists of integer weights (0..1000) with at least one above zero, as shares of an amount.
 *
 * @example
 * fc.sample(weightsArb(), 1)[0]!.some((w) => w > 0) //=> true
 */
export function weightsArb(maxLength = 12): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength }).filter((w) => w.some((x) => x > 0))
}

/**
 * One of the named rounding modes.
 *
 * @example
 * fc.sample(roundingModeArb(), 1)[0] //=> 'halfUp' (for instance)
 */
export function roundingModeArb(): fc.Arbitrary<RoundingMode> {
  return fc.constantFrom<RoundingMode>('halfUp', 'halfEven', 'up', 'down')
}

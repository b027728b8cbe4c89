import fc from 'fast-check'
import { Money, checkOptions, type OptionKinds, type RoundingMode } from '@ecole/core'
import { checkBigInt, checkInteger, inputCheckedArb } from '../input-errors'

/**
 * Integer minor units between `-max` and `max` (bigint), 10 million euros by default.
 *
 * @example
 * fc.assert(fc.property(minorUnitsArb(), (cents) => Money.fromMinor(cents, 'EUR').toMinor() === cents))
 */
export function minorUnitsArb(max = 1_000_000_000n): fc.Arbitrary<bigint> {
  return inputCheckedArb('minorUnitsArb', { max: [max, 'bigint?', 'the largest magnitude in minor units'] }, () => {
    checkBigInt('minorUnitsArb', 'max', max)
    return fc.bigInt({ min: -max, max })
  })
}

const EUROS_OPTION_KINDS: OptionKinds<{ min?: bigint; max?: bigint }> = { min: 'bigint?', max: 'bigint?' }

/**
 * Rounded euro amounts (exact to the cent).
 *
 * @example
 * fc.sample(eurosArb(), 1)[0]!.isRounded() //=> true
 * @throws EcoleError `INVALID_INPUT` when `options` is not an object, has a misspelt key (`maxx`:
 *   never the default bounds instead) or a bound that is not a bigint.
 */
export function eurosArb(options: { min?: bigint; max?: bigint } = {}): fc.Arbitrary<Money> {
  return inputCheckedArb('eurosArb', { options: [options, 'object?', 'the bounds in cents ({ min?, max? })'] }, () => {
    const checked = checkOptions<{ min?: bigint; max?: bigint }>('eurosArb', 'options', options, EUROS_OPTION_KINDS)
    const min = checked.min ?? -1_000_000_000n
    const max = checked.max ?? 1_000_000_000n
    checkBigInt('eurosArb', 'options.min', min)
    checkBigInt('eurosArb', 'options.max', max)
    return fc.bigInt({ min, max }).map((c) => Money.fromMinor(c, 'EUR'))
  })
}

/**
 * Exact euro amounts with up to `decimals` decimals (not rounded to the cent), e.g. a price times a rate.
 *
 * @example
 * fc.sample(exactEurosArb(4), 1)[0]!.currency //=> 'EUR'
 * @throws EcoleError `INVALID_INPUT` when `decimals` is not an integer from 0 to 1000.
 */
export function exactEurosArb(decimals = 6): fc.Arbitrary<Money> {
  return inputCheckedArb('exactEurosArb', { decimals: [decimals, 'number?', 'the most decimals'] }, () => {
    // bounded: each draw writes up to `decimals` digits, and fc.integer loops on an unsafe bound
    checkInteger('exactEurosArb', 'decimals', decimals, 0, 1000)
    return fc
      .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: decimals }))
      .map(([units, scale]) => {
        const s = (units < 0n ? -units : units).toString().padStart(scale + 1, '0')
        const txt = scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`
        return Money.of(`${units < 0n ? '-' : ''}${txt}`, 'EUR')
      })
  })
}

/**
 * Non-empty lists of integer weights (0..1000) with at least one above zero, as shares of an amount.
 *
 * @example
 * fc.sample(weightsArb(), 1)[0]!.some((w) => w > 0) //=> true
 */
export function weightsArb(maxLength = 12): fc.Arbitrary<number[]> {
  return inputCheckedArb('weightsArb', { maxLength: [maxLength, 'number?', 'the longest list'] }, () =>
    fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength }).filter((w) => w.some((x) => x > 0)),
  )
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

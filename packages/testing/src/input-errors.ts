import fc from 'fast-check'
import { EcoleError, asInputError, describeValue, type ExpectedArgument } from '@ecole/core'

// How the public functions of @ecole/testing keep the promise of @ecole that only EcoleError escapes
// them, whatever they are given: an arbitrary builder's failure, while it builds or later while
// fast-check draws from what it returned, becomes INVALID_INPUT naming the builder and its argument
// (asInputError, on the error path only); a bound fast-check would loop on is refused up front. Not
// exported from the package.

type Arguments = Readonly<Record<string, ExpectedArgument>>

/**
 * The `INVALID_INPUT` of public function `fn` whose argument at `path` (`'decimals'`,
 * `'options.create'`) is not what it `must` be, in the shape {@link asInputError} gives:
 * `'fn: path must be ..., got ...'`, with `details.function` and one issue at `path`.
 */
export function invalidArgument(fn: string, path: string, must: string, value: unknown): EcoleError {
  const message = `must be ${must}, got ${describeValue(value)}`
  return new EcoleError('INVALID_INPUT', `${fn}: ${path} ${message}`, { details: { function: fn, issues: [{ path, code: 'custom', message }] } })
}

/**
 * Nothing, when `value` is a safe integer within `min..max`; otherwise `INVALID_INPUT` naming the
 * builder and the parameter. For the numbers a builder hands fast-check as the bounds of an integer
 * (a bound such as 1e308 makes `fc.integer` draw forever).
 */
export function checkInteger(fn: string, param: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) return
  throw invalidArgument(fn, param, `an integer from ${min} to ${max}`, value)
}

/** Nothing, when `value` is a bigint; otherwise `INVALID_INPUT` naming the builder and the parameter (the bounds of `fc.bigInt`). */
export function checkBigInt(fn: string, param: string, value: unknown): void {
  if (typeof value === 'bigint') return
  throw invalidArgument(fn, param, 'a bigint', value)
}

/**
 * The arbitrary `build` returns, such that only EcoleError escapes building it or drawing from it:
 * a failure of `build` becomes {@link asInputError} of `fn` and its arguments, and so does a failure
 * while fast-check generates or shrinks a value of the result (a `.map` over bad options, a record
 * given something that is not an arbitrary...). Values, bias and shrinking are the inner
 * arbitrary's: for valid options nothing changes.
 */
export function inputCheckedArb<T>(fn: string, args: Arguments, build: () => fc.Arbitrary<T>): fc.Arbitrary<T> {
  let arb: fc.Arbitrary<T>
  try {
    arb = build()
  } catch (error) {
    throw asInputError(error, fn, args)
  }
  return new InputCheckedArbitrary(arb, fn, args)
}

/** An arbitrary that delegates to another and tells its failures as INVALID_INPUT of a builder. */
class InputCheckedArbitrary<T> extends fc.Arbitrary<T> {
  readonly #arb: fc.Arbitrary<T>
  readonly #fn: string
  readonly #args: Arguments

  constructor(arb: fc.Arbitrary<T>, fn: string, args: Arguments) {
    super()
    this.#arb = arb
    this.#fn = fn
    this.#args = args
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    try {
      return this.#arb.generate(mrng, biasFactor)
    } catch (error) {
      throw asInputError(error, this.#fn, this.#args)
    }
  }

  canShrinkWithoutContext(value: unknown): value is T {
    try {
      return this.#arb.canShrinkWithoutContext(value)
    } catch (error) {
      throw asInputError(error, this.#fn, this.#args)
    }
  }

  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    const fn = this.#fn
    const args = this.#args
    let inner: fc.Stream<fc.Value<T>>
    try {
      inner = this.#arb.shrink(value, context)
    } catch (error) {
      throw asInputError(error, fn, args)
    }
    // the stream is lazy: a shrunk value's failure happens while it is read
    return new fc.Stream(
      (function* () {
        try {
          yield* inner
        } catch (error) {
          throw asInputError(error, fn, args)
        }
      })(),
    )
  }
}

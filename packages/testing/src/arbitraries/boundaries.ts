import fc from 'fast-check'
import { asInputError, isEcoleError } from '@ecole/core'
import { checkInteger, inputCheckedArb, invalidArgument } from '../input-errors'

// The kit behind every package's `boundaries.test-prop.ts` (issue 12: only EcoleError escapes a
// public function, for any input): list what an entry point exports, draw argument lists of any
// shape, and tell what a call let escape. Pure fast-check, so it works with any test runner; an
// integrator fuzzes their own package (their storage adapter's exports...) the same way.

/** A function as {@link exportedFunctions} lists it: any arguments, any result. */
export type ExportedFunction = (...args: unknown[]) => unknown

/** What {@link exportedFunctions} leaves out. */
export interface ExportedFunctionsOptions {
  /**
   * Names not to list, as the list writes them: an export (`'parseCoda'`), or a static method or a
   * namespace member (`'Money.of'`). Skipping an export skips its members too.
   */
  skip?: readonly string[]
}

/** The shape of the argument lists {@link anyArguments} draws. */
export interface AnyArgumentsOptions {
  /**
   * Values the package under test knows (a currency, an IBAN, the start of a file it reads...),
   * drawn as often as `fc.anything()` values and as the usual edge cases together.
   */
  extra?: readonly unknown[]
  /** The fewest arguments in a list, 0 by default. */
  minLength?: number
  /** The most arguments in a list, 4 by default (at most 100). */
  maxLength?: number
}

/** The usual suspects, drawn in every list: what `fc.anything()` draws too rarely. */
const EDGE_VALUES: readonly unknown[] = [null, undefined, NaN, Infinity, -0, 10n ** 30n, '', 'x'.repeat(100)]

/** The longest argument list {@link anyArguments} draws. */
const MAX_ARGUMENTS = 100

type Callable = (...args: unknown[]) => unknown

const isClass = (f: Callable): boolean => /^class[\s{]/.test(Function.prototype.toString.call(f))
const isSchema = (v: object): boolean => '_zod' in v
const isArbitrary = (v: object): boolean =>
  v instanceof fc.Arbitrary || (typeof (v as { generate?: unknown }).generate === 'function' && typeof (v as { shrink?: unknown }).shrink === 'function')

/**
 * Every function an entry point exports, by the name a caller writes: its plain functions, the
 * static methods of its classes (`'Money.of'`, bound to the class) and the members of its namespace
 * objects (`'iban.normalize'`, bound to the object). Classes' constructors, zod schemas, fast-check
 * arbitraries and arrays are not namespaces and are left out, as are the names in `options.skip`.
 *
 * @example
 * import * as bank from '@ecole/bank'
 * for (const [name, fn] of exportedFunctions(bank, { skip: ['buildPain008'] })) {
 *   // fuzz fn, and name it in the failure
 * }
 * exportedFunctions({ a: () => 1, ns: { b: () => 2 }, n: 3 }).map(([name]) => name) //=> ['a', 'ns.b']
 * @throws EcoleError `INVALID_INPUT` when `module` is not an object or `options.skip` is not an array of names.
 */
export function exportedFunctions(module: object, options: ExportedFunctionsOptions = {}): Array<[name: string, fn: ExportedFunction]> {
  if (typeof module !== 'object' || module === null) throw invalidArgument('exportedFunctions', 'module', 'an object (a module namespace: import * as m)', module)
  if (typeof options !== 'object' || options === null) throw invalidArgument('exportedFunctions', 'options', 'an object ({ skip? })', options)
  try {
    const names = options.skip ?? []
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw invalidArgument('exportedFunctions', 'options.skip', 'an array of names', names)
    const skip = new Set<unknown>(names)
    const out: Array<[string, ExportedFunction]> = []
    for (const [name, value] of Object.entries(module)) {
      if (skip.has(name)) continue
      if (typeof value === 'function') {
        const f = value as Callable
        if (!isClass(f)) out.push([name, f])
        else for (const key of Object.getOwnPropertyNames(f)) {
          const member = (f as unknown as Record<string, unknown>)[key]
          if (typeof member === 'function' && !skip.has(`${name}.${key}`)) out.push([`${name}.${key}`, (member as Callable).bind(f)])
        }
      } else if (typeof value === 'object' && value !== null && !isSchema(value) && !isArbitrary(value) && !Array.isArray(value)) {
        for (const [key, member] of Object.entries(value)) {
          if (typeof member === 'function' && !isClass(member as Callable) && !skip.has(`${name}.${key}`)) {
            out.push([`${name}.${key}`, (member as Callable).bind(value)])
          }
        }
      }
    }
    return out
  } catch (error) {
    throw asInputError(error, 'exportedFunctions', {
      module: [module, 'any', 'a module namespace'],
      options: [options, 'object?', 'the options ({ skip? })'],
    })
  }
}

/**
 * Argument lists of any shape, for calling a function that must refuse what it cannot use: values
 * of `fc.anything()` up to two levels deep (with bigints, dates, maps, sets, typed arrays,
 * null-prototype objects, boxed values and sparse arrays), the edge cases it draws too rarely
 * (`null`, `undefined`, `NaN`, `Infinity`, `-0`, a 31-digit bigint, `''`, a long string), and the
 * package's own `extra` values, each of the three as often.
 *
 * @example
 * const args = anyArguments({ extra: ['EUR', '2026-03-02'], maxLength: 3 })
 * fc.sample(args, 1)[0]!.length <= 3 //=> true
 * @throws EcoleError `INVALID_INPUT` when `extra` is not an array, or a length is not an integer from 0 to 100 (`minLength` at most `maxLength`).
 */
export function anyArguments(options: AnyArgumentsOptions = {}): fc.Arbitrary<unknown[]> {
  return inputCheckedArb('anyArguments', { options: [options, 'object?', 'the options ({ extra?, minLength?, maxLength? })'] }, () => {
    const extra = options.extra ?? []
    const maxLength = options.maxLength ?? 4
    const minLength = options.minLength ?? 0
    if (!Array.isArray(extra)) throw invalidArgument('anyArguments', 'options.extra', 'an array of values', extra)
    checkInteger('anyArguments', 'options.maxLength', maxLength, 0, MAX_ARGUMENTS)
    checkInteger('anyArguments', 'options.minLength', minLength, 0, maxLength)
    const anything = fc.anything({
      maxDepth: 2,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withNullPrototype: true,
      withBoxedValues: true,
      withSparseArray: true,
    })
    const values: Array<fc.Arbitrary<unknown>> = [anything, fc.constantFrom(...EDGE_VALUES)]
    if (extra.length > 0) values.push(fc.constantFrom(...(extra as unknown[])))
    return fc.array(fc.oneof(...values), { minLength, maxLength })
  })
}

/**
 * What calling `fn` with `args` lets escape that is not an `EcoleError`: the value it throws, or
 * its promise (any thenable it returns) rejects with; `undefined` when the call succeeds or fails
 * with an `EcoleError`. A function that throws `undefined` itself is told as an `Error` saying so.
 *
 * @example
 * await foreignError(JSON.parse, ['{']) //=> a SyntaxError (JSON.parse's own error escapes)
 * await foreignError(() => Money.of('x', 'EUR'), []) //=> undefined (EcoleError INVALID_AMOUNT)
 * // in a property: fail on the first foreign error, naming the function
 * fc.assert(fc.asyncProperty(anyArguments(), async (args) => {
 *   const e = await foreignError(parseCamt053, args)
 *   if (e !== undefined) throw new Error(`parseCamt053 threw ${String(e)}`)
 * }))
 * @throws EcoleError `INVALID_INPUT` (the promise rejects) when `fn` is not a function or `args` is not an array.
 */
export async function foreignError(fn: (...args: never[]) => unknown, args: readonly unknown[]): Promise<unknown> {
  if (typeof fn !== 'function') throw invalidArgument('foreignError', 'fn', 'a function', fn)
  if (!Array.isArray(args)) throw invalidArgument('foreignError', 'args', 'an array of arguments', args)
  try {
    const result = (fn as Callable)(...(args as unknown[]))
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') await result
  } catch (error) {
    if (error === undefined) return new Error('threw undefined')
    if (!isEcoleError(error)) return error
  }
  return undefined
}

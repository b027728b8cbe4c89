import { EcoleError } from './errors'
/**
 * A short, printable description of any value for an error message: strings quoted as JSON does
 * (cut at 80 characters), bigints as `123n`, objects by their kind. Never throws (JSON.stringify
 * throws on a bigint or a cycle, and String() on an object without a primitive form).
 *
 * @example
 * describeValue('2026-13-01') //=> '"2026-13-01"'
 * describeValue(12n) //=> '12n'
 * describeValue(Object.create(null)) //=> 'an object'
 * describeValue([1, 2]) //=> 'an array of 2'
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
    case 'bigint':
      return `${value}n`
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value)
    case 'symbol':
      return 'a symbol'
    case 'function':
      return 'a function'
    default:
      if (value === null) return 'null'
      if (Array.isArray(value)) return `an array of ${value.length}`
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : `the Date ${value.toISOString()}`
      return 'an object'
  }
}

/**
 * `value` if it is a string; otherwise an `INVALID_INPUT` naming `field`. For the first line of a
 * public function whose parameter is typed `string`, so a JavaScript caller's mistake is an
 * EcoleError and not a TypeError from deep inside.
 *
 * @internal
 */
export function expectString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw EcoleError.invalidInput(field, `must be a string, got ${describeValue(value)}`)
  return value
}

/**
 * `value` if it is a safe integer within `min..max`; otherwise an `INVALID_INPUT` naming `field`.
 *
 * @internal
 */
export function expectInteger(value: unknown, field: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw EcoleError.invalidInput(field, `must be an integer from ${min} to ${max}, got ${describeValue(value)}`)
  }
  return value
}

/**
 * `value` if it is an array; otherwise an `INVALID_INPUT` naming `field`.
 *
 * @internal
 */
export function expectArray<T>(value: readonly T[], field: string): readonly T[] {
  if (!Array.isArray(value)) throw EcoleError.invalidInput(field, `must be an array, got ${describeValue(value)}`)
  return value
}

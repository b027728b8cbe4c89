/**
 * The kinds of value a public function's arguments and options are checked against, with
 * `typeof` and friends, never deeper: shared by {@link asInputError} and {@link checkOptions}.
 *
 * @module
 */

/** The kinds {@link asInputError} can tell apart, checked with `typeof` and friends, never deeper. */
export type ArgumentKindName =
  | 'object'
  | 'array'
  | 'string'
  | 'number'
  | 'integer'
  | 'bigint'
  | 'boolean'
  | 'function'
  | 'date'
  | 'instant'
  | 'bytes'
  | 'map'
  | 'any'

/** An {@link ArgumentKindName}, or the same followed by `?` when `undefined` is allowed too. */
export type ArgumentKind = ArgumentKindName | `${ArgumentKindName}?`

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/

/** @internal How an error names each kind. */
export const KIND_WORDS: Record<ArgumentKindName, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  bigint: 'a bigint',
  boolean: 'a boolean',
  function: 'a function',
  date: 'a LocalDate (YYYY-MM-DD)',
  instant: 'a valid Date',
  bytes: 'a Uint8Array',
  map: 'a Map',
  any: 'any value',
}

/** @internal Whether `value` has the kind. */
export function hasKind(value: unknown, kind: ArgumentKindName): boolean {
  switch (kind) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    case 'array':
      return Array.isArray(value)
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'function':
      return typeof value === kind
    case 'date':
      return typeof value === 'string' && LOCAL_DATE.test(value)
    case 'instant':
      return value instanceof Date && !Number.isNaN(value.getTime())
    case 'bytes':
      return value instanceof Uint8Array
    case 'map':
      return value instanceof Map
    case 'integer':
      return Number.isSafeInteger(value)
    case 'any':
      return true
  }
}

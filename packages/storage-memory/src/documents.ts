import { isDeepStrictEqual } from 'node:util'

/** A record as JSON would store it (bigint as tagged text, undefined dropped), for content comparison. @internal */
export function normalized(value: unknown): unknown {
  if (value === undefined) return undefined // a field absent from one of the two records compared
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v)))
}

/** Whether two records have the same content (key order and absent-vs-undefined ignored). @internal */
export function sameContent(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(normalized(a), normalized(b))
}

import { EcoleError } from './errors'
import { asInputError } from './input-error'
import { checkOptions, type OptionKinds } from './check-options'

/**
 * Options of {@link contentDifferences} and {@link checkIdempotentReplay}.
 *
 * @example
 * const options: ContentComparison = { ignore: ['depositId', 'status', 'refusal'] }
 */
export interface ContentComparison {
  /**
   * Dotted paths left out of the comparison: state a record gains after its creation (a deposit,
   * a refusal, a lock), never content the caller chose.
   */
  ignore?: readonly string[] | undefined
}

const COMPARISON_KINDS: OptionKinds<ContentComparison> = { ignore: 'array?' }

/** The options of `fn`, checked: a misspelt key (`ignored`) or an `ignore` that is not a list of paths is refused. */
function checkComparison(fn: string, options: unknown): ContentComparison {
  const checked = checkOptions<ContentComparison>(fn, 'options', options, COMPARISON_KINDS)
  const bad = checked.ignore?.findIndex((path) => typeof path !== 'string')
  if (bad !== undefined && bad >= 0) throw EcoleError.invalidInput(`options.ignore.${bad}`, 'must be a dotted path (a string)', { function: fn })
  return checked
}

function differences(stored: unknown, incoming: unknown, options: ContentComparison): string[] {
  const out: string[] = []
  walk(stored, incoming, '', new Set(options.ignore ?? []), out)
  return out
}

// Realm-independent checks: a record copied by the host's `structuredClone` inside a `vm`
// context (or made in another realm) has another realm's Object and Date prototypes.
const tagOf = (v: object): string => Object.prototype.toString.call(v)

function isDate(v: unknown): v is Date {
  return typeof v === 'object' && v !== null && tagOf(v) === '[object Date]'
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || tagOf(v) !== '[object Object]') return false
  const proto = Object.getPrototypeOf(v) as object | null
  // Object.prototype of any realm (its own prototype is null), or no prototype at all
  return proto === null || Object.getPrototypeOf(proto) === null
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (isDate(a) && isDate(b)) return Date.prototype.getTime.call(a) === Date.prototype.getTime.call(b)
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]))
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const k of keys) if (!same(a[k], b[k])) return false
    return true
  }
  return false
}

function walk(a: unknown, b: unknown, path: string, ignore: ReadonlySet<string>, out: string[]): void {
  if (ignore.has(path)) return
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    for (const k of keys) walk(a[k], b[k], path === '' ? k : `${path}.${k}`, ignore, out)
    return
  }
  // an array (allocations, lines) is one field: its elements have no stable names
  if (!same(a, b)) out.push(path === '' ? '(value)' : path)
}

/**
 * The fields in which `incoming` differs from `stored`, as dotted paths in key order: what an
 * idempotent create compares when an id comes back. Values compare by content: bigints and
 * strings by value, dates by instant, arrays element by element (an array that differs is
 * named once, by its own path), plain objects key by key; a missing key equals `undefined`.
 *
 * @example
 * contentDifferences({ amountMinor: 6000n, reason: 'Strike' }, { amountMinor: 5000n, reason: 'Strike' }) //=> ['amountMinor']
 * contentDifferences({ a: { b: 1, c: [1, 2] } }, { a: { b: 2, c: [1] } }) //=> ['a.b', 'a.c']
 * @throws EcoleError `INVALID_INPUT` when `options` is not an object, has a misspelt key
 *   (`ignored`) or an `ignore` that is not an array of paths (`'b'`): a field meant to be left out
 *   is never compared silently.
 */
export function contentDifferences(stored: unknown, incoming: unknown, options: ContentComparison = {}): string[] {
  try {
    return differences(stored, incoming, checkComparison('contentDifferences', options))
  } catch (error) {
    throw asInputError(error, 'contentDifferences', {
      stored: [stored, 'any'],
      incoming: [incoming, 'any'],
      options: [options, 'object?', 'the comparison options ({ ignore? })'],
    })
  }
}

/**
 * The error a replay with different content gets: `IDEMPOTENCY_CONFLICT`, naming the kind of
 * record, its id and the differing fields (`details: { kind, id, fields }`). The record already
 * stored is unchanged; a new operation needs a new id.
 *
 * @example
 * throw idempotencyConflict('credit note', 'cn-1', ['amountMinor'])
 * // EcoleError IDEMPOTENCY_CONFLICT: "[ecole] credit note cn-1 already exists with other content (amountMinor differs) ..."
 */
export function idempotencyConflict(kind: string, id: string, fields: readonly string[]): EcoleError {
  try {
    const list = fields.length === 0 ? 'its content' : fields.join(', ')
    return new EcoleError(
      'IDEMPOTENCY_CONFLICT',
      `${kind} ${id} already exists with other content (${list} ${fields.length === 1 ? 'differs' : 'differ'}): a replay must repeat the same content, a new ${kind} needs a new id`,
      { details: { kind, id, fields: [...fields] } },
    )
  } catch (error) {
    throw asInputError(error, 'idempotencyConflict', {
      kind: [kind, 'string', 'the kind of record'],
      id: [id, 'string', "the record's id"],
      fields: [fields, 'array', 'the differing fields'],
    })
  }
}

/**
 * Answers a replay of an idempotent create: `'exists'` when `incoming` has the content of
 * `stored` (the fields in `options.ignore` aside), otherwise throws {@link idempotencyConflict}
 * naming the differing fields. Every money-moving command (transfers, payments, credit notes,
 * deposits, adjustments, bank statement imports) answers its replays this way.
 *
 * @example
 * checkIdempotentReplay('payment', 'p1', stored, { ...stored, depositId: null }, { ignore: ['depositId'] }) //=> 'exists'
 * @throws EcoleError `IDEMPOTENCY_CONFLICT` (details `{ kind, id, fields }`) when the content differs;
 * `INVALID_INPUT` when an argument is not of its type, or `options` as in {@link contentDifferences}.
 */
export function checkIdempotentReplay(kind: string, id: string, stored: unknown, incoming: unknown, options: ContentComparison = {}): 'exists' {
  try {
    const fields = differences(stored, incoming, checkComparison('checkIdempotentReplay', options))
    if (fields.length > 0) throw idempotencyConflict(kind, id, fields)
    return 'exists'
  } catch (error) {
    throw asInputError(error, 'checkIdempotentReplay', {
      kind: [kind, 'string', 'the kind of record'],
      id: [id, 'string', "the record's id"],
      stored: [stored, 'any'],
      incoming: [incoming, 'any'],
      options: [options, 'object?', 'the comparison options ({ ignore? })'],
    })
  }
}

/**
 * Strict options: an options object (settings, limits, numbering, a policy...) is checked key by
 * key, so a misspelt key is refused instead of read as "absent" and silently billing, numbering or
 * dating with the defaults.
 *
 * @module
 */
import { hasKind, KIND_WORDS, type ArgumentKind, type ArgumentKindName } from './argument-kind'
import { describeValue } from './describe-value'
import { EcoleError, type FieldIssue } from './errors'
import { asInputError } from './input-error'
import { nearestKey } from './nearest-key'

/**
 * The kind each key of an options type `T` must have: every key of `T`, and only those (TypeScript
 * checks both when the kinds are written as an object literal typed `OptionKinds<T>`, so the list
 * cannot drift from the type). A kind ending in `?` allows `undefined`; a list allows any of its
 * kinds.
 *
 * @example
 * interface PaymentOptions { walletOnly?: boolean; timeZone?: string }
 * const kinds: OptionKinds<PaymentOptions> = { walletOnly: 'boolean?', timeZone: 'string?' }
 */
export type OptionKinds<T> = { readonly [K in keyof Required<T>]-?: ArgumentKind | readonly ArgumentKind[] }

function kindAllows(value: unknown, kind: ArgumentKind): boolean {
  const optional = kind.endsWith('?')
  const base = (optional ? kind.slice(0, -1) : kind) as ArgumentKindName
  return (optional && value === undefined) || hasKind(value, base)
}

function kindWords(kind: ArgumentKind): string {
  const optional = kind.endsWith('?')
  const base = (optional ? kind.slice(0, -1) : kind) as ArgumentKindName
  return KIND_WORDS[base] ?? base
}

function refuse(fn: string, issues: FieldIssue[]): EcoleError<'INVALID_INPUT'> {
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ')
  return new EcoleError('INVALID_INPUT', `${fn}: ${summary}`, { details: { function: fn, issues } })
}

/**
 * Checks an options object against the kinds of its keys and returns it typed, or throws
 * `INVALID_INPUT` naming the function, each unknown key with the nearest known one ("unknown key
 * `walletonly` in `options`: did you mean `walletOnly`?") and each key whose value has the wrong
 * kind. `undefined` stands for "no options" (`{}`, whose required keys are then named as
 * missing); anything else that is not a plain object (a
 * string, an array, `null`) is refused.
 *
 * Checks are shallow, by `typeof` and friends (`'integer'`, `'date'` for a `YYYY-MM-DD` string,
 * `'instant'` for a valid `Date`...): check a nested options object with a second call, its `param`
 * a dotted path (`'options.numbering'`).
 *
 * @param fn - The public function, as the caller wrote it (`details.function`).
 * @param param - The parameter's name, the path of every issue.
 * @param value - What the caller passed.
 * @param kinds - The kind of each known key ({@link OptionKinds}).
 * @returns `value` (or `{}` for `undefined`), typed.
 *
 * @example
 * interface PaymentOptions { walletOnly?: boolean; timeZone?: string }
 * const kinds: OptionKinds<PaymentOptions> = { walletOnly: 'boolean?', timeZone: 'string?' }
 * checkOptions<PaymentOptions>('recordPayment', 'options', { walletOnly: true }, kinds) //=> { walletOnly: true }
 * checkOptions<PaymentOptions>('recordPayment', 'options', { walletonly: true }, kinds)
 * // throws EcoleError INVALID_INPUT: '[ecole] recordPayment: options.walletonly: unknown key `walletonly` in `options`: did you mean `walletOnly`?'
 * @throws EcoleError `INVALID_INPUT` as above.
 */
export function checkOptions<T extends object>(fn: string, param: string, value: unknown, kinds: OptionKinds<T>): T {
  try {
    if (typeof fn !== 'string' || typeof param !== 'string' || typeof kinds !== 'object' || kinds === null) throw new TypeError('checkOptions needs a name, a parameter and the kinds')
    return checked(fn, param, value, kinds)
  } catch (error) {
    throw asInputError(error, 'checkOptions', { fn: [fn, 'string', 'the function’s name'], param: [param, 'string', 'the parameter’s name'], kinds: [kinds, 'object', 'the kind of each key'] })
  }
}

function checked<T extends object>(fn: string, param: string, given: unknown, kinds: OptionKinds<T>): T {
  const value = given === undefined ? {} : given
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw refuse(fn, [{ path: param, code: 'invalid_type', message: `must be an object, got ${describeValue(value)}` }])
  }
  const known = Object.keys(kinds)
  const issues: FieldIssue[] = []
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(kinds, key)) continue
    const near = nearestKey(key, known)
    const hint = near !== undefined ? `: did you mean \`${near}\`?` : ` (known keys: ${known.join(', ')})`
    issues.push({ path: `${param}.${key}`, code: 'unrecognized_keys', message: `unknown key \`${key}\` in \`${param}\`${hint}` })
  }
  const record = value as Record<string, unknown>
  for (const key of known) {
    const kind = (kinds as Record<string, ArgumentKind | readonly ArgumentKind[]>)[key]!
    const allowed: readonly ArgumentKind[] = typeof kind === 'string' ? [kind] : Array.isArray(kind) ? kind : ['any']
    const v = record[key]
    if (allowed.some((k) => kindAllows(v, k))) continue
    const optional = allowed.some((k) => k.endsWith('?'))
    const words = allowed.map(kindWords).join(' or ') + (optional ? ' or absent' : '')
    issues.push({ path: `${param}.${key}`, code: 'invalid_type', message: `must be ${words}, got ${describeValue(v)}` })
  }
  if (issues.length > 0) throw refuse(fn, issues)
  return value as T
}

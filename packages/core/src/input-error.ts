import { describeValue } from './describe-value'
import { hasKind, KIND_WORDS, type ArgumentKind, type ArgumentKindName } from './argument-kind'
import { EcoleError, isEcoleError } from './errors'

export type { ArgumentKind, ArgumentKindName } from './argument-kind'

/**
 * One argument of a failed call, for {@link asInputError}: its value, the kind it must have, and
 * (optionally) what it is in the caller's words (`'a stored invoice'`).
 */
export type ExpectedArgument = readonly [value: unknown, kind: ArgumentKind, what?: string]

/** `TypeError: x is not a function`, whatever was thrown, and never throwing itself. */
function causeText(error: unknown): string {
  if (error instanceof Error) {
    const name = typeof error.name === 'string' ? error.name : 'Error'
    const message = typeof error.message === 'string' ? error.message : ''
    return `${name}: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}`
  }
  return describeValue(error)
}

/**
 * The error a public function throws when its body failed: an {@link EcoleError} is returned as it
 * is; anything else (a `TypeError` from reading a field of `null`, a `RangeError` from a runtime
 * API...) becomes an `INVALID_INPUT` naming the function, its first argument that is not of the
 * kind it must be, and the original error as `cause`. When every argument has its kind, the
 * error names them all: a field deeper inside one of them is not what the library built. An
 * `INVALID_INPUT` this function built for another public function called inside (a guarded
 * helper) is told again for this one when one of this one's arguments has the wrong kind, so the
 * error names the function and argument the caller wrote.
 *
 * It runs only once the call has failed, so a function whose arguments are right pays nothing for
 * it. This is how every function of `@ecole` that takes values the library built (prepared rules,
 * stored invoices, a directory state, a storage's ports) keeps the promise that only `EcoleError`
 * escapes it, whatever it is given; an integrator's own functions over these values can do the
 * same.
 *
 * @param error - What the body threw.
 * @param fn - The public function's name, as the caller wrote it.
 * @param args - Each argument by parameter name: its value, kind and (optionally) what it is.
 * @returns The error to throw; never throws itself.
 *
 * @example
 * export function linesTotal(invoice: { lines: Array<{ minor: bigint }> }): bigint {
 *   try {
 *     return invoice.lines.reduce((sum, line) => sum + line.minor, 0n)
 *   } catch (error) {
 *     throw asInputError(error, 'linesTotal', { invoice: [invoice, 'object', 'a stored invoice'] })
 *   }
 * }
 * linesTotal(null as never)
 * // throws EcoleError INVALID_INPUT: 'linesTotal: invoice must be a stored invoice (an object), got null'
 */
export function asInputError(error: unknown, fn: string, args: Readonly<Record<string, ExpectedArgument>>): EcoleError {
  const name = typeof fn === 'string' && fn !== '' ? fn : 'a function of @ecole'
  const entries = typeof args === 'object' && args !== null ? Object.entries(args) : []
  if (isEcoleError(error)) {
    // an error this function built for an inner public function (details.function) is told again for
    // this one when one of its own arguments has the wrong kind: the caller passed that argument
    const inner = error.details['function']
    if (!(error.code === 'INVALID_INPUT' && typeof inner === 'string' && inner !== name)) return error
    return wrongKind(entries, name, error) ?? error
  }
  const kind = wrongKind(entries, name, error)
  if (kind) return kind
  const params = entries.map(([param]) => param)
  const message = `could not use ${params.length === 0 ? 'its arguments' : params.join(', ')}: a value inside is not what the library builds (${causeText(error)})`
  return new EcoleError('INVALID_INPUT', `${name} ${message}`, {
    details: { function: name, issues: [{ path: '', code: 'custom', message }] },
    cause: error,
  })
}

/** The INVALID_INPUT naming the first argument that is not of its kind, or undefined. */
function wrongKind(entries: Array<[string, unknown]>, name: string, cause: unknown): EcoleError | undefined {
  for (const [param, expected] of entries) {
    if (!Array.isArray(expected)) continue
    const [value, kind, what] = expected as [unknown, unknown, unknown]
    if (typeof kind !== 'string') continue
    const optional = kind.endsWith('?')
    const base = (optional ? kind.slice(0, -1) : kind) as ArgumentKindName
    if (!Object.hasOwn(KIND_WORDS, base)) continue
    if ((optional && value === undefined) || hasKind(value, base)) continue
    const words = KIND_WORDS[base] + (optional ? ' or undefined' : '')
    const must = typeof what === 'string' && what !== '' ? `${what} (${words})` : words
    const message = `must be ${must}, got ${describeValue(value)}`
    return new EcoleError('INVALID_INPUT', `${name}: ${param} ${message}`, {
      details: { function: name, issues: [{ path: param, code: 'invalid_type', message }] },
      cause,
    })
  }
  return undefined
}

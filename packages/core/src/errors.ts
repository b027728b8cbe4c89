import type * as z from 'zod'
import type { ERROR_CATALOGUE } from './error-catalogue'
import { asInputError } from './input-error'
import { nearestKey } from './nearest-key'

const ECOLE_ERROR = Symbol.for('@ecole/core/EcoleError')

/**
 * Every code an {@link EcoleError} can carry: the keys of {@link ERROR_CATALOGUE}, so a misspelt
 * code fails to compile.
 */
export type EcoleErrorCode = keyof typeof ERROR_CATALOGUE

/** One problem with one field of an input, as a form would show it next to that field. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `guardians.0.email`; empty for the input as a whole. */
  path: string
  /** What is wrong, in plain English. */
  message: string
  /** The zod issue code (`invalid_type`, `too_small`, `unrecognized_keys`, `custom`...). */
  code: string
}

/** The `details` of every `INVALID_INPUT` error: one {@link FieldIssue} per problem. */
export interface InvalidInputDetails {
  /** Each field that is wrong, and why. */
  issues: FieldIssue[]
  [fact: string]: unknown
}

/** The `details` an error of code `C` carries: `INVALID_INPUT` always has `issues`. */
export type EcoleErrorDetails<C extends EcoleErrorCode = EcoleErrorCode> = C extends 'INVALID_INPUT' ? InvalidInputDetails : Record<string, unknown>

/** Options of an {@link EcoleError}. */
export interface EcoleErrorOptions {
  /** Machine-readable facts about the failure (field issues, ids, figures that disagree). */
  details?: Record<string, unknown>
  /** The lower-level error that caused this one. */
  cause?: unknown
}

/**
 * The one error type `@ecole` throws, for misuse and broken invariants (never for expected business
 * outcomes, which are returned as values).
 *
 * Its `message` starts with `[ecole]`; `code` is one of the {@link EcoleErrorCode}s of the
 * catalogue (`docs/errors.md`); `details` holds what a program needs. An `INVALID_INPUT` error
 * always carries `details.issues`, one {@link FieldIssue} (`{ path, code, message }`) per problem.
 * Test membership with {@link isEcoleError}, never with `instanceof`: the ESM and CJS builds may
 * both be loaded, and each has its own class.
 *
 * @example
 * try {
 *   asLocalDate('2026-02-30')
 * } catch (e) {
 *   if (isEcoleError(e, 'INVALID_DATE')) console.log(e.code) //=> 'INVALID_DATE'
 * }
 */
export class EcoleError<C extends EcoleErrorCode = EcoleErrorCode> extends Error {
  /** Stable identifier of the failure, e.g. `INVALID_INPUT`. */
  readonly code: C
  /** Machine-readable facts about the failure (`issues` for `INVALID_INPUT`). */
  readonly details: EcoleErrorDetails<C>
  /** @internal brand shared by every copy of this class (ESM and CJS). */
  readonly [ECOLE_ERROR] = true

  constructor(code: C, message: string, options: EcoleErrorOptions = {}) {
    const text = message.startsWith('[ecole]') ? message : `[ecole] ${message}`
    super(text, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'EcoleError'
    this.code = code
    const details = { ...(options.details ?? {}) }
    // one shape everywhere: an INVALID_INPUT without issues gets one, for the input as a whole
    if (code === 'INVALID_INPUT' && !Array.isArray(details['issues'])) {
      details['issues'] = [{ path: typeof details['field'] === 'string' ? details['field'] : '', code: 'custom', message: text.slice('[ecole] '.length) }]
    }
    this.details = details as EcoleErrorDetails<C>
  }

  /**
   * An error for input that failed a zod schema, with one line per field in the message and the
   * issues in `details.issues`.
   *
   * @example
   * const parsed = LocalDateSchema.safeParse('2026-13-01')
   * if (!parsed.success) throw EcoleError.fromZod('INVALID_INPUT', parsed.error, 'enrolment.from')
   */
  static fromZod<C extends EcoleErrorCode = 'INVALID_INPUT'>(code: C, error: z.ZodError, subject?: string): EcoleError<C> {
    try {
      const issues = fieldIssues(error, subject)
      const lines = issues.map((i) => (i.code === 'unrecognized_keys' ? i.message : `${i.path || '(input)'}: ${i.message}`))
      return new EcoleError(code, `invalid input${subject ? ` for ${subject}` : ''}: ${lines.join('; ')}`, {
        details: { issues },
        cause: error,
      })
    } catch (thrown) {
      throw asInputError(thrown, 'EcoleError.fromZod', {
        code: [code, 'string', 'an error code'],
        error: [error, 'object', 'a ZodError'],
        subject: [subject, 'string?'],
      })
    }
  }

  /**
   * An `INVALID_INPUT` error about one field, in the one shape every `INVALID_INPUT` has.
   *
   * @example
   * throw EcoleError.invalidInput('payment.amount', 'must be above zero')
   * // message '[ecole] payment.amount: must be above zero', details.issues [{ path: 'payment.amount', code: 'custom', message: 'must be above zero' }]
   */
  static invalidInput(path: string, message: string, details: Record<string, unknown> = {}): EcoleError<'INVALID_INPUT'> {
    path = typeof path === 'string' ? path : ''
    message = typeof message === 'string' ? message : 'invalid'
    details = typeof details === 'object' && details !== null ? details : {}
    return new EcoleError('INVALID_INPUT', path ? `${path}: ${message}` : message, {
      details: { ...details, issues: [{ path, code: 'custom', message }] },
    })
  }
}

/**
 * Whether `value` is an {@link EcoleError}, from either the ESM or the CJS build; given a `code`,
 * whether it is an EcoleError of that code (and TypeScript narrows `value.code` and its details).
 *
 * @example
 * isEcoleError(new EcoleError('NOT_FOUND', 'boom')) //=> true
 * isEcoleError(new Error('boom')) //=> false
 * isEcoleError(new EcoleError('NOT_FOUND', 'boom'), 'INVALID_INPUT') //=> false
 */
export function isEcoleError<C extends EcoleErrorCode>(value: unknown, code: C): value is EcoleError<C>
export function isEcoleError(value: unknown): value is EcoleError
export function isEcoleError(value: unknown, code?: EcoleErrorCode): boolean {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[ECOLE_ERROR] !== true) return false
  return code === undefined || (value as EcoleError).code === code
}

/** `tariffs.0.quotients` -> `tariffs[0].quotients`, as a reader writes a path. */
function readablePath(segments: readonly PropertyKey[]): string {
  let out = ''
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`
    else out += out ? `.${String(s)}` : String(s)
  }
  return out
}

/**
 * Turns zod issues into {@link FieldIssue}s with dotted paths, prefixed by `subject` when given.
 * An unknown key (from a strict schema) becomes one issue per key, at the key's path, whose message
 * names where it was found and the nearest known key when one is close ("unknown key
 * `familyQuotients` at `tariffs[0]`: did you mean `quotients`?").
 *
 * @example
 * zodIssues(schema.safeParse({ email: 'x' }).error!) //=> [{ path: 'email', message: 'Invalid email address', code: 'invalid_format' }]
 */
export function zodIssues(error: z.ZodError, subject?: string): FieldIssue[] {
  try {
    return fieldIssues(error, subject)
  } catch (thrown) {
    throw asInputError(thrown, 'zodIssues', { error: [error, 'object', 'a ZodError'], subject: [subject, 'string?'] })
  }
}

/** {@link zodIssues} without the guard, for {@link EcoleError.fromZod} to name itself when it fails. */
function fieldIssues(error: z.ZodError, subject?: string): FieldIssue[] {
  const out: FieldIssue[] = []
  for (const issue of error.issues) {
    const segments: PropertyKey[] = subject ? [subject, ...issue.path] : [...issue.path]
    const dotted = (extra: PropertyKey[] = []) => [...segments, ...extra].map((p) => String(p)).join('.')
    if (issue.code === 'unrecognized_keys') {
      const known = (issue as { known?: unknown }).known
      for (const key of issue.keys) {
        const where = segments.length > 0 ? ` at \`${readablePath(segments)}\`` : ''
        const near = Array.isArray(known) ? nearestKey(key, known as string[]) : undefined
        const hint = near !== undefined ? `: did you mean \`${near}\`?` : Array.isArray(known) ? ` (known keys: ${(known as string[]).join(', ')})` : ''
        out.push({ path: dotted([key]), message: `unknown key \`${key}\`${where}${hint}`, code: issue.code })
      }
      continue
    }
    out.push({ path: dotted(), message: issue.message, code: issue.code })
  }
  return out
}

/**
 * The error map {@link parseInput} parses with: it records the keys a strict object knows beside an
 * unknown-key issue, so {@link zodIssues} can suggest the nearest one.
 */
function recordKnownKeys(issue: z.core.$ZodRawIssue): undefined {
  if (issue.code === 'unrecognized_keys') {
    const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape
    if (shape) (issue as { known?: string[] }).known = Object.keys(shape)
  }
  return undefined
}

/**
 * Parses `input` with `schema`, or throws an {@link EcoleError} (`INVALID_INPUT` by default)
 * naming every field that is wrong and why, and for an unknown key the nearest known one. The
 * boundary helper every public function uses, and the one to use instead of a schema's own
 * `parse` (which throws zod's `ZodError`, not an `EcoleError`). It takes `unknown` on purpose:
 * it is the place where untyped data (a form, a JSON body, a file) becomes a typed value.
 *
 * @example
 * const date = parseInput(LocalDateSchema, '2026-03-02', 'booking.date') //=> '2026-03-02'
 * const rules = parseInput(BillingRuleSetSchema, JSON.parse(body), 'rules')
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, subject?: string, code: EcoleErrorCode = 'INVALID_INPUT'): z.output<S> {
  if (typeof subject !== 'string') subject = undefined
  if (typeof code !== 'string') code = 'INVALID_INPUT'
  if (typeof (schema as { safeParse?: unknown } | null)?.safeParse !== 'function') {
    throw new EcoleError('INVALID_INPUT', 'parseInput: schema must be a zod schema', { details: { issues: [{ path: 'schema', code: 'invalid_type', message: 'must be a zod schema' }] } })
  }
  let parsed: z.ZodSafeParseResult<z.output<S>>
  try {
    parsed = schema.safeParse(input, { error: recordKnownKeys }) as z.ZodSafeParseResult<z.output<S>>
  } catch (error) {
    // a transform or refinement that throws on a hostile value (a getter, a proxy) is still bad input
    if (isEcoleError(error)) throw error
    throw new EcoleError(code, `invalid input${subject ? ` for ${subject}` : ''}: ${error instanceof Error ? error.message : 'unreadable value'}`, {
      details: { issues: [{ path: subject ?? '', code: 'custom', message: 'unreadable value' }] },
      cause: error,
    })
  }
  if (!parsed.success) throw EcoleError.fromZod(code, parsed.error, subject)
  return parsed.data
}

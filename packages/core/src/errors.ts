import type * as z from 'zod'

const ECOLE_ERROR = Symbol.for('@ecole/core/EcoleError')

/** One problem with one field of an input, as a form would show it next to that field. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `guardians.0.email`; empty for the input as a whole. */
  path: string
  /** What is wrong, in plain English. */
  message: string
  /** The zod issue code (`invalid_type`, `too_small`, `custom`...). */
  code: string
}

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
 * Its `message` starts with `[ecole]`; `code` is a stable UPPER_SNAKE identifier; `details` holds
 * what a program needs (for invalid input, `details.issues` lists each {@link FieldIssue}).
 * Test membership with {@link isEcoleError}, never with `instanceof`: the ESM and CJS builds may
 * both be loaded, and each has its own class.
 *
 * @example
 * try {
 *   asLocalDate('2026-02-30')
 * } catch (e) {
 *   if (isEcoleError(e)) console.log(e.code) //=> 'INVALID_DATE'
 * }
 */
export class EcoleError extends Error {
  /** Stable identifier of the failure, e.g. `INVALID_INPUT`. */
  readonly code: string
  /** Machine-readable facts about the failure. */
  readonly details: Record<string, unknown>
  /** @internal brand shared by every copy of this class (ESM and CJS). */
  readonly [ECOLE_ERROR] = true

  constructor(code: string, message: string, options: EcoleErrorOptions = {}) {
    super(message.startsWith('[ecole]') ? message : `[ecole] ${message}`, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'EcoleError'
    this.code = code
    this.details = options.details ?? {}
  }

  /**
   * An error for input that failed a zod schema, with one line per field in the message and the
   * issues in `details.issues`.
   *
   * @example
   * const parsed = LocalDateSchema.safeParse('2026-13-01')
   * if (!parsed.success) throw EcoleError.fromZod('INVALID_INPUT', parsed.error, 'enrolment.from')
   */
  static fromZod(code: string, error: z.ZodError, subject?: string): EcoleError {
    const issues = zodIssues(error, subject)
    const lines = issues.map((i) => `${i.path || '(input)'}: ${i.message}`)
    return new EcoleError(code, `invalid input${subject ? ` for ${subject}` : ''}: ${lines.join('; ')}`, {
      details: { issues },
      cause: error,
    })
  }
}

/**
 * Whether `value` is an {@link EcoleError}, from either the ESM or the CJS build.
 *
 * @example
 * isEcoleError(new EcoleError('X', 'boom')) //=> true
 * isEcoleError(new Error('boom')) //=> false
 */
export function isEcoleError(value: unknown): value is EcoleError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ECOLE_ERROR] === true
}

/**
 * Turns zod issues into {@link FieldIssue}s with dotted paths, prefixed by `subject` when given.
 *
 * @example
 * zodIssues(schema.safeParse({ email: 'x' }).error!) //=> [{ path: 'email', message: 'Invalid email address', code: 'invalid_format' }]
 */
export function zodIssues(error: z.ZodError, subject?: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const inner = issue.path.map((p) => String(p)).join('.')
    const path = subject ? (inner ? `${subject}.${inner}` : subject) : inner
    return { path, message: issue.message, code: issue.code }
  })
}

/**
 * Parses `input` with `schema`, or throws an {@link EcoleError} (`INVALID_INPUT` by default)
 * naming every field that is wrong and why. The boundary helper every public function uses.
 *
 * @example
 * const date = parseInput(LocalDateSchema, '2026-03-02', 'booking.date') //=> '2026-03-02'
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, subject?: string, code = 'INVALID_INPUT'): z.output<S> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw EcoleError.fromZod(code, parsed.error, subject)
  return parsed.data
}

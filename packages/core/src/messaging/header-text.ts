import * as z from 'zod'
import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import { asInputError } from '../input-error'

/**
 * The characters that end a line in a mail header, or that a mail library or a client may turn into
 * one: CR, LF, NEL (U+0085), LINE SEPARATOR (U+2028), PARAGRAPH SEPARATOR (U+2029). One of them in a
 * subject, a display name or an address would let its author start a header of their own
 * (`Bcc:`), so header values refuse them.
 */
export const HEADER_LINE_BREAKS = /[\r\n\u0085\u2028\u2029]/

const MESSAGE = 'must not contain a line break (CR, LF, U+0085, U+2028 or U+2029): it would start a new mail header'

/**
 * The other control characters a mail header value may not hold: C0 but the tab and the line
 * breaks (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F) and DEL (U+007F). Mail clients show them
 * as garbage or cut the header at them; the SMTP mailer refuses them at send, and the outbox at
 * queue time, by this one rule (with {@link HEADER_LINE_BREAKS}).
 */
// eslint-disable-next-line no-control-regex
export const HEADER_CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/**
 * Why `value` cannot be a mail header value, in words, or `undefined` when it can: a line break
 * (see {@link HEADER_LINE_BREAKS}) or another control character (see
 * {@link HEADER_CONTROL_CHARACTERS}). The one rule the outbox applies when a mail is queued and
 * the SMTP mailer when it is sent, so a queued mail is never refused at send for its headers.
 *
 * @example
 * headerValueProblem('Facture de Léa') //=> undefined
 * headerValueProblem('Facture de L\u000béa') //=> 'must not contain a control character (U+000B) ...'
 */
export function headerValueProblem(value: string): string | undefined {
  if (typeof value !== 'string') return `must be a string, got ${describeValue(value)}`
  if (HEADER_LINE_BREAKS.test(value)) return MESSAGE
  const control = HEADER_CONTROL_CHARACTERS.exec(value)
  if (control) return `must not contain a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}): only the tab is allowed, and mail clients cut or garble a header at the others`
  return undefined
}

/**
 * Whether `value` contains a character that would break a mail header line.
 *
 * @example
 * hasHeaderLineBreak('Facture\r\nBcc: x@example.com') //=> true
 * hasHeaderLineBreak('Facture 2026-001') //=> false
 */
export function hasHeaderLineBreak(value: string): boolean {
  return typeof value === 'string' && HEADER_LINE_BREAKS.test(value)
}

/**
 * Schema of a one-line header value (a subject, a display name) of 1 to `max` characters, trimmed,
 * refusing every line break (see {@link HEADER_LINE_BREAKS}), even at its ends.
 *
 * @example
 * headerText(300).safeParse('Facture\nBcc: x@example.com').success //=> false
 * headerText(300).parse(' Facture {{invoice.number}} ') //=> 'Facture {{invoice.number}}'
 */
export function headerText(max = 300) {
  try {
    return z
      .string()
      .refine((v) => !HEADER_LINE_BREAKS.test(v), MESSAGE)
      .transform((v) => v.trim())
      .pipe(z.string().min(1, 'is required').max(max, `must be at most ${max} characters`))
  } catch (error) {
    throw asInputError(error, 'headerText', { max: [max, 'number?', 'the maximum length'] })
  }
}

/**
 * `value` if it is a string fit for a mail header; otherwise an `INVALID_INPUT` naming `field`.
 * For the values a message is built from at send time (merged subjects, names, addresses).
 *
 * @example
 * assertHeaderValue('Marie Dupont', 'to.name') //=> 'Marie Dupont'
 * assertHeaderValue('Marie\r\nBcc: x@example.com', 'to.name') // throws INVALID_INPUT at to.name
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function assertHeaderValue(value: string, field: string): string {
  if (typeof value !== 'string') throw EcoleError.invalidInput(field, `must be a string, got ${describeValue(value)}`)
  if (HEADER_LINE_BREAKS.test(value)) throw EcoleError.invalidInput(field, MESSAGE)
  return value
}

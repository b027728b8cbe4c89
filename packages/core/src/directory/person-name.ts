import * as z from 'zod'
import { EcoleError } from '../errors'
import { asInputError } from '../input-error'

/**
 * The characters a name shown to people never holds: control characters (C0, DEL, C1: CR, LF, tab,
 * NUL...), the line and paragraph separators (U+2028, U+2029), and the bidirectional embeddings,
 * overrides and isolates (U+202A to U+202E, U+2066 to U+2069). An override turns the text after it
 * around wherever the name is shown (`Martin\u202Efdp.exe` reads "Martinexe.pdf" in a page, a PDF
 * or a mail subject), and a line break starts a new mail header. The marks LRM and RLM (U+200E,
 * U+200F), which some keyboards type in names mixing scripts, are kept.
 *
 * @example
 * NAME_FORBIDDEN_CHARACTERS.test('Martin\u202Efdp.exe') //=> true
 * NAME_FORBIDDEN_CHARACTERS.test('Nguyễn Thị Hoa') //=> false
 */
export const NAME_FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

const MESSAGE = 'must not contain control characters, line breaks or bidirectional overrides (U+202A to U+202E, U+2066 to U+2069): they change how the text around the name is shown'

/**
 * Schema of a name shown to people (a guardian's or a child's first or last name, a household's
 * name): 1 to `max` characters, trimmed, without the characters of {@link NAME_FORBIDDEN_CHARACTERS}
 * (checked before trimming, so none hides at the ends either).
 *
 * @example
 * personName(100).parse('  Léa ') //=> 'Léa'
 * personName(100).safeParse('Martin\u202Efdp.exe').success //=> false
 * @throws EcoleError `INVALID_INPUT` when `max` is not a whole number of at least 1.
 */
export function personName(max = 100) {
  try {
    if (!Number.isSafeInteger(max) || max < 1) throw EcoleError.invalidInput('max', 'personName: must be a whole number of characters, at least 1')
    return z
      .string()
      .refine((v) => !NAME_FORBIDDEN_CHARACTERS.test(v), MESSAGE)
      .transform((v) => v.trim())
      .pipe(z.string().min(1, 'is required').max(max, `must be at most ${max} characters`))
  } catch (error) {
    throw asInputError(error, 'personName', { max: [max, 'number?', 'the maximum length'] })
  }
}

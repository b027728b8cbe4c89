import * as z from 'zod'
import { LocalDateSchema } from '../time'
import { asInputError } from '../input-error'
import { checkOptions } from '../check-options'

/**
 * Schema of a record id: a non-empty string of at most 100 characters (UUID, ULID or a host's own
 * key), trimmed.
 *
 * @example
 * RecordIdSchema.parse(' g-1 ') //=> 'g-1'
 */
export const RecordIdSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')

/**
 * Schema of an e-mail address (trimmed, lower-cased domain kept as typed).
 *
 * @example
 * EmailSchema.parse(' marie.dupont@example.fr ') //=> 'marie.dupont@example.fr'
 */
export const EmailSchema = z.string().trim().pipe(z.email('must be an e-mail address such as name@example.fr'))

const PHONE_SHAPE = /^\+?[0-9 ().-]+$/

/**
 * Whether `value` has the shape of a phone number: an optional leading `+`, then digits with
 * spaces, dots, dashes or parentheses, and 6 to 15 digits in all (E.164 allows at most 15).
 *
 * @example
 * isPhoneNumber('+33 1 23 45 67 89') //=> true
 * isPhoneNumber('01.23.45.67.89') //=> true
 * isPhoneNumber('call me') //=> false
 */
export function isPhoneNumber(value: string): boolean {
  if (typeof value !== 'string') return false
  if (!PHONE_SHAPE.test(value)) return false
  const digits = value.replace(/\D/g, '').length
  return digits >= 6 && digits <= 15
}

/**
 * Schema of a phone number ({@link isPhoneNumber}), trimmed.
 *
 * @example
 * PhoneSchema.parse('0032 2 123 45 67') //=> '0032 2 123 45 67'
 */
export const PhoneSchema = z
  .string()
  .trim()
  .refine(isPhoneNumber, { message: 'must be a phone number: digits, spaces, dots, dashes or parentheses, an optional leading +, 6 to 15 digits' })

/**
 * Schema of an ISO 3166-1 alpha-2 country code, upper-cased (`'fr'` -> `'FR'`).
 *
 * @example
 * CountryCodeSchema.parse('be') //=> 'BE'
 */
export const CountryCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166-1 country code such as FR, BE or IT')

/**
 * An optional form field: `undefined`, `null`, `''` and blanks all mean "not given"; anything else
 * is trimmed and must match `inner`.
 *
 * @example
 * const Form = z.strictObject({ email: optionalText(EmailSchema) })
 * Form.parse({ email: '' }) //=> { email: undefined }
 */
export function optionalText<T extends z.ZodType<unknown, string>>(inner: T) {
  try {
    return z
      .string()
      .nullish()
      .transform((v) => (v == null || v.trim() === '' ? undefined : v.trim()))
      .pipe(inner.optional())
  } catch (error) {
    throw asInputError(error, 'optionalText', { inner: [inner, 'object', 'a zod schema of a string'] })
  }
}

/**
 * Schema of a plain optional text of at most `max` characters (blank = not given).
 *
 * @example
 * optionalString(10).parse('  ') //=> undefined
 */
export function optionalString(max = 200) {
  try {
    return optionalText(z.string().max(max, `must be at most ${max} characters`))
  } catch (error) {
    throw asInputError(error, 'optionalString', { max: [max, 'number?', 'the maximum length'] })
  }
}

/**
 * Schema of a required text of 1 to `max` characters, trimmed.
 *
 * @example
 * requiredString(100).parse(' Les Tilleuls ') //=> 'Les Tilleuls'
 */
export function requiredString(max = 200) {
  try {
    return z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`)
  } catch (error) {
    throw asInputError(error, 'requiredString', { max: [max, 'number?', 'the maximum length'] })
  }
}

/**
 * Schema of an optional limit: a positive number (a whole number unless `whole: false`), or
 * `null` / `''` / absent for "no limit". Accepts a number or a numeric string, as forms send either.
 *
 * @example
 * optionalLimit().parse('300') //=> 300
 * optionalLimit().parse('') //=> null
 * optionalLimit({ whole: false }).parse('0.5') //=> 0.5
 * @throws EcoleError `INVALID_INPUT` when `options` is not an object, has a misspelt key (`wole`)
 *   or a `whole` that is not a boolean.
 */
export function optionalLimit(options: { whole?: boolean } = {}) {
  try {
    const whole = checkOptions<{ whole?: boolean }>('optionalLimit', 'options', options, { whole: 'boolean?' }).whole ?? true
    const base = z.number().positive('must be positive (leave empty for no limit)').finite()
    return z
      .union([z.number(), z.string().trim(), z.null()])
      .optional()
      .transform((v) => (v === undefined || v === null || v === '' ? null : typeof v === 'string' ? Number(v) : v))
      .pipe((whole ? base.int('must be a whole number') : base).nullable())
  } catch (error) {
    throw asInputError(error, 'optionalLimit', { options: [options, 'object?', 'the options ({ whole? })'] })
  }
}

/**
 * A postal address as families see it; every part optional except what a use case requires.
 */
export const PostalAddressSchema = z.strictObject({
  /** Street and number. */
  line1: optionalString(200),
  /** Building, floor, PO box. */
  line2: optionalString(200),
  /** Postcode (free text: countries differ). */
  postcode: optionalString(20),
  /** City or municipality. */
  city: optionalString(100),
  /** Province or département (Italian "provincia"). */
  province: optionalString(100),
  /** ISO 3166-1 alpha-2 country. */
  country: optionalText(CountryCodeSchema),
})
/** A postal address, as a form sends it. */
export type PostalAddressInput = z.input<typeof PostalAddressSchema>
/** A postal address, validated. */
export type PostalAddress = z.output<typeof PostalAddressSchema>

/**
 * Whether a record was archived, when, and why; `null` while active.
 */
export const ArchiveMarkSchema = z
  .strictObject({
    /** Day of the archiving. */
    on: LocalDateSchema,
    /** Why it was archived (left the school, moved...). */
    reason: optionalString(500),
  })
  .nullable()
/** The archive mark of a record (`null` when active). */
export type ArchiveMark = z.output<typeof ArchiveMarkSchema>

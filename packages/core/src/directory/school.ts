import * as z from 'zod'
import { EmailSchema, PhoneSchema, PostalAddressSchema, RecordIdSchema, optionalString, optionalText, requiredString } from './fields'
import { ImageRefSchema } from './image'
import { isValid as isValidUai } from '../references/uai'

/**
 * Per-diploma input labels (seed 003's "masques de saisie"): diploma id -> field key -> label.
 * A field without an override shows its default label; a reset removes a diploma's overrides.
 */
export const LabelOverridesSchema = z.record(z.string().min(1), z.record(z.string().min(1), requiredString(200))).default({})
/** Per-diploma label overrides. */
export type LabelOverrides = z.output<typeof LabelOverridesSchema>

/**
 * Schema of a school (an "établissement", a "structure" of seed 001) inside a site. For a French
 * establishment: UAI code with its check letter, e-mail, CNIL declaration number (pupil-data
 * transfer), logo and stamp, per-diploma label overrides. Name, e-mail and UAI are optional here
 * but required before users can be created (see `establishmentReadyForUsers`).
 *
 * @example
 * SchoolSchema.parse({ id: 'sc1', siteId: 's1', name: 'École Jules Ferry', uai: '0751234J' })
 */
export const SchoolSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** Name of the school. */
  name: requiredString(200),
  /** Kind: an ordinary school, or a structure for adults booking meals (staff, helpers). */
  kind: z.enum(['school', 'adults']).default('school'),
  /** Contact e-mail. */
  email: optionalText(EmailSchema),
  /** Phone. */
  phone: optionalText(PhoneSchema),
  /** Postal address. */
  address: PostalAddressSchema.default({}),
  /** French UAI (ex-RNE) code: 7 digits and a check letter, upper-cased. */
  uai: optionalText(
    z
      .string()
      .toUpperCase()
      .refine(isValidUai, { message: 'must be a UAI code: 7 digits and its check letter, e.g. 0751234J' }),
  ),
  /** Number of the CNIL declaration made by the establishment (needed for pupil-data transfer). */
  cnilDeclaration: optionalString(50),
  /** Whether pupil-data transfer is switched on (needs the CNIL declaration). */
  pupilTransferEnabled: z.boolean().default(false),
  /** Per-diploma input labels. */
  labelOverrides: LabelOverridesSchema,
  /** Logo (see `IMAGE_LIMITS.schoolLogo`). */
  logo: ImageRefSchema.nullish().transform((v) => v ?? null),
  /** Stamp printed on certificates (see `IMAGE_LIMITS.schoolStamp`). */
  stamp: ImageRefSchema.nullish().transform((v) => v ?? null),
})
/** A school as its form sends it. */
export type SchoolInput = z.input<typeof SchoolSchema>
/** A school, validated. */
export type School = z.output<typeof SchoolSchema>

/**
 * Schema of a class (or group) of a school, for a school year.
 *
 * @example
 * SchoolClassSchema.parse({ id: 'c1', siteId: 's1', schoolId: 'sc1', name: 'CP A', levels: ['CP'], schoolYear: '2026-2027' })
 */
export const SchoolClassSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** The school it belongs to. */
  schoolId: RecordIdSchema,
  /** Name of the class or group. */
  name: requiredString(100),
  /** Levels taught in it (CP, CE1... several for a mixed class). */
  levels: z.array(requiredString(50)).default([]),
  /** School year, `YYYY-YYYY` (e.g. `2026-2027`). */
  schoolYear: optionalText(
    z
      .string()
      .regex(/^\d{4}-\d{4}$/, 'must be written YYYY-YYYY, e.g. 2026-2027')
      .refine((y) => Number(y.slice(5)) === Number(y.slice(0, 4)) + 1, { message: 'must span two consecutive years' }),
  ),
})
/** A class as its form sends it. */
export type SchoolClassInput = z.input<typeof SchoolClassSchema>
/** A class, validated. */
export type SchoolClass = z.output<typeof SchoolClassSchema>

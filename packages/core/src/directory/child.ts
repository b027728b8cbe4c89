import * as z from 'zod'
import { LocalDateSchema, compareDates, type LocalDate } from '../time'
import { ArchiveMarkSchema, RecordIdSchema, optionalText } from './fields'
import { personName } from './person-name'
import { isValid as isValidIne } from '../references/ine'
import { AttributeValuesSchema, RELATIONSHIPS } from './guardian'

/** Schema of a child's link to a guardian, with the relationship. */
export const GuardianLinkSchema = z.strictObject({
  /** The guardian. */
  guardianId: RecordIdSchema,
  /** Father, mother, tutor or other. */
  relationship: z.enum(RELATIONSHIPS),
})
/** A child's link to a guardian. */
export type GuardianLink = z.output<typeof GuardianLinkSchema>

/**
 * Schema of a child. A child is linked to one or more guardians; its households are those of its
 * guardians, so separated parents in two households share the child. The INE (French pupil id)
 * is optional; a pupil without one cannot be transferred.
 * The birth date is checked against "today" by {@link childSchemaAsOf}.
 *
 * @example
 * ChildSchema.parse({ id: 'c1', siteId: 's1', firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14', guardians: [{ guardianId: 'g1', relationship: 'mother' }] })
 */
export const ChildSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** First name. */
  firstName: personName(100),
  /** Last name. */
  lastName: personName(100),
  /** Birth date. */
  birthDate: LocalDateSchema,
  /** French national pupil id (INE), upper-cased. */
  ine: optionalText(
    z
      .string()
      .toUpperCase()
      .refine(isValidIne, { message: 'must be an INE: 11 characters in one of the published formats, e.g. 123456789AB' }),
  ),
  /** Guardians (at least one), with their relationship. */
  guardians: z
    .array(GuardianLinkSchema)
    .min(1, 'must name at least one guardian')
    .refine((ls) => new Set(ls.map((l) => l.guardianId)).size === ls.length, { message: 'must not name a guardian twice' }),
  /** Site-defined attribute values. */
  attributes: AttributeValuesSchema,
  /** Archive mark; `null` while active. */
  archived: ArchiveMarkSchema.default(null),
})
/** A child as its form sends it. */
export type ChildInput = z.input<typeof ChildSchema>
/** A child, validated. */
export type Child = z.output<typeof ChildSchema>

/**
 * The child schema with the rule that a birth date is not after `today` (the site's today, given
 * by the caller: core has no clock).
 *
 * @example
 * childSchemaAsOf('2026-09-01').safeParse({ ...child, birthDate: '2026-09-02' }).success //=> false
 */
export function childSchemaAsOf(today: LocalDate) {
  return ChildSchema.superRefine((c, ctx) => {
    if (compareDates(c.birthDate, today) > 0) {
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: `must not be in the future (today is ${today})` })
    }
  })
}

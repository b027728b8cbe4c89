import * as z from 'zod'
import { LocalDateSchema, rangesOverlap, type LocalDate } from '../time'
import { RecordIdSchema, optionalText, requiredString } from './fields'

/**
 * Schema of an enrolment ("inscription en classe", a step of the cursus): a person in a school,
 * class and level from a date, until an optional last day (inclusive; open when absent). The
 * person is a child, or an adult allowed to book meals (`beneficiaryKind: 'adult'`).
 *
 * @example
 * EnrolmentSchema.parse({ id: 'e1', siteId: 's1', beneficiaryId: 'c1', schoolId: 'sc1', classId: 'cl1', level: 'CP', from: '2026-09-01', to: '2027-07-03' })
 */
export const EnrolmentSchema = z
  .strictObject({
    id: RecordIdSchema,
    siteId: RecordIdSchema,
    /** The enrolled person (a child id, or a guardian id for an adult). */
    beneficiaryId: RecordIdSchema,
    /** Child, or adult booking meals. */
    beneficiaryKind: z.enum(['child', 'adult']).default('child'),
    /** School. */
    schoolId: RecordIdSchema,
    /** Class or group. */
    classId: RecordIdSchema,
    /** Level (CP, CE1...). */
    level: optionalText(requiredString(50)),
    /** School year, e.g. `2026-2027`. */
    schoolYear: optionalText(z.string().regex(/^\d{4}-\d{4}$/, 'must be written YYYY-YYYY')),
    /** First day. */
    from: LocalDateSchema,
    /** Last day (inclusive); absent = open-ended. */
    to: optionalText(LocalDateSchema),
  })
  .refine((e) => e.to === undefined || e.from <= e.to, { message: 'must be on or after from', path: ['to'] })
/** An enrolment as its form sends it. */
export type EnrolmentInput = z.input<typeof EnrolmentSchema>
/** An enrolment, validated. */
export type Enrolment = z.output<typeof EnrolmentSchema>

/** Two enrolments of one person that share at least one day. */
export interface EnrolmentOverlap {
  /** The person enrolled twice. */
  beneficiaryId: string
  /** The two enrolments, by id, earlier start first. */
  enrolmentIds: [string, string]
}

/**
 * Every pair of enrolments of the same person whose periods share a day (a person is in one class
 * at a time; the rule "enrolment periods of one child do not overlap"). Empty when consistent.
 *
 * @example
 * findEnrolmentOverlaps([
 *   { id: 'e1', beneficiaryId: 'c1', from: '2026-09-01', to: '2027-07-03' },
 *   { id: 'e2', beneficiaryId: 'c1', from: '2027-07-03' },
 * ]) //=> [{ beneficiaryId: 'c1', enrolmentIds: ['e1', 'e2'] }]
 */
export function findEnrolmentOverlaps(
  enrolments: ReadonlyArray<Pick<Enrolment, 'id' | 'beneficiaryId' | 'from'> & { to?: LocalDate | undefined | null }>,
): EnrolmentOverlap[] {
  const byPerson = new Map<string, Array<(typeof enrolments)[number]>>()
  for (const e of enrolments) {
    const list = byPerson.get(e.beneficiaryId)
    if (list) list.push(e)
    else byPerson.set(e.beneficiaryId, [e])
  }
  const overlaps: EnrolmentOverlap[] = []
  for (const [beneficiaryId, list] of byPerson) {
    const sorted = [...list].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.id < b.id ? -1 : 1))
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const a = sorted[i]!
        const b = sorted[j]!
        if (rangesOverlap(a, b)) overlaps.push({ beneficiaryId, enrolmentIds: [a.id, b.id] })
      }
    }
  }
  return overlaps
}

/**
 * Schema of the list of enrolments of a site (or a person), with the rule that the enrolments of
 * one person never overlap; the issue names both enrolments.
 *
 * @example
 * EnrolmentListSchema.safeParse([e2026, e2027Overlapping]).success //=> false
 */
export const EnrolmentListSchema = z.array(EnrolmentSchema).superRefine((list, ctx) => {
  for (const o of findEnrolmentOverlaps(list)) {
    const index = list.findIndex((e) => e.id === o.enrolmentIds[1])
    ctx.addIssue({
      code: 'custom',
      path: [index, 'from'],
      message: `overlaps enrolment ${o.enrolmentIds[0]} of the same person ${o.beneficiaryId}`,
    })
  }
})

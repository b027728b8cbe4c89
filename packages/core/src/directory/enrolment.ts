import * as z from 'zod'
import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import { LocalDateSchema, isLocalDate, type LocalDate } from '../time'
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
 * Each person's enrolments are sorted by their first day and each is compared only with the ones
 * that start before it ends, so a site's whole list is checked in O(n log n) plus the pairs found.
 *
 * @example
 * findEnrolmentOverlaps([
 *   { id: 'e1', beneficiaryId: 'c1', from: '2026-09-01', to: '2027-07-03' },
 *   { id: 'e2', beneficiaryId: 'c1', from: '2027-07-03' },
 * ]) //=> [{ beneficiaryId: 'c1', enrolmentIds: ['e1', 'e2'] }]
 * @throws EcoleError `INVALID_INPUT` naming the field (`enrolments.0.beneficiaryId`) when the list is
 * not an array of enrolments with a non-empty `id` and `beneficiaryId`, a `from` day written
 * YYYY-MM-DD and a `to` day, when given, on or after it.
 */
export function findEnrolmentOverlaps(
  enrolments: ReadonlyArray<Pick<Enrolment, 'id' | 'beneficiaryId' | 'from'> & { to?: LocalDate | undefined | null }>,
): EnrolmentOverlap[] {
  if (!Array.isArray(enrolments)) throw EcoleError.invalidInput('enrolments', `must be an array of enrolments, got ${describeValue(enrolments)}`)
  const byPerson = new Map<string, Array<(typeof enrolments)[number]>>()
  for (let i = 0; i < enrolments.length; i++) {
    const e = enrolments[i] as (typeof enrolments)[number]
    const problem = enrolmentProblem(e, i)
    if (problem !== undefined) throw EcoleError.invalidInput(problem[0], problem[1])
    const list = byPerson.get(e.beneficiaryId)
    if (list) list.push(e)
    else byPerson.set(e.beneficiaryId, [e])
  }
  const overlaps: EnrolmentOverlap[] = []
  for (const [beneficiaryId, list] of byPerson) {
    const sorted = list.length === 1 ? list : [...list].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!
      const end = a.to ?? undefined
      // the later ones start on or after a.from: they share a day with a exactly when they start by its end
      for (let j = i + 1; j < sorted.length; j++) {
        const b = sorted[j]!
        if (end !== undefined && b.from > end) break
        overlaps.push({ beneficiaryId, enrolmentIds: [a.id, b.id] })
      }
    }
  }
  return overlaps
}

/**
 * What is wrong with the fields {@link findEnrolmentOverlaps} reads of enrolment `i`, as a path and
 * a message; `undefined` when nothing is (cheap: no schema per item).
 */
function enrolmentProblem(e: unknown, i: number): [path: string, message: string] | undefined {
  if (typeof e !== 'object' || e === null) return [`enrolments.${i}`, `must be an enrolment, got ${describeValue(e)}`]
  const { id, beneficiaryId, from, to } = e as Record<string, unknown>
  if (typeof id !== 'string' || id === '') return [`enrolments.${i}.id`, `must be a non-empty string, got ${describeValue(id)}`]
  if (typeof beneficiaryId !== 'string' || beneficiaryId === '') return [`enrolments.${i}.beneficiaryId`, `must be a non-empty string, got ${describeValue(beneficiaryId)}`]
  if (!isLocalDate(from)) return [`enrolments.${i}.from`, `must be a day written YYYY-MM-DD, got ${describeValue(from)}`]
  if (to !== undefined && to !== null) {
    if (!isLocalDate(to)) return [`enrolments.${i}.to`, `must be a day written YYYY-MM-DD when given, got ${describeValue(to)}`]
    if (to < from) return [`enrolments.${i}.to`, `must be on or after from (${from}), got ${to}`]
  }
  return undefined
}

/**
 * Schema of the list of enrolments of a site (or a person), with the rule that the enrolments of
 * one person never overlap; the issue names both enrolments.
 *
 * @example
 * EnrolmentListSchema.safeParse([e2026, e2027Overlapping]).success //=> false
 */
export const EnrolmentListSchema = z.array(EnrolmentSchema).superRefine((list, ctx) => {
  // an enrolment that failed its own schema already has its issue: compare the others
  const checkable = list.filter((e, i) => enrolmentProblem(e, i) === undefined)
  for (const o of findEnrolmentOverlaps(checkable)) {
    const index = list.findIndex((e) => e?.id === o.enrolmentIds[1])
    ctx.addIssue({
      code: 'custom',
      path: [index, 'from'],
      message: `overlaps enrolment ${o.enrolmentIds[0]} of the same person ${o.beneficiaryId}`,
    })
  }
})

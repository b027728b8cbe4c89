import * as z from 'zod'
import { LocalDateSchema, type LocalDate } from '../time'
import { asInputError } from '../input-error'

/**
 * What a period covers: a service, optionally narrowed to one school and some of its classes.
 * Without `schoolId` the period covers the service in every school; without `classIds`, every
 * class of the school.
 */
export interface PeriodScope {
  /** The service closed or opened. */
  serviceId: string
  /** The school, or every school when absent. */
  schoolId?: string | undefined
  /** Classes of the school, or all of them when absent. */
  classIds?: string[] | undefined
}

/**
 * A closure (holidays, a strike day, works) or an opening (a holiday centre open in July) of
 * services for schools and classes, over inclusive dates, with a label and a colour for the
 * calendar view. A period with no scope yet ("périodes sans prestations") covers nothing.
 */
export interface Period {
  /** Stable identifier. */
  id: string
  /** `closure` closes the scoped services; `opening` opens a service that runs only during openings. */
  kind: 'closure' | 'opening'
  /** Label shown in lists and calendars. */
  label: string
  /** Colour `#RRGGBB`, to find it in the list. */
  colour?: string | undefined
  /** First day (inclusive). */
  from: LocalDate
  /** Last day (inclusive). */
  to: LocalDate
  /** What the period applies to. */
  scopes: PeriodScope[]
}

const PeriodScopeSchemaBase = z.strictObject({
  serviceId: z.string().min(1),
  schoolId: z.string().min(1).optional(),
  classIds: z.array(z.string().min(1)).optional(),
})
/** A PeriodScope as a form or an API sends it (the input of {@link PeriodScopeSchema}). */
export type PeriodScopeInput = z.input<typeof PeriodScopeSchemaBase>
/** Schema of a {@link PeriodScope}. */
export const PeriodScopeSchema: z.ZodType<PeriodScope, PeriodScopeInput> = PeriodScopeSchemaBase as unknown as z.ZodType<PeriodScope, PeriodScopeInput>

const PeriodSchemaBase = z
  .strictObject({
    id: z.string().min(1),
    kind: z.enum(['closure', 'opening']),
    label: z.string().min(1),
    colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #RRGGBB').optional(),
    from: LocalDateSchema,
    to: LocalDateSchema,
    scopes: z.array(PeriodScopeSchema).default([]),
  })
  .refine((p) => p.to >= p.from, { message: 'to must not be before from', path: ['to'] })
/** A Period as a form or an API sends it (the input of {@link PeriodSchema}). */
export type PeriodInput = z.input<typeof PeriodSchemaBase>
/**
 * Schema of a {@link Period} as a form sends it; `to` must not be before `from`.
 *
 * @example
 * PeriodSchema.parse({ id: 'p1', kind: 'closure', label: 'Grève', from: '2026-03-12', to: '2026-03-12', scopes: [{ serviceId: 'canteen' }] })
 */
export const PeriodSchema: z.ZodType<Period, PeriodInput> = PeriodSchemaBase as unknown as z.ZodType<Period, PeriodInput>

/** Where a service is used: the service, the school and the class of the child. */
export interface ServicePlace {
  /** The service. */
  serviceId: string
  /** The child's school. */
  schoolId: string
  /** The child's class. */
  classId: string
}

/**
 * Whether a period's scopes cover a service in a school and class (dates aside).
 *
 * @example
 * periodCoversPlace({ id: 'p', kind: 'closure', label: 'x', from: '2026-03-12', to: '2026-03-12', scopes: [{ serviceId: 'canteen', schoolId: 'jaures' }] },
 *   { serviceId: 'canteen', schoolId: 'jaures', classId: 'cp-a' }) //=> true
 */
export function periodCoversPlace(period: Period, place: ServicePlace): boolean {
  try {
    return period.scopes.some(
      (s) =>
        s.serviceId === place.serviceId &&
        (s.schoolId === undefined || s.schoolId === place.schoolId) &&
        (s.classIds === undefined || s.classIds.includes(place.classId)),
    )
  } catch (error) {
    throw asInputError(error, 'periodCoversPlace', {
      period: [period, 'object', 'a period'],
      place: [place, 'object', 'a service place ({ serviceId, schoolId, classId })'],
    })
  }
}

/**
 * Stored periods: the closures and openings of a site as directory records (kind `period`), plain
 * JSON a host keeps and edits, and read back into the {@link Period}s the booking context and the
 * service calendars take. Checked once when defined (the error names the field), parsed again when
 * read, so a record edited by hand in the database is still refused.
 */
import * as z from 'zod'
import { parseInput } from '../errors'
import { RecordIdSchema } from '../directory/fields'
import { LocalDateSchema, compareDates, daysBetween, isLocalDate, type LocalDate } from '../time'
import type { Period, PeriodScope } from './period'

/** The longest period the library stores: 366 days (a school year's summer holidays are ~60). */
export const MAX_PERIOD_DAYS = 366

/** Where a generated period comes from: the national calendar of a zone and a school year. */
export interface PeriodOrigin {
  /** The calendar's zone as `generateSchoolPeriods` takes it (`FR-C`, `BE-FR`, `IT-LAZ`...). */
  zone: string
  /** The school year, `YYYY-YYYY`. */
  schoolYear: string
}

/**
 * A closure or an opening of a site, as a directory record (kind `period`): a {@link Period} with
 * its site and, when it was generated from the national calendar, the zone and school year.
 */
export interface PeriodRecord extends Period {
  /** The site. */
  siteId: string
  /** The national calendar it was generated from (absent for a period created by hand). */
  generatedFrom?: PeriodOrigin | undefined
}

/** What {@link definePeriod} takes: a period as a form or an API sends it, with its site. */
export interface PeriodRecordInput {
  /** Stable id (the record's id). */
  id: string
  /** The site. */
  siteId: string
  /** `closure` closes the scoped services; `opening` opens a service that runs only during openings. */
  kind: 'closure' | 'opening'
  /** Label shown in lists and calendars. */
  label: string
  /** Colour `#RRGGBB` (stored lower-case). */
  colour?: string | null | undefined
  /** First day (inclusive), `YYYY-MM-DD`. */
  from: string
  /** Last day (inclusive), `YYYY-MM-DD`. */
  to: string
  /** The services (x schools x classes) it closes or opens; none yet = "période sans prestations". */
  scopes?: ReadonlyArray<{ serviceId: string; schoolId?: string | null | undefined; classIds?: readonly string[] | null | undefined }> | undefined
  /** The national calendar it was generated from. */
  generatedFrom?: PeriodOrigin | null | undefined
}

const ScopeSchema = z
  .strictObject({
    serviceId: RecordIdSchema,
    schoolId: RecordIdSchema.nullish().transform((v) => v ?? undefined),
    classIds: z.array(RecordIdSchema).min(1, 'must list at least one class (leave it out for every class)').nullish().transform((v) => v ?? undefined),
  })
  .superRefine((s, ctx) => {
    if (s.classIds !== undefined && s.schoolId === undefined) ctx.addIssue({ code: 'custom', path: ['schoolId'], message: 'must be given when classes are chosen (the classes of which school)' })
  })

const PeriodRecordSchema = z
  .strictObject({
    id: RecordIdSchema,
    siteId: RecordIdSchema,
    kind: z.enum(['closure', 'opening']),
    label: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #RRGGBB').nullish().transform((v) => v?.toLowerCase() ?? undefined),
    from: LocalDateSchema,
    to: LocalDateSchema,
    scopes: z.array(ScopeSchema).max(500, 'must hold at most 500 scopes').default([]),
    generatedFrom: z.strictObject({ zone: z.string().trim().min(1).max(20), schoolYear: z.string().regex(/^\d{4}-\d{4}$/, 'must be a school year YYYY-YYYY') }).nullish().transform((v) => v ?? undefined),
  })
  .superRefine((p, ctx) => {
    if (compareDates(p.to, p.from) < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${p.from})` })
    // a bad day already has its issue (the refinement runs all the same): measure only real days
    else if (isLocalDate(p.from) && isLocalDate(p.to) && daysBetween(p.from, p.to) >= MAX_PERIOD_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `a period lasts at most ${MAX_PERIOD_DAYS} days (from ${p.from})` })
    const seen = new Set<string>()
    p.scopes.forEach((s, i) => {
      const key = `${s.serviceId}|${s.schoolId ?? '*'}`
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['scopes', i], message: `repeats the scope of ${s.serviceId}${s.schoolId ? ` in ${s.schoolId}` : ''}: merge their classes` })
      seen.add(key)
    })
  })

function canonical(r: z.output<typeof PeriodRecordSchema>): PeriodRecord {
  const scopes: PeriodScope[] = r.scopes
    .map((s) => ({ serviceId: s.serviceId, ...(s.schoolId !== undefined ? { schoolId: s.schoolId } : {}), ...(s.classIds !== undefined ? { classIds: [...new Set(s.classIds)].sort() } : {}) }))
    .sort((a, b) => (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : (a.schoolId ?? '') < (b.schoolId ?? '') ? -1 : (a.schoolId ?? '') > (b.schoolId ?? '') ? 1 : 0))
  return {
    id: r.id, siteId: r.siteId, kind: r.kind, label: r.label, ...(r.colour !== undefined ? { colour: r.colour } : {}), from: r.from, to: r.to, scopes,
    ...(r.generatedFrom !== undefined ? { generatedFrom: { zone: r.generatedFrom.zone, schoolYear: r.generatedFrom.schoolYear } } : {}),
  }
}

/**
 * Checks a period (dates in order and at most {@link MAX_PERIOD_DAYS} days long, a colour written
 * `#RRGGBB`, classes only with their school, no scope given twice) and returns the record to store
 * (kind `period` of the directory): scopes in service order, classes sorted, colour lower-case.
 *
 * @example
 * definePeriod({ id: 'strike', siteId: 'site-1', kind: 'closure', label: 'Grève', colour: '#D9822B', from: '2027-03-12', to: '2027-03-12',
 *   scopes: [{ serviceId: 'canteen', schoolId: 'jaures', classIds: ['cp-b', 'cp-a'] }] })
 * //=> { id: 'strike', siteId: 'site-1', kind: 'closure', label: 'Grève', colour: '#d9822b', from: '2027-03-12', to: '2027-03-12',
 * //     scopes: [{ serviceId: 'canteen', schoolId: 'jaures', classIds: ['cp-a', 'cp-b'] }] }
 * @throws EcoleError `INVALID_INPUT` naming the field (`period.to`, `period.scopes.0.schoolId`, `period.colour`...).
 */
export function definePeriod(input: PeriodRecordInput): PeriodRecord {
  return canonical(parseInput(PeriodRecordSchema, input, 'period'))
}

/**
 * The {@link Period}s of stored records, as `BookingSiteSettings.periods`, `prepareBookingContext`
 * and `ServiceCalendar` take them (each record checked again; the site and origin left out), in
 * date order; with `range`, only those overlapping its days.
 *
 * @example
 * periodsOf([definePeriod({ id: 'p', siteId: 's', kind: 'closure', label: 'Grève', from: '2027-03-12', to: '2027-03-12', scopes: [{ serviceId: 'canteen' }] })])
 * //=> [{ id: 'p', kind: 'closure', label: 'Grève', from: '2027-03-12', to: '2027-03-12', scopes: [{ serviceId: 'canteen' }] }]
 * @throws EcoleError `INVALID_INPUT` when a stored record is not valid (naming `periods.<n>.<field>`) or the range is not two days in order.
 */
export function periodsOf(records: readonly PeriodRecord[], range?: { from: LocalDate; to: LocalDate }): Period[] {
  const parsed = parseInput(z.array(PeriodRecordSchema), records, 'periods').map(canonical)
  const r = range === undefined ? undefined : parseInput(z.strictObject({ from: LocalDateSchema, to: LocalDateSchema }).refine((x) => x.from <= x.to, { message: 'to must not be before from', path: ['to'] }), range, 'range')
  return parsed
    .filter((p) => r === undefined || (p.from <= r.to && p.to >= r.from))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((p) => ({ id: p.id, kind: p.kind, label: p.label, ...(p.colour !== undefined ? { colour: p.colour } : {}), from: p.from, to: p.to, scopes: p.scopes }))
}

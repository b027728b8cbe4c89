import * as z from 'zod'
import { describeValue } from '../describe-value'
import { EcoleError, parseInput } from '../errors'
import { RecordIdSchema } from '../directory/fields'

/**
 * Who made a change: a back-office user, a parent on the portal, or the system (a job, an import).
 *
 * @example
 * AUDIT_ACTOR_KINDS.includes('guardian') //=> true
 */
export const AUDIT_ACTOR_KINDS = ['user', 'guardian', 'system'] as const
/**
 * Who made a change.
 *
 * @example
 * const kind: AuditActorKind = 'user'
 */
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number]

const JsonObjectSchema = z.record(z.string(), z.unknown())

/**
 * Schema of one entry of the audit trail (issue 18: who, when, what, before and after, site). An
 * entry is written with the change it records (in the same transaction) and never changed.
 * `at` is normalised to the 24-character UTC form (`2027-01-04T08:00:00.000Z`), so entries sort by
 * time as strings. `before` / `after` are the changed fields only (absent for a creation or a
 * deletion respectively); `householdId` lets a family see the entries about it.
 *
 * @example
 * AuditEntrySchema.parse({ id: 'a1', siteId: 's1', at: '2027-01-04T09:00:00+01:00', actor: { kind: 'user', id: 'u-secretariat' },
 *   action: 'household.renamed', subject: { kind: 'household', id: 'h1' }, householdId: 'h1',
 *   before: { name: 'Foyer Martin' }, after: { name: 'Foyer Martin-Roux' } }).at
 * //=> '2027-01-04T08:00:00.000Z'
 */
export const AuditEntrySchema = z.strictObject({
  /** Client-chosen id (appending the same entry twice stores it once). */
  id: RecordIdSchema,
  /** The site. */
  siteId: RecordIdSchema,
  /** When (an ISO instant; stored in UTC with milliseconds). */
  at: z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString()),
  /** Who. */
  actor: z.strictObject({ kind: z.enum(AUDIT_ACTOR_KINDS), id: RecordIdSchema }),
  /** What was done, `<subject kind>.<verb>` by convention (`invoice.validated`, `guardian.archived`). */
  action: z.string().trim().min(1).max(100),
  /** What it was done to. */
  subject: z.strictObject({ kind: z.string().trim().min(1).max(50), id: RecordIdSchema }),
  /** The household concerned, when there is one (a family sees its own entries). */
  householdId: RecordIdSchema.optional(),
  /** The changed fields before the change. */
  before: JsonObjectSchema.optional(),
  /** The changed fields after the change. */
  after: JsonObjectSchema.optional(),
})
/**
 * An audit entry as a caller gives it.
 *
 * @example
 * const input: AuditEntryInput = { id: 'a1', siteId: 's1', at: '2027-01-04T08:00:00Z', actor: { kind: 'system', id: 'bank-import' }, action: 'payment.recorded', subject: { kind: 'payment', id: 'p1' } }
 */
export type AuditEntryInput = z.input<typeof AuditEntrySchema>
/**
 * An audit entry, validated (`at` in UTC with milliseconds).
 *
 * @example
 * const entry: AuditEntry = auditEntry(input)
 */
export type AuditEntry = z.output<typeof AuditEntrySchema>

/**
 * Validates an audit entry for storing (the time normalised to UTC).
 *
 * @example
 * const entry = auditEntry({ id: 'a1', siteId: 's1', at: '2027-01-04T08:00:00Z', actor: { kind: 'user', id: 'u1' },
 *   action: 'invoice.validated', subject: { kind: 'invoice', id: 'dec:g1' }, after: { number: 'F2027-000001' } })
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function auditEntry(input: AuditEntryInput): AuditEntry {
  return parseInput(AuditEntrySchema, input, 'auditEntry')
}

/**
 * The fields of `after` that differ from `before`, as the pair an audit entry stores (values
 * compared as JSON; bigints as their digits).
 *
 * @throws EcoleError `INVALID_INPUT` when `before` or `after` is not an object.
 * @example
 * auditChanges({ name: 'Martin', city: 'Créteil' }, { name: 'Martin-Roux', city: 'Créteil' })
 * //=> { before: { name: 'Martin' }, after: { name: 'Martin-Roux' } }
 */
export function auditChanges(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): { before: Record<string, unknown>; after: Record<string, unknown> } {
  for (const [field, value] of [['before', before], ['after', after]] as const) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw EcoleError.invalidInput(field, `must be an object of fields, got ${describeValue(value)}`)
  }
  const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))
  const out = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> }
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (json(before[key]) === json(after[key])) continue
    if (key in before) out.before[key] = before[key]
    if (key in after) out.after[key] = after[key]
  }
  return out
}

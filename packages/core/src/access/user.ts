import * as z from 'zod'
import { EmailSchema, RecordIdSchema, requiredString } from '../directory/fields'
import { asInputError } from '../input-error'

/** A staff member's profile: what they are in the establishment (drives a few rules, e.g. inspectors). */
export const STAFF_PROFILES = ['administrator', 'headTeacher', 'teacher', 'staff', 'inspector'] as const
/** A staff member's profile. */
export type StaffProfile = (typeof STAFF_PROFILES)[number]

/** Messaging a user has access to (seed 001: "le type de messagerie"). */
export const MESSAGING_CHANNELS = ['email', 'sms', 'portal'] as const
/** A messaging channel. */
export type MessagingChannel = (typeof MESSAGING_CHANNELS)[number]

const ScopeListSchema = z.union([z.literal('all'), z.array(RecordIdSchema).transform((ids) => [...new Set(ids)].sort())])

/**
 * Schema of what a user may act on: all schools (structures) or listed ones, and all services or
 * listed ones.
 *
 * @example
 * UserScopeSchema.parse({ schoolIds: ['sc1'], serviceIds: 'all' })
 */
export const UserScopeSchema = z.strictObject({
  /** Schools (structures) the user is tied to. */
  schoolIds: ScopeListSchema,
  /** Services the user is tied to. */
  serviceIds: ScopeListSchema,
})
/** What a user may act on. */
export type UserScope = z.output<typeof UserScopeSchema>

/**
 * Schema of a back-office user (seed 001 "ajouter un utilisateur"): login (their e-mail,
 * lower-cased), name, role, profile, the structures and services they are tied to, and the
 * messaging they can use.
 *
 * @example
 * UserSchema.parse({ id: 'u1', siteId: 's1', login: 'Anne.Roy@Mairie.fr', firstName: 'Anne', lastName: 'Roy', roleId: 'cashier', scope: { schoolIds: 'all', serviceIds: ['meal'] } }).login
 * //=> 'anne.roy@mairie.fr'
 */
export const UserSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** Login: the user's e-mail address, lower-cased. */
  login: EmailSchema.transform((s) => s.toLowerCase()),
  /** First name. */
  firstName: requiredString(100),
  /** Last name. */
  lastName: requiredString(100),
  /** The role (and so the permissions). */
  roleId: RecordIdSchema,
  /** Profile in the establishment. */
  profile: z.enum(STAFF_PROFILES).default('staff'),
  /** Structures and services the user acts on. */
  scope: UserScopeSchema,
  /** Messaging the user can use. */
  messaging: z.array(z.enum(MESSAGING_CHANNELS)).default(['email']),
  /** For an inspector: the head teacher who opened the access. */
  grantedBy: RecordIdSchema.optional(),
})
/** A user as the form sends it. */
export type UserInput = z.input<typeof UserSchema>
/** A back-office user. */
export type User = z.output<typeof UserSchema>

/**
 * Whether scope `inner` is contained in scope `outer` (every school and service of `inner` is in
 * `outer`; `'all'` is only inside `'all'`).
 *
 * @example
 * scopeWithin({ schoolIds: ['sc1'], serviceIds: 'all' }, { schoolIds: 'all', serviceIds: 'all' }) //=> true
 */
export function scopeWithin(inner: UserScope, outer: UserScope): boolean {
  try {
    const within = (i: 'all' | string[], o: 'all' | string[]) => o === 'all' || (i !== 'all' && i.every((id) => o.includes(id)))
    return within(inner.schoolIds, outer.schoolIds) && within(inner.serviceIds, outer.serviceIds)
  } catch (error) {
    throw asInputError(error, 'scopeWithin', { inner: [inner, 'object', 'a user scope'], outer: [outer, 'object', 'a user scope'] })
  }
}

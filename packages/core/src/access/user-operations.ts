import { expectString } from '../describe-value'
import { EcoleError, parseInput } from '../errors'
import { isFrenchCountry, missingEstablishmentFields, type EstablishmentField } from '../directory/establishment'
import type { School } from '../directory/school'
import type { Actor } from './can'
import type { Role } from './role'
import { UserSchema, scopeWithin, type StaffProfile, type User, type UserInput } from './user'

/** What user management needs to know about the site. */
export interface UserContext {
  /** The site. */
  siteId: string
  /** The site's country (French establishment rules apply in France and overseas). */
  siteCountry: string
  /** The site's schools. */
  schools: Readonly<Record<string, School>>
  /** The site's roles. */
  roles: Readonly<Record<string, Role>>
  /** The site's users. */
  users: Readonly<Record<string, User>>
}

/** Why a user operation was refused. */
export type UserRefusal =
  | { code: 'NOT_PERMITTED'; permission: 'users.write' | 'inspector.grant' }
  | { code: 'SCOPE_EXCEEDED' }
  | { code: 'PERMISSIONS_EXCEEDED'; permissions: string[] }
  | { code: 'LOGIN_TAKEN'; login: string }
  | { code: 'UNKNOWN_ROLE'; roleId: string }
  | { code: 'UNKNOWN_SCHOOL'; schoolId: string }
  | { code: 'ESTABLISHMENT_INCOMPLETE'; schoolId: string; missing: EstablishmentField[] }
  | { code: 'INSPECTOR_NEEDS_HEAD_TEACHER' }
  | { code: 'USER_EXISTS'; userId: string }
  | { code: 'USER_NOT_FOUND'; userId: string }
  | { code: 'ROLE_ABOVE_GRANTER'; profile: StaffProfile; granterProfile: StaffProfile }

/** What a user operation returns. */
export type UserOutcome = { ok: true; user: User } | { ok: false; refusal: UserRefusal }

/** One field a user update changed, with its value before and after. */
export interface UserFieldChange {
  /** The field (`login`, `roleId`, `profile`, `scope`...). */
  field: keyof User
  /** The value before. */
  from: unknown
  /** The value after. */
  to: unknown
}

/** The audit entry of a user update: who changed whom, and each field before and after. */
export interface UserAuditEntry {
  /** What happened. */
  action: 'user.updated'
  /** The site. */
  siteId: string
  /** The user changed. */
  userId: string
  /** The user who changed them. */
  byUserId: string
  /** Each field that changed (empty when the update changed nothing). */
  changes: UserFieldChange[]
}

/** What {@link updateUser} returns: the updated user and its audit entry, or why it was refused. */
export type UserUpdateOutcome = { ok: true; user: User; audit: UserAuditEntry } | { ok: false; refusal: UserRefusal }

/**
 * The rank of each profile: a user may create or change only users whose profile ranks at or below
 * their own (a staff member cannot make a head teacher, who can open inspector access). An
 * inspector ranks lowest and is never created by {@link createUser} (see {@link grantInspectorAccess}).
 */
export const STAFF_PROFILE_RANK: Readonly<Record<StaffProfile, number>> = Object.freeze({
  inspector: 0,
  staff: 1,
  teacher: 1,
  headTeacher: 2,
  administrator: 3,
})

/** Whether `by` may hand out a user of `profile` with `role` (at or below their own rank and permissions). */
function checkGrant(context: UserContext, profile: StaffProfile, roleId: string, by: Actor): UserRefusal | undefined {
  if (STAFF_PROFILE_RANK[profile] > STAFF_PROFILE_RANK[by.profile]) return { code: 'ROLE_ABOVE_GRANTER', profile, granterProfile: by.profile }
  const role = context.roles[roleId]
  if (!role) return { code: 'UNKNOWN_ROLE', roleId }
  const beyond = role.permissions.filter((p) => !by.permissions.includes(p))
  if (beyond.length > 0) return { code: 'PERMISSIONS_EXCEEDED', permissions: beyond }
  return undefined
}

function schoolsOf(context: UserContext, scope: User['scope']): School[] | UserRefusal {
  if (scope.schoolIds === 'all') return Object.values(context.schools)
  const list: School[] = []
  for (const id of scope.schoolIds) {
    const s = context.schools[id]
    if (!s) return { code: 'UNKNOWN_SCHOOL', schoolId: id }
    list.push(s)
  }
  return list
}

function checkNewUser(context: UserContext, user: User, by: Actor, permission: 'users.write' | 'inspector.grant'): UserRefusal | undefined {
  if (by.siteId !== context.siteId || !by.permissions.includes(permission)) return { code: 'NOT_PERMITTED', permission }
  if (!scopeWithin(user.scope, by.scope)) return { code: 'SCOPE_EXCEEDED' }
  const granted = checkGrant(context, user.profile, user.roleId, by)
  if (granted) return granted
  if (Object.values(context.users).some((u) => u.login === user.login && u.id !== user.id)) return { code: 'LOGIN_TAKEN', login: user.login }
  const schools = schoolsOf(context, user.scope)
  if (!Array.isArray(schools)) return schools
  if (isFrenchCountry(context.siteCountry)) {
    for (const school of schools) {
      const missing = missingEstablishmentFields(school)
      if (missing.length > 0) return { code: 'ESTABLISHMENT_INCOMPLETE', schoolId: school.id, missing }
    }
  }
  return undefined
}

function checkContext(context: UserContext, by: Actor): void {
  if (typeof context !== 'object' || context === null || typeof context.users !== 'object' || context.users === null || typeof context.roles !== 'object' || context.roles === null) {
    throw EcoleError.invalidInput('context', 'must be a UserContext ({ siteId, siteCountry, schools, roles, users })')
  }
  if (typeof by !== 'object' || by === null || !Array.isArray(by.permissions) || typeof by.scope !== 'object' || by.scope === null) {
    throw EcoleError.invalidInput('by', 'must be an Actor (see actorOf)')
  }
}

/**
 * Creates a back-office user (seed 001): login = e-mail (unique in the site), name, role,
 * structures and services, messaging. Creating never replaces anyone: an id already used in the
 * site is refused (`USER_EXISTS`; change a user with {@link updateUser}, which is audited). The
 * creator needs `users.write`, and can give neither a wider scope, nor more permissions, nor a
 * higher profile ({@link STAFF_PROFILE_RANK}, `ROLE_ABOVE_GRANTER`) than they have themselves. In a French site, the
 * establishments the user is tied to must have their name, e-mail and UAI first (seed 003,
 * `ESTABLISHMENT_INCOMPLETE`). An inspector is never created here: only through a head teacher
 * ({@link grantInspectorAccess}).
 *
 * @example
 * createUser(context, { id: 'u2', login: 'anne@mairie.fr', firstName: 'Anne', lastName: 'Roy', roleId: 'cashier', scope: { schoolIds: ['sc1'], serviceIds: 'all' } }, admin)
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function createUser(context: UserContext, input: Omit<UserInput, 'siteId'>, by: Actor): UserOutcome {
  checkContext(context, by)
  const user = parseInput(UserSchema, { ...(typeof input === 'object' && input !== null ? input : {}), siteId: context.siteId }, 'user')
  if (user.profile === 'inspector') return { ok: false, refusal: { code: 'INSPECTOR_NEEDS_HEAD_TEACHER' } }
  if (Object.hasOwn(context.users, user.id)) return { ok: false, refusal: { code: 'USER_EXISTS', userId: user.id } }
  const refusal = checkNewUser(context, user, by, 'users.write')
  return refusal ? { ok: false, refusal } : { ok: true, user }
}

/**
 * Opens an inspector's access (seed 003): only a user with the head-teacher profile (and the
 * `inspector.grant` permission) can, for schools within their own scope. The inspector's record
 * names the head teacher who opened it.
 *
 * @example
 * grantInspectorAccess(context, { id: 'insp', login: 'ien@ac-paris.fr', firstName: 'Paul', lastName: 'Blanc', roleId: 'inspector', scope: { schoolIds: ['lp'], serviceIds: 'all' } }, headTeacher)
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function grantInspectorAccess(context: UserContext, input: Omit<UserInput, 'siteId' | 'profile' | 'grantedBy'>, by: Actor): UserOutcome {
  checkContext(context, by)
  if (by.profile !== 'headTeacher') return { ok: false, refusal: { code: 'INSPECTOR_NEEDS_HEAD_TEACHER' } }
  const user = parseInput(UserSchema, { ...(typeof input === 'object' && input !== null ? input : {}), siteId: context.siteId, profile: 'inspector', grantedBy: by.userId }, 'inspector')
  if (Object.hasOwn(context.users, user.id)) return { ok: false, refusal: { code: 'USER_EXISTS', userId: user.id } }
  const refusal = checkNewUser(context, user, by, 'inspector.grant')
  return refusal ? { ok: false, refusal } : { ok: true, user }
}

/** What {@link updateUser} may change: every field of the user but its id and site. */
export type UserUpdateInput = Partial<Omit<UserInput, 'id' | 'siteId'>>

/**
 * Changes an existing back-office user, as a separate, audited operation: the result carries a
 * {@link UserAuditEntry} (who changed whom, each field before and after) to store beside the user.
 *
 * The updater needs `users.write`, and must outrank or equal the user both as they are and as they
 * become: the user's current and new profile at or below the updater's ({@link STAFF_PROFILE_RANK},
 * `ROLE_ABOVE_GRANTER`), their current and new role's permissions within the updater's
 * (`PERMISSIONS_EXCEEDED`), their current and new scope within the updater's (`SCOPE_EXCEEDED`).
 * So a staff member cannot take over an administrator's login, nor promote anyone above
 * themselves. An inspector stays an inspector (only a head teacher opens that access), and no
 * one becomes one here.
 *
 * @example
 * const r = updateUser(context, 'u2', { roleId: 'accountant' }, admin)
 * if (r.ok) await store.putUser(siteId, r.user) // and keep r.audit in the audit log
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function updateUser(context: UserContext, userId: string, changes: UserUpdateInput, by: Actor): UserUpdateOutcome {
  checkContext(context, by)
  expectString(userId, 'userId')
  if (by.siteId !== context.siteId || !by.permissions.includes('users.write')) return { ok: false, refusal: { code: 'NOT_PERMITTED', permission: 'users.write' } }
  const current = Object.hasOwn(context.users, userId) ? context.users[userId] : undefined
  if (!current) return { ok: false, refusal: { code: 'USER_NOT_FOUND', userId } }
  // the user as they are: the updater must be at or above them before changing anything
  if (!scopeWithin(current.scope, by.scope)) return { ok: false, refusal: { code: 'SCOPE_EXCEEDED' } }
  const asIs = checkGrant(context, current.profile, current.roleId, by)
  if (asIs) return { ok: false, refusal: asIs }
  const patch = typeof changes === 'object' && changes !== null ? changes : {}
  const user = parseInput(UserSchema, { ...current, ...patch, id: current.id, siteId: current.siteId }, 'user')
  if ((user.profile === 'inspector') !== (current.profile === 'inspector') || user.grantedBy !== current.grantedBy) {
    return { ok: false, refusal: { code: 'INSPECTOR_NEEDS_HEAD_TEACHER' } }
  }
  const refusal = checkNewUser(context, user, by, 'users.write')
  if (refusal) return { ok: false, refusal }
  const changed: UserFieldChange[] = []
  for (const field of Object.keys(user) as Array<keyof User>) {
    if (JSON.stringify(user[field]) !== JSON.stringify(current[field])) changed.push({ field, from: current[field], to: user[field] })
  }
  return { ok: true, user, audit: { action: 'user.updated', siteId: context.siteId, userId: user.id, byUserId: by.userId, changes: changed } }
}

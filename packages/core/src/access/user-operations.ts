import { parseInput } from '../errors'
import { isFrenchCountry, missingEstablishmentFields, type EstablishmentField } from '../directory/establishment'
import type { School } from '../directory/school'
import type { Actor } from './can'
import type { Role } from './role'
import { UserSchema, scopeWithin, type User, type UserInput } from './user'

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

/** What a user operation returns. */
export type UserOutcome = { ok: true; user: User } | { ok: false; refusal: UserRefusal }

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
  const role = context.roles[user.roleId]
  if (!role) return { code: 'UNKNOWN_ROLE', roleId: user.roleId }
  const beyond = role.permissions.filter((p) => !by.permissions.includes(p))
  if (beyond.length > 0) return { code: 'PERMISSIONS_EXCEEDED', permissions: beyond }
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

/**
 * Creates a back-office user (seed 001): login = e-mail (unique in the site), name, role,
 * structures and services, messaging. The creator needs `users.write`, and can give neither a
 * wider scope nor more permissions than they have themselves. In a French site, the
 * establishments the user is tied to must have their name, e-mail and UAI first (seed 003,
 * `ESTABLISHMENT_INCOMPLETE`). An inspector is never created here: only through a head teacher
 * ({@link grantInspectorAccess}).
 *
 * @example
 * createUser(context, { id: 'u2', login: 'anne@mairie.fr', firstName: 'Anne', lastName: 'Roy', roleId: 'cashier', scope: { schoolIds: ['sc1'], serviceIds: 'all' } }, admin)
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function createUser(context: UserContext, input: Omit<UserInput, 'siteId'>, by: Actor): UserOutcome {
  const user = parseInput(UserSchema, { ...input, siteId: context.siteId }, 'user')
  if (user.profile === 'inspector') return { ok: false, refusal: { code: 'INSPECTOR_NEEDS_HEAD_TEACHER' } }
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
  if (by.profile !== 'headTeacher') return { ok: false, refusal: { code: 'INSPECTOR_NEEDS_HEAD_TEACHER' } }
  const user = parseInput(UserSchema, { ...input, siteId: context.siteId, profile: 'inspector', grantedBy: by.userId }, 'inspector')
  const refusal = checkNewUser(context, user, by, 'inspector.grant')
  return refusal ? { ok: false, refusal } : { ok: true, user }
}

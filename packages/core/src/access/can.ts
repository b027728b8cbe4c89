import { EcoleError } from '../errors'
import { asInputError } from '../input-error'
import type { Permission } from './permission'
import type { Role } from './role'
import type { User, UserScope } from './user'

/** A user with the permissions of their role, ready for {@link can}. */
export interface Actor {
  /** The user id. */
  readonly userId: string
  /** The site the user belongs to. */
  readonly siteId: string
  /** The user's profile. */
  readonly profile: User['profile']
  /** Permissions of the user's role. */
  readonly permissions: readonly Permission[]
  /** Structures and services the user acts on. */
  readonly scope: UserScope
}

/**
 * The actor of a user with their role.
 *
 * @example
 * const actor = actorOf(user, roles[user.roleId]!)
 * @throws EcoleError `ROLE_MISMATCH` when `role` is not the user's role (or of another site);
 * `INVALID_INPUT` when `user` or `role` is not of its type.
 */
export function actorOf(user: User, role: Role): Actor {
  try {
    if (role.id !== user.roleId || role.siteId !== user.siteId) {
      throw new EcoleError('ROLE_MISMATCH', `role ${role.id} of site ${role.siteId} is not the role of user ${user.id}`, { details: { userId: user.id, roleId: role.id } })
    }
    return { userId: user.id, siteId: user.siteId, profile: user.profile, permissions: role.permissions, scope: user.scope }
  } catch (error) {
    throw asInputError(error, 'actorOf', { user: [user, 'object', 'a user'], role: [role, 'object', "the user's role"] })
  }
}

/**
 * What an action is on: a site, and optionally one school and one service. An action that names
 * no school concerns every school of the site (and likewise for services).
 */
export interface AccessScope {
  /** The site. */
  siteId: string
  /** The school (structure) concerned; absent = the whole site. */
  schoolId?: string | undefined
  /** The service concerned; absent = every service. */
  serviceId?: string | undefined
}

/**
 * Whether an actor may use `permission` on `scope`. True only when all hold: same site; the
 * role grants the permission; the school is among the user's schools (an action naming no school
 * needs a user tied to all schools); the service is among the user's services (likewise). There is
 * no other way in: nothing outside the role's permissions and the user's scope is ever allowed.
 *
 * @example
 * can(cashier, 'payments.write', { siteId: 's1', schoolId: 'sc1', serviceId: 'meal' }) //=> true
 * can(cashier, 'roles.write', { siteId: 's1' }) //=> false
 */
export function can(actor: Actor, permission: Permission, scope: AccessScope): boolean {
  try {
    if (actor.siteId !== scope.siteId) return false
    if (!actor.permissions.includes(permission)) return false
    const { schoolIds, serviceIds } = actor.scope
    if (schoolIds !== 'all' && (scope.schoolId === undefined || !schoolIds.includes(scope.schoolId))) return false
    if (serviceIds !== 'all' && (scope.serviceId === undefined || !serviceIds.includes(scope.serviceId))) return false
    return true
  } catch (error) {
    throw asInputError(error, 'can', {
      actor: [actor, 'object', 'an actor (from actorOf)'],
      permission: [permission, 'string', 'a permission'],
      scope: [scope, 'object', 'an access scope ({ siteId, schoolId?, serviceId? })'],
    })
  }
}

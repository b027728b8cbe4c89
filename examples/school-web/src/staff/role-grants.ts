/**
 * The rule the roles screen applies before saving a role (seed 001 « Rôles - permissions »): no
 * one grants a permission they do not hold themselves, and no one takes `roles.write` away from
 * their own role (they would lock themself out). Pure, so that it can be checked on any input.
 */
import type { Permission } from '@ecole/core'

/** Why a role change is refused, or `undefined` when it may be saved. */
export type RoleChangeRefusal = { code: 'BEYOND_GRANTER'; permissions: Permission[] } | { code: 'SELF_LOCKOUT' }

/**
 * Whether `granter` (their permissions, and whether the role is their own) may change a role's
 * permissions from `before` to `after`: every permission added must be one the granter holds
 * (keeping or removing one they lack is allowed); their own role must keep `roles.write`.
 */
export function checkRoleChange(args: { before: readonly Permission[]; after: readonly Permission[]; granter: readonly Permission[]; ownRole: boolean }): RoleChangeRefusal | undefined {
  const added = [...new Set(args.after)].filter((p) => !args.before.includes(p) && !args.granter.includes(p))
  if (added.length > 0) return { code: 'BEYOND_GRANTER', permissions: added }
  if (args.ownRole && !args.after.includes('roles.write')) return { code: 'SELF_LOCKOUT' }
  return undefined
}

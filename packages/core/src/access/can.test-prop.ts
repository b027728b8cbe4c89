import { fc, test } from '@fast-check/vitest'
import { accessScopeArb, actorArb, permissionSetArb, userScopeArb } from '@ecole/testing'
import { PERMISSIONS } from './permission'
import { can } from './can'
import { scopeWithin } from './user'

// Oracle written independently: an action is allowed when the permission is granted and every
// school and service the action touches is one the user holds ('all' if the action names none).
function holds(list: 'all' | string[], id: string | undefined): boolean {
  return list === 'all' || (id !== undefined && list.includes(id))
}

test.prop([actorArb(), fc.constantFrom(...PERMISSIONS), accessScopeArb()])('a permission is never granted beyond the role and the user scope', (actor, permission, scope) => {
  const allowed = can(actor, permission, scope)
  const oracle =
    actor.siteId === scope.siteId &&
    actor.permissions.includes(permission) &&
    holds(actor.scope.schoolIds, scope.schoolId) &&
    holds(actor.scope.serviceIds, scope.serviceId)
  return allowed === oracle
})

test.prop([actorArb(), accessScopeArb()])('a role without a permission never allows it, whatever the scope', (actor, scope) => {
  const missing = PERMISSIONS.filter((p) => !actor.permissions.includes(p))
  return missing.every((p) => !can(actor, p, scope))
})

test.prop([actorArb(), userScopeArb(), permissionSetArb(), fc.constantFrom(...PERMISSIONS), accessScopeArb()])(
  'narrowing a user scope or role never allows more',
  (actor, narrower, fewer, permission, scope) => {
    const inner = { ...actor, scope: scopeWithin(narrower, actor.scope) ? narrower : actor.scope, permissions: fewer.filter((p) => actor.permissions.includes(p)) }
    return !can(inner, permission, scope) || can(actor, permission, scope)
  },
)

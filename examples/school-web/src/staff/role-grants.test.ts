import { PERMISSIONS, type Permission } from '@ecole/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkRoleChange } from './role-grants'

const permissions = fc.subarray([...PERMISSIONS] as Permission[])

describe('saving a role (no one grants beyond what they hold)', () => {
  it('accepted only when every permission of the new role was already in it or is held by the granter', () => {
    fc.assert(fc.property(permissions, permissions, permissions, fc.boolean(), (before, after, granter, ownRole) => {
      const refusal = checkRoleChange({ before, after, granter, ownRole })
      const ok = refusal === undefined
      // whatever is accepted never gains a permission the granter lacks
      if (ok) for (const p of after) expect(before.includes(p) || granter.includes(p)).toBe(true)
      // and a granter's own role that is accepted keeps roles.write
      if (ok && ownRole) expect(after).toContain('roles.write')
      // a refusal for going beyond names exactly the permissions added that the granter lacks
      if (refusal?.code === 'BEYOND_GRANTER') expect(refusal.permissions.sort()).toEqual(after.filter((p) => !before.includes(p) && !granter.includes(p)).sort())
    }))
  })

  it('a granter holding every permission may give any role, and removing permissions from another role is always accepted', () => {
    fc.assert(fc.property(permissions, permissions, (before, after) => {
      expect(checkRoleChange({ before, after, granter: PERMISSIONS, ownRole: false })).toBeUndefined()
      expect(checkRoleChange({ before, after: before.filter((p) => !after.includes(p)), granter: [], ownRole: false })).toBeUndefined()
    }))
  })

  it('refuses taking roles.write from one’s own role', () => {
    expect(checkRoleChange({ before: ['roles.write', 'users.write'], after: ['users.write'], granter: ['roles.write', 'users.write'], ownRole: true })).toEqual({ code: 'SELF_LOCKOUT' })
  })
})

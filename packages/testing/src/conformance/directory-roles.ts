import { RoleSchema, type Role } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * Roles are a kind of the directory's record port (`role`), not methods of the access port:
 * stored, replaced, read by id, listed by id, deleted; each site sees only its own. @internal
 */
export function describeDirectoryRoles(ctx: ConformanceContext): void {
  describe('directory: roles (kind role)', () => {
    it('stores roles, replaces one with its permissions changed, lists by id, deletes; another site sees none', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      const cashier: Role = RoleSchema.parse({ id: 'cashier', siteId: s, label: 'Régisseur', permissions: ['invoices.read', 'payments.write'] })
      const admin: Role = RoleSchema.parse({ id: 'admin', siteId: s, label: 'Administrateur', permissions: ['users.write'] })
      expect(await store.putDirectoryRecord(s, 'role', cashier)).toBe('created')
      expect(await store.putDirectoryRecord(s, 'role', admin)).toBe('created')
      const narrowed: Role = { ...cashier, permissions: ['invoices.read'] }
      expect(await store.putDirectoryRecord(s, 'role', narrowed)).toBe('updated')
      expect(await store.getDirectoryRecord(s, 'role', 'cashier')).toEqual(narrowed)
      expect((await store.listDirectoryRecords(s, 'role')).items.map((r) => r.id)).toEqual(['admin', 'cashier'])
      expect(await store.getDirectoryRecord(freshSiteId(), 'role', 'cashier')).toBeUndefined()
      expect(await store.deleteDirectoryRecord(s, 'role', 'admin')).toBe(true)
      expect(await store.deleteDirectoryRecord(s, 'role', 'admin')).toBe(false)
      expect(await store.getDirectoryRecord(s, 'role', 'admin')).toBeUndefined()
    })
  })
}

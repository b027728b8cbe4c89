import { isEcoleError, RoleSchema, UserSchema } from '@ecole/core'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deleteRoleEdit, saveUserEdit, staffEditVersion } from './staff-edits'

// An administrator deletes a role nobody holds while another gives that role to a user, on a real
// PostgreSQL server (PGlite runs one transaction at a time, so only a server shows the race).
// Before deleteRoleEdit and the role lock of saveUserEdit, both went through: a user whose role
// no longer existed, who could not sign in and whom no screen could show.
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)('a role deleted while a user is given it, on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 6 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('never leaves a user holding a deleted role: either the deletion is refused ROLE_IN_USE, or the user edit is refused RECORD_CHANGED (the role deleted)', async () => {
    const outcomes = new Set<string>()
    for (let round = 0; round < 12; round++) {
      const siteId = `role-race-${process.pid}-${Date.now()}-${round}`
      const cashier = RoleSchema.parse({ id: 'cashier', siteId, label: 'Régisseur', permissions: ['invoices.read'] })
      const spare = RoleSchema.parse({ id: 'spare', siteId, label: 'Remplaçant', permissions: ['invoices.read'] })
      const anne = UserSchema.parse({ id: 'anne', siteId, login: `anne.${round}@mairie.fr`, firstName: 'Anne', lastName: 'Roy', roleId: 'cashier', scope: { schoolIds: 'all', serviceIds: 'all' } })
      await storage.directory!.putDirectoryRecord(siteId, 'role', cashier)
      await storage.directory!.putDirectoryRecord(siteId, 'role', spare)
      await storage.access!.createUser(siteId, anne)
      const audits: string[] = []
      const [deleted, edited] = await Promise.allSettled([
        deleteRoleEdit({ storage, siteId, roleId: 'spare', version: staffEditVersion(spare), withChange: async () => void audits.push('role.deleted') }),
        saveUserEdit({ storage, siteId, user: { ...anne, roleId: 'spare' }, version: staffEditVersion(anne), withChange: async () => void audits.push('user.edited') }),
      ])
      const role = await storage.directory!.getDirectoryRecord(siteId, 'role', 'spare')
      const user = await storage.access!.getUser(siteId, 'anne')
      // the invariant, whatever the order: the user's role exists
      expect(await storage.directory!.getDirectoryRecord(siteId, 'role', user!.roleId)).toBeDefined()
      if (deleted.status === 'fulfilled') {
        expect(edited.status === 'rejected' && isEcoleError(edited.reason, 'RECORD_CHANGED') && edited.reason.details['kind'] === 'role').toBe(true)
        expect([role, user!.roleId, audits]).toEqual([undefined, 'cashier', ['role.deleted']])
        outcomes.add('deletion first')
      } else {
        expect(isEcoleError(deleted.reason, 'ROLE_IN_USE')).toBe(true)
        expect(edited.status).toBe('fulfilled')
        expect([role?.id, user!.roleId, audits]).toEqual(['spare', 'spare', ['user.edited']])
        outcomes.add('edit first')
      }
    }
    console.log(`[ecole] role deleted / user given it, 12 rounds: ${[...outcomes].join(', ')}`)
  }, 60_000)
})

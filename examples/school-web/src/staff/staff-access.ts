/**
 * Staff accounts of the back office: the demo's roles and users stored through the library's
 * `AccessStore`, and the `Actor` that `can()` checks (sign-in is `verifyUserPassword` of
 * `@ecole/workflows`).
 */
import { actorOf, RoleSchema, UserSchema, type Actor } from '@ecole/core'
import type { AccessStore, DirectoryStore, StoragePorts } from '@ecole/core/ports'
import { hashPassword, type ScryptParams } from '@ecole/workflows'
import { DEMO_ROLES, DEMO_STAFF } from './permissions'

/** The demo staff users' password when none is given (`npm run web` passes the demo's own). */
export const DEMO_STAFF_PASSWORD = 'back-office-2026'

/** The back office's demo logins (role label and login), printed by `npm run web`. */
export const BACK_OFFICE_LOGINS = DEMO_STAFF.map((u) => ({ role: DEMO_ROLES[u.roleId].label, username: u.login }))

function directoryOf(storage: StoragePorts): DirectoryStore {
  if (!storage.directory) throw new Error('[school-web] the storage has no directory port')
  return storage.directory
}

function accessOf(storage: StoragePorts): AccessStore {
  if (!storage.access) throw new Error('[school-web] the storage has no access port')
  return storage.access
}

/**
 * Stores the demo roles and one user per role with {@link DEMO_STAFF_PASSWORD} (a second run
 * changes nothing).
 */
export async function seedStaffAccess(storage: StoragePorts, siteId: string, options: { password?: string; now?: Date; scrypt?: ScryptParams | undefined } = {}): Promise<void> {
  const access = accessOf(storage)
  for (const role of Object.values(DEMO_ROLES)) await directoryOf(storage).putDirectoryRecord(siteId, 'role', RoleSchema.parse({ ...role, siteId }))
  const passwordHash = await hashPassword(options.password ?? DEMO_STAFF_PASSWORD, options.scrypt)
  for (const staff of DEMO_STAFF) {
    const user = UserSchema.parse({ ...staff, siteId })
    if ((await access.createUser(siteId, user)) === 'created') {
      await access.putCredential(siteId, { subject: { kind: 'user', id: user.id }, passwordHash, updatedAt: (options.now ?? new Date()).toISOString() })
    }
  }
}

/** The actor of a signed-in user (their role's permissions, their scope), read afresh on each request. */
export async function staffActor(storage: StoragePorts, siteId: string, userId: string): Promise<Actor | undefined> {
  const access = accessOf(storage)
  const user = await access.getUser(siteId, userId)
  if (!user) return undefined
  const role = await directoryOf(storage).getDirectoryRecord(siteId, 'role', user.roleId)
  return role ? actorOf(user, role) : undefined
}

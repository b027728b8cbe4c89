import { UserSchema, type User } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

const user = (siteId: string, id: string, login: string): User =>
  UserSchema.parse({ id, siteId, login, firstName: 'Anne', lastName: 'Roy', roleId: 'cashier', scope: { schoolIds: 'all', serviceIds: 'all' } })

/** Access: a staff user found by their login, by the key that keeps logins unique. @internal */
export function describeUserLogins(ctx: ConformanceContext): void {
  describe('access: users found by login', () => {
    it('finds a user by their login typed in any case with spaces around it, and nothing for a login no one has', async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const anne = user(s, 'u1', 'Anne.Roy@Mairie.fr')
      await store.createUser(s, anne)
      await store.createUser(s, user(s, 'u2', 'paul.blanc@mairie.fr'))
      expect(await store.findUserByLogin(s, 'anne.roy@mairie.fr')).toEqual(anne)
      expect(await store.findUserByLogin(s, '  ANNE.Roy@mairie.FR ')).toEqual(anne)
      expect(await store.findUserByLogin(s, 'anne.roy@mairie.f')).toBeUndefined()
      expect(await store.findUserByLogin(s, 'anne roy@mairie.fr')).toBeUndefined()
      expect(await store.findUserByLogin(s, '')).toBeUndefined()
    })

    it("never finds another site's user, even with the same login", async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const other = freshSiteId()
      await store.createUser(other, user(other, 'u1', 'anne.roy@mairie.fr'))
      expect(await store.findUserByLogin(s, 'anne.roy@mairie.fr')).toBeUndefined()
      await store.createUser(s, user(s, 'u9', 'anne.roy@mairie.fr'))
      expect((await store.findUserByLogin(s, 'anne.roy@mairie.fr'))?.id).toBe('u9')
      expect((await store.findUserByLogin(other, 'anne.roy@mairie.fr'))?.id).toBe('u1')
    })

    it('follows a login changed by putUser and forgets a deleted user, as logins are kept unique', async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const anne = user(s, 'u1', 'anne.roy@mairie.fr')
      await store.createUser(s, anne)
      const renamed = { ...anne, login: 'a.roy@mairie.fr' }
      await store.putUser(s, renamed)
      expect(await store.findUserByLogin(s, 'anne.roy@mairie.fr')).toBeUndefined()
      expect(await store.findUserByLogin(s, 'A.Roy@mairie.fr')).toEqual(renamed)
      // the old login is free again: another user takes it and is the one found
      await store.createUser(s, user(s, 'u2', 'anne.roy@mairie.fr'))
      expect((await store.findUserByLogin(s, 'anne.roy@mairie.fr'))?.id).toBe('u2')
      expect(await store.deleteUser(s, 'u1')).toBe(true)
      expect(await store.findUserByLogin(s, 'a.roy@mairie.fr')).toBeUndefined()
    })
  })
}

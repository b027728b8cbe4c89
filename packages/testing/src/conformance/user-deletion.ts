import { UserSchema, type User } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { SECRETS_AT as at, giveSecrets as give } from './access-secrets'
import { freshSiteId, need, type ConformanceContext } from './support'

const user = (siteId: string, id: string, login: string): User =>
  UserSchema.parse({ id, siteId, login, firstName: 'Claire', lastName: 'Morel', roleId: 'secretary', scope: { schoolIds: 'all', serviceIds: 'all' } })
/** Access: a user's password and tokens go with the user (issue 14, defect D4). @internal */
export function describeUserDeletion(ctx: ConformanceContext): void {
  describe('access: deleting users', () => {
    it("deletes a user's password hash and pending tokens with the user, and nothing of anyone else's", async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const other = freshSiteId()
      const claire = { kind: 'user', id: 'secretariat' } as const
      await store.createUser(s, user(s, 'secretariat', 'claire@mairie.fr'))
      await store.createUser(s, user(s, 'cashier', 'paul@mairie.fr'))
      await give(store, s, claire, 'claire', 'passwordReset')
      await give(store, s, { kind: 'user', id: 'cashier' }, 'paul', 'passwordReset')
      await give(store, s, { kind: 'guardian', id: 'secretariat' }, 'guardian', 'passwordReset') // a guardian with the same id is someone else
      await store.createUser(other, user(other, 'secretariat', 'claire@mairie.fr'))
      await give(store, other, claire, 'other-site', 'passwordReset')

      expect(await store.deleteUser(s, 'secretariat')).toBe(true)
      expect(await store.getUser(s, 'secretariat')).toBeUndefined()
      expect(await store.findUserByLogin(s, 'claire@mairie.fr')).toBeUndefined()
      expect(await store.getCredential(s, claire)).toBeUndefined()
      expect(await store.findOneTimeTokenByHash(s, 'hash-claire')).toBeUndefined()
      // the other user, the guardian with the same id and the other site keep theirs
      expect((await store.getCredential(s, { kind: 'user', id: 'cashier' }))?.passwordHash).toBe('scrypt$1024$8$1$paul$paul')
      expect((await store.findOneTimeTokenByHash(s, 'hash-paul'))?.id).toBe('t-paul')
      expect((await store.getCredential(s, { kind: 'guardian', id: 'secretariat' }))?.passwordHash).toBe('scrypt$1024$8$1$guardian$guardian')
      expect((await store.findOneTimeTokenByHash(s, 'hash-guardian'))?.id).toBe('t-guardian')
      expect((await store.getCredential(other, claire))?.passwordHash).toBe('scrypt$1024$8$1$other-site$other-site')
      expect((await store.findOneTimeTokenByHash(other, 'hash-other-site'))?.id).toBe('t-other-site')
    })

    it("gives a new user created with a deleted user's id no password and no token of the deleted user", async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const subject = { kind: 'user', id: 'secretariat' } as const
      await store.createUser(s, user(s, 'secretariat', 'claire@mairie.fr'))
      await give(store, s, subject, 'claire', 'passwordReset')
      expect(await store.deleteUser(s, 'secretariat')).toBe(true)
      expect(await store.createUser(s, user(s, 'secretariat', 'bruno@mairie.fr'))).toBe('created')
      expect(await store.getCredential(s, subject)).toBeUndefined()
      expect(await store.findOneTimeTokenByHash(s, 'hash-claire')).toBeUndefined()
      expect(await store.markOneTimeTokenUsed(s, 't-claire', at)).toBe(false)
    })

    it('creates a user without the password or token left under their id, and a replay of the creation keeps the password set since', async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const subject = { kind: 'user', id: 'secretariat' } as const
      // leftovers of a user deleted before the adapter took secrets along with users
      await give(store, s, subject, 'leftover', 'passwordReset')
      const bruno = user(s, 'secretariat', 'bruno@mairie.fr')
      expect(await store.createUser(s, bruno)).toBe('created')
      expect(await store.getCredential(s, subject)).toBeUndefined()
      expect(await store.findOneTimeTokenByHash(s, 'hash-leftover')).toBeUndefined()
      await store.putCredential(s, { subject, passwordHash: 'scrypt$1024$8$1$bruno$bruno', updatedAt: at })
      expect(await store.createUser(s, bruno)).toBe('exists')
      expect((await store.getCredential(s, subject))?.passwordHash).toBe('scrypt$1024$8$1$bruno$bruno')
    })

    it('keeps the user, their password and their token when the transaction that deleted the user rolls back', async () => {
      const storage = ctx.storage()
      const store = need(storage.access, 'access')
      const s = freshSiteId()
      const subject = { kind: 'user', id: 'secretariat' } as const
      await store.createUser(s, user(s, 'secretariat', 'claire@mairie.fr'))
      await give(store, s, subject, 'claire', 'passwordReset')
      const boom = new Error('boom')
      await expect(
        storage.transaction(s, async (tx) => {
          expect(await need(tx.access, 'access').deleteUser(s, 'secretariat')).toBe(true)
          expect(await need(tx.access, 'access').getCredential(s, subject)).toBeUndefined()
          throw boom
        }),
      ).rejects.toBe(boom)
      expect((await store.getUser(s, 'secretariat'))?.login).toBe('claire@mairie.fr')
      expect((await store.getCredential(s, subject))?.passwordHash).toBe('scrypt$1024$8$1$claire$claire')
      expect((await store.findOneTimeTokenByHash(s, 'hash-claire'))?.id).toBe('t-claire')
    })
  })
}

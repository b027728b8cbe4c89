import type { PortalAccount } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { SECRETS_AT as at, giveSecrets as give } from './access-secrets'
import { freshSiteId, need, type ConformanceContext } from './support'

const account = (siteId: string, guardianId: string, login: string): PortalAccount => ({ siteId, guardianId, login, openedAt: '2027-01-20T08:00:00.000Z' })
/** Access: a guardian's password and tokens go with their portal account. @internal */
export function describePortalAccountDeletion(ctx: ConformanceContext): void {
  describe('access: deleting portal accounts', () => {
    it("deletes a guardian's login, password hash and pending token with their portal account, and nothing of anyone else's", async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const other = freshSiteId()
      const marie = { kind: 'guardian', id: 'marie' } as const
      await store.putPortalAccount(s, account(s, 'marie', 'marie@example.fr'))
      await store.putPortalAccount(s, account(s, 'paul', 'paul@example.fr'))
      await give(store, s, marie, 'marie', 'firstLogin')
      await give(store, s, { kind: 'guardian', id: 'paul' }, 'paul', 'firstLogin')
      await give(store, s, { kind: 'user', id: 'marie' }, 'user', 'firstLogin') // a user with the same id is someone else
      await store.putPortalAccount(other, account(other, 'marie', 'marie@example.fr'))
      await give(store, other, marie, 'other-site', 'firstLogin')

      expect(await store.deletePortalAccount(s, 'marie')).toBe(true)
      expect(await store.getPortalAccount(s, 'marie')).toBeUndefined()
      expect(await store.findPortalAccountByLogin(s, 'marie@example.fr')).toBeUndefined()
      expect(await store.getCredential(s, marie)).toBeUndefined()
      expect(await store.findOneTimeTokenByHash(s, 'hash-marie')).toBeUndefined()
      expect(await store.markOneTimeTokenUsed(s, 't-marie', at)).toBe(false)
      // the other guardian, the user with the same id and the other site keep theirs
      expect((await store.getCredential(s, { kind: 'guardian', id: 'paul' }))?.passwordHash).toBe('scrypt$1024$8$1$paul$paul')
      expect((await store.findOneTimeTokenByHash(s, 'hash-paul'))?.id).toBe('t-paul')
      expect((await store.findPortalAccountByLogin(s, 'paul@example.fr'))?.guardianId).toBe('paul')
      expect((await store.getCredential(s, { kind: 'user', id: 'marie' }))?.passwordHash).toBe('scrypt$1024$8$1$user$user')
      expect((await store.findOneTimeTokenByHash(s, 'hash-user'))?.id).toBe('t-user')
      expect((await store.getPortalAccount(other, 'marie'))?.login).toBe('marie@example.fr')
      expect((await store.getCredential(other, marie))?.passwordHash).toBe('scrypt$1024$8$1$other-site$other-site')
      expect((await store.findOneTimeTokenByHash(other, 'hash-other-site'))?.id).toBe('t-other-site')
    })

    it('answers false when the guardian had no account, and deletes the password and token left under their id all the same', async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const subject = { kind: 'guardian', id: 'marie' } as const
      await give(store, s, subject, 'leftover', 'firstLogin')
      expect(await store.deletePortalAccount(s, 'marie')).toBe(false)
      expect(await store.getCredential(s, subject)).toBeUndefined()
      expect(await store.findOneTimeTokenByHash(s, 'hash-leftover')).toBeUndefined()
    })

    it('opens an account again for the same guardian without the password or token they had', async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const subject = { kind: 'guardian', id: 'marie' } as const
      await store.putPortalAccount(s, account(s, 'marie', 'marie@example.fr'))
      await give(store, s, subject, 'marie', 'firstLogin')
      expect(await store.deletePortalAccount(s, 'marie')).toBe(true)
      await store.putPortalAccount(s, account(s, 'marie', 'marie@example.fr'))
      expect((await store.findPortalAccountByLogin(s, 'marie@example.fr'))?.guardianId).toBe('marie')
      expect(await store.getCredential(s, subject)).toBeUndefined()
      expect(await store.findOneTimeTokenByHash(s, 'hash-marie')).toBeUndefined()
    })

    it('keeps the account, its password and its token when the transaction that deleted the account rolls back', async () => {
      const storage = ctx.storage()
      const store = need(storage.access, 'access')
      const s = freshSiteId()
      const subject = { kind: 'guardian', id: 'marie' } as const
      await store.putPortalAccount(s, account(s, 'marie', 'marie@example.fr'))
      await give(store, s, subject, 'marie', 'firstLogin')
      const boom = new Error('boom')
      await expect(
        storage.transaction(s, async (tx) => {
          expect(await need(tx.access, 'access').deletePortalAccount(s, 'marie')).toBe(true)
          expect(await need(tx.access, 'access').getCredential(s, subject)).toBeUndefined()
          expect(await need(tx.access, 'access').findOneTimeTokenByHash(s, 'hash-marie')).toBeUndefined()
          throw boom
        }),
      ).rejects.toBe(boom)
      expect((await store.findPortalAccountByLogin(s, 'marie@example.fr'))?.guardianId).toBe('marie')
      expect((await store.getCredential(s, subject))?.passwordHash).toBe('scrypt$1024$8$1$marie$marie')
      expect((await store.findOneTimeTokenByHash(s, 'hash-marie'))?.id).toBe('t-marie')
    })
  })
}

import { MailAccountSchema, type MailAccount } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * Mail accounts are a kind of the directory's record port (`mailAccount`), not methods of their
 * own: stored, replaced, read by id and in batches, listed by id, deleted; each site sees only its
 * own. @internal
 */
export function describeDirectoryMailAccounts(ctx: ConformanceContext): void {
  describe('directory: mail accounts (kind mailAccount)', () => {
    it('stores mail accounts (establishment with its authorised staff, personal), replaces, lists by id, deletes; another site sees none', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      const secretariat: MailAccount = MailAccountSchema.parse({ kind: 'establishment', id: 'secretariat', siteId: site, name: 'Secrétariat', address: 'secretariat@lycee.fr', senderName: 'Secrétariat du lycée', authorisedUserIds: ['u2', 'u1'] })
      const personal: MailAccount = MailAccountSchema.parse({ kind: 'personal', id: 'perso-u1', siteId: site, name: 'Élise Martin', address: 'e.martin@lycee.fr', senderName: 'Élise Martin', ownerUserId: 'u1' })
      expect(await store.putDirectoryRecord(site, 'mailAccount', secretariat)).toBe('created')
      expect(await store.putDirectoryRecord(site, 'mailAccount', personal)).toBe('created')
      const narrowed = { ...secretariat, authorisedUserIds: ['u2'] }
      expect(await store.putDirectoryRecord(site, 'mailAccount', narrowed)).toBe('updated')
      expect(await store.getDirectoryRecord(site, 'mailAccount', 'secretariat')).toEqual(narrowed)
      expect([...(await store.getDirectoryRecords(site, 'mailAccount', ['secretariat', 'ghost', 'perso-u1'])).keys()].sort()).toEqual(['perso-u1', 'secretariat'])
      expect((await store.listDirectoryRecords(site, 'mailAccount')).items).toEqual([personal, narrowed])
      expect((await store.listDirectoryRecords(freshSiteId(), 'mailAccount')).items).toEqual([])
      expect(await store.getDirectoryRecord(freshSiteId(), 'mailAccount', 'secretariat')).toBeUndefined()
      expect(await store.deleteDirectoryRecord(site, 'mailAccount', 'perso-u1')).toBe(true)
      expect(await store.deleteDirectoryRecord(site, 'mailAccount', 'perso-u1')).toBe(false)
      expect((await store.listDirectoryRecords(site, 'mailAccount')).items).toEqual([narrowed])
    })
  })
}

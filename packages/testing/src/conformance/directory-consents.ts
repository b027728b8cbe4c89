import { defineConsent, isEcoleError, type ConsentRecord } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

const at = new Date('2026-08-30T18:00:00.000Z')

/**
 * Consents as a kind of the directory's record port (`consent`, built by `defineConsent`), and
 * the paging of one consent's acceptances on the booking port (`afterGuardianId`, `limit`). @internal
 */
export function describeDirectoryConsents(ctx: ConformanceContext): void {
  describe('directory: consents (kind consent)', () => {
    it('stores consents, replaces one with a new version, lists by id, deletes; another site sees none', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      const rules: ConsentRecord = defineConsent({
        id: 'rules', siteId: s, label: 'Règlement intérieur', texts: { fr: "J'accepte le règlement.", nl: 'Ik aanvaard het reglement.' },
        validity: { from: '2026-09-01', to: '2027-07-03' }, scope: { kind: 'services', serviceIds: ['cantine'] }, documentId: 'doc-rules',
      })
      const photos: ConsentRecord = defineConsent({ id: 'photos', siteId: s, label: 'Photos', texts: { fr: 'Droit à l’image.' }, validity: { from: '2026-09-01' }, scope: { kind: 'groups', groupIds: ['cp-a'] } })
      expect(await store.putDirectoryRecord(s, 'consent', rules)).toBe('created')
      expect(await store.putDirectoryRecord(s, 'consent', photos)).toBe('created')
      const v2: ConsentRecord = { ...rules, texts: { fr: 'Nouveau règlement.' }, version: 2 }
      expect(await store.putDirectoryRecord(s, 'consent', v2)).toBe('updated')
      expect(await store.getDirectoryRecord(s, 'consent', 'rules')).toEqual(v2)
      expect((await store.listDirectoryRecords(s, 'consent')).items.map((r) => r.id)).toEqual(['photos', 'rules'])
      expect(await store.getDirectoryRecord(freshSiteId(), 'consent', 'rules')).toBeUndefined()
      expect(await store.deleteDirectoryRecord(s, 'consent', 'photos')).toBe(true)
      expect(await store.getDirectoryRecord(s, 'consent', 'photos')).toBeUndefined()
    })

    it("pages one consent's acceptances by guardian id (afterGuardianId, limit), and refuses paging without a consent", async () => {
      const store = need(ctx.storage().bookings, 'bookings')
      const site = freshSiteId()
      for (const g of ['g3', 'g1', 'g5', 'g2', 'g4']) await store.acceptConsent(site, { consentId: 'rules', guardianId: g, acceptedAt: at })
      await store.acceptConsent(site, { consentId: 'rules~v2', guardianId: 'g1', acceptedAt: at })
      const ids = async (f: Parameters<typeof store.listConsentAcceptances>[1]) => (await store.listConsentAcceptances(site, f)).map((a) => a.guardianId)
      expect(await ids({ consentId: 'rules', limit: 2 })).toEqual(['g1', 'g2'])
      expect(await ids({ consentId: 'rules', afterGuardianId: 'g2', limit: 2 })).toEqual(['g3', 'g4'])
      expect(await ids({ consentId: 'rules', afterGuardianId: 'g4', limit: 2 })).toEqual(['g5'])
      expect(await ids({ consentId: 'rules', afterGuardianId: 'g5' })).toEqual([])
      expect(await ids({ consentId: 'rules~v2', limit: 10 })).toEqual(['g1'])
      const refused = async (f: Parameters<typeof store.listConsentAcceptances>[1]) => {
        try {
          await store.listConsentAcceptances(site, f)
        } catch (error) {
          return isEcoleError(error, 'INVALID_INPUT') ? error.details.issues[0]?.path : String(error)
        }
        return 'not refused'
      }
      expect(await refused({ limit: 2 })).toBe('filter.consentId')
      expect(await refused({ consentId: 'rules', limit: 0 })).toBe('filter.limit')
      expect(await refused({ consentId: 'rules', limit: 1001 })).toBe('filter.limit')
    })
  })
}

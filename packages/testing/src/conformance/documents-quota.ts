import { PortalDocumentSchema, checkStorageQuota, isEcoleError, type DocumentAudience, type DocumentFilter, type PortalDocument } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

const doc = (siteId: string, id: string, audience: DocumentAudience, size = 1): PortalDocument =>
  PortalDocumentSchema.parse({ id, siteId, name: id, key: `${siteId}/${id}`, mediaType: 'application/pdf', sizeBytes: size, audience, available: { from: '2026-09-01' } })

/**
 * Documents: listings filtered by audience (a family's file, group documents) in id order and
 * paginated, an unknown filter key refused; `lockDocumentQuota` serialising concurrent uploads of
 * a site, so a quota checked after it holds. @internal
 */
export function describeDocumentsQuota(ctx: ConformanceContext): void {
  describe('documents: filters and the quota lock', () => {
    it('lists a family file (its guardians and children) or the documents of some audience kinds, in id order, page by page', async () => {
      const store = need(ctx.storage().documents, 'documents')
      const s = freshSiteId()
      const bytes = new Uint8Array([1])
      const docs = [
        doc(s, 'a-g1', { kind: 'guardian', guardianId: 'g1' }), doc(s, 'b-k1', { kind: 'child', childId: 'k1' }), doc(s, 'c-g2', { kind: 'guardian', guardianId: 'g2' }),
        doc(s, 'd-site', { kind: 'site' }), doc(s, 'e-groups', { kind: 'groups', groupIds: ['cp'] }), doc(s, 'f-logo', { kind: 'internal' }), doc(s, 'g-g1', { kind: 'guardian', guardianId: 'g1' }),
      ]
      for (const d of docs) await store.putDocument(s, d, bytes)
      const family: DocumentFilter = { addressedTo: { guardianIds: ['g1'], childIds: ['k1'] } }
      const first = await store.listDocuments(s, { limit: 2 }, family)
      expect(first.items.map((d) => d.id)).toEqual(['a-g1', 'b-k1'])
      const second = await store.listDocuments(s, { limit: 2, after: first.next! }, family)
      expect(second.items.map((d) => d.id)).toEqual(['g-g1'])
      expect(second.next).toBeUndefined()
      expect((await store.listDocuments(s, { limit: 10 }, { audienceKinds: ['site', 'groups'] })).items.map((d) => d.id)).toEqual(['d-site', 'e-groups'])
      expect((await store.listDocuments(s, { limit: 10 }, { audienceKinds: ['child'], ...family })).items.map((d) => d.id)).toEqual(['b-k1'])
      expect((await store.listDocuments(s, { limit: 10 }, { addressedTo: { guardianIds: [], childIds: [] } })).items).toEqual([])
      expect((await store.listDocuments(s, { limit: 10 })).items).toHaveLength(docs.length)
      const refused = await store.listDocuments(s, {}, { guardianId: 'g1' } as unknown as DocumentFilter).then(() => undefined, (e: unknown) => e)
      expect(isEcoleError(refused, 'INVALID_INPUT')).toBe(true)
      expect((refused as Error).message).toContain('filter.guardianId')
      const badKind = await store.listDocuments(s, {}, { audienceKinds: ['family'] } as unknown as DocumentFilter).then(() => undefined, (e: unknown) => e)
      expect(isEcoleError(badKind, 'INVALID_INPUT')).toBe(true)
    })

    it('never lets concurrent uploads that each fit but not together all in: with room for 3, N at once store 3', async () => {
      const storage = ctx.storage()
      need(storage.documents, 'documents')
      const s = freshSiteId()
      const n = Math.max(4, ctx.concurrency)
      const outcomes = await Promise.all(Array.from({ length: n }, (_, i) => storage.transaction(s, async (tx) => {
        await tx.documents!.lockDocumentQuota(s)
        const used = await tx.documents!.usedBytes(s)
        if (!checkStorageQuota({ usedBytes: used, addedBytes: 10, maxStorageGb: 30 / 1e9 }).ok) return 'refused'
        await tx.documents!.putDocument(s, doc(s, `d${i}`, { kind: 'site' }, 10), new Uint8Array(10))
        return 'stored'
      })))
      expect(outcomes.filter((o) => o === 'stored')).toHaveLength(3)
      expect(await storage.documents!.usedBytes(s)).toBe(30)
    })
  })
}

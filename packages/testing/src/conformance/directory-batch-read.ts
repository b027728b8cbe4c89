import { isEcoleError, type Child, type Guardian } from '@ecole/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

// The stores keep records whole and opaque: these fixtures carry the fields the contract relies on.
const guardian = (siteId: string, id: string, lastName = 'Dupont') => ({ id, siteId, firstName: 'Marie', lastName }) as unknown as Guardian
const child = (siteId: string, id: string) => ({ id, siteId, firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14', guardians: [] }) as unknown as Child

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (error: unknown) => error,
  )
}

/** Directory: many records of a kind read at once by id (`getDirectoryRecords`). @internal */
export function describeDirectoryBatchRead(ctx: ConformanceContext): void {
  describe('directory: many records by id', () => {
    it('answers the records found by id, leaves out the ids with no record of that kind, and answers an id given twice once', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'paul', 'Martin'))
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'marie'))
      await store.putDirectoryRecord(s, 'child', child(s, 'lea'))
      const found = await store.getDirectoryRecords(s, 'guardian', ['paul', 'nobody', 'lea', 'paul', 'marie'])
      expect(new Map([...found].sort((a, b) => (a[0] < b[0] ? -1 : 1)))).toEqual(new Map([['marie', guardian(s, 'marie')], ['paul', guardian(s, 'paul', 'Martin')]]))
      expect([...(await store.getDirectoryRecords(s, 'child', ['lea', 'paul'])).keys()]).toEqual(['lea'])
    })

    it('answers an empty map for an empty list and for ids of which none is stored', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'paul'))
      expect((await store.getDirectoryRecords(s, 'guardian', [])).size).toBe(0)
      expect((await store.getDirectoryRecords(s, 'guardian', ['anne', 'luc'])).size).toBe(0)
      expect((await store.getDirectoryRecords(freshSiteId(), 'guardian', ['paul'])).size).toBe(0)
    })

    it('never answers a record of another site, even when both sites use the same ids', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const a = freshSiteId()
      const b = freshSiteId()
      await store.putDirectoryRecord(a, 'guardian', guardian(a, 'paul', 'Martin'))
      await store.putDirectoryRecord(b, 'guardian', guardian(b, 'paul', 'Rossi'))
      await store.putDirectoryRecord(b, 'guardian', guardian(b, 'anne'))
      const fromA = await store.getDirectoryRecords(a, 'guardian', ['paul', 'anne'])
      expect([...fromA.keys()]).toEqual(['paul'])
      expect(fromA.get('paul')).toEqual(guardian(a, 'paul', 'Martin'))
      for (const g of fromA.values()) expect(g.siteId).toBe(a)
    })

    it('answers copies: changing what it answered changes nothing stored', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'paul'))
      const first = await store.getDirectoryRecords(s, 'guardian', ['paul'])
      ;(first.get('paul') as { lastName: string }).lastName = 'Changed'
      expect((await store.getDirectoryRecords(s, 'guardian', ['paul'])).get('paul')).toEqual(guardian(s, 'paul'))
    })

    it('reads 1,000 ids in one call and refuses 1,001 with INVALID_INPUT naming ids', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      await store.putDirectoryRecord(s, 'guardian', guardian(s, 'g-0999'))
      const ids = Array.from({ length: 1000 }, (_, i) => `g-${String(i).padStart(4, '0')}`)
      expect([...(await store.getDirectoryRecords(s, 'guardian', ids)).keys()]).toEqual(['g-0999'])
      const refused = await errorOf(store.getDirectoryRecords(s, 'guardian', [...ids, 'g-1000']))
      expect(isEcoleError(refused, 'INVALID_INPUT')).toBe(true)
      expect((refused as Error).message).toMatch(/\bids\b.*1000/)
      const notString = await errorOf(store.getDirectoryRecords(s, 'guardian', ['g-0999', 42 as unknown as string]))
      expect(isEcoleError(notString, 'INVALID_INPUT')).toBe(true)
      expect((notString as Error).message).toMatch(/\bids\b/)
    })

    it('sees the records written earlier in the same transaction', async () => {
      const storage = ctx.storage()
      const s = freshSiteId()
      const seen = await storage.transaction(s, async (tx) => {
        const directory = need(tx.directory, 'directory')
        await directory.putDirectoryRecord(s, 'guardian', guardian(s, 'paul'))
        return directory.getDirectoryRecords(s, 'guardian', ['paul'])
      })
      expect([...seen.keys()]).toEqual(['paul'])
    })

    it('answers for any list of ids what reading each id alone answers (property)', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      const other = freshSiteId()
      const stored = ['a', 'b', 'c', 'd', 'e']
      for (const id of stored) await store.putDirectoryRecord(s, 'guardian', guardian(s, id, id.toUpperCase()))
      await store.putDirectoryRecord(other, 'guardian', guardian(other, 'x'))
      await store.putDirectoryRecord(s, 'child', child(s, 'y'))
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'x', 'y', 'z'), { maxLength: 12 }), async (ids) => {
          const found = await store.getDirectoryRecords(s, 'guardian', ids)
          const expected = new Map<string, Guardian>()
          for (const id of ids) {
            const g = await store.getDirectoryRecord(s, 'guardian', id)
            if (g !== undefined) expected.set(id, g)
          }
          expect(new Map([...found].sort((p, q) => (p[0] < q[0] ? -1 : 1)))).toEqual(new Map([...expected].sort((p, q) => (p[0] < q[0] ? -1 : 1))))
        }),
        { numRuns: ctx.numRuns },
      )
    })
  })
}

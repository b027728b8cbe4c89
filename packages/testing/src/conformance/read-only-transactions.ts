import { HouseholdSchema } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * Transactions: `{ readOnly: true }` (a callback that says it only reads) reads what is committed,
 * and a write made in it all the same still commits, or rolls back, with the callback's other
 * writes (issue 17: the portal's pages read without a BEGIN/COMMIT round trip). @internal
 */
export function describeReadOnlyTransactions(ctx: ConformanceContext): void {
  describe('transactions: a callback that says it only reads', () => {
    it('reads what is committed, and writes made all the same commit together, or roll back together when the callback throws', async () => {
      const storage = ctx.storage()
      const directory = need(storage.directory, 'directory')
      const s = freshSiteId()
      const household = (id: string, name: string) => HouseholdSchema.parse({ id, siteId: s, name })
      await directory.putDirectoryRecord(s, 'household', household('h1', 'Famille Martin'))
      const read = await storage.transaction(s, async (tx) => (await tx.directory!.getDirectoryRecord(s, 'household', 'h1'))?.name, { readOnly: true })
      expect(read).toBe('Famille Martin')
      // a read, then two writes: both commit
      await storage.transaction(s, async (tx) => {
        expect(await tx.directory!.getDirectoryRecord(s, 'household', 'h2')).toBeUndefined()
        await tx.directory!.putDirectoryRecord(s, 'household', household('h2', 'Famille Dubois'))
        await tx.directory!.putDirectoryRecord(s, 'household', household('h1', 'Famille Martin-Dubois'))
      }, { readOnly: true })
      expect((await directory.getDirectoryRecord(s, 'household', 'h1'))?.name).toBe('Famille Martin-Dubois')
      expect((await directory.getDirectoryRecord(s, 'household', 'h2'))?.name).toBe('Famille Dubois')
      // a read, two writes, then the callback fails: neither write is kept
      const failed = storage.transaction(s, async (tx) => {
        await tx.directory!.getDirectoryRecord(s, 'household', 'h1')
        await tx.directory!.putDirectoryRecord(s, 'household', household('h3', 'Famille Leroy'))
        await tx.directory!.putDirectoryRecord(s, 'household', household('h1', 'Famille Leroy-Martin'))
        throw new Error('the callback failed')
      }, { readOnly: true })
      await expect(failed).rejects.toThrow('the callback failed')
      expect(await directory.getDirectoryRecord(s, 'household', 'h3')).toBeUndefined()
      expect((await directory.getDirectoryRecord(s, 'household', 'h1'))?.name).toBe('Famille Martin-Dubois')
    })
  })
}

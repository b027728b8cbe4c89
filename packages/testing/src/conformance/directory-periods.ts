import { definePeriod, periodsOf, type PeriodRecord } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * Periods are a kind of the directory's record port (`period`): stored whole as `definePeriod`
 * gives them (scopes, classes, origin), replaced when edited, listed in id order, deleted; a
 * transaction that fails stores none; each site sees only its own. @internal
 */
export function describeDirectoryPeriods(ctx: ConformanceContext): void {
  describe('directory: periods (kind period)', () => {
    it('stores closures and openings whole, replaces an edited one, lists by id, deletes; another site sees none', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const s = freshSiteId()
      const winter: PeriodRecord = definePeriod({
        id: 'FR-C-2027-02-20', siteId: s, kind: 'closure', label: "Vacances d'hiver 2026-2027", colour: '#5fb3d9', from: '2027-02-20', to: '2027-03-07',
        scopes: [], generatedFrom: { zone: 'FR-C', schoolYear: '2026-2027' },
      })
      const centre: PeriodRecord = definePeriod({ id: 'centre-hiver', siteId: s, kind: 'opening', label: 'Centre de loisirs', from: '2027-02-22', to: '2027-03-05', scopes: [{ serviceId: 'centre' }] })
      expect(await store.putDirectoryRecord(s, 'period', winter)).toBe('created')
      expect(await store.putDirectoryRecord(s, 'period', centre)).toBe('created')
      // linking services and classes to a generated period ("périodes sans prestations") is putting it back
      const linked = definePeriod({ ...winter, scopes: [{ serviceId: 'canteen', schoolId: 'jaures', classIds: ['cp-a', 'ce1'] }, { serviceId: 'care' }] })
      expect(await store.putDirectoryRecord(s, 'period', linked)).toBe('updated')
      expect(await store.getDirectoryRecord(s, 'period', winter.id)).toEqual(linked)
      const listed = (await store.listDirectoryRecords(s, 'period')).items
      expect(listed.map((p) => p.id)).toEqual(['FR-C-2027-02-20', 'centre-hiver'])
      expect(periodsOf(listed).map((p) => p.id)).toEqual(['FR-C-2027-02-20', 'centre-hiver'])
      expect((await store.listDirectoryRecords(freshSiteId(), 'period')).items).toEqual([])
      expect(await store.deleteDirectoryRecord(s, 'period', centre.id)).toBe(true)
      expect(await store.deleteDirectoryRecord(s, 'period', centre.id)).toBe(false)
      expect((await store.listDirectoryRecords(s, 'period')).items).toEqual([linked])
    })

    it('writes no period of a transaction that fails', async () => {
      const storage = ctx.storage()
      const s = freshSiteId()
      const strike = definePeriod({ id: 'strike', siteId: s, kind: 'closure', label: 'Grève', from: '2027-03-12', to: '2027-03-12', scopes: [{ serviceId: 'canteen' }] })
      await expect(storage.transaction(s, async (tx) => {
        await need(tx.directory, 'directory').putDirectoryRecord(s, 'period', strike)
        throw new Error('the bookings could not be cancelled')
      })).rejects.toThrow('the bookings could not be cancelled')
      expect(await need(storage.directory, 'directory').getDirectoryRecord(s, 'period', 'strike')).toBeUndefined()
    })
  })
}

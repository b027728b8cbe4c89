import { isEcoleError, type SepaMandate } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * SEPA mandates are a kind of the directory's record port (`sepaMandate`), read by debtor with
 * `listSepaMandatesOf`: a put replaces the mandate (a new version), the debtors' mandates come in
 * id order, each site sees only its own, and each keeps the billing office it was signed with. @internal
 */
export function describeDirectorySepaMandates(ctx: ConformanceContext): void {
  describe('directory: SEPA mandates (kind sepaMandate)', () => {
    const mandate = (site: string, id: string, debtorId: string): SepaMandate => ({
      id, siteId: site, debtorId, rum: `RUM-${id}`, signatureDate: '2025-09-01', debtorName: 'Martin', iban: 'FR7630006000011234567890189',
      bic: null, recurrence: 'recurrent', nextSequence: 'FRST', lastCollectionDate: null, status: 'active', amendments: [],
    })

    it('replaces a mandate by id and lists the mandates of the debtors asked, in id order, each once; another site sees none', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      const m1 = mandate(site, 'm1', 'g-1')
      expect(await store.putDirectoryRecord(site, 'sepaMandate', m1)).toBe('created')
      const collected: SepaMandate = { ...m1, nextSequence: 'RCUR', lastCollectionDate: '2026-04-05' }
      expect(await store.putDirectoryRecord(site, 'sepaMandate', collected)).toBe('updated')
      await store.putDirectoryRecord(site, 'sepaMandate', mandate(site, 'm3', 'g-1'))
      await store.putDirectoryRecord(site, 'sepaMandate', mandate(site, 'm2', 'g-2'))
      expect(await store.listSepaMandatesOf(site, ['g-1'])).toEqual([collected, mandate(site, 'm3', 'g-1')])
      expect((await store.listSepaMandatesOf(site, ['g-2', 'g-1', 'g-2', 'nobody'])).map((m) => m.id)).toEqual(['m1', 'm2', 'm3'])
      expect(await store.listSepaMandatesOf(site, [])).toEqual([])
      expect(await store.listSepaMandatesOf(freshSiteId(), ['g-1'])).toEqual([])
      expect((await store.listDirectoryRecords(site, 'sepaMandate')).items.map((m) => m.id)).toEqual(['m1', 'm2', 'm3'])
      expect(await store.getDirectoryRecord(site, 'sepaMandate', 'm1')).toEqual(collected)
    })

    it('keeps the billing office a mandate was signed with, and stores a mandate without one (stored before it was recorded) without the key', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      const ofCreche: SepaMandate = { ...mandate(site, 'm1', 'g-1'), billingOfficeId: 'creche' }
      const older = mandate(site, 'm2', 'g-1')
      await store.putDirectoryRecord(site, 'sepaMandate', ofCreche)
      await store.putDirectoryRecord(site, 'sepaMandate', older)
      const listed = await store.listSepaMandatesOf(site, ['g-1'])
      expect(listed).toEqual([ofCreche, older])
      expect(listed.map((m) => m.billingOfficeId)).toEqual(['creche', undefined])
      expect((await store.getDirectoryRecord(site, 'sepaMandate', 'm1'))?.billingOfficeId).toBe('creche')
    })

    it('refuses more than 1,000 debtors or a debtor that is not a string with INVALID_INPUT naming debtorIds', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      const refusal = async (ids: unknown[]) => store.listSepaMandatesOf(site, ids as string[]).then(() => undefined, (e: unknown) => e)
      const tooMany = await refusal(Array.from({ length: 1001 }, (_, i) => `g-${i}`))
      expect(isEcoleError(tooMany) && tooMany.code).toBe('INVALID_INPUT')
      expect((tooMany as Error).message).toContain('debtorIds')
      const notString = await refusal(['g-1', 7])
      expect(isEcoleError(notString) && notString.code).toBe('INVALID_INPUT')
      expect((notString as Error).message).toContain('debtorIds[1]')
    })
  })
}

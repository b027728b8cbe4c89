import { isEcoleError, type Enrolment, type LocalDate, type ServiceSubscription } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/**
 * `listDirectoryRecordsOf`: the enrolments or service rights of some children, in id order, each
 * once, without the other children's records and without another site's. @internal
 */
export function describeDirectoryRecordsOf(ctx: ConformanceContext): void {
  describe('directory: the enrolments and service rights of some children (listDirectoryRecordsOf)', () => {
    const enrolment = (site: string, id: string, beneficiaryId: string, from: LocalDate = '2026-09-01'): Enrolment => ({ id, siteId: site, beneficiaryId, beneficiaryKind: 'child', schoolId: 'sc1', classId: 'cp', from })
    const right = (site: string, id: string, beneficiaryId: string, serviceId: string): ServiceSubscription => ({ id, siteId: site, beneficiaryId, serviceId, from: '2026-09-01' })

    it('answers the records of the kind asked of the children asked, in id order, each once; other children, kinds and sites are left out', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      await store.putDirectoryRecord(site, 'enrolment', enrolment(site, 'e3', 'lea', '2027-09-01'))
      await store.putDirectoryRecord(site, 'enrolment', enrolment(site, 'e1', 'lea'))
      await store.putDirectoryRecord(site, 'enrolment', enrolment(site, 'e2', 'tom'))
      await store.putDirectoryRecord(site, 'enrolment', enrolment(site, 'e4', 'zoe'))
      await store.putDirectoryRecord(site, 'subscription', right(site, 's1', 'lea', 'lunch'))
      await store.putDirectoryRecord(site, 'subscription', right(site, 's2', 'zoe', 'lunch'))
      const other = freshSiteId()
      await store.putDirectoryRecord(other, 'enrolment', enrolment(other, 'e0', 'lea'))

      expect(await store.listDirectoryRecordsOf(site, 'enrolment', ['lea'])).toEqual([enrolment(site, 'e1', 'lea'), enrolment(site, 'e3', 'lea', '2027-09-01')])
      expect((await store.listDirectoryRecordsOf(site, 'enrolment', ['tom', 'lea', 'tom', 'nobody'])).map((e) => e.id)).toEqual(['e1', 'e2', 'e3'])
      expect(await store.listDirectoryRecordsOf(site, 'subscription', ['lea', 'tom'])).toEqual([right(site, 's1', 'lea', 'lunch')])
      expect(await store.listDirectoryRecordsOf(site, 'enrolment', [])).toEqual([])
      expect((await store.listDirectoryRecordsOf(other, 'enrolment', ['lea', 'tom'])).map((e) => e.id)).toEqual(['e0'])
      expect(await store.listDirectoryRecordsOf(freshSiteId(), 'enrolment', ['lea'])).toEqual([])
    })

    it('sees a record replaced or deleted in the same transaction', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      await store.putDirectoryRecord(site, 'enrolment', enrolment(site, 'e1', 'lea'))
      const seen = await ctx.storage().transaction(site, async (tx) => {
        const d = need(tx.directory, 'directory')
        await d.putDirectoryRecord(site, 'enrolment', { ...enrolment(site, 'e1', 'tom') })
        await d.putDirectoryRecord(site, 'enrolment', enrolment(site, 'e2', 'lea'))
        await d.deleteDirectoryRecord(site, 'enrolment', 'e2')
        return { lea: await d.listDirectoryRecordsOf(site, 'enrolment', ['lea']), tom: await d.listDirectoryRecordsOf(site, 'enrolment', ['tom']) }
      })
      expect(seen.lea).toEqual([])
      expect(seen.tom.map((e) => e.id)).toEqual(['e1'])
    })

    it('refuses more than 1,000 children, a child that is not a string, or another kind, with INVALID_INPUT naming the field', async () => {
      const store = need(ctx.storage().directory, 'directory')
      const site = freshSiteId()
      const refusal = async (kind: string, ids: unknown[]) => store.listDirectoryRecordsOf(site, kind as 'enrolment', ids as string[]).then(() => undefined, (e: unknown) => e)
      const tooMany = await refusal('enrolment', Array.from({ length: 1001 }, (_, i) => `c-${i}`))
      expect(isEcoleError(tooMany) && tooMany.code).toBe('INVALID_INPUT')
      expect((tooMany as Error).message).toContain('beneficiaryIds')
      const notString = await refusal('subscription', ['c-1', 7])
      expect(isEcoleError(notString) && notString.code).toBe('INVALID_INPUT')
      expect((notString as Error).message).toContain('beneficiaryIds[1]')
      const otherKind = await refusal('child', ['c-1'])
      expect(isEcoleError(otherKind) && otherKind.code).toBe('INVALID_INPUT')
      expect((otherKind as Error).message).toContain('kind')
    })
  })
}

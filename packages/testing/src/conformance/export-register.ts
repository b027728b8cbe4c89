import { isEcoleError, type ExportRecord } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/** The error a promise rejects with (the test fails when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('[ecole] expected a rejection, got a result')
}

/** The export register: once per format, re-issues that name what they correct, one winner of a race. @internal */
export function describeExportRegister(ctx: ConformanceContext): void {
  describe('export register', () => {
    const record = (id: string, itemKeys: string[], extra: Partial<ExportRecord> = {}): ExportRecord => ({
      id, format: 'pes-v2', itemKeys, file: { id: `${id}.xml`, checksum: `sha256:${id}` }, exportedAt: '2027-02-01T09:00:00.000Z', exportedBy: 'user-1', ...extra,
    })

    it('records an export once: a replay with the same content is a no-op, one with other content an IDEMPOTENCY_CONFLICT', async () => {
      const store = need(ctx.storage().exportRegister, 'exportRegister')
      const site = freshSiteId()
      const r = record('exp-1', ['inv-2', 'inv-1'])
      expect(await store.createExport(site, r)).toBe('created')
      expect(await store.createExport(site, r)).toBe('exists')
      const conflict = await rejection(store.createExport(site, { ...r, file: { id: 'other.xml', checksum: 'sha256:x' } }))
      expect(isEcoleError(conflict, 'IDEMPOTENCY_CONFLICT')).toBe(true)
      expect(await store.getExport(site, 'exp-1')).toEqual(r)
      expect(await store.getExport(freshSiteId(), 'exp-1')).toBeUndefined()
      expect(await store.currentExports(site, 'pes-v2', ['inv-1', 'inv-2', 'inv-3'])).toEqual(new Map([['inv-1', 'exp-1'], ['inv-2', 'exp-1']]))
      expect(await store.currentExports(freshSiteId(), 'pes-v2', ['inv-1'])).toEqual(new Map())
    })

    it('never exports an item twice in one format: ALREADY_EXPORTED names it, and nothing of the refused export is stored', async () => {
      const store = need(ctx.storage().exportRegister, 'exportRegister')
      const site = freshSiteId()
      await store.createExport(site, record('exp-1', ['inv-1', 'inv-2']))
      const error = await rejection(store.createExport(site, record('exp-2', ['inv-3', 'inv-2'])))
      expect(isEcoleError(error, 'ALREADY_EXPORTED')).toBe(true)
      expect(isEcoleError(error) && error.details['items']).toEqual([{ itemKey: 'inv-2', exportId: 'exp-1' }])
      expect(await store.getExport(site, 'exp-2')).toBeUndefined()
      expect(await store.currentExports(site, 'pes-v2', ['inv-3'])).toEqual(new Map())
      // the same item in another format is another export
      expect(await store.createExport(site, record('fec-1', ['inv-2'], { format: 'fec' }))).toBe('created')
      expect(await store.createExport(site, record('exp-3', ['inv-3']))).toBe('created')
    })

    it('re-issues items only from their current export; the re-issue becomes current and the old export cannot be corrected again', async () => {
      const store = need(ctx.storage().exportRegister, 'exportRegister')
      const site = freshSiteId()
      await store.createExport(site, record('exp-1', ['inv-1', 'inv-2']))
      const fix = record('exp-2', ['inv-2'], { reissue: { corrects: 'exp-1', reason: 'wrong amount' } })
      expect(await store.createExport(site, fix)).toBe('created')
      expect(await store.currentExports(site, 'pes-v2', ['inv-1', 'inv-2'])).toEqual(new Map([['inv-1', 'exp-1'], ['inv-2', 'exp-2']]))
      const stale = await rejection(store.createExport(site, record('exp-3', ['inv-2'], { reissue: { corrects: 'exp-1', reason: 'again' } })))
      expect(isEcoleError(stale, 'REISSUE_NOT_CURRENT')).toBe(true)
      expect(isEcoleError(stale) && stale.details['items']).toEqual([{ itemKey: 'inv-2', exportId: 'exp-2' }])
      const never = await rejection(store.createExport(site, record('exp-4', ['inv-1', 'inv-9'], { reissue: { corrects: 'exp-1', reason: 'new item' } })))
      expect(isEcoleError(never, 'REISSUE_NOT_CURRENT')).toBe(true)
      expect(isEcoleError(never) && never.details['items']).toEqual([{ itemKey: 'inv-9', exportId: undefined }])
      expect(await store.getExport(site, 'exp-4')).toBeUndefined()
      expect(await store.currentExports(site, 'pes-v2', ['inv-1', 'inv-9'])).toEqual(new Map([['inv-1', 'exp-1']]))
      // a re-issue of the re-issue corrects the chain's head
      expect(await store.createExport(site, record('exp-5', ['inv-2'], { reissue: { corrects: 'exp-2', reason: 'second fix' } }))).toBe('created')
      expect(await store.currentExports(site, 'pes-v2', ['inv-2'])).toEqual(new Map([['inv-2', 'exp-5']]))
    })

    it('leaves nothing of a refused export in a transaction whose caller catches the refusal and commits', async () => {
      const storage = ctx.storage()
      const site = freshSiteId()
      await need(storage.exportRegister, 'exportRegister').createExport(site, record('exp-1', ['inv-1']))
      const caught = await storage.transaction(site, async (tx) => {
        const error = await rejection(tx.exportRegister!.createExport(site, record('exp-2', ['inv-2', 'inv-1'])))
        const stale = await rejection(tx.exportRegister!.createExport(site, record('exp-3', ['inv-1', 'inv-5'], { reissue: { corrects: 'exp-1', reason: 'x' } })))
        return [error, stale]
      })
      expect(isEcoleError(caught[0], 'ALREADY_EXPORTED')).toBe(true)
      expect(isEcoleError(caught[1], 'REISSUE_NOT_CURRENT')).toBe(true)
      const store = need(storage.exportRegister, 'exportRegister')
      expect(await store.currentExports(site, 'pes-v2', ['inv-1', 'inv-2', 'inv-5'])).toEqual(new Map([['inv-1', 'exp-1']]))
      expect((await store.listExports(site, {})).items.map((e) => e.id)).toEqual(['exp-1'])
    })

    it('rolls an export back with the transaction that recorded it', async () => {
      const storage = ctx.storage()
      const site = freshSiteId()
      await rejection(storage.transaction(site, async (tx) => {
        await tx.exportRegister!.createExport(site, record('exp-1', ['inv-1']))
        throw new Error('the file could not be stored')
      }))
      expect(await need(storage.exportRegister, 'exportRegister').getExport(site, 'exp-1')).toBeUndefined()
      expect(await storage.exportRegister!.createExport(site, record('exp-2', ['inv-1']))).toBe('created')
    })

    it(`lets exactly one of ${ctx.concurrency} concurrent exports of overlapping items win; the others get ALREADY_EXPORTED`, async () => {
      const store = need(ctx.storage().exportRegister, 'exportRegister')
      const site = freshSiteId()
      const results = await Promise.allSettled(Array.from({ length: ctx.concurrency }, (_, i) =>
        // each shares inv-shared with the others, plus items of its own, in another order
        store.createExport(site, record(`exp-${i}`, i % 2 === 0 ? [`inv-${i}`, 'inv-shared', `inv-${i}b`] : [`inv-${i}b`, 'inv-shared', `inv-${i}`]))))
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []))
      expect(winners).toHaveLength(1)
      for (const r of results) if (r.status === 'rejected') expect(isEcoleError(r.reason, 'ALREADY_EXPORTED'), String(r.reason)).toBe(true)
      const w = winners[0]!
      const keys = Array.from({ length: ctx.concurrency }, (_, i) => [`inv-${i}`, `inv-${i}b`]).flat()
      expect(await store.currentExports(site, 'pes-v2', ['inv-shared', ...keys])).toEqual(new Map([['inv-shared', `exp-${w}`], [`inv-${w}`, `exp-${w}`], [`inv-${w}b`, `exp-${w}`]]))
      expect((await store.listExports(site, {})).items.map((e) => e.id)).toEqual([`exp-${w}`])
    })

    it(`lets exactly one of ${ctx.concurrency} concurrent re-issues of one export win; the others get REISSUE_NOT_CURRENT`, async () => {
      const store = need(ctx.storage().exportRegister, 'exportRegister')
      const site = freshSiteId()
      await store.createExport(site, record('exp-0', ['inv-1', 'inv-2']))
      const results = await Promise.allSettled(Array.from({ length: ctx.concurrency }, (_, i) =>
        store.createExport(site, record(`fix-${i}`, i % 2 === 0 ? ['inv-1', 'inv-2'] : ['inv-2'], { reissue: { corrects: 'exp-0', reason: `fix ${i}` } }))))
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []))
      for (const r of results) if (r.status === 'rejected') expect(isEcoleError(r.reason, 'REISSUE_NOT_CURRENT'), String(r.reason)).toBe(true)
      expect(winners).toHaveLength(1)
      const w = winners[0]!
      const current = await store.currentExports(site, 'pes-v2', ['inv-1', 'inv-2'])
      expect(current.get('inv-2')).toBe(`fix-${w}`)
      expect(current.get('inv-1')).toBe(w % 2 === 0 ? `fix-${w}` : 'exp-0')
    })

    it('lists exports of one format, by id, a page at a time', async () => {
      const store = need(ctx.storage().exportRegister, 'exportRegister')
      const site = freshSiteId()
      for (const id of ['e3', 'e1', 'e4', 'e2']) await store.createExport(site, record(id, [`inv-${id}`]))
      await store.createExport(site, record('f1', ['inv-e1'], { format: 'belcotax-281.86' }))
      const seen: string[] = []
      let page = await store.listExports(site, { format: 'pes-v2' }, { limit: 3 })
      seen.push(...page.items.map((e) => e.id))
      while (page.next) {
        page = await store.listExports(site, { format: 'pes-v2' }, { limit: 3, after: page.next })
        seen.push(...page.items.map((e) => e.id))
      }
      expect(seen).toEqual(['e1', 'e2', 'e3', 'e4'])
      expect((await store.listExports(site, { format: 'belcotax-281.86' })).items).toEqual([record('f1', ['inv-e1'], { format: 'belcotax-281.86' })])
    })
  })
}

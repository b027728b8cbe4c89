import { auditEntry, isEcoleError, type AuditEntry } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (e) {
    if (isEcoleError(e)) return e.code
    throw e
  }
}

function entry(siteId: string, id: string, minute: number, extra: Partial<Parameters<typeof auditEntry>[0]> = {}): AuditEntry {
  return auditEntry({
    id, siteId, at: `2027-01-04T08:${String(minute).padStart(2, '0')}:00Z`, actor: { kind: 'user', id: 'u1' },
    action: 'household.renamed', subject: { kind: 'household', id: 'h1' }, householdId: 'h1', before: { name: 'Martin' }, after: { name: 'Martin-Roux' }, ...extra,
  })
}

/** The audit-trail port: append-only, idempotent by id, listed newest first with filters and stable pages. @internal */
export function describeAudit(ctx: ConformanceContext): void {
  describe('audit trail', () => {
    it('appends entries once (the same entry again is `exists`) and lists them newest first, as given', async () => {
      const store = need(ctx.storage().audit, 'audit')
      const s = freshSiteId()
      const a = entry(s, 'a', 1)
      const b = entry(s, 'b', 2, { before: { amountMinor: 1_000n }, after: { amountMinor: 900n } })
      expect(await store.recordAuditEntries(s, [a, b])).toEqual(['created', 'created'])
      expect(await store.recordAuditEntries(s, [a])).toEqual(['exists'])
      expect((await store.listAuditEntries(s, {})).items).toEqual([b, a])
      expect((await store.listAuditEntries(freshSiteId(), {})).items).toEqual([])
    })

    it('refuses an id appended again with other content (IDEMPOTENCY_CONFLICT) and writes nothing of that call', async () => {
      const store = need(ctx.storage().audit, 'audit')
      const s = freshSiteId()
      await store.recordAuditEntries(s, [entry(s, 'a', 1)])
      expect(await codeOf(store.recordAuditEntries(s, [entry(s, 'c', 3), entry(s, 'a', 1, { action: 'household.deleted' })]))).toBe('IDEMPOTENCY_CONFLICT')
      expect((await store.listAuditEntries(s, {})).items.map((e) => e.id)).toEqual(['a'])
    })

    it('refuses an entry of another site (SITE_MISMATCH)', async () => {
      const store = need(ctx.storage().audit, 'audit')
      const s = freshSiteId()
      expect(await codeOf(store.recordAuditEntries(s, [entry('another-site', 'a', 1)]))).toBe('SITE_MISMATCH')
    })

    it('filters by actor, subject, household, action and time, every field given having to match', async () => {
      const store = need(ctx.storage().audit, 'audit')
      const s = freshSiteId()
      await store.recordAuditEntries(s, [
        entry(s, 'a', 1),
        entry(s, 'b', 2, { actor: { kind: 'guardian', id: 'g1' }, action: 'booking.created', subject: { kind: 'booking', id: 'k1|meal|2027-01-05' } }),
        entry(s, 'c', 3, { householdId: 'h2', subject: { kind: 'household', id: 'h2' } }),
        entry(s, 'd', 4, { action: 'invoice.validated', subject: { kind: 'invoice', id: 'dec:g1' }, householdId: undefined }),
      ])
      const ids = async (f: Parameters<typeof store.listAuditEntries>[1]) => (await store.listAuditEntries(s, f)).items.map((e) => e.id)
      expect(await ids({ householdId: 'h1' })).toEqual(['b', 'a'])
      expect(await ids({ actorKind: 'guardian' })).toEqual(['b'])
      expect(await ids({ actorId: 'u1', subjectKind: 'household' })).toEqual(['c', 'a'])
      expect(await ids({ subjectKind: 'invoice', subjectId: 'dec:g1' })).toEqual(['d'])
      expect(await ids({ action: 'household.renamed', householdId: 'h2' })).toEqual(['c'])
      expect(await ids({ from: '2027-01-04T08:02:00.000Z', to: '2027-01-04T08:04:00.000Z' })).toEqual(['c', 'b'])
    })

    it('pages newest first without losing or repeating an entry, entries of the same instant ordered by id', async () => {
      const store = need(ctx.storage().audit, 'audit')
      const s = freshSiteId()
      const all = Array.from({ length: 25 }, (_, i) => entry(s, `e${String(i).padStart(2, '0')}`, Math.floor(i / 3)))
      await store.recordAuditEntries(s, all)
      const seen: string[] = []
      let page = await store.listAuditEntries(s, {}, { limit: 4 })
      seen.push(...page.items.map((e) => e.id))
      while (page.next) {
        page = await store.listAuditEntries(s, {}, { limit: 4, after: page.next })
        seen.push(...page.items.map((e) => e.id))
      }
      const expected = [...all].sort((x, y) => (x.at === y.at ? (x.id < y.id ? 1 : -1) : x.at < y.at ? 1 : -1)).map((e) => e.id)
      expect(seen).toEqual(expected)
    })

    it('keeps nothing of an entry appended in a transaction that fails', async () => {
      const storage = ctx.storage()
      const s = freshSiteId()
      const failed = await storage.transaction(s, async (tx) => {
        await need(tx.audit, 'audit').recordAuditEntries(s, [entry(s, 'a', 1)])
        throw new Error('the change it records failed')
      }).catch((e: unknown) => e)
      expect(failed).toBeInstanceOf(Error)
      expect((await need(storage.audit, 'audit').listAuditEntries(s, {})).items).toEqual([])
    })
  })
}

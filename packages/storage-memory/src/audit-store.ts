import { idempotencyConflict, type AuditEntry } from '@ecole/core'
import type { AuditFilter, AuditStore, Page, PageRequest } from '@ecole/core/ports'
import { pageLimit, type Access } from './access'
import { assertRecordSite } from './directory-store'
import { sameContent } from './documents'
import { copy } from './site-state'

const AUDIT = 'audit'

/** Whether an entry matches every field of the filter. @internal */
export function auditMatches(e: AuditEntry, f: AuditFilter): boolean {
  return (f.actorId === undefined || e.actor.id === f.actorId)
    && (f.actorKind === undefined || e.actor.kind === f.actorKind)
    && (f.subjectKind === undefined || e.subject.kind === f.subjectKind)
    && (f.subjectId === undefined || e.subject.id === f.subjectId)
    && (f.householdId === undefined || e.householdId === f.householdId)
    && (f.action === undefined || e.action === f.action)
    && (f.from === undefined || e.at >= f.from)
    && (f.to === undefined || e.at < f.to)
}

/** The in-memory {@link AuditStore}: entries by id, listed newest first. @internal */
export class MemoryAuditStore implements AuditStore {
  constructor(private readonly access: Access) {}

  recordAuditEntries(siteId: string, entries: readonly AuditEntry[]): Promise<Array<'created' | 'exists'>> {
    return this.access(siteId, (v) => {
      const table = v.read<AuditEntry>(AUDIT)
      const seen = new Map<string, AuditEntry>()
      const out: Array<'created' | 'exists'> = []
      // check every entry before writing any: a conflict writes nothing of the call
      for (const entry of entries) {
        assertRecordSite(siteId, entry)
        const existing = table.get(entry.id) ?? seen.get(entry.id)
        if (existing && !sameContent(existing, entry)) throw idempotencyConflict('audit entry', entry.id, differing(existing, entry))
        out.push(existing ? 'exists' : 'created')
        if (!existing) seen.set(entry.id, entry)
      }
      if (seen.size > 0) {
        const w = v.write<AuditEntry>(AUDIT)
        for (const [id, e] of seen) w.set(id, copy(e))
      }
      return out
    })
  }

  listAuditEntries(siteId: string, filter: AuditFilter, page?: PageRequest): Promise<Page<AuditEntry>> {
    return this.access(siteId, (v) => {
      const limit = pageLimit(page)
      const keyed = [...v.read<AuditEntry>(AUDIT).values()].filter((e) => auditMatches(e, filter)).map((e) => [e.at + e.id, e] as const)
      // `at` has a fixed width (24 characters), so at + id sorts as the pair (at, id): the cursor
      keyed.sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0))
      const rest = page?.after === undefined ? keyed : keyed.filter(([k]) => k < page.after!)
      const items = rest.slice(0, limit)
      const last = items[items.length - 1]
      return { items: items.map(([, e]) => copy(e)), next: rest.length > limit && last ? last[0] : undefined }
    })
  }
}

function differing(a: AuditEntry, b: AuditEntry): string[] {
  return (Object.keys({ ...a, ...b }) as Array<keyof AuditEntry>).filter((k) => !sameContent(a[k], b[k]))
}

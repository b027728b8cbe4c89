/**
 * Audit-trail storage: who changed what, when, before and after, per site. Append-only.
 *
 * @module
 */
import type { AuditActorKind, AuditEntry } from '../access'
import type { Page, PageRequest } from './storage'

/**
 * Which entries {@link AuditStore.listAuditEntries} returns; every field given must match.
 *
 * @example
 * const aFamily: AuditFilter = { householdId: 'h1' }
 * const oneUserInJanuary: AuditFilter = { actorId: 'u-regisseur', from: '2027-01-01T00:00:00.000Z', to: '2027-02-01T00:00:00.000Z' }
 */
export interface AuditFilter {
  /** Entries by this actor (any kind when `actorKind` is absent). */
  actorId?: string | undefined
  /** Entries by actors of this kind. */
  actorKind?: AuditActorKind | undefined
  /** Entries about subjects of this kind (`invoice`, `guardian`...). */
  subjectKind?: string | undefined
  /** Entries about this subject (with `subjectKind`, or any kind). */
  subjectId?: string | undefined
  /** Entries about this household. */
  householdId?: string | undefined
  /** Entries of this action. */
  action?: string | undefined
  /** From this instant (included; ISO, UTC with milliseconds as stored). */
  from?: string | undefined
  /** Before this instant (excluded). */
  to?: string | undefined
}

/**
 * Audit-trail storage.
 *
 * Contract:
 * - every method takes the `siteId` first; an entry's own `siteId` must equal it (`SITE_MISMATCH`)
 *   and nothing crosses sites;
 * - **append-only**: an entry is never updated or deleted; appending an id again with the same
 *   content answers `exists`, with other content fails with `IDEMPOTENCY_CONFLICT` and writes
 *   nothing of the call;
 * - entries are stored as given, already validated (`auditEntry()` of `@ecole/core`), `at` in the
 *   24-character UTC form;
 * - listings are newest first: by `at` descending, then id descending; the cursor is opaque and
 *   pages are stable while entries are appended (a new entry is newer than every page read).
 *
 * @example
 * await storage.transaction(siteId, async (tx) => {
 *   // ...the change itself, then its entry in the same transaction:
 *   await tx.audit!.recordAuditEntries(siteId, [entry])
 * })
 * const { items } = await storage.audit!.listAuditEntries(siteId, { householdId: 'h1' }, { limit: 50 })
 */
export interface AuditStore {
  /**
   * Appends entries; per entry `created`, or `exists` when the same entry was appended before.
   *
   * @example
   * await store.recordAuditEntries('site-1', [entry]) //=> ['created']
   */
  recordAuditEntries(siteId: string, entries: readonly AuditEntry[]): Promise<Array<'created' | 'exists'>>
  /**
   * Entries matching the filter, newest first, a page at a time.
   *
   * @example
   * let page = await store.listAuditEntries('site-1', { subjectKind: 'invoice', subjectId: 'dec:g1' }, { limit: 20 })
   * if (page.next) page = await store.listAuditEntries('site-1', { subjectKind: 'invoice', subjectId: 'dec:g1' }, { limit: 20, after: page.next })
   */
  listAuditEntries(siteId: string, filter: AuditFilter, page?: PageRequest): Promise<Page<AuditEntry>>
}

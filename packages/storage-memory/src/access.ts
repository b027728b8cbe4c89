import type { Page, PageRequest } from '@ecole/core/ports'
import { EcoleError } from '@ecole/core'
import { assertSite, type SiteRegistry, type TxView } from './site-state'

/** How a store reaches a site's tables: its own transaction, or the caller's. @internal */
export type Access = <T>(siteId: string, fn: (view: TxView) => T | Promise<T>) => Promise<T>

/** Each call is its own transaction. @internal */
export function autoCommit(registry: SiteRegistry): Access {
  return (siteId, fn) => registry.transaction(siteId, async (view) => fn(view))
}

/** Calls join the open transaction `view`. @internal */
export function inTransaction(view: TxView): Access {
  return async (siteId, fn) => {
    assertSite(view, siteId)
    return fn(view)
  }
}

/** The page size asked, checked (1..1000, 100 by default). @internal */
export function pageLimit(page: PageRequest | undefined): number {
  const limit = page?.limit ?? 100
  if (!Number.isInteger(limit) || limit < 1) {
    throw new EcoleError('INVALID_INPUT', `page.limit: must be a positive integer, got ${String(limit)}`)
  }
  return Math.min(limit, 1000)
}

/** Compares strings by code unit (the order every adapter uses, `COLLATE "C"` in SQL). @internal */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * A page of `entries` (already filtered) sorted by their key, after the cursor `page.after`.
 * The cursor is the key of the last item returned. @internal
 */
export function paginate<T>(entries: Array<[string, T]>, page: PageRequest | undefined): Page<T> {
  const limit = pageLimit(page)
  entries.sort((a, b) => compareKeys(a[0], b[0]))
  const after = page?.after
  const start = after === undefined ? 0 : entries.findIndex(([k]) => compareKeys(k, after) > 0)
  const rest = start < 0 ? [] : entries.slice(start)
  const items = rest.slice(0, limit)
  const last = items[items.length - 1]
  return { items: items.map(([, v]) => v), next: rest.length > limit && last ? last[0] : undefined }
}

/** Joins key parts with a separator that sorts below every character (tuple order). @internal */
export function tupleKey(...parts: string[]): string {
  return parts.join('\u0000')
}

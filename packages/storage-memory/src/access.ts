import type { Page, PageRequest } from '@ecole/core/ports'
import { EcoleError } from '@ecole/core'
import { assertSite, tableStamp, type SiteRegistry, type TxView } from './site-state'

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

type SortedIndex = { stamp: string; entries: Array<[string, unknown]> }
const sortedIndexes = new WeakMap<object, Map<string, SortedIndex>>()

/**
 * The entries of `table` sorted by `keyOf` (code-unit order), kept beside the table and rebuilt
 * only when the table has changed since ({@link tableStamp}): paging a large table reads this
 * index from the cursor on, instead of sorting the whole table at each page. `name` names the
 * key function (one index per table and name). @internal
 */
export function sortedEntries<V>(table: ReadonlyMap<string, V>, name: string, keyOf: (key: string, value: V) => string): ReadonlyArray<[string, V]> {
  const stamp = tableStamp(table)
  const perTable = stamp === undefined ? undefined : sortedIndexes.get(table)
  const cached = perTable?.get(name)
  if (cached !== undefined && cached.stamp === stamp) return cached.entries as Array<[string, V]>
  const entries: Array<[string, V]> = []
  for (const [k, v] of table) entries.push([keyOf(k, v), v])
  entries.sort((a, b) => compareKeys(a[0], b[0]))
  if (stamp !== undefined) {
    let indexes = sortedIndexes.get(table)
    if (indexes === undefined) {
      indexes = new Map()
      sortedIndexes.set(table, indexes)
    }
    indexes.set(name, { stamp, entries })
  }
  return entries
}

/**
 * A page of a sorted index ({@link sortedEntries}): the entries after the cursor `page.after`
 * and from the key `from` on, that pass `keep`, until `beyond` says a key is past the range. The
 * same pages as {@link paginate} over the filtered entries, found by binary search. @internal
 */
export function paginateSorted<V>(
  sorted: ReadonlyArray<[string, V]>,
  page: PageRequest | undefined,
  range: { from: string; beyond: (key: string) => boolean; keep: (value: V) => boolean },
): Page<V> {
  const limit = pageLimit(page)
  const after = page?.after
  const start = after === undefined || compareKeys(after, range.from) < 0 ? firstAtLeast(sorted, range.from, true) : firstAtLeast(sorted, after, false)
  const items: Array<[string, V]> = []
  let more = false
  for (let i = start; i < sorted.length; i++) {
    const entry = sorted[i]!
    if (range.beyond(entry[0])) break
    if (!range.keep(entry[1])) continue
    if (items.length === limit) {
      more = true
      break
    }
    items.push(entry)
  }
  const last = items[items.length - 1]
  return { items: items.map(([, v]) => v), next: more && last ? last[0] : undefined }
}

/**
 * A page of `table`'s values that pass `keep`, in the order of their keys (`keyOf`, the table's
 * own key when absent), after the cursor `page.after`: read from the sorted index kept beside the
 * table ({@link sortedEntries}, rebuilt only when the table changed), not by sorting the matching
 * entries at each page. The same pages as {@link paginate} over the filtered entries. @internal
 */
export function paginateTable<V>(
  table: ReadonlyMap<string, V>, name: string, page: PageRequest | undefined, keep: (value: V) => boolean, keyOf: (key: string, value: V) => string = (key) => key,
): Page<V> {
  return paginateSorted(sortedEntries(table, name, keyOf), page, { from: '', beyond: () => false, keep })
}

/** The index of the first key >= `key` (`inclusive`) or > `key` in a sorted index. @internal */
export function firstAtLeast(sorted: ReadonlyArray<readonly [string, unknown]>, key: string, inclusive: boolean): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const c = compareKeys(sorted[mid]![0], key)
    if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1
    else hi = mid
  }
  return lo
}

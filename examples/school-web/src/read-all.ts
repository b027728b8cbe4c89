/**
 * Reading a keyset-paged listing of a storage port to its end: what a page that must show
 * everything (a roll call, a statement) reads, where the first page alone would silently stop at
 * its limit.
 */

/**
 * Every item of a keyset-paged listing, a page at a time (`read` is given the previous page's
 * `next`).
 *
 * @example
 * const bookings = await readAll((a) => storage.bookings!.listBookings(siteId, { from: day, to: day }, page(a)))
 */
export async function readAll<T>(read: (after?: string) => Promise<{ items: T[]; next?: string | undefined }>): Promise<T[]> {
  const out: T[] = []
  let after: string | undefined
  do {
    const page = await read(after)
    out.push(...page.items)
    after = page.next
  } while (after)
  return out
}

/** A page request of 1,000 items after `after` (the first page without it). */
export const page = (after?: string): { limit: number; after?: string } => ({ limit: 1000, ...(after ? { after } : {}) })

/**
 * The shape every storage adapter shares: capability ports, each optional, and one transaction API.
 *
 * Contract common to every port (each port's own TSDoc adds its rules):
 * - **Tenant first.** Every method takes the `siteId` first; a read never returns, and a write
 *   never touches, another site's records. Keys start with the site id.
 * - **Atomicity.** Inside {@link StoragePorts.transaction}, either every write commits or none does;
 *   an error thrown by the callback rolls everything back and is rethrown unchanged.
 * - **Idempotency.** Commands that move money carry a client-chosen id, unique per site; replaying
 *   one never applies it twice.
 * - **Immutable history.** Ledger transfers and validated invoices are never updated or deleted.
 * - Failures of the store itself (connection, constraint) surface as `EcoleError` with the
 *   driver's error as `cause`.
 *
 * @module
 */

/** The capabilities a storage adapter may provide; the conformance suite tests those present. */
export type StorageCapability =
  | 'directory'
  | 'billingRules'
  | 'bookings'
  | 'ledger'
  | 'invoicing'
  | 'payments'
  | 'bankImports'
  | 'outbox'
  | 'access'
  | 'documents'

/**
 * A page of results in a stable order (by the store's key), with the cursor of the next page.
 *
 * @example
 * let page = await store.listGuardians(siteId, { limit: 100 })
 * while (page.next) page = await store.listGuardians(siteId, { limit: 100, after: page.next })
 */
export interface Page<T> {
  /** The items of this page, in key order. */
  items: T[]
  /** Cursor to pass as `after` for the next page; absent on the last page. */
  next?: string | undefined
}

/** Options of a paginated read: at most `limit` items after the cursor `after`. */
export interface PageRequest {
  /** Maximum items to return (an adapter may cap it; 100 when absent). */
  limit?: number
  /** The `next` cursor of the previous page. */
  after?: string
}

/** A clock port: the only way workflows learn the current instant. */
export interface Clock {
  /** The current instant. */
  now(): Date
}

/** An id source port: where workflows get new record ids (UUIDs, ULIDs...). */
export interface IdSource {
  /** A new unique id. */
  next(): string
}
